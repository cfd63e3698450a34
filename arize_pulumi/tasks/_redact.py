"""Keeping the API key out of everything the client hands back or logs.

The key travels only in the ``Authorization`` header of the requests the transport sends.
A server may still echo it (in a problem's ``detail``, in a header), and an
``httpx.Response`` links to its request, headers included, so what an error keeps of an
answer is a copy made here, with the key replaced by ``***``.

Where the key is masked depends on its length. A key of :data:`WHOLE_TEXT_FROM` characters or
more (every real Arize key) is masked wherever it occurs: such a string does not occur in
ordinary text by chance. A shorter one (a test key, a sandbox's ``k``) is masked only where it
stands alone, not inside a longer word or ID: masking every ``k`` would turn "a task named"
into "a tas*** named" and hide nothing, since that text never held the key. It is still never
printed where a server echoes it as a value (``bad key 'k'``, ``key=k``); a short key that is
itself a word ("task") is masked where that word stands alone, as nothing tells the two apart.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import httpx

from arize_pulumi.tasks.errors import CREDENTIAL_HEADERS

__all__ = ["WHOLE_TEXT_FROM", "Secret"]

WHOLE_TEXT_FROM = 16
"""Keys at least this long are masked wherever they occur; shorter ones as whole words only."""

_BODY_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})
"""Headers that describe the bytes on the wire, not the decoded body a copy holds."""


class Secret:
    """Holds the API key so that no ``repr``, ``vars`` dump or debugger view shows it."""

    __slots__ = ("_alone", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        self._alone: re.Pattern[str] | None = None
        if value and len(value) < WHOLE_TEXT_FROM:
            self._alone = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")

    def reveal(self) -> str:
        return self._value

    def redact(self, text: str) -> str:
        """``text`` with the key replaced by ``***`` (see the module doc for where)."""
        if not self._value:
            return text
        if self._alone is not None:
            return self._alone.sub("***", text)
        return text.replace(self._value, "***")

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
