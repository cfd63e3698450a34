"""The FastAPI application factory of the sandbox."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .clock import SandboxClock
from .deps import Settings
from .problems import PROBLEM_MEDIA_TYPE, install_handlers
from .routers import clock, control, integrations, lookups, runs, tasks
from .seed import DEFAULT_SEED, Seed
from .services.control import ControlService
from .store import Store
from .traffic import Traffic, TrafficMiddleware

DESCRIPTION = """An Arize-compatible local server for the tasks API v2 (tasks, task runs and
the lookups they need), for demos, tests and CI previews. Not Arize."""


class SandboxAPI(FastAPI):
    """FastAPI with an OpenAPI document that says what the sandbox really answers."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            schema = get_openapi(
                title=self.title,
                version=self.version,
                description=self.description,
                routes=self.routes,
            )
            _problem_media_type(schema)
            self.openapi_schema = schema
        return self.openapi_schema


def _problem_media_type(schema: dict[str, Any]) -> None:
    """Error answers are ``application/problem+json``, not the route's JSON media type."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if str(status)[0] in "45":
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem_ref}}


def create_app(settings: Settings, seed: Seed | None = None, store: Store | None = None) -> FastAPI:
    """Build the app on a store (``settings.db`` unless given), seeded idempotently."""
    store = store or Store(settings.db)
    sandbox_clock = SandboxClock(frozen_at=settings.frozen_at)
    ControlService(store, sandbox_clock).seed(seed if seed is not None else DEFAULT_SEED)
    traffic = Traffic()
    app = SandboxAPI(
        title="Arize AX API v2 (sandbox)",
        version="2.0.0-sandbox",
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.clock = sandbox_clock
    app.state.traffic = traffic
    install_handlers(app)
    api_routers = [tasks.router, runs.router, lookups.router, integrations.router]
    for router in [*api_routers, control.router, clock.router]:
        app.include_router(router)
    api_routes = [route for router in api_routers for route in router.routes]
    app.add_middleware(TrafficMiddleware, traffic=traffic, routes=api_routes)
    return app
