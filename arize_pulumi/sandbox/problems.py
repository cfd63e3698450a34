"""RFC 9457 problem bodies: the one error shape the sandbox answers with, whatever went wrong."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from arize_pulumi.tasks.models import Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES: dict[int, str] = {
    400: "Invalid request parameters",
    401: "Authentication required",
    403: "Access forbidden",
    404: "Resource not found",
    409: "Resource conflict",
    422: "Unprocessable Entity",
    429: "Rate limit exceeded",
    503: "Service Unavailable",
}

SYSTEM_FIELDS = frozenset({"id", "created_at", "updated_at", "last_run_at", "created_by_user_id"})

_UNION_TAGS = frozenset(
    {"evaluation", "run", "LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL"}
)

logger = logging.getLogger("arize_pulumi.sandbox")


def title_for(status: int) -> str:
    """The documented title of a status, else the HTTP reason phrase."""
    if status in TITLES:
        return TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ProblemError(Exception):
    """Raised anywhere in the sandbox to answer with a problem body."""

    def __init__(self, status: int, detail: str, headers: Mapping[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


def bad_request(detail: str) -> ProblemError:
    return ProblemError(400, detail)


def not_found(detail: str) -> ProblemError:
    return ProblemError(404, detail)


def conflict(detail: str) -> ProblemError:
    return ProblemError(409, detail)


def unprocessable(detail: str) -> ProblemError:
    return ProblemError(422, detail)


def problem_body(status: int, detail: str | None, instance: str | None = None) -> bytes:
    problem = Problem(title=title_for(status), status=status, detail=detail, instance=instance)
    return json.dumps(problem.model_dump(exclude_none=True)).encode()


def problem_response(
    status: int,
    detail: str | None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        content=problem_body(status, detail, instance),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def _field_path(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    for index, item in enumerate(loc):
        if index == 0 and item in ("body", "query", "path", "header"):
            continue
        previous = loc[index - 1] if index else None
        at_union = previous in (None, "body", "run_configuration")
        if isinstance(item, str) and item in _UNION_TAGS and at_union:
            continue
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(f".{item}" if parts else item)
    return "".join(parts)


def _describe_error(error: Mapping[str, Any]) -> str:
    path = _field_path(error.get("loc", ()))
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    kind = error.get("type")
    if not path and isinstance(error.get("input"), bytes):
        return "body: a JSON object is required, sent as Content-Type: application/json"
    if not path and "input" in error and not isinstance(error["input"], dict):
        return "body: a JSON object is required"
    if kind == "extra_forbidden":
        leaf = path.rsplit(".", 1)[-1]
        if leaf in SYSTEM_FIELDS:
            message = "set by the server; not allowed on input"
        else:
            message = "unknown field; not allowed here"
    elif kind == "json_invalid":
        return "body: malformed JSON"
    elif kind == "missing" and not path:
        return "body: a JSON object is required"
    return f"{path}: {message}" if path else message


def describe_errors(errors: Iterable[Mapping[str, Any]]) -> str:
    """One sentence per error, each starting with the field path it concerns."""
    parts: list[str] = []
    for error in errors:
        text = _describe_error(error)
        if text not in parts:
            parts.append(text)
    return "; ".join(parts) or "the request is not valid"


def from_validation_error(error: ValidationError) -> ProblemError:
    return bad_request(describe_errors(error.errors(include_url=False)))


def install_handlers(app: FastAPI) -> None:
    """Make every error a problem body, including the framework's own 404/405/validation."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(exc.status, exc.detail, request.url.path, exc.headers)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(400, describe_errors(exc.errors()), request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404:
            detail = f"no such endpoint: {request.method} {request.url.path}"
        return problem_response(exc.status_code, detail, request.url.path, exc.headers)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(500, "the sandbox hit an unexpected error", request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of a route's error answers (their media type is fixed later)."""
    return {status: {"model": Problem, "description": title_for(status)} for status in statuses}
