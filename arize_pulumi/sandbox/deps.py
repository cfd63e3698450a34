"""Dependencies shared by the routers: bearer-key auth, the service, and common query params."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .paging import MAX_LIMIT
from .problems import ProblemError, bad_request
from .service import SandboxService
from .traffic import Traffic


@dataclass(frozen=True)
class Settings:
    """How the server was started."""

    api_key: str | None = None
    run_duration: float = 3.0
    db: str = ":memory:"


bearer = HTTPBearer(auto_error=False, description="An Arize API key: `Bearer <key>`")


def require_api_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Any non-empty bearer key, or exactly the configured one (``--api-key``)."""
    if credentials is None:
        raise ProblemError(
            401,
            "Authorization: send the API key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expected: str | None = request.app.state.settings.api_key
    if expected is not None and not secrets.compare_digest(
        credentials.credentials.encode(), expected.encode()
    ):
        raise ProblemError(
            401, "Authorization: the API key is not valid", headers={"WWW-Authenticate": "Bearer"}
        )


def reject_unknown_query(request: Request) -> None:
    """A misspelt filter is an error, not a silently wider list."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = {field.alias for field in route.dependant.query_params}
    for key in request.query_params:
        if key not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise bad_request(f"{key}: unknown query parameter (known: {known})")


def get_service(request: Request) -> SandboxService:
    service: SandboxService = request.app.state.service
    return service


def get_traffic(request: Request) -> Traffic:
    traffic: Traffic = request.app.state.traffic
    return traffic


async def json_body(request: Request) -> Any:
    """The request's JSON body (``None`` when empty), validated by the service against the
    model the stored state chooses."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("body: malformed JSON") from None


def _not_json(constant: str) -> Any:
    """Python's parser accepts NaN and Infinity; JSON does not, and they cannot be answered."""
    raise ValueError(f"{constant} is not JSON")


ServiceDep = Annotated[SandboxService, Depends(get_service)]
TrafficDep = Annotated[Traffic, Depends(get_traffic)]
JsonBody = Annotated[Any, Depends(json_body)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1..100)")]
Cursor = Annotated[str | None, Query(description="The next_cursor of the previous page")]
NameFilter = Annotated[
    str | None, Query(max_length=255, description="Case-insensitive substring of the name")
]
SpaceIdFilter = Annotated[str | None, Query(description="Only what belongs to this space")]
SpaceNameFilter = Annotated[
    str | None,
    Query(max_length=255, description="Only spaces whose name contains this, case-insensitively"),
]
