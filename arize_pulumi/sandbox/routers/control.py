"""``/_sandbox``: seed data, out-of-band deletes, scripted outcomes, faults, request counts.

Outside the Arize API: not in ``/openapi.json``, not counted, never faulted. Bodies:

- ``POST /_sandbox/seed``: a seed (``{"spaces": [{"name", "projects", "datasets",
  "evaluators", "ai_integrations"}]}``), added idempotently by name; answers the seeded
  entities with IDs. ``GET /_sandbox/seed`` answers everything seeded so far.
- ``DELETE /_sandbox/entities/{kind}/{id}``: delete a space, project, dataset, evaluator,
  experiment, AI integration, task or run behind the API's back (drift), with what it holds.
- ``POST /_sandbox/outcomes``: ``{"task_id", "status": COMPLETED|FAILED|CANCELLED|HANG,
  "failure_reason"?, "duration"?}`` scripts how the task's next run ends.
- ``POST /_sandbox/faults``: ``{"rate", "statuses", "latency_ms", "retry_after", "phase",
  "disconnect", "seed", "methods", "paths"}`` (see ``traffic.FaultSpec``);
  ``DELETE /_sandbox/faults`` clears them.
- ``GET /_sandbox/requests``: ``{"total", "counts"}`` of API requests by route;
  ``DELETE`` resets them.
- ``POST /_sandbox/rich-answers``: ``{"enabled": true|false}`` makes ``/v2`` answers as rich
  as the real API's, or plain again (see :mod:`..rich`); ``GET`` answers ``{"enabled"}``.
  ``--rich-answers`` starts the server with them on.
- ``POST /_sandbox/raw/tasks``: ``{"space": name or ID, "task": {document}}`` stores a task
  document as given (any ``type``, any ``run_configuration``, any keys; ``name`` and ``type``
  required; no ``id``), as the real API may hold one the provider does not model; answers
  ``201 {"id", "space_id", "task"}``. The API then lists, reads and deletes it like any other
  task, answering the keys of the document it does not model as well.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from ..deps import ControlServiceDep, SettingsDep, TrafficDep, require_api_key
from ..rich import PlantedTask, RawTask, RichAnswersSwitch
from ..seed import Seed, SeedResult
from ..traffic import FaultSpec, RequestCounts
from .common import StrictJsonRoute

router = APIRouter(
    prefix="/_sandbox",
    tags=["sandbox control"],
    include_in_schema=False,
    route_class=StrictJsonRoute,
)
authed = [Depends(require_api_key)]


class Outcome(BaseModel):
    """How the next run of a task ends; ``HANG`` runs until cancelled."""

    model_config = ConfigDict(extra="forbid")

    task_id: str
    status: Literal["COMPLETED", "FAILED", "CANCELLED", "HANG"]
    failure_reason: str | None = None
    duration: float | None = Field(default=None, gt=0)


class Health(BaseModel):
    status: str = "ok"


@router.get("/health")
def health() -> Health:
    return Health()


@router.post("/seed", dependencies=authed)
def seed(body: Seed, service: ControlServiceDep) -> SeedResult:
    """Add entities (idempotent by name); returns them with IDs in the seed's shape."""
    return service.seed(body)


@router.get("/seed", dependencies=authed)
def seeded(service: ControlServiceDep) -> SeedResult:
    """Every space and what it holds, with IDs."""
    return service.world()


@router.delete("/entities/{kind}/{entity_id}", status_code=204, dependencies=authed)
def delete_entity(kind: str, entity_id: str, service: ControlServiceDep) -> Response:
    """Delete a space, project, dataset, evaluator, ... behind the API's back (drift)."""
    service.delete_entity(kind, entity_id)
    return Response(status_code=204)


@router.post("/outcomes", dependencies=authed)
def set_outcome(body: Outcome, service: ControlServiceDep) -> Outcome:
    service.set_outcome(body.task_id, body.status, body.failure_reason, body.duration)
    return body


@router.post("/faults", dependencies=authed)
def set_faults(body: FaultSpec, traffic: TrafficDep) -> FaultSpec:
    traffic.set_faults(body)
    return body


@router.delete("/faults", status_code=204, dependencies=authed)
def clear_faults(traffic: TrafficDep) -> Response:
    traffic.clear_faults()
    return Response(status_code=204)


@router.get("/requests", dependencies=authed)
def request_counts(traffic: TrafficDep) -> RequestCounts:
    return traffic.snapshot()


@router.delete("/requests", status_code=204, dependencies=authed)
def reset_request_counts(traffic: TrafficDep) -> Response:
    traffic.reset()
    return Response(status_code=204)


@router.get("/rich-answers", dependencies=authed)
def rich_answers(traffic: TrafficDep, settings: SettingsDep) -> RichAnswersSwitch:
    return RichAnswersSwitch(enabled=traffic.rich.enabled(settings.rich_answers))


@router.post("/rich-answers", dependencies=authed)
def switch_rich_answers(body: RichAnswersSwitch, traffic: TrafficDep) -> RichAnswersSwitch:
    """Answer ``/v2`` requests as richly as the real API (unknown keys, nulls), or not."""
    traffic.rich.switch(body.enabled)
    return body


@router.post("/raw/tasks", status_code=201, dependencies=authed)
def plant_task(body: RawTask, service: ControlServiceDep, traffic: TrafficDep) -> PlantedTask:
    """Store a task document the provider does not model, as the real API may hold one."""
    task_id, space_id, document = service.plant_task(body.space, body.task)
    traffic.rich.plant(task_id, document)
    return PlantedTask(id=task_id, space_id=space_id, task=document)
