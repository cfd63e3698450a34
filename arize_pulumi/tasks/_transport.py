"""One pooled ``httpx.Client`` with auth, retries, error mapping and redaction.

Every request of a :class:`~arize_pulumi.tasks.client.TasksClient` goes through
:meth:`Transport.request`. Whether a failure may be retried depends on what the request does:
reads are retried on 429, 5xx and network errors; idempotent writes on 429, 502-504 and
network errors; a request that is not safe to repeat is resent only after ``recover`` has
checked that an earlier attempt whose outcome is unknown did not land.

Two network errors are not retried while no request of the client has been answered yet: a
host name that does not resolve and a refused connection. Then they mean a wrong setting
(a typo in the host, a sandbox that is not running), and retrying only makes the user wait.
Once the host has answered, a refused connection may be a restart, and is retried like any
other network error, as are timeouts, resets and a temporary DNS failure (``EAI_AGAIN``).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import ssl
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from importlib import metadata
from types import FrameType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from arize_pulumi.tasks._redact import Secret
from arize_pulumi.tasks.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ArizeAlphaWarning,
    RateLimitError,
    UnexpectedResponseError,
    error_class_for,
    reason_phrase,
)
from arize_pulumi.tasks.models import READING, Problem
from arize_pulumi.tasks.retry import RequestTries, RetryBudget, RetryPolicy, parse_retry_after

logger = logging.getLogger("arize_pulumi.tasks")

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

READ_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""A GET changes nothing, so even a 500 is worth another try."""

WRITE_RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""PATCH, DELETE and cancel give the same result when repeated; a 500 is likely a real bug."""

UNSAFE_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Create and trigger: retried only through a ``recover`` check, so every 5xx qualifies."""

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

_NO_SUCH_HOST = frozenset(
    code for code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if code is not None
)
"""Resolver answers that say the name does not exist (not that the resolver failed for now)."""

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_alpha_lock = threading.Lock()
_alpha_warned = False


def _package_version() -> str:
    try:
        return metadata.version("arize-pulumi")
    except metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"arize-pulumi/{_package_version()} httpx/{httpx.__version__}"


def warn_alpha_once() -> None:
    """Say once per process that the task endpoints are beta, as Arize's Go SDK does."""
    global _alpha_warned
    with _alpha_lock:
        if _alpha_warned:
            return
        _alpha_warned = True
    warnings.warn(
        "Arize marks the tasks API as beta: its endpoints and fields may change. "
        "Pass warn_alpha=False to TasksClient to silence this notice.",
        ArizeAlphaWarning,
        stacklevel=_caller_stacklevel(),
    )


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside this package."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level


def _refusal(exc: httpx.TransportError) -> str | None:
    """Why a connection could not be made, when retrying would not change it: the host name
    does not exist, or nothing listens on the port. Anything else (a timeout, a reset, a
    temporary DNS failure) is left to the retry policy."""
    cause: BaseException | None = exc
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror) and cause.errno in _NO_SUCH_HOST:
            return f"the host name does not resolve ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError):
            return "the connection was refused (nothing listens there)"
        cause = cause.__cause__ or cause.__context__
    return None


class Transport:
    """Sends requests with the bearer key, retries within a budget, maps errors."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout: float,
        policy: RetryPolicy,
        transport: httpx.BaseTransport | None,
        warn_alpha: bool,
        verify: ssl.SSLContext | bool = True,
        proxy: httpx.Proxy | None = None,
        where: str = "",
    ) -> None:
        """``verify`` and ``proxy`` are those of ``httpx.Client``; a ``transport`` replaces
        the network layer, so a proxy is not mounted over it (it would bypass it). ``where``
        says where requests go and which settings said so, for connection errors."""
        self._key = Secret(api_key)
        self._where = where
        self._first_hop = proxy.url if proxy is not None and transport is None else None
        self._answered = False
        self.policy = policy
        self._warn_alpha = warn_alpha
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            verify=verify,
            proxy=proxy if transport is None else None,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    @property
    def _retries(self) -> bool:
        """Whether the policy retries at all (an error then says the budget ran out)."""
        return self.policy.max_attempts > 1

    def close(self) -> None:
        self._http.close()

    def budget(self) -> RetryBudget:
        """A fresh budget for one client call; sub-requests of the call share it."""
        return RetryBudget(self.policy)

    def request(
        self,
        method: str,
        path: str,
        *,
        budget: RetryBudget,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        retry_statuses: frozenset[int] = READ_RETRY_STATUSES,
        landed_status: int | None = None,
        unknown_note: str | None = None,
    ) -> httpx.Response:
        """Send until success or a final error; see :meth:`request_or_recover`."""
        result: httpx.Response | None = self.request_or_recover(
            method,
            path,
            budget=budget,
            params=params,
            body=body,
            retry_statuses=retry_statuses,
            recover=None,
            landed_status=landed_status,
            unknown_note=unknown_note,
        )
        assert result is not None
        return result

    def request_or_recover(
        self,
        method: str,
        path: str,
        *,
        budget: RetryBudget,
        recover: Callable[[], T | None] | None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        retry_statuses: frozenset[int] = UNSAFE_RETRY_STATUSES,
        landed_status: int | None = None,
        unknown_note: str | None = None,
    ) -> httpx.Response | T:
        """Send until success, a final error, or ``recover`` finds what an earlier try made.

        Once an attempt's outcome is unknown (a 5xx or a dropped connection after sending),
        ``recover`` runs before every resend; a non-``None`` result is returned instead of
        sending again. A ``landed_status`` answer after an earlier attempt reached the server
        may be that attempt's doing (even a 429 may come from a proxy after the server
        acted), so ``recover`` runs then too; without ``recover`` that answer counts as
        success (a retried DELETE that finds the task gone).
        """
        if self._warn_alpha:
            warn_alpha_once()
        query = {k: v for k, v in (params or {}).items() if v is not None}
        unknown = False
        reached = False
        tries = budget.tries()
        while True:
            if unknown and recover is not None:
                found = recover()
                if found is not None:
                    return found
            tries.attempts += 1
            attempt = tries.attempts
            request = self._http.build_request(
                method,
                path,
                params=query,
                json=body,
                headers={"Authorization": f"Bearer {self._key.reveal()}"},
            )
            started = time.monotonic()
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                unknown = unknown or not isinstance(exc, _NOT_SENT)
                reached = reached or unknown
                refusal = None if self._answered else _refusal(exc)
                retryable = isinstance(exc, _RETRYABLE) and refusal is None
                delay = tries.next_delay(rate_limited=False) if retryable else None
                reason = self._key.redact(self._reason(exc, refusal))
                logger.debug(
                    "%s %s -> %s (attempt %d, %.3fs)",
                    method,
                    self._key.redact(path),
                    reason,
                    attempt,
                    time.monotonic() - started,
                )
                if delay is None:
                    raise self._connection_error(
                        exc,
                        reason,
                        method,
                        path,
                        tries,
                        retryable and self._retries,
                        unknown,
                        unknown_note,
                    ) from None
                self._log_retry(method, path, reason, attempt, delay)
                budget.sleep(delay)
                continue
            self._answered = True
            status = response.status_code
            logger.debug(
                "%s %s -> %d (attempt %d, %.3fs)",
                method,
                self._key.redact(path),
                status,
                attempt,
                time.monotonic() - started,
            )
            if response.is_success:
                return response
            if reached and status == landed_status:
                if recover is None:
                    return response
                found = recover()
                if found is not None:
                    return found
                raise self._api_error(response, method, path, tries)
            if status == 429:
                # A 429 may come from a proxy after the server acted (see above): a write that
                # must not be made twice looks for what it may have made before resending.
                unknown = unknown or recover is not None
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                delay = tries.next_delay(rate_limited=True, retry_after=retry_after)
            elif status in retry_statuses:
                unknown = unknown or status >= 500
                delay = tries.next_delay(rate_limited=False)
            else:
                raise self._api_error(response, method, path, tries)
            if delay is None:
                note = unknown_note if unknown else None
                raise self._api_error(
                    response, method, path, tries, exhausted=self._retries, note=note
                )
            self._log_retry(method, path, str(status), attempt, delay)
            budget.sleep(delay)
            reached = True

    def parse(self, model: type[M], response: httpx.Response) -> M:
        """Read a success body tolerantly (see ``models.READING``)."""
        method, path = response.request.method, response.request.url.path
        try:
            return model.model_validate(response.json(), context=READING)
        except ValueError as exc:
            reason = str(exc) if isinstance(exc, ValidationError) else "not JSON"
            raise UnexpectedResponseError(
                method, path, response.status_code, self._key.redact(reason)
            ) from None

    def _reason(self, exc: httpx.TransportError, refusal: str | None) -> str:
        """What went wrong, where requests go and why there was no retry, if there was none."""
        if refusal is None:
            reason = f"{type(exc).__name__}: {exc}"
        else:
            hop = self._first_hop or self._http.base_url
            port = hop.port or (443 if hop.scheme == "https" else 80)
            reason = f"cannot connect to {hop.host}:{port}: {refusal}"
        if self._where:
            reason += f"; {self._where}"
        if refusal is not None:
            reason += "; not retried: nothing has answered there yet, so check the setting"
        return reason

    def _log_retry(self, method: str, path: str, reason: str, attempt: int, delay: float) -> None:
        logger.debug(
            "retrying %s %s after %s in %.2fs (attempt %d done)",
            method,
            self._key.redact(path),
            reason,
            delay,
            attempt,
        )

    def _connection_error(
        self,
        exc: httpx.TransportError,
        reason: str,
        method: str,
        path: str,
        tries: RequestTries,
        exhausted: bool,
        unknown: bool,
        unknown_note: str | None,
    ) -> APIConnectionError:
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        return cls(
            reason,
            method,
            path,
            attempts=tries.attempts,
            elapsed=tries.budget.elapsed(),
            retries_exhausted=exhausted,
            note=unknown_note if unknown else None,
        )

    def _api_error(
        self,
        response: httpx.Response,
        method: str,
        path: str,
        tries: RequestTries,
        *,
        exhausted: bool = False,
        note: str | None = None,
    ) -> APIError:
        status = response.status_code
        kept = self._key.response(response)
        text = kept.text
        body: object = text
        title = reason_phrase(status)
        detail: str | None = None
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = None
        if isinstance(data, dict):
            body = data
            try:
                problem = Problem.model_validate(data)
            except ValidationError:
                pass
            else:
                title, detail = problem.title, problem.detail
        common: dict[str, Any] = {
            "attempts": tries.attempts,
            "elapsed": tries.budget.elapsed(),
            "retries_exhausted": exhausted,
            "note": note,
            "headers": self._key.headers(response.headers),
            "response": kept,
        }
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return RateLimitError(
                status, title, detail, body, method, path, retry_after=retry_after, **common
            )
        return error_class_for(status)(status, title, detail, body, method, path, **common)
