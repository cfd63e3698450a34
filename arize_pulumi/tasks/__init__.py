"""A typed client for Arize AX tasks and task runs, usable without Pulumi.

``TasksClient`` speaks the Arize v2 REST API;
the errors, retry policy, wire models and the pure validation helpers that the Pulumi
resources reuse in ``check`` are re-exported here.
"""

import importlib
from typing import TYPE_CHECKING, Any

from arize_pulumi.tasks.errors import (
    AmbiguousNameError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ArizeAlphaWarning,
    ArizeError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InvalidArgumentError,
    MissingAPIKeyError,
    NameNotFoundError,
    NotFoundError,
    NoUpdateFieldsError,
    RateLimitError,
    ServerError,
    UnauthorizedError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.retry import RetryPolicy

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import (
        DEFAULT_BASE_URL,
        REGIONS,
        UNSET,
        TaskPage,
        TaskRunPage,
        TasksClient,
        UnsetType,
    )
    from arize_pulumi.tasks.models import (
        AgentCallConfig,
        Evaluator,
        ExperimentType,
        InputVariableFormat,
        LlmGenerationConfig,
        Message,
        MessageRole,
        RunConfiguration,
        RunStatus,
        Task,
        TaskEvaluator,
        TaskRun,
        TaskType,
        TemplateEvaluationConfig,
    )
    from arize_pulumi.tasks.validation import (
        EvaluatorSpec,
        parse_run_status,
        parse_task_type,
        validate_evaluation_task,
        validate_evaluators,
        validate_run_configuration,
        validate_run_experiment_task,
        validate_task,
        validate_trigger_fields,
        validate_update_fields,
    )

_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "DEFAULT_BASE_URL",
            "REGIONS",
            "UNSET",
            "TaskPage",
            "TaskRunPage",
            "TasksClient",
            "UnsetType",
        ),
        "client",
    ),
    **dict.fromkeys(
        (
            "AgentCallConfig",
            "Evaluator",
            "ExperimentType",
            "InputVariableFormat",
            "LlmGenerationConfig",
            "Message",
            "MessageRole",
            "RunConfiguration",
            "RunStatus",
            "Task",
            "TaskEvaluator",
            "TaskRun",
            "TaskType",
            "TemplateEvaluationConfig",
        ),
        "models",
    ),
    **dict.fromkeys(
        (
            "EvaluatorSpec",
            "parse_run_status",
            "parse_task_type",
            "validate_evaluation_task",
            "validate_evaluators",
            "validate_run_configuration",
            "validate_run_experiment_task",
            "validate_task",
            "validate_trigger_fields",
            "validate_update_fields",
        ),
        "validation",
    ),
}
"""Names loaded on first use, with the module that holds them."""


def __getattr__(name: str) -> Any:
    """Load the client (httpx), the wire models and the validators (pydantic) only when asked
    for: a Pulumi provider imports this package on every preview, and an unchanged preview
    needs none of them."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"arize_pulumi.tasks.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DEFAULT_BASE_URL",
    "REGIONS",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AgentCallConfig",
    "AmbiguousNameError",
    "ArizeAlphaWarning",
    "ArizeError",
    "BadRequestError",
    "ConflictError",
    "Evaluator",
    "EvaluatorSpec",
    "ExperimentType",
    "ForbiddenError",
    "InputVariableFormat",
    "InvalidArgumentError",
    "LlmGenerationConfig",
    "Message",
    "MessageRole",
    "MissingAPIKeyError",
    "NameNotFoundError",
    "NoUpdateFieldsError",
    "NotFoundError",
    "RateLimitError",
    "RetryPolicy",
    "RunConfiguration",
    "RunStatus",
    "ServerError",
    "Task",
    "TaskEvaluator",
    "TaskPage",
    "TaskRun",
    "TaskRunPage",
    "TaskType",
    "TasksClient",
    "TemplateEvaluationConfig",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "UnsetType",
    "WaitTimeoutError",
    "is_id",
    "parse_run_status",
    "parse_task_type",
    "validate_evaluation_task",
    "validate_evaluators",
    "validate_run_configuration",
    "validate_run_experiment_task",
    "validate_task",
    "validate_trigger_fields",
    "validate_update_fields",
]
