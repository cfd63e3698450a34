"""What the routes get from the app through FastAPI dependencies: the settings, the one
store and clock, the services built on them, bearer-key auth, and the common query params."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .clock import SandboxClock
from .paging import ScopedList
from .problems import ProblemError, bad_request
from .services.control import ControlService
from .services.lookups import LookupService
from .services.runs import RunService
from .services.tasks import TaskService
from .store import Store
from .traffic import Traffic


@dataclass(frozen=True)
class Settings:
    """How the server was started."""

    api_key: str | None = None
    run_duration: float = 3.0
    db: str = ":memory:"
    frozen_at: datetime | None = None
    """Start with the clock frozen at this instant instead of on real time."""
    rich_answers: bool = False
    """Start with rich answers on (see :mod:`.rich`); ``POST /_sandbox/rich-answers`` switches."""


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_clock(request: Request) -> SandboxClock:
    clock: SandboxClock = request.app.state.clock
    return clock


def get_traffic(request: Request) -> Traffic:
    traffic: Traffic = request.app.state.traffic
    return traffic


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ClockDep = Annotated[SandboxClock, Depends(get_clock)]
TrafficDep = Annotated[Traffic, Depends(get_traffic)]


def lookup_service(store: StoreDep, clock: ClockDep) -> LookupService:
    return LookupService(store, clock)


def task_service(store: StoreDep, clock: ClockDep) -> TaskService:
    return TaskService(store, clock)


def run_service(store: StoreDep, clock: ClockDep, settings: SettingsDep) -> RunService:
    return RunService(store, clock, settings.run_duration)


def control_service(store: StoreDep, clock: ClockDep) -> ControlService:
    return ControlService(store, clock)


LookupServiceDep = Annotated[LookupService, Depends(lookup_service)]
TaskServiceDep = Annotated[TaskService, Depends(task_service)]
RunServiceDep = Annotated[RunService, Depends(run_service)]
ControlServiceDep = Annotated[ControlService, Depends(control_service)]

bearer = HTTPBearer(auto_error=False, description="An Arize API key: `Bearer <key>`")


def require_api_key(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Any non-empty bearer key, or exactly the configured one (``--api-key``)."""
    if credentials is None:
        raise ProblemError(
            401,
            "Authorization: send the API key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expected = settings.api_key
    if expected is not None and not secrets.compare_digest(
        credentials.credentials.encode(), expected.encode()
    ):
        raise ProblemError(
            401, "Authorization: the API key is not valid", headers={"WWW-Authenticate": "Bearer"}
        )


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route takes, its dependencies' included."""
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def reject_unknown_query(request: Request) -> None:
    """A misspelt filter is an error, not a silently wider list."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _query_names(route.dependant)
    for key in request.query_params:
        if key not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise bad_request(f"{key}: unknown query parameter (known: {known})")


ScopedListDep = Annotated[ScopedList, Depends()]
