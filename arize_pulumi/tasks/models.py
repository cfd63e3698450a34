"""Pydantic models of the Arize v2 tasks wire contract, shared by the client and the sandbox.

Responses are read tolerantly, as the real API needs: unknown keys are ignored at every depth,
``null`` stands for "not given" wherever a field is optional, and, when validated with
``context=READING``, enum values of either casing are accepted and a value this package does
not know yet (a new evaluator type, task type or run status) is kept as it is rather than
failing the whole answer. Requests are strict and follow Arize's official request models:
unknown keys are refused and enums must be the uppercase wire values, unless the caller opts
into ``LENIENT`` to normalise a person's input before it is sent. The structural rules of a request
(exactly one of project and dataset, a data window of at most 30 days, ...) live here as model
validators so the client refuses what the sandbox refuses, with the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal, Self, TypeVar, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    ValidationInfo,
    model_validator,
)
from pydantic.fields import FieldInfo

LENIENT: dict[str, Any] = {"lenient_enums": True}
"""Validation context that accepts enum values in any casing (what older SDKs send)."""

READING: dict[str, Any] = {"lenient_enums": True, "reading": True}
"""Validation context of a server's answer: enums in any casing, unknown enum values kept,
and request-shaped parts of it (a task's run configuration) read as tolerantly as the rest."""

MAX_TRIGGER_WINDOW = timedelta(days=30)


class TaskType(StrEnum):
    TEMPLATE_EVALUATION = "TEMPLATE_EVALUATION"
    CODE_EVALUATION = "CODE_EVALUATION"
    RUN_EXPERIMENT = "RUN_EXPERIMENT"

    @property
    def is_evaluation(self) -> bool:
        return self is not TaskType.RUN_EXPERIMENT


class RunStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED})


class ExperimentType(StrEnum):
    LLM_GENERATION = "LLM_GENERATION"
    TEMPLATE_EVALUATION = "TEMPLATE_EVALUATION"
    AGENT_CALL = "AGENT_CALL"


class InputVariableFormat(StrEnum):
    F_STRING = "F_STRING"
    MUSTACHE = "MUSTACHE"
    NONE = "NONE"


class MessageRole(StrEnum):
    SYSTEM = "SYSTEM"
    USER = "USER"
    ASSISTANT = "ASSISTANT"
    TOOL = "TOOL"


class ResponseFormatType(StrEnum):
    TEXT = "TEXT"
    JSON_OBJECT = "JSON_OBJECT"
    JSON_SCHEMA = "JSON_SCHEMA"


class EvaluatorType(StrEnum):
    TEMPLATE = "TEMPLATE"
    CODE = "CODE"
    HARNESS = "HARNESS"
    REMOTE = "REMOTE"


class AiIntegrationType(StrEnum):
    LLM = "LLM"
    AGENT = "AGENT"


def _context(info: ValidationInfo, key: str) -> bool:
    return isinstance(info.context, dict) and bool(info.context.get(key))


def _enum_casing(value: Any, info: ValidationInfo) -> Any:
    """Upper-case an enum value when the caller asked for lenient reading."""
    if isinstance(value, str) and _context(info, "lenient_enums"):
        return value.upper()
    return value


E = TypeVar("E", bound=StrEnum)


def unknown_member(enum: type[E], value: str) -> E:
    """A stand-in member for a value the server sent that ``enum`` does not list: it compares
    and serialises as that value, and no request model accepts it."""
    member = str.__new__(enum, value)
    member._name_ = value
    member._value_ = value
    return member


def _wire_enum(enum: type[E]) -> BeforeValidator:
    """Enum casing as :func:`_enum_casing`; in an answer, an unknown value is kept."""

    def read(value: Any, info: ValidationInfo) -> Any:
        value = _enum_casing(value, info)
        if isinstance(value, str) and _context(info, "reading"):
            return enum._value2member_map_.get(value) or unknown_member(enum, value)
        return value

    return BeforeValidator(read)


def _as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC; aware ones are converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """RFC 3339 with milliseconds and ``Z``, as Arize writes timestamps."""
    return _as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


Timestamp = Annotated[
    datetime,
    AfterValidator(_as_utc),
    PlainSerializer(format_timestamp, return_type=str, when_used="json"),
]

NonEmptyStr = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1, max_length=255)]
TaskName = Annotated[str, Field(min_length=1)]
"""A task's name: not empty; Arize's request models set no maximum."""


TaskTypeField = Annotated[TaskType, _wire_enum(TaskType)]
RunStatusField = Annotated[RunStatus, _wire_enum(RunStatus)]
RoleField = Annotated[MessageRole, _wire_enum(MessageRole)]
InputVariableFormatField = Annotated[InputVariableFormat, _wire_enum(InputVariableFormat)]
ResponseFormatTypeField = Annotated[ResponseFormatType, _wire_enum(ResponseFormatType)]
EvaluatorTypeField = Annotated[EvaluatorType, _wire_enum(EvaluatorType)]


def _tolerated(model: type[BaseModel], data: Any) -> Any:
    """``data`` without the keys ``model`` does not know, without ``null`` where a field has a
    non-null default (so the default stands), and with ``null`` in a list or map the model
    needs read as an empty one: what an answer of the real API needs."""
    if not isinstance(data, dict):
        return data
    fields: dict[str, FieldInfo] = {}
    for name, info in model.model_fields.items():
        fields[name] = info
        if info.alias:
            fields[info.alias] = info
    kept = {}
    for key, value in data.items():
        if key not in fields:
            continue
        info = fields[key]
        if value is None:
            if info.is_required():
                value = _EMPTY.get(get_origin(info.annotation), lambda: None)()
            elif info.default is not None or info.default_factory is not None:
                continue
        kept[key] = value
    return kept


_EMPTY: dict[Any, Callable[[], Any]] = {list: list, dict: dict}
"""What ``null`` means in a collection the model needs: an empty one."""


class WireModel(BaseModel):
    """A response object: unknown keys are ignored so new server fields never break us.

    Every model builds its validator on first use (``defer_build``): a process that deletes
    tasks, or only diffs them, never pays for the models it does not touch.
    """

    model_config = ConfigDict(
        extra="ignore", serialize_by_alias=True, populate_by_name=True, defer_build=True
    )

    @model_validator(mode="before")
    @classmethod
    def _tolerate(cls, data: Any) -> Any:
        return _tolerated(cls, data)


class RequestModel(BaseModel):
    """A request body: unknown keys are refused, so a typo is an error rather than a no-op.

    Read as part of an answer (``context=READING``), it is as tolerant as a response model.
    """

    model_config = ConfigDict(
        extra="forbid", serialize_by_alias=True, populate_by_name=True, defer_build=True
    )

    @model_validator(mode="before")
    @classmethod
    def _tolerate_in_answers(cls, data: Any, info: ValidationInfo) -> Any:
        return _tolerated(cls, data) if _context(info, "reading") else data

    def to_wire(self) -> dict[str, Any]:
        """The JSON body: only the fields that were set, so ``None`` is sent only on purpose."""
        return self.model_dump(mode="json", exclude_unset=True)


# --- run configuration -------------------------------------------------------------------


class FunctionCall(RequestModel):
    name: NonEmptyStr
    arguments: str
    """The arguments as a JSON string (``"{}"`` for none)."""


class ToolCallType(StrEnum):
    FUNCTION = "FUNCTION"


class ToolCall(RequestModel):
    id: str | None = None
    type: Annotated[ToolCallType, _wire_enum(ToolCallType)]
    function: FunctionCall


class Message(RequestModel):
    role: RoleField
    content: str | None = None
    tool_call_id: str | None = None
    tool_calls: list[ToolCall] | None = None


class JsonSchemaFormat(RequestModel):
    name: str | None = None
    description: str | None = None
    json_schema: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None


class ResponseFormat(RequestModel):
    """Structured output; ``type`` defaults to ``TEXT`` on the server."""

    type: ResponseFormatTypeField | None = None
    json_schema: JsonSchemaFormat | None = None


class ToolConfig(RequestModel):
    tools: list[dict[str, Any]] | None = None
    tool_choice: Any = None
    """A mode (``"auto"``, ...) or an object naming a tool: Arize's API leaves it untyped."""


class InvocationParameters(RequestModel):
    """Model invocation settings: the keys Arize's API defines, and no others."""

    temperature: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    top_p: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    stop: list[str] | None = None
    response_format: ResponseFormat | None = None
    tool_config: ToolConfig | None = None
    top_k: int | None = None
    thinking_level: str | None = None
    thinking_budget: int | None = None
    reasoning_effort: str | None = None
    verbosity: str | None = None


class LlmGenerationConfig(RequestModel):
    experiment_type: Annotated[Literal["LLM_GENERATION"], BeforeValidator(_enum_casing)]
    ai_integration_id: NonEmptyStr
    messages: list[Message] = Field(min_length=1)
    input_variable_format: InputVariableFormatField
    model_name: str | None = None
    invocation_parameters: InvocationParameters | None = None
    provider_parameters: dict[str, Any] = Field(default_factory=dict)
    tool_config: ToolConfig | None = None
    prompt_version_id: str | None = None


class TemplateEvaluationConfig(RequestModel):
    experiment_type: Annotated[Literal["TEMPLATE_EVALUATION"], BeforeValidator(_enum_casing)]
    ai_integration_id: NonEmptyStr
    template: NonEmptyStr
    provide_explanation: bool
    model_name: str | None = None
    classification_choices: dict[str, float] | None = None
    column_mapping: dict[str, str] | None = None
    evaluator_version_id: str | None = None
    invocation_parameters: InvocationParameters | None = None
    provider_parameters: dict[str, Any] = Field(default_factory=dict)


class AgentCallConfig(RequestModel):
    experiment_type: Annotated[Literal["AGENT_CALL"], BeforeValidator(_enum_casing)]
    integration_id: NonEmptyStr
    input_template: dict[str, Any]


def _experiment_type_tag(value: Any) -> str | None:
    """Pick the run-configuration variant by ``experiment_type``, in either casing."""
    raw = (
        value.get("experiment_type")
        if isinstance(value, dict)
        else getattr(value, "experiment_type", None)
    )
    return raw.upper() if isinstance(raw, str) else None


RunConfiguration = Annotated[
    Annotated[LlmGenerationConfig, Tag("LLM_GENERATION")]
    | Annotated[TemplateEvaluationConfig, Tag("TEMPLATE_EVALUATION")]
    | Annotated[AgentCallConfig, Tag("AGENT_CALL")],
    Discriminator(
        _experiment_type_tag,
        custom_error_type="invalid_experiment_type",
        custom_error_message=(
            "experiment_type must be one of LLM_GENERATION, TEMPLATE_EVALUATION, AGENT_CALL"
        ),
    ),
]


# --- trace/session shape -------------------------------------------------------------------

QueryId = Annotated[str, Field(pattern=r"^[A-E]$")]
"""A named query of a trace/session task: one letter, ``A`` to ``E``."""


class TaskQueryFilter(RequestModel):
    """One named query: which spans of a trace or session it admits."""

    id: QueryId
    filter: Annotated[str, Field(max_length=2000)]


class TaskQueryFilters(RequestModel):
    """The task-level queries of a trace/session task, combined by ``expression``."""

    filters: list[TaskQueryFilter] = Field(min_length=1, max_length=5)
    expression: Annotated[str, Field(max_length=512)] | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        ids = [f.id for f in self.filters]
        if len(set(ids)) != len(ids):
            raise ValueError("filters: each id (A-E) may be declared once")
        if len(ids) > 1 and not self.expression:
            raise ValueError("expression: required with two or more filters (e.g. 'A AND B')")
        return self

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.filters)


class TaskQueryMapping(RequestModel):
    """Where one evaluator variable comes from in a trace/session task."""

    variable_name: Annotated[str, Field(min_length=1, max_length=256)]
    query_ids: list[QueryId] = Field(max_length=5)
    """Declared query ids feeding the variable; empty means any declared query."""
    attribute_path: Annotated[str, Field(min_length=1, max_length=1024)]


QueryMappings = Annotated[list[TaskQueryMapping], Field(min_length=1, max_length=50)]


# --- tasks ----------------------------------------------------------------------------------


class TaskEvaluator(WireModel):
    evaluator_id: str
    evaluator_name: str | None = None
    query_filter: str | None = None
    column_mappings: dict[str, str] | None = None
    evaluator_version_id: str | None = None
    query_mappings: list[TaskQueryMapping] | None = None


class Task(WireModel):
    id: str
    name: str
    type: TaskTypeField
    is_continuous: bool = False
    evaluators: list[TaskEvaluator] = Field(default_factory=list)
    experiment_ids: list[str] = Field(default_factory=list)
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    query_filter: str | None = None
    query_filters: TaskQueryFilters | None = None
    last_run_at: Timestamp | None = None
    created_by_user_id: str | None = None
    project_id: str | None = None
    dataset_id: str | None = None
    sampling_rate: float | None = None
    run_configuration: Annotated[
        RunConfiguration | dict[str, Any] | None, Field(union_mode="left_to_right")
    ] = None
    """The typed configuration, or the object as sent when it is of a kind not modelled here
    (a new ``experiment_type``)."""


class TaskRun(WireModel):
    id: str
    task_id: str
    status: RunStatusField
    num_successes: int = 0
    num_errors: int = 0
    num_skipped: int = 0
    created_at: Timestamp | None = None
    run_started_at: Timestamp | None = None
    run_finished_at: Timestamp | None = None
    data_start_time: Timestamp | None = None
    data_end_time: Timestamp | None = None
    created_by_user_id: str | None = None
    experiment_id: str | None = None
    failure_reason: str | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status.is_terminal


class Pagination(WireModel):
    has_more: bool = False
    next_cursor: str | None = None


class TaskList(WireModel):
    tasks: list[Task]
    pagination: Pagination = Field(default_factory=Pagination)


class TaskRunList(WireModel):
    task_runs: list[TaskRun]
    pagination: Pagination = Field(default_factory=Pagination)


# --- lookups --------------------------------------------------------------------------------


class Space(WireModel):
    id: str
    name: str
    description: str | None = None
    created_at: Timestamp | None = None


class Project(WireModel):
    id: str
    name: str
    space_id: str | None = None
    created_at: Timestamp | None = None


class Dataset(WireModel):
    id: str
    name: str
    space_id: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Evaluator(WireModel):
    id: str
    name: str
    space_id: str | None = None
    type: EvaluatorTypeField | None = None
    description: str | None = None
    created_by_user_id: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Experiment(WireModel):
    id: str
    name: str
    dataset_id: str | None = None
    """``None`` for an experiment not tied to a dataset."""
    dataset_version_id: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class SpaceList(WireModel):
    spaces: list[Space]
    pagination: Pagination = Field(default_factory=Pagination)


class ProjectList(WireModel):
    projects: list[Project]
    pagination: Pagination = Field(default_factory=Pagination)


class DatasetList(WireModel):
    datasets: list[Dataset]
    pagination: Pagination = Field(default_factory=Pagination)


class EvaluatorList(WireModel):
    evaluators: list[Evaluator]
    pagination: Pagination = Field(default_factory=Pagination)


class ExperimentList(WireModel):
    experiments: list[Experiment]
    pagination: Pagination = Field(default_factory=Pagination)


class NamedIntegration(WireModel):
    """An AI integration as name lookups read it, from ``/v2/ai-integrations`` (LLM
    providers) or ``/v2/integrations`` (``type`` ``LLM`` or ``AGENT``)."""

    id: str
    name: str
    type: str | None = None


class AiIntegrationList(WireModel):
    """A page of ``GET /v2/ai-integrations``."""

    ai_integrations: list[NamedIntegration]
    pagination: Pagination = Field(default_factory=Pagination)


class IntegrationList(WireModel):
    """A page of ``GET /v2/integrations``."""

    integrations: list[NamedIntegration]
    pagination: Pagination = Field(default_factory=Pagination)


class Problem(WireModel):
    """An RFC 9457 problem body, as every error response carries."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None

    @property
    def message(self) -> str:
        """What to show a person: ``detail``, else ``title``."""
        return self.detail or self.title


# --- request bodies -------------------------------------------------------------------------


class TaskEvaluatorInput(RequestModel):
    """An evaluator of a span task (``query_filter``, ``column_mappings``) or of a
    trace/session task (``query_mappings``): one shape or the other."""

    evaluator_id: NonEmptyStr
    query_filter: str | None = None
    column_mappings: dict[str, str] | None = None
    evaluator_version_id: str | None = None
    query_mappings: QueryMappings | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Self:
        if self.query_mappings is not None and (
            self.query_filter is not None or self.column_mappings is not None
        ):
            raise ValueError(
                "query_mappings: a trace/session evaluator takes no query_filter or "
                "column_mappings (those are for span tasks)"
            )
        return self


def _check_unique_evaluators(evaluators: list[TaskEvaluatorInput]) -> None:
    seen: set[str] = set()
    for evaluator in evaluators:
        if evaluator.evaluator_id in seen:
            raise ValueError(f"evaluators: evaluator {evaluator.evaluator_id} is listed twice")
        seen.add(evaluator.evaluator_id)


def check_query_shape(
    query_filter: str | None,
    query_filters: TaskQueryFilters | None,
    evaluators: Sequence[TaskEvaluatorInput | TaskEvaluator],
) -> None:
    """One task, one shape: span (``query_filter`` and span evaluators) or trace/session
    (``query_filters`` and evaluators with ``query_mappings`` naming declared ids)."""
    if query_filter is not None and query_filters is not None:
        raise ValueError("query_filter, query_filters: give one or the other, not both")
    traced = [i for i, e in enumerate(evaluators) if e.query_mappings is not None]
    if query_filters is None:
        if traced:
            raise ValueError(
                f"evaluators[{traced[0]}].query_mappings: trace/session evaluators need the "
                "task's query_filters"
            )
        return
    declared = query_filters.ids
    for index, evaluator in enumerate(evaluators):
        if evaluator.query_mappings is None:
            raise ValueError(
                f"evaluators[{index}].query_mappings: required on a trace/session task "
                "(one with query_filters); span and trace evaluators cannot be mixed"
            )
        for number, mapping in enumerate(evaluator.query_mappings):
            undeclared = sorted(set(mapping.query_ids) - declared)
            if undeclared:
                raise ValueError(
                    f"evaluators[{index}].query_mappings[{number}].query_ids: "
                    f"{', '.join(undeclared)} not declared in query_filters"
                )


class CreateEvaluationTaskRequest(RequestModel):
    type: Annotated[
        Literal["TEMPLATE_EVALUATION", "CODE_EVALUATION"], BeforeValidator(_enum_casing)
    ]
    name: TaskName
    project_id: NonEmptyStr | None = None
    dataset_id: NonEmptyStr | None = None
    experiment_ids: list[NonEmptyStr] | None = None
    sampling_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    is_continuous: bool | None = None
    query_filter: str | None = None
    query_filters: TaskQueryFilters | None = None
    evaluators: list[TaskEvaluatorInput] = Field(min_length=1)

    @model_validator(mode="after")
    def _target_rules(self) -> Self:
        if (self.project_id is None) == (self.dataset_id is None):
            raise ValueError("project_id, dataset_id: exactly one of them must be set")
        if self.dataset_id is not None:
            if not self.experiment_ids:
                raise ValueError(
                    "experiment_ids: a task on a dataset needs at least one experiment ID"
                )
            if self.sampling_rate is not None:
                raise ValueError("sampling_rate: only allowed for tasks on a project")
            if self.is_continuous:
                raise ValueError("is_continuous: only allowed for tasks on a project")
        elif self.experiment_ids is not None:
            raise ValueError("experiment_ids: only allowed for tasks on a dataset")
        _check_unique_evaluators(self.evaluators)
        check_query_shape(self.query_filter, self.query_filters, self.evaluators)
        return self


class CreateRunExperimentTaskRequest(RequestModel):
    type: Annotated[Literal["RUN_EXPERIMENT"], BeforeValidator(_enum_casing)]
    name: TaskName
    dataset_id: NonEmptyStr
    run_configuration: RunConfiguration


def _task_type_tag(value: Any) -> str | None:
    raw = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    if not isinstance(raw, str) or raw.upper() not in TaskType.__members__:
        return None
    return "run" if raw.upper() == TaskType.RUN_EXPERIMENT else "evaluation"


CreateTaskRequest = Annotated[
    Annotated[CreateEvaluationTaskRequest, Tag("evaluation")]
    | Annotated[CreateRunExperimentTaskRequest, Tag("run")],
    Discriminator(
        _task_type_tag,
        custom_error_type="invalid_task_type",
        custom_error_message="type must be one of TEMPLATE_EVALUATION, CODE_EVALUATION, "
        "RUN_EXPERIMENT",
    ),
]


class UpdateEvaluationTaskRequest(RequestModel):
    """PATCH body of an evaluation task; ``query_filter=None`` clears the filter and
    ``query_filters=None`` the whole trace/session shape."""

    name: TaskName | None = None
    sampling_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    is_continuous: bool | None = None
    query_filter: str | None = None
    query_filters: TaskQueryFilters | None = None
    evaluators: list[TaskEvaluatorInput] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("the update has no fields")
        for field in ("name", "sampling_rate", "is_continuous", "evaluators"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field}: may not be null")
        if self.evaluators is not None:
            _check_unique_evaluators(self.evaluators)
        if self.query_filter is not None and self.query_filters is not None:
            raise ValueError("query_filter, query_filters: give one or the other, not both")
        return self


class UpdateRunExperimentTaskRequest(RequestModel):
    """PATCH body of a run-experiment task; the run configuration is replaced whole."""

    name: TaskName | None = None
    run_configuration: RunConfiguration | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("the update has no fields")
        for field in ("name", "run_configuration"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field}: may not be null")
        return self


class TriggerEvaluationRunRequest(RequestModel):
    data_start_time: Timestamp | None = None
    data_end_time: Timestamp | None = None
    max_spans: Annotated[int, Field(ge=1)] | None = None
    override_evaluations: bool | None = None
    experiment_ids: list[NonEmptyStr] | None = None

    @model_validator(mode="after")
    def _window(self) -> Self:
        start, end = self.data_start_time, self.data_end_time
        if start is not None and end is not None:
            if start >= end:
                raise ValueError("data_start_time: must be before data_end_time")
            if end - start > MAX_TRIGGER_WINDOW:
                raise ValueError("data_start_time, data_end_time: the window is at most 30 days")
        return self


ExperimentName = Annotated[
    str,
    Field(min_length=1, max_length=255, pattern=r'^[^"\\]*$'),
]
"""An experiment's name: 1-255 characters, no ``"`` and no ``\\``."""


class TriggerRunExperimentRequest(RequestModel):
    experiment_name: ExperimentName
    dataset_version_id: str | None = None
    example_ids: list[NonEmptyStr] | None = None
    max_examples: Annotated[int, Field(ge=1)] | None = None
    query_filter: str | None = None
    """Run only on the dataset examples matching this filter."""
    tracing_metadata: dict[str, str] | None = None
    evaluation_task_ids: list[NonEmptyStr] | None = None

    @model_validator(mode="after")
    def _examples(self) -> Self:
        if self.example_ids is not None and self.max_examples is not None:
            raise ValueError("example_ids, max_examples: give one or the other, not both")
        return self


EVALUATION_TRIGGER_FIELDS = frozenset(TriggerEvaluationRunRequest.model_fields)
RUN_EXPERIMENT_TRIGGER_FIELDS = frozenset(TriggerRunExperimentRequest.model_fields)
EVALUATION_UPDATE_FIELDS = frozenset(UpdateEvaluationTaskRequest.model_fields)
RUN_EXPERIMENT_UPDATE_FIELDS = frozenset(UpdateRunExperimentTaskRequest.model_fields)
