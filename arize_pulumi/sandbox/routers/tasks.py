"""``/v2/tasks``: list, create, get, update and delete tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from arize_pulumi.tasks.models import CreateTaskRequest, Task, TaskList, TaskType

from ..bodies import TaskUpdate
from ..deps import ScopedListDep, TaskServiceDep
from ..problems import problem_responses
from .common import API_DEPENDENCIES, API_RESPONSES, StrictJsonRoute, list_response

router = APIRouter(
    prefix="/v2/tasks",
    tags=["tasks"],
    dependencies=API_DEPENDENCIES,
    responses=API_RESPONSES,
    route_class=StrictJsonRoute,
)


@router.get("", response_model=TaskList, responses=problem_responses(404), operation_id="listTasks")
def list_tasks(
    service: TaskServiceDep,
    query: ScopedListDep,
    project_id: Annotated[str | None, Query(description="Only tasks on this project")] = None,
    dataset_id: Annotated[str | None, Query(description="Only tasks on this dataset")] = None,
    type: Annotated[TaskType | None, Query(description="Only tasks of this type")] = None,
) -> JSONResponse:
    """Tasks, oldest first; 404 when the space (by ID), project or dataset scoped to does not
    exist."""
    return list_response(
        service.list_tasks(query, project_id=project_id, dataset_id=dataset_id, task_type=type)
    )


@router.post(
    "",
    status_code=201,
    response_model=Task,
    responses=problem_responses(404, 409, 422),
    operation_id="createTask",
)
def create_task(body: CreateTaskRequest, service: TaskServiceDep) -> Task:
    """Create an evaluation or run-experiment task, as its ``type`` says; names are unique
    within a space."""
    return service.create_task(body)


@router.get(
    "/{task_id}", response_model=Task, responses=problem_responses(404), operation_id="getTask"
)
def get_task(task_id: str, service: TaskServiceDep) -> Task:
    return service.get_task(task_id)


@router.patch(
    "/{task_id}",
    response_model=Task,
    responses=problem_responses(404, 409, 422),
    operation_id="updateTask",
)
def update_task(task_id: str, body: TaskUpdate, service: TaskServiceDep) -> Task:
    """Update the fields of the stored task's type; a field of the other type is a 400."""
    return service.update_task(task_id, body)


@router.delete(
    "/{task_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(404),
    operation_id="deleteTask",
)
def delete_task(task_id: str, service: TaskServiceDep) -> Response:
    service.delete_task(task_id)
    return Response(status_code=204)
