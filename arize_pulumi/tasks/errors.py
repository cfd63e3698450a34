"""The errors the tasks client raises, all under :class:`ArizeError`.

Server answers map by status onto :class:`APIError` subclasses (as the openai and stripe
clients do), so callers catch ``NotFoundError`` or ``ConflictError`` rather than compare
numbers. Problems found before any request (a bad argument, a missing key, an unknown name)
have their own classes that name the argument or the name. No message, ``str`` or ``repr``
carries the API key: the client redacts it before an error is built.

An :class:`APIError` keeps what the server answered (``status``, ``headers``, ``request_id``,
``body``, ``response``), as the openai and stripe clients do, so a caller can read a header
the client does not interpret or quote the request ID to Arize support.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from arize_pulumi.tasks.models import TaskRun

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AmbiguousNameError",
    "ArizeAlphaWarning",
    "ArizeError",
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "InvalidArgumentError",
    "MissingAPIKeyError",
    "NameNotFoundError",
    "NoUpdateFieldsError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "closest",
    "did_you_mean",
    "error_class_for",
]

CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
"""Headers an error never keeps, whoever built it."""

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-arize-request-id")
"""Where servers and proxies put the ID of a request, most common first."""


class ArizeAlphaWarning(FutureWarning):
    """Arize marks the task endpoints beta: their shape may change under the client."""


class ArizeError(Exception):
    """Base class of every error this package raises, so one ``except`` catches them all."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


def _retry_summary(attempts: int, elapsed: float, note: str | None) -> str:
    plural = "" if attempts == 1 else "s"
    text = f"gave up after {attempts} attempt{plural} in {elapsed:.1f}s; "
    return text + (note or "re-running is safe")


def _without_credentials(headers: Mapping[str, str] | None) -> httpx.Headers:
    """A copy of ``headers`` without credentials; empty when there was no answer."""
    import httpx  # here, not at the top: an unchanged preview imports this module, not httpx

    copied = httpx.Headers(headers)
    for name in CREDENTIAL_HEADERS:
        copied.pop(name, None)
    return copied


def _request_id(headers: Mapping[str, str]) -> str | None:
    return next((headers[name] for name in REQUEST_ID_HEADERS if headers.get(name)), None)


class APIError(ArizeError):
    """The server answered with an error status; subclasses are keyed by that status.

    ``body`` is the parsed problem (a dict), else the answer's text. ``headers`` is a copy of
    the answer's headers (never an ``Authorization`` header), ``request_id`` the server's ID
    for the request (``x-request-id``, ``request-id`` or ``x-arize-request-id``; ``None`` when
    absent), and ``response`` the ``httpx.Response`` (the client passes a copy holding no API
    key), ``None`` for errors found without an answer. ``attempts`` counts the tries of this
    request; ``retries_exhausted`` says the retry budget ran out (the message then says how
    many attempts were made and whether re-running is safe).
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None,
        body: object,
        method: str,
        path: str,
        *,
        attempts: int = 1,
        elapsed: float = 0.0,
        retries_exhausted: bool = False,
        note: str | None = None,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.body = body
        self.method = method
        self.path = path
        self.attempts = attempts
        self.elapsed = elapsed
        self.retries_exhausted = retries_exhausted
        if headers is None and response is not None:
            headers = response.headers
        self.headers = _without_credentials(headers)
        self.request_id = request_id or _request_id(self.headers)
        self.response = response
        text = f"{method} {path} failed ({status} {title})"
        if detail:
            text += f": {detail}"
        if self.request_id:
            text += f" (request ID {self.request_id})"
        if retries_exhausted:
            text += f" [{_retry_summary(attempts, elapsed, note)}]"
        super().__init__(text)

    @property
    def message(self) -> str:
        """What to show a person: the problem's ``detail``, else its ``title``."""
        return self.detail or self.title


class BadRequestError(APIError):
    """400: the server refused the request's shape or values."""


class UnauthorizedError(APIError):
    """401: the API key is missing, malformed or not valid."""


class ForbiddenError(APIError):
    """403: the key is valid but may not touch this space or task."""


class NotFoundError(APIError):
    """404: the task, run, or the space/project/dataset a list is scoped to does not exist."""


class ConflictError(APIError):
    """409: a task of that name exists, or the task already has a run in progress."""


class UnprocessableEntityError(APIError):
    """422: well-formed but not acceptable (e.g. an evaluator version of another evaluator)."""


class RateLimitError(APIError):
    """429: slow down; ``retry_after`` is the server's ``Retry-After`` in seconds, if sent."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None,
        body: object,
        method: str,
        path: str,
        *,
        retry_after: float | None = None,
        attempts: int = 1,
        elapsed: float = 0.0,
        retries_exhausted: bool = False,
        note: str | None = None,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            status,
            title,
            detail,
            body,
            method,
            path,
            attempts=attempts,
            elapsed=elapsed,
            retries_exhausted=retries_exhausted,
            note=note,
            headers=headers,
            request_id=request_id,
            response=response,
        )


class ServerError(APIError):
    """5xx: the server failed; for a create or trigger the outcome may be unknown."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[APIError]:
    """The :class:`APIError` subclass that stands for ``status``."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIError)


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase of ``status``, for answers without a problem body."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class NameNotFoundError(NotFoundError):
    """No object of that exact name exists where it was looked up.

    A :class:`NotFoundError`, so code that treats a missing task as gone handles a task named
    by a name that does not exist the same way. ``seen`` lists the near names (those the
    server matched, or the closest of the whole scope), and ``suggestions`` the few of them
    closest to ``name``: a typo or a casing difference gets a "did you mean".
    """

    def __init__(
        self,
        kind: str,
        name: str,
        seen: Sequence[str] = (),
        *,
        scope: str | None = None,
        path: str = "",
    ) -> None:
        self.kind = kind
        self.name = name
        self.seen = list(seen)
        self.suggestions = closest(name, self.seen)
        self.scope = scope
        where = f" in {scope}" if scope else ""
        detail = f"no {kind} named {name!r}{where} (names match exactly, case included)"
        if self.suggestions:
            detail += f"; {did_you_mean(self.suggestions)}"
        elif self.seen:
            shown = ", ".join(repr(s) for s in self.seen[:10])
            more = f" and {len(self.seen) - 10} more" if len(self.seen) > 10 else ""
            detail += f"; similar names: {shown}{more}"
        super().__init__(404, "Resource not found", detail, None, "GET", path)

    def __str__(self) -> str:
        return self.message


def closest(name: str, names: Sequence[str], limit: int = 3) -> list[str]:
    """The names most like ``name`` (a typo, another casing), best first; case is ignored
    when comparing."""
    by_folded: dict[str, list[str]] = {}
    for candidate in names:
        by_folded.setdefault(candidate.casefold(), []).append(candidate)
    near = difflib.get_close_matches(name.casefold(), list(by_folded), n=limit, cutoff=0.6)
    return [candidate for folded in near for candidate in by_folded[folded]][:limit]


def did_you_mean(names: Sequence[str]) -> str:
    """``did you mean 'a'?``, ``did you mean 'a' or 'b'?``, ``... 'a', 'b' or 'c'?``"""
    quoted = [repr(n) for n in names]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"did you mean {listed}?"


class AmbiguousNameError(ArizeError):
    """More than one object has that exact name; ``candidates`` holds their IDs."""

    def __init__(
        self, kind: str, name: str, candidates: Sequence[str], *, scope: str | None = None
    ) -> None:
        self.kind = kind
        self.name = name
        self.candidates = list(candidates)
        self.scope = scope
        where = f" in {scope}" if scope else ""
        super().__init__(
            f"{len(self.candidates)} {kind}s are named {name!r}{where}: "
            f"{', '.join(self.candidates)}; pass an ID instead"
        )


class APIConnectionError(ArizeError):
    """The request never got an answer (refused, reset, DNS) within the retry budget."""

    def __init__(
        self,
        message: str,
        method: str,
        path: str,
        *,
        attempts: int = 1,
        elapsed: float = 0.0,
        retries_exhausted: bool = False,
        note: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.attempts = attempts
        self.elapsed = elapsed
        self.retries_exhausted = retries_exhausted
        text = f"{method} {path} failed: {message}"
        if retries_exhausted:
            text += f" [{_retry_summary(attempts, elapsed, note)}]"
        super().__init__(text)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read or write) within the retry budget."""


class UnexpectedResponseError(ArizeError):
    """A success status whose body is not the documented object: a server/client mismatch."""

    def __init__(self, method: str, path: str, status: int, reason: str) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason
        super().__init__(f"{method} {path} answered {status} with an unexpected body: {reason}")


class InvalidArgumentError(ArizeError, ValueError):
    """An argument the server would refuse, caught before any request; ``field`` names it."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}" if field else reason)


class NoUpdateFieldsError(InvalidArgumentError):
    """``update`` was called without any field to change (the API refuses an empty PATCH)."""

    def __init__(self, reason: str = "no fields to update; pass at least one field") -> None:
        super().__init__("update", reason)


class MissingAPIKeyError(ArizeError):
    """No API key was given and ``ARIZE_API_KEY`` is not set."""

    def __init__(self) -> None:
        super().__init__(
            "no Arize API key: pass api_key= to TasksClient or set the ARIZE_API_KEY "
            "environment variable"
        )


class WaitTimeoutError(ArizeError):
    """A run was not finished when ``wait_for_run`` gave up; ``run`` is the last state seen."""

    def __init__(self, run: TaskRun, timeout: float) -> None:
        self.run = run
        self.timeout = timeout
        super().__init__(
            f"task run {run.id} is still {run.status.value} after {timeout:g}s "
            f"({run.num_successes} succeeded, {run.num_errors} errors, "
            f"{run.num_skipped} skipped)"
        )
