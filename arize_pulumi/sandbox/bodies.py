"""Update and trigger bodies, whose model the stored task's type chooses.

A request alone cannot tell which model applies (``{"name": "x"}`` fits both task types), so
these routes take a permissive model holding the fields of both types: FastAPI validates each
field and documents the body; the service then refuses fields of the other type and
validates the stored type's own model (its required fields and the rules that tie fields
together).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from arize_pulumi.tasks.models import (
    ExperimentName,
    TaskType,
    TriggerEvaluationRunRequest,
    TriggerRunExperimentRequest,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
)

from .problems import bad_request, from_validation_error

IMMUTABLE_FIELDS = ("type", "project_id", "dataset_id", "experiment_ids")
"""Task fields an update may not touch: changing them means another task."""

M = TypeVar("M", bound=BaseModel)


class TaskUpdate(UpdateEvaluationTaskRequest, UpdateRunExperimentTaskRequest):
    """``PATCH /v2/tasks/{task_id}``: the fields of an evaluation task or of a run-experiment
    task; which ones apply depends on the stored task's type."""

    # Built now: FastAPI validates a body through a TypeAdapter, which warns on first use
    # when the model's build was deferred (as the shared wire models' is).
    model_config = ConfigDict(defer_build=False)

    @model_validator(mode="before")
    @classmethod
    def _immutable(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if key in IMMUTABLE_FIELDS:
                    raise ValueError(f"{key}: cannot be changed; replace the task instead")
        return data


class RunTrigger(TriggerEvaluationRunRequest, TriggerRunExperimentRequest):
    """``POST /v2/tasks/{task_id}/trigger``: the fields of an evaluation run or of an
    experiment run; ``experiment_name`` is required for a run-experiment task."""

    model_config = ConfigDict(defer_build=False)  # as TaskUpdate's

    # Optional here, as evaluation runs have none; the run-experiment model requires it.
    experiment_name: ExperimentName | None = None  # type: ignore[assignment]


def update_for(
    task_type: TaskType, body: TaskUpdate
) -> UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest:
    """The update as the stored type's own model."""
    if task_type.is_evaluation:
        return _as(UpdateEvaluationTaskRequest, task_type, body, "an update")
    return _as(UpdateRunExperimentTaskRequest, task_type, body, "an update")


def trigger_for(
    task_type: TaskType, body: RunTrigger | None
) -> TriggerEvaluationRunRequest | TriggerRunExperimentRequest:
    """The trigger as the stored type's own model; no body is an empty one."""
    body = body or RunTrigger()
    if task_type.is_evaluation:
        return _as(TriggerEvaluationRunRequest, task_type, body, "a trigger")
    return _as(TriggerRunExperimentRequest, task_type, body, "a trigger")


def _as(model: type[M], task_type: TaskType, body: BaseModel, request: str) -> M:
    """``body`` as ``model``; 400 naming a field of the other type, or a broken rule."""
    given = body.model_dump(exclude_unset=True)
    for key in given:
        if key not in model.model_fields:
            raise bad_request(f"{key}: not {request} field of a {task_type.value} task")
    try:
        return model.model_validate(given)
    except ValidationError as error:
        raise from_validation_error(error) from None
