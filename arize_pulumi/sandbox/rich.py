"""Rich answers: ``/v2`` answers made as rich as the real API's, in one rewriting step.

Arize's official SDK reads every response field as optional and nullable, and real answers
carry keys a client does not know. With rich answers on (``--rich-answers`` or
``POST /_sandbox/rich-answers {"enabled": true}``) every object of a ``/v2`` answer whose shape
the official models define gains an unknown key, ``"x_arize_future": {"nested": [1,
{"deeper": null}]}``, at every depth; and each of its optional fields that is absent or empty
(``[]``, ``{}``) is sent as ``null``, as are the fields that do not apply (``is_continuous`` of
a task that is not on a project). Maps that belong to the user (``column_mappings``,
``provider_parameters``' contents, a tool's JSON schema, ...) are never touched. The services
know nothing of it: :func:`rewrite` works on the JSON an answer already is.

Planted tasks (``POST /_sandbox/raw/tasks``) are answered with their own keys too, rich
answers or not: a key of the planted document that the sandbox's models dropped shows
through in every answer of that task, for the life of the process, until the API changes that
field (a PATCH setting it) or deletes the task.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

UNKNOWN_KEY = "x_arize_future"
UNKNOWN_VALUE: dict[str, Any] = {"nested": [1, {"deeper": None}]}
"""What every object gains: a key no client models, holding an object, a list and a null."""


@dataclass(frozen=True)
class Shape:
    """An object of the official models: its fields, and the objects nested in it."""

    fields: tuple[str, ...] = ()
    """Every field the official response model has (all optional there, all nullable)."""
    children: Mapping[str, str] = field(default_factory=dict)
    """Field -> shape of the object (or of each object of the list) it holds."""
    variants: Mapping[str, str] | None = None
    """For a oneOf: ``experiment_type`` value -> shape (else a shape with no known fields)."""


def _list(item_key: str, item: str) -> Shape:
    return Shape((item_key, "pagination"), {item_key: item, "pagination": "Pagination"})


OBJECT = "Object"
"""A shape this module does not detail: it gains the unknown key and nothing else."""

SHAPES: dict[str, Shape] = {
    OBJECT: Shape(),
    "Pagination": Shape(("next_cursor", "has_more")),
    "Problem": Shape(("title", "status", "type", "detail", "instance")),
    "Task": Shape(
        (
            "id",
            "name",
            "type",
            "project_id",
            "dataset_id",
            "sampling_rate",
            "is_continuous",
            "query_filter",
            "query_filters",
            "evaluators",
            "experiment_ids",
            "run_configuration",
            "last_run_at",
            "created_at",
            "updated_at",
            "created_by_user_id",
        ),
        {
            "evaluators": "TaskEvaluator",
            "query_filters": "TaskQueryFilters",
            "run_configuration": "RunConfiguration",
        },
    ),
    "TaskEvaluator": Shape(
        (
            "evaluator_id",
            "evaluator_name",
            "evaluator_version_id",
            "query_filter",
            "column_mappings",
            "query_mappings",
        ),
        {"query_mappings": "TaskQueryMapping"},
    ),
    "TaskQueryFilters": Shape(("filters", "expression"), {"filters": "TaskQueryFilter"}),
    "TaskQueryFilter": Shape(("id", "filter")),
    "TaskQueryMapping": Shape(("variable_name", "query_ids", "attribute_path")),
    "RunConfiguration": Shape(
        variants={
            "LLM_GENERATION": "LlmGenerationRunConfig",
            "TEMPLATE_EVALUATION": "TemplateEvaluationRunConfig",
            "AGENT_CALL": "AgentCallRunConfig",
        }
    ),
    "LlmGenerationRunConfig": Shape(
        (
            "experiment_type",
            "ai_integration_id",
            "model_name",
            "messages",
            "input_variable_format",
            "invocation_parameters",
            "provider_parameters",
            "tool_config",
            "prompt_version_id",
        ),
        {
            "messages": "LlmMessage",
            "invocation_parameters": "InvocationParams",
            "tool_config": "ToolConfig",
        },
    ),
    "TemplateEvaluationRunConfig": Shape(
        (
            "experiment_type",
            "ai_integration_id",
            "model_name",
            "template",
            "provide_explanation",
            "classification_choices",
            "column_mapping",
            "evaluator_version_id",
            "invocation_parameters",
            "provider_parameters",
        ),
        {"invocation_parameters": "InvocationParams"},
    ),
    "AgentCallRunConfig": Shape(("experiment_type", "integration_id", "input_template")),
    "LlmMessage": Shape(
        ("role", "content", "tool_call_id", "tool_calls"), {"tool_calls": "ToolCall"}
    ),
    "ToolCall": Shape(("id", "type", "function"), {"function": "ToolCallFunction"}),
    "ToolCallFunction": Shape(("name", "arguments")),
    "InvocationParams": Shape(
        (
            "temperature",
            "max_tokens",
            "max_completion_tokens",
            "top_p",
            "frequency_penalty",
            "presence_penalty",
            "stop",
            "response_format",
            "tool_config",
            "top_k",
            "thinking_level",
            "thinking_budget",
            "reasoning_effort",
            "verbosity",
            "service_tier",
        ),
        {"response_format": "ResponseFormat", "tool_config": "ToolConfig"},
    ),
    "ResponseFormat": Shape(("type", "json_schema"), {"json_schema": "JsonSchemaConfig"}),
    "JsonSchemaConfig": Shape(("name", "description", "schema", "strict")),
    "ToolConfig": Shape(("tools", "tool_choice")),
    "TaskRun": Shape(
        (
            "id",
            "task_id",
            "experiment_id",
            "status",
            "run_started_at",
            "run_finished_at",
            "data_start_time",
            "data_end_time",
            "num_successes",
            "num_errors",
            "num_skipped",
            "created_at",
            "created_by_user_id",
            "failure_reason",
        )
    ),
    "Space": Shape(
        (
            "id",
            "organization_id",
            "name",
            "description",
            "created_at",
            "is_private",
            "default_llm_integration",
            "ml_models_enabled",
            "gradient_start_color",
            "gradient_end_color",
            "default_agent_runtime",
        ),
        {"default_llm_integration": OBJECT, "default_agent_runtime": OBJECT},
    ),
    "Project": Shape(("id", "name", "space_id", "created_at", "project_type")),
    "Dataset": Shape(
        ("id", "name", "space_id", "created_at", "updated_at", "versions"),
        {"versions": "DatasetVersion"},
    ),
    "DatasetVersion": Shape(("id", "name", "dataset_id", "created_at", "updated_at")),
    "Evaluator": Shape(
        (
            "id",
            "name",
            "description",
            "type",
            "space_id",
            "created_at",
            "updated_at",
            "created_by_user_id",
        )
    ),
    "EvaluatorWithVersion": Shape(
        (
            "id",
            "name",
            "description",
            "type",
            "space_id",
            "created_at",
            "updated_at",
            "created_by_user_id",
            "version",
        ),
        {"version": OBJECT},
    ),
    "Experiment": Shape(
        (
            "id",
            "name",
            "space_id",
            "dataset_id",
            "dataset_version_id",
            "created_at",
            "updated_at",
            "experiment_traces_project_id",
            "integration_id",
        )
    ),
    "AiIntegration": Shape(
        (
            "id",
            "name",
            "provider",
            "has_api_key",
            "base_url",
            "model_names",
            "headers",
            "enable_default_models",
            "function_calling_enabled",
            "auth_type",
            "provider_metadata",
            "scopings",
            "created_at",
            "updated_at",
            "created_by_user_id",
        ),
        {"scopings": OBJECT},
    ),
    "TaskList": _list("tasks", "Task"),
    "TaskRunList": _list("task_runs", "TaskRun"),
    "SpaceList": _list("spaces", "Space"),
    "ProjectList": _list("projects", "Project"),
    "DatasetList": _list("datasets", "Dataset"),
    "EvaluatorList": _list("evaluators", "Evaluator"),
    "EvaluatorVersionList": _list("evaluator_versions", OBJECT),
    "ExperimentList": _list("experiments", "Experiment"),
    "AiIntegrationList": _list("ai_integrations", "AiIntegration"),
    "IntegrationList": _list("integrations", OBJECT),
}
"""The official response models (``arize`` 8.61.0) of what the sandbox answers."""

ROOTS: dict[str, str] = {
    "GET /v2/tasks": "TaskList",
    "POST /v2/tasks": "Task",
    "/v2/tasks/{task_id}": "Task",
    "/v2/tasks/{task_id}/trigger": "TaskRun",
    "/v2/tasks/{task_id}/runs": "TaskRunList",
    "/v2/task-runs/{run_id}": "TaskRun",
    "/v2/task-runs/{run_id}/cancel": "TaskRun",
    "/v2/spaces": "SpaceList",
    "/v2/spaces/{space_id}": "Space",
    "/v2/projects": "ProjectList",
    "/v2/projects/{project_id}": "Project",
    "/v2/datasets": "DatasetList",
    "/v2/datasets/{dataset_id}": "Dataset",
    "/v2/evaluators": "EvaluatorList",
    "/v2/evaluators/{evaluator_id}": "EvaluatorWithVersion",
    "/v2/evaluators/{evaluator_id}/versions": "EvaluatorVersionList",
    "/v2/experiments": "ExperimentList",
    "/v2/experiments/{experiment_id}": "Experiment",
    "/v2/ai-integrations": "AiIntegrationList",
    "/v2/ai-integrations/{integration_id}": "AiIntegration",
    "/v2/integrations": "IntegrationList",
}
"""The shape of each route's answer, by ``"METHOD /path"`` or by path for every method;
any other answer is an object of no known fields, and every error answer a ``Problem``."""


def root_shape(method: str, path_template: str, status: int) -> str:
    if status >= 400:
        return "Problem"
    return ROOTS.get(f"{method} {path_template}") or ROOTS.get(path_template) or OBJECT


class RichAnswersSwitch(BaseModel):
    """The body of ``POST /_sandbox/rich-answers`` and the answer of both its routes."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool


class RawTask(BaseModel):
    """The body of ``POST /_sandbox/raw/tasks``: a task document stored as given."""

    model_config = ConfigDict(extra="forbid")

    space: str = Field(min_length=1)
    """The space it is in, by name or ID."""
    task: dict[str, Any]
    """The document ``GET /v2/tasks/{id}`` answers: any keys, any ``type`` and
    ``run_configuration``; it needs a ``name`` unique in the space and a ``type``."""


class PlantedTask(BaseModel):
    """The answer of ``POST /_sandbox/raw/tasks``."""

    id: str
    space_id: str
    task: dict[str, Any]
    """The stored document, with its ``id``."""


class RichAnswers:
    """Whether answers are rich, and the planted documents whose keys show through."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._enabled: bool | None = None
        self._planted: dict[str, dict[str, Any]] = {}

    def enabled(self, default: bool) -> bool:
        """On or off as last switched, else as the server was started (``default``)."""
        with self._lock:
            return default if self._enabled is None else self._enabled

    def switch(self, enabled: bool) -> None:
        with self._lock:
            self._enabled = enabled

    def plant(self, task_id: str, document: dict[str, Any]) -> None:
        with self._lock:
            self._planted[task_id] = copy.deepcopy(document)

    def planted(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return dict(self._planted)

    def any_planted(self) -> bool:
        with self._lock:
            return bool(self._planted)

    def is_planted(self, task_id: str) -> bool:
        with self._lock:
            return task_id in self._planted

    def written(self, task_id: str, method: str, body: bytes) -> None:
        """The API changed a planted task: a delete forgets it, a PATCH the fields it set
        (a new ``run_configuration`` has none of the planted one's keys)."""
        with self._lock:
            document = self._planted.get(task_id)
            if document is None:
                return
            if method == "DELETE":
                del self._planted[task_id]
                return
            try:
                changes = json.loads(body)
            except ValueError:
                return
            if isinstance(changes, dict):
                kept = {k: v for k, v in document.items() if k not in changes}
                self._planted[task_id] = kept


def rewrite(body: bytes, shape: str, *, rich: bool, planted: Mapping[str, Any]) -> bytes:
    """The JSON answer ``body`` (an object of ``shape``) made rich and/or with planted keys;
    a body that is not a JSON object is returned as it is."""
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if not isinstance(document, dict):
        return body
    _object(document, shape, rich, planted)
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _object(obj: dict[str, Any], name: str, rich: bool, planted: Mapping[str, Any]) -> None:
    shape = SHAPES.get(name, SHAPES[OBJECT])
    if shape.variants is not None:
        kind = obj.get("experiment_type")
        name = shape.variants.get(kind, OBJECT) if isinstance(kind, str) else OBJECT
        shape = SHAPES[name]
    if name == "Task" and planted:
        document = planted.get(str(obj.get("id")))
        if document is not None:
            _show_through(obj, document)
    for key, child in shape.children.items():
        value = obj.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                _object(item, child, rich, planted)
    if not rich:
        return
    for key in shape.fields:
        if obj.get(key) in (None, [], {}):
            obj[key] = None
    if name == "Task" and obj.get("project_id") is None:
        obj["is_continuous"] = None  # applies to tasks on a project only
    obj[UNKNOWN_KEY] = copy.deepcopy(UNKNOWN_VALUE)


def _show_through(answer: dict[str, Any], document: Mapping[str, Any]) -> None:
    """Add the keys of ``document`` that ``answer`` lacks, at every depth of nested objects
    (and of lists of objects, item by item)."""
    for key, value in document.items():
        if key not in answer:
            answer[key] = copy.deepcopy(value)
            continue
        mine = answer[key]
        if isinstance(mine, dict) and isinstance(value, Mapping):
            _show_through(mine, value)
        elif isinstance(mine, list) and isinstance(value, list) and len(mine) == len(value):
            for item, source in zip(mine, value, strict=True):
                if isinstance(item, dict) and isinstance(source, Mapping):
                    _show_through(item, source)
