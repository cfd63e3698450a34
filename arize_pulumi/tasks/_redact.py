"""Keeping the API key out of everything the client hands back or logs.

The key travels only in the ``Authorization`` header of the requests the transport sends.
A server may still echo it (in a problem's ``detail``, in a header), and an
``httpx.Response`` links to its request, headers included, so what an error keeps of an
answer is a copy made here, with the key replaced by ``***``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import httpx

from arize_pulumi.tasks.errors import CREDENTIAL_HEADERS

__all__ = ["Secret"]

_BODY_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})
"""Headers that describe the bytes on the wire, not the decoded body a copy holds."""


class Secret:
    """Holds the API key so that no ``repr``, ``vars`` dump or debugger view shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def redact(self, text: str) -> str:
        return text.replace(self._value, "***") if self._value else text

    def headers(self, headers: httpx.Headers) -> httpx.Headers:
        """A copy without credential headers and with the key masked in every value."""
        return httpx.Headers(
            [
                (name, self.redact(value))
                for name, value in headers.multi_items()
                if name.lower() not in CREDENTIAL_HEADERS
            ]
        )

    def response(self, response: httpx.Response) -> httpx.Response:
        """A read copy of an answer and of its request that holds no key.

        The body is the decoded text with the key masked, so the headers that framed the
        wire bytes (compression, length) are dropped from the copy and set again for it.
        """
        request = response.request
        sent = httpx.Request(
            request.method,
            request.url,
            headers=self.headers(request.headers),
            content=request.content,
        )
        kept = [
            (name, value)
            for name, value in self.headers(response.headers).multi_items()
            if name.lower() not in _BODY_FRAMING
        ]
        copy = httpx.Response(
            response.status_code,
            headers=kept,
            content=self.redact(response.text).encode(response.encoding or "utf-8", "replace"),
            request=sent,
            extensions={
                key: response.extensions[key]
                for key in ("http_version", "reason_phrase")
                if key in response.extensions
            },
        )
        with contextlib.suppress(RuntimeError):  # unset when no connection was read (a mock)
            copy.elapsed = response.elapsed
        return copy

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("an API key is not picklable; read it from config where it is needed")
