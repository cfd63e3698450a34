"""Pure checks of task, update and trigger arguments: the one source of truth, no network.

The client runs these before it sends anything, and the Pulumi resources run the same ones in
``check`` so ``pulumi preview`` fails on what the server would refuse. Each helper returns a
list of :class:`~arize_pulumi.tasks.errors.InvalidArgumentError`, one per problem, each naming
the argument as the caller spelled it (``project``, ``evaluators[1].evaluator``,
``run_configuration.messages[0].role``). The rules themselves are the request models of
:mod:`arize_pulumi.tasks.models`; this module only maps their errors onto argument names.

References may be names or IDs here: a name is a valid non-empty string, and whether it
exists is for the client to find out.

- :func:`validate_task`: a whole task of either type (fields of the other type refused).
- :func:`validate_evaluation_task` / :func:`validate_run_experiment_task`: the same, by type.
- :func:`validate_run_configuration`: one run configuration, told apart by experiment type.
- :func:`validate_update_fields`: a PATCH; empty, mixed-type and other-type fields refused.
- :func:`validate_trigger_fields`: a trigger; other-type fields and missing names refused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from arize_pulumi.tasks.errors import InvalidArgumentError, NoUpdateFieldsError
from arize_pulumi.tasks.models import (
    EVALUATION_TRIGGER_FIELDS,
    EVALUATION_UPDATE_FIELDS,
    LENIENT,
    MAX_TRIGGER_WINDOW,
    RUN_EXPERIMENT_TRIGGER_FIELDS,
    RUN_EXPERIMENT_UPDATE_FIELDS,
    CreateEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    RequestModel,
    RunConfiguration,
    RunStatus,
    TaskType,
    TriggerEvaluationRunRequest,
    TriggerRunExperimentRequest,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
)

__all__ = [
    "EvaluatorSpec",
    "parse_run_status",
    "parse_task_type",
    "run_configuration_input",
    "validate_evaluation_task",
    "validate_evaluators",
    "validate_run_configuration",
    "validate_run_experiment_task",
    "validate_task",
    "validate_trigger_fields",
    "validate_update_fields",
]

EVALUATION_TASK_FIELDS = frozenset(
    {
        "project",
        "dataset",
        "experiment_ids",
        "sampling_rate",
        "is_continuous",
        "query_filter",
        "query_filters",
        "evaluators",
    }
)
RUN_EXPERIMENT_TASK_FIELDS = frozenset({"dataset", "run_configuration"})
TASK_ARGUMENTS = EVALUATION_TASK_FIELDS | RUN_EXPERIMENT_TASK_FIELDS | {"name"}
"""What :func:`validate_task` checks: ``name`` and the arguments of either task type."""

_EVALUATOR_KEYS = (
    "evaluator",
    "query_filter",
    "column_mappings",
    "evaluator_version_id",
    "query_mappings",
)
INTEGRATION_ARGUMENTS = {"ai_integration_id": "ai_integration", "integration_id": "integration"}
"""Run-configuration keys that take an integration by name or ID, by the wire key they fill."""
_UNION_TAGS = frozenset({"LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL"})
_RENAMES = {"project_id": "project", "dataset_id": "dataset"}
_EVALUATOR_ID = re.compile(r"^(evaluators\[\d+\])\.evaluator_id\b")


@functools.cache
def run_configuration_adapter() -> TypeAdapter[RunConfiguration]:
    """The adapter of the run-configuration union, built on first use: building it takes
    tens of milliseconds that a program without run-experiment tasks should not pay."""
    return TypeAdapter(RunConfiguration)


@dataclass(frozen=True)
class EvaluatorSpec:
    """One evaluator of a task: ``evaluator`` is a name or an ID, resolved in the task's space."""

    evaluator: str
    query_filter: str | None = None
    column_mappings: Mapping[str, str] | None = None
    evaluator_version_id: str | None = None
    query_mappings: Sequence[Mapping[str, Any]] | None = None
    """Trace/session tasks: ``{variable_name, query_ids, attribute_path}`` per variable."""


def parse_task_type(value: TaskType | str, field: str = "type") -> TaskType:
    """A task type from either casing; an unknown value names ``field``."""
    if isinstance(value, TaskType):
        return value
    if isinstance(value, str) and value.upper() in TaskType.__members__:
        return TaskType[value.upper()]
    allowed = ", ".join(TaskType)
    raise InvalidArgumentError(field, f"{value!r} is not a task type; use one of {allowed}")


def parse_run_status(value: RunStatus | str, field: str = "status") -> RunStatus:
    """A run status from either casing; an unknown value names ``field``."""
    if isinstance(value, RunStatus):
        return value
    if isinstance(value, str) and value.upper() in RunStatus.__members__:
        return RunStatus[value.upper()]
    allowed = ", ".join(RunStatus)
    raise InvalidArgumentError(field, f"{value!r} is not a run status; use one of {allowed}")


def _rename(path: str) -> str:
    path = _EVALUATOR_ID.sub(r"\1.evaluator", path)
    head, sep, rest = path.partition(".")
    head = _RENAMES.get(head, head)
    return head + sep + rest


def _loc_path(prefix: str, loc: Sequence[int | str]) -> str:
    path = prefix
    for item in loc:
        if isinstance(item, int):
            path += f"[{item}]"
        elif item in _UNION_TAGS:
            continue
        else:
            path = f"{path}.{item}" if path else item
    return path


def _reason(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "must not be empty"
    message = str(error["msg"])
    return message[:1].lower() + message[1:]


def errors_from_validation(exc: ValidationError, prefix: str = "") -> list[InvalidArgumentError]:
    """One :class:`InvalidArgumentError` per pydantic error, named by argument path."""
    found: list[InvalidArgumentError] = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        loc = tuple(error["loc"])
        if kind == "value_error":
            text = str(error["ctx"]["error"])
            if text == "the update has no fields":
                found.append(NoUpdateFieldsError())
                continue
            fields, sep, reason = text.partition(": ")
            if sep:
                base = _loc_path(prefix, loc)
                names = [_rename(f"{base}.{name}" if base else name) for name in fields.split(", ")]
                found.append(InvalidArgumentError(", ".join(names), reason))
                continue
            found.append(InvalidArgumentError(_rename(_loc_path(prefix, loc)), text))
            continue
        if kind == "invalid_experiment_type":
            loc = (*loc, "experiment_type")
            reason = "must be one of LLM_GENERATION, TEMPLATE_EVALUATION, AGENT_CALL"
        else:
            reason = _reason(error)
        found.append(InvalidArgumentError(_rename(_loc_path(prefix, loc)), reason))
    return found


def _validate(
    model: type[RequestModel], data: Mapping[str, Any], prefix: str = ""
) -> tuple[RequestModel | None, list[InvalidArgumentError]]:
    try:
        return model.model_validate(dict(data), context=LENIENT), []
    except ValidationError as exc:
        return None, errors_from_validation(exc, prefix)


def _evaluator_inputs(
    evaluators: Any, field: str = "evaluators"
) -> tuple[list[dict[str, Any]], list[InvalidArgumentError]]:
    """Evaluator arguments as wire dicts (names kept as ``evaluator_id``), and shape errors."""
    if isinstance(evaluators, str | bytes | Mapping) or not isinstance(evaluators, Sequence):
        return [], [InvalidArgumentError(field, "must be a list of evaluators")]
    inputs: list[dict[str, Any]] = []
    problems: list[InvalidArgumentError] = []
    for index, item in enumerate(evaluators):
        where = f"{field}[{index}]"
        if isinstance(item, str):
            inputs.append({"evaluator_id": item})
            continue
        if isinstance(item, EvaluatorSpec):
            values: dict[str, Any] = {k: getattr(item, k) for k in _EVALUATOR_KEYS}
        elif isinstance(item, Mapping):
            values = dict(item)
            if "evaluator_id" in values:
                if "evaluator" in values:
                    problems.append(
                        InvalidArgumentError(
                            f"{where}.evaluator", "give evaluator or evaluator_id, not both"
                        )
                    )
                    continue
                values["evaluator"] = values.pop("evaluator_id")
            unknown = sorted(set(values) - set(_EVALUATOR_KEYS))
            if unknown:
                problems.extend(
                    InvalidArgumentError(
                        f"{where}.{key}", f"unknown key; use {', '.join(_EVALUATOR_KEYS)}"
                    )
                    for key in unknown
                )
                continue
            if values.get("evaluator") is None:
                problems.append(InvalidArgumentError(f"{where}.evaluator", "required"))
                continue
        else:
            problems.append(
                InvalidArgumentError(where, "must be an evaluator name or ID, or an EvaluatorSpec")
            )
            continue
        wire = {"evaluator_id": values.pop("evaluator")}
        for key, value in values.items():
            if value is not None:
                wire[key] = dict(value) if isinstance(value, Mapping) else value
        inputs.append(wire)
    return inputs, problems


def validate_evaluators(evaluators: Any) -> list[InvalidArgumentError]:
    """Check a task's evaluator list: its shape, at least one, no evaluator twice."""
    inputs, problems = _evaluator_inputs(evaluators)
    if problems:
        return problems
    return _validate(UpdateEvaluationTaskRequest, {"evaluators": inputs})[1]


def run_configuration_input(
    value: Any, field: str = "run_configuration"
) -> tuple[Any, dict[str, str], list[InvalidArgumentError]]:
    """A run configuration with ``ai_integration`` / ``integration`` (a name or an ID) moved
    to ``ai_integration_id`` / ``integration_id``, the wire keys so filled (-> the argument
    given), and the problems (both spellings at once).

    Anything but a mapping comes back as it is.
    """
    if not isinstance(value, Mapping):
        return value, {}, []
    config = dict(value)
    named: dict[str, str] = {}
    problems: list[InvalidArgumentError] = []
    for wire, argument in INTEGRATION_ARGUMENTS.items():
        if argument not in config:
            continue
        given = config.pop(argument)
        if given is None:
            continue
        if config.get(wire) is not None:
            problems.append(
                InvalidArgumentError(
                    f"{field}.{argument}", f"give {argument} (a name or ID) or {wire}, not both"
                )
            )
            continue
        config[wire] = given
        named[wire] = argument
    return config, named, problems


def _named_back(
    problems: list[InvalidArgumentError], named: Mapping[str, str], field: str
) -> list[InvalidArgumentError]:
    """Errors about a filled wire key, named by the argument the caller wrote."""
    out: list[InvalidArgumentError] = []
    for problem in problems:
        path = problem.field
        for wire, argument in named.items():
            key = f"{field}.{wire}"
            if path == key or path.startswith((f"{key}.", f"{key}[")):
                path = f"{field}.{argument}{path[len(key) :]}"
        out.append(problem if path == problem.field else InvalidArgumentError(path, problem.reason))
    return out


def validate_run_configuration(
    value: Any, field: str = "run_configuration"
) -> list[InvalidArgumentError]:
    """Check one run configuration (a typed config or a dict in either enum casing; the
    integration by ``ai_integration_id``, or by name or ID as ``ai_integration``)."""
    config, named, problems = run_configuration_input(value, field)
    if problems:
        return problems
    try:
        run_configuration_adapter().validate_python(config, context=LENIENT)
    except ValidationError as exc:
        return _named_back(errors_from_validation(exc, field), named, field)
    return []


def _unknown_fields(
    fields: Mapping[str, Any], allowed: frozenset[str], what: str
) -> list[InvalidArgumentError]:
    return [
        InvalidArgumentError(name, f"not a {what} argument")
        for name in sorted(set(fields) - allowed)
    ]


def evaluation_task_body(
    fields: Mapping[str, Any],
) -> tuple[dict[str, Any], list[InvalidArgumentError]]:
    """The create body of an evaluation task with references as given, and shape errors."""
    body: dict[str, Any] = {}
    problems: list[InvalidArgumentError] = []
    for name, wire in (("project", "project_id"), ("dataset", "dataset_id")):
        if fields.get(name) is not None:
            body[wire] = fields[name]
    for name in ("sampling_rate", "is_continuous", "query_filter", "query_filters"):
        value = fields.get(name)
        if value is not None:
            body[name] = value.to_wire() if isinstance(value, RequestModel) else value
    experiment_ids = fields.get("experiment_ids")
    if experiment_ids is not None:
        if isinstance(experiment_ids, str) or not isinstance(experiment_ids, Sequence):
            problems.append(InvalidArgumentError("experiment_ids", "must be a list"))
        else:
            body["experiment_ids"] = list(experiment_ids)
    inputs, evaluator_problems = _evaluator_inputs(fields.get("evaluators"))
    problems += evaluator_problems
    body["evaluators"] = inputs
    return body, problems


def validate_task(
    task_type: TaskType | str, fields: Mapping[str, Any]
) -> list[InvalidArgumentError]:
    """Check a whole task: ``fields`` holds ``name`` and the arguments of its type.

    Keys are the argument names of ``create_evaluation_task`` / ``create_run_experiment_task``
    (``project``, ``dataset``, ``evaluators``, ``run_configuration``, ...); a ``None`` value
    counts as not given, and an argument of the other task type is refused.
    """
    try:
        kind = parse_task_type(task_type)
    except InvalidArgumentError as exc:
        return [exc]
    given = {k: v for k, v in fields.items() if v is not None}
    allowed = EVALUATION_TASK_FIELDS if kind.is_evaluation else RUN_EXPERIMENT_TASK_FIELDS
    problems = _unknown_fields(given, TASK_ARGUMENTS, "task")
    problems += [
        InvalidArgumentError(name, f"not allowed for {kind.value} tasks")
        for name in sorted(set(given) & (TASK_ARGUMENTS - allowed - {"name"}))
    ]
    data: dict[str, Any] = {"type": kind.value}
    if "name" in given:
        data["name"] = given["name"]
    if kind.is_evaluation:
        body, shape = evaluation_task_body(given)
        if shape:
            return problems + shape
        return problems + _validate(CreateEvaluationTaskRequest, {**data, **body})[1]
    if "dataset" in given:
        data["dataset_id"] = given["dataset"]
    named: dict[str, str] = {}
    if "run_configuration" in given:
        config, named, shape = run_configuration_input(given["run_configuration"])
        if shape:
            return problems + shape
        data["run_configuration"] = config
    found = _validate(CreateRunExperimentTaskRequest, data)[1]
    return problems + _named_back(found, named, "run_configuration")


def validate_evaluation_task(
    *,
    type: TaskType | str,
    name: str,
    evaluators: Any,
    project: str | None = None,
    dataset: str | None = None,
    experiment_ids: Sequence[str] | None = None,
    sampling_rate: float | None = None,
    is_continuous: bool | None = None,
    query_filter: str | None = None,
    query_filters: Any = None,
) -> list[InvalidArgumentError]:
    """Check the arguments of ``create_evaluation_task``."""
    given = locals()
    fields = {k: given[k] for k in EVALUATION_TASK_FIELDS}
    try:
        kind = parse_task_type(type)
    except InvalidArgumentError as exc:
        return [exc]
    if not kind.is_evaluation:
        return [
            InvalidArgumentError(
                "type",
                "must be TEMPLATE_EVALUATION or CODE_EVALUATION; RUN_EXPERIMENT tasks are "
                "created with create_run_experiment_task",
            )
        ]
    return validate_task(kind, {"name": name, **fields})


def validate_run_experiment_task(
    *, name: str, dataset: str, run_configuration: Any
) -> list[InvalidArgumentError]:
    """Check the arguments of ``create_run_experiment_task``."""
    return validate_task(
        TaskType.RUN_EXPERIMENT,
        {"name": name, "dataset": dataset, "run_configuration": run_configuration},
    )


def _family(
    task_type: TaskType | str | None,
    given: Mapping[str, Any],
    evaluation: frozenset[str],
    run: frozenset[str],
    what: str,
) -> tuple[bool | None, list[InvalidArgumentError]]:
    """Whether the fields are for an evaluation task (``None``: can't tell), and the errors
    for unknown fields and fields of the other task type."""
    problems = _unknown_fields(given, evaluation | run, what)
    evaluation_only = sorted(set(given) & (evaluation - run))
    run_only = sorted(set(given) & (run - evaluation))
    if task_type is not None:
        try:
            kind = parse_task_type(task_type, "task_type")
        except InvalidArgumentError as exc:
            return None, [exc]
        wrong, label = (
            (run_only, "run-experiment") if kind.is_evaluation else (evaluation_only, "evaluation")
        )
        problems += [
            InvalidArgumentError(name, f"only for {label} tasks; this task is {kind.value}")
            for name in wrong
        ]
        return kind.is_evaluation, problems
    if evaluation_only and run_only:
        problems.append(
            InvalidArgumentError(
                ", ".join(run_only),
                "arguments of run-experiment tasks can't be combined with arguments of "
                f"evaluation tasks ({', '.join(evaluation_only)})",
            )
        )
        return None, problems
    if run_only:
        return False, problems
    if evaluation_only:
        return True, problems
    return None, problems


def update_body(
    task_type: TaskType | str | None, fields: Mapping[str, Any]
) -> tuple[RequestModel | None, list[InvalidArgumentError]]:
    """The PATCH model (references as given) and the errors.

    ``fields`` holds only the fields to change. Without ``task_type`` the fields are checked
    against the task type they imply (``name`` alone implies none and fits either).
    """
    if not fields:
        return None, [NoUpdateFieldsError()]
    is_evaluation, problems = _family(
        task_type, fields, EVALUATION_UPDATE_FIELDS, RUN_EXPERIMENT_UPDATE_FIELDS, "update"
    )
    if problems:
        return None, problems
    body = dict(fields)
    named: dict[str, str] = {}
    if body.get("run_configuration") is not None:
        body["run_configuration"], named, shape = run_configuration_input(body["run_configuration"])
        if shape:
            return None, shape
    if body.get("evaluators") is not None:
        inputs, shape = _evaluator_inputs(body["evaluators"])
        if shape:
            return None, shape
        body["evaluators"] = inputs
    if is_evaluation is False:
        model, found = _validate(UpdateRunExperimentTaskRequest, body, prefix="")
        return model, _named_back(found, named, "run_configuration")
    return _validate(UpdateEvaluationTaskRequest, body, prefix="")


def validate_update_fields(
    task_type: TaskType | str | None, fields: Mapping[str, Any]
) -> list[InvalidArgumentError]:
    """Check an update: ``fields`` holds only what changes (``query_filter: None`` clears).

    Refuses an empty update, unknown fields, fields of the other task type, and values the
    server would refuse. ``task_type=None`` checks what the fields alone decide.
    """
    return update_body(task_type, fields)[1]


def trigger_body(
    task_type: TaskType | str | None, fields: Mapping[str, Any]
) -> tuple[RequestModel | None, list[InvalidArgumentError]]:
    """The trigger model of the task's (given or implied) type, and the errors.

    The model is ``None`` when there are errors or when neither ``task_type`` nor the fields
    say which type of task is triggered.
    """
    given = {k: v for k, v in fields.items() if v is not None}
    is_evaluation, problems = _family(
        task_type, given, EVALUATION_TRIGGER_FIELDS, RUN_EXPERIMENT_TRIGGER_FIELDS, "trigger"
    )
    if problems or is_evaluation is None:
        return None, problems
    for name in ("experiment_ids", "example_ids", "evaluation_task_ids"):
        if isinstance(given.get(name), str):
            return None, [InvalidArgumentError(name, "must be a list")]
    if is_evaluation:
        return _validate(TriggerEvaluationRunRequest, given)
    return _validate(TriggerRunExperimentRequest, given)


def trigger_window(
    on_dataset: bool, fields: Mapping[str, Any], now: datetime | None = None
) -> tuple[dict[str, Any], list[InvalidArgumentError]]:
    """The service's data-window rules for a run of an evaluation task: only a task on a
    project takes a window, and it needs both ends, so an end left out is ``now`` (as Arize's
    own CLI sends it). Returns the fields to send and the problems."""
    given = {k: v for k, v in fields.items() if v is not None}
    window = [k for k in ("data_start_time", "data_end_time") if k in given]
    if on_dataset:
        return given, [
            InvalidArgumentError(
                key, "only for tasks on a project; a task on a dataset evaluates its experiments"
            )
            for key in window
        ]
    if "data_start_time" in given and "data_end_time" not in given:
        given["data_end_time"] = now or datetime.now(UTC)
    return given, []


def catch_up_start(last_end: datetime | None, end: datetime) -> datetime | None:
    """The start to send for a run given no ``data_start_time`` on a task on a project that
    ran before, or ``None`` when the service's own start will do.

    The service starts such a run where the task's last run ended, and refuses a window
    longer than 30 days: after a longer gap the run covers the 30 days up to ``end``.
    """
    if last_end is None or end - last_end <= MAX_TRIGGER_WINDOW:
        return None
    return end - MAX_TRIGGER_WINDOW


def example_start(now: datetime | None = None) -> str:
    """A start to suggest in messages: midnight UTC of the day before ``now``."""
    day = (now or datetime.now(UTC)).astimezone(UTC) - timedelta(days=1)
    return day.strftime("%Y-%m-%dT00:00:00Z")


def validate_trigger_fields(
    task_type: TaskType | str | None, fields: Mapping[str, Any]
) -> list[InvalidArgumentError]:
    """Check a trigger: keys are ``trigger_run``'s argument names, ``None`` is not given.

    Refuses fields of the other task type, a window longer than 30 days or reversed,
    ``example_ids`` with ``max_examples``, and a run-experiment trigger without
    ``experiment_name``. ``task_type=None`` checks what the fields alone decide.
    """
    return trigger_body(task_type, fields)[1]
