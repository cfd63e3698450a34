"""Task runs: trigger and list a task's runs, get and cancel a run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from arize_pulumi.tasks.models import RunStatus, TaskRun, TaskRunList

from ..bodies import RunTrigger
from ..deps import RunServiceDep
from ..paging import DEFAULT_LIMIT, Cursor, Limit
from ..problems import problem_responses
from .common import API_DEPENDENCIES, API_RESPONSES, StrictJsonRoute, list_response

router = APIRouter(
    prefix="/v2",
    tags=["task runs"],
    dependencies=API_DEPENDENCIES,
    responses=API_RESPONSES,
    route_class=StrictJsonRoute,
)


@router.post(
    "/tasks/{task_id}/trigger",
    status_code=201,
    response_model=TaskRun,
    responses=problem_responses(404, 409, 422),
    operation_id="triggerTaskRun",
)
def trigger_run(task_id: str, service: RunServiceDep, body: RunTrigger | None = None) -> TaskRun:
    """Start a run (``PENDING``) with the trigger fields of the stored task's type; 409 while
    the task has a run that is not finished."""
    return service.trigger(task_id, body)


@router.get(
    "/tasks/{task_id}/runs",
    response_model=TaskRunList,
    responses=problem_responses(404),
    operation_id="listTaskRuns",
)
def list_runs(
    task_id: str,
    service: RunServiceDep,
    status: Annotated[RunStatus | None, Query(description="Only runs in this status")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    """A task's runs, newest first."""
    return list_response(service.list_runs(task_id, status, limit, cursor))


@router.get(
    "/task-runs/{run_id}",
    response_model=TaskRun,
    responses=problem_responses(404),
    operation_id="getTaskRun",
)
def get_run(run_id: str, service: RunServiceDep) -> TaskRun:
    return service.get_run(run_id)


@router.post(
    "/task-runs/{run_id}/cancel",
    response_model=TaskRun,
    responses=problem_responses(404),
    operation_id="cancelTaskRun",
)
def cancel_run(run_id: str, service: RunServiceDep) -> TaskRun:
    """Cancel a ``PENDING`` or ``RUNNING`` run; 400 for one that already ended."""
    return service.cancel_run(run_id)
