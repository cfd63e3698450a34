"""Our wire models against Arize's official generated models, field by field.

The official SDK's ``arize/_generated/api_client/models`` are generated from Arize's live
OpenAPI document; ``scripts/model_shapes.py`` describes the ones we mirror (run with the official
virtualenv's Python) and the same code describes ours. Request models must match the official
request models exactly: fields, required fields, types, enum values and limits. Response models
must read every field the official response has, require nothing it leaves optional, know every
enum value it lists, and be no stricter in their limits. Where we differ on purpose, the
difference is in ``ALLOWED`` with its reason; any other difference fails, and so does an entry
of ``ALLOWED`` that no longer happens, so moving the SDK pin shows every drift.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from arize_pulumi.tasks import models as ours
from tests.conformance.official import PYTHON, TIMEOUT, require_official_venv

pytestmark = pytest.mark.conformance

SCRIPT = Path(__file__).with_name("scripts") / "model_shapes.py"

Kind = Literal["request", "response"]

PAIRS: dict[str, tuple[type[BaseModel], list[str], Kind]] = {
    # request bodies and their parts, as sent
    "CreateEvaluationTaskRequest": (
        ours.CreateEvaluationTaskRequest,
        ["CreateTemplateEvaluationTaskRequest", "CreateCodeEvaluationTaskRequest"],
        "request",
    ),
    "CreateRunExperimentTaskRequest": (
        ours.CreateRunExperimentTaskRequest,
        ["CreateRunExperimentTaskRequest"],
        "request",
    ),
    "UpdateEvaluationTaskRequest": (
        ours.UpdateEvaluationTaskRequest,
        ["UpdateEvaluationTaskRequest"],
        "request",
    ),
    "UpdateRunExperimentTaskRequest": (
        ours.UpdateRunExperimentTaskRequest,
        ["UpdateRunExperimentTaskRequest"],
        "request",
    ),
    "TriggerEvaluationRunRequest": (
        ours.TriggerEvaluationRunRequest,
        ["TriggerEvaluationTaskRunRequest"],
        "request",
    ),
    "TriggerRunExperimentRequest": (
        ours.TriggerRunExperimentRequest,
        ["TriggerRunExperimentTaskRunRequest"],
        "request",
    ),
    "TaskEvaluatorInput": (
        ours.TaskEvaluatorInput,
        ["SpanEvaluatorInput", "TraceOrSessionEvaluatorInput"],
        "request",
    ),
    "TaskQueryFilters (request)": (
        ours.TaskQueryFilters,
        ["TaskQueryFiltersInput"],
        "request",
    ),
    "TaskQueryFilter (request)": (ours.TaskQueryFilter, ["TaskQueryFilterInput"], "request"),
    "TaskQueryMapping (request)": (ours.TaskQueryMapping, ["TaskQueryMappingInput"], "request"),
    "LlmGenerationConfig (request)": (
        ours.LlmGenerationConfig,
        ["LlmGenerationRunConfigRequest"],
        "request",
    ),
    "TemplateEvaluationConfig (request)": (
        ours.TemplateEvaluationConfig,
        ["TemplateEvaluationRunConfigRequest"],
        "request",
    ),
    "AgentCallConfig (request)": (
        ours.AgentCallConfig,
        ["AgentCallRunConfigRequest"],
        "request",
    ),
    "Message (request)": (ours.Message, ["LLMMessageRequest"], "request"),
    "ToolCall (request)": (ours.ToolCall, ["ToolCallRequest"], "request"),
    "FunctionCall (request)": (ours.FunctionCall, ["ToolCallFunctionRequest"], "request"),
    "InvocationParameters (request)": (
        ours.InvocationParameters,
        ["InvocationParamsRequest"],
        "request",
    ),
    "ResponseFormat (request)": (ours.ResponseFormat, ["ResponseFormatRequest"], "request"),
    "JsonSchemaFormat (request)": (ours.JsonSchemaFormat, ["JsonSchemaConfigRequest"], "request"),
    "ToolConfig (request)": (ours.ToolConfig, ["ToolConfigRequest"], "request"),
    # answers, as read (the request-shaped parts of a task are read with ``READING``)
    "Task": (ours.Task, ["Task"], "response"),
    "TaskEvaluator": (ours.TaskEvaluator, ["TaskEvaluator"], "response"),
    "TaskRun": (ours.TaskRun, ["TaskRun"], "response"),
    "TaskQueryFilters": (ours.TaskQueryFilters, ["TaskQueryFilters"], "response"),
    "TaskQueryFilter": (ours.TaskQueryFilter, ["TaskQueryFilter"], "response"),
    "TaskQueryMapping": (ours.TaskQueryMapping, ["TaskQueryMapping"], "response"),
    "LlmGenerationConfig": (ours.LlmGenerationConfig, ["LlmGenerationRunConfig"], "response"),
    "TemplateEvaluationConfig": (
        ours.TemplateEvaluationConfig,
        ["TemplateEvaluationRunConfig"],
        "response",
    ),
    "AgentCallConfig": (ours.AgentCallConfig, ["AgentCallRunConfig"], "response"),
    "Message": (ours.Message, ["LLMMessage"], "response"),
    "ToolCall": (ours.ToolCall, ["ToolCall"], "response"),
    "FunctionCall": (ours.FunctionCall, ["ToolCallFunction"], "response"),
    "InvocationParameters": (ours.InvocationParameters, ["InvocationParams"], "response"),
    "ResponseFormat": (ours.ResponseFormat, ["ResponseFormat"], "response"),
    "JsonSchemaFormat": (ours.JsonSchemaFormat, ["JsonSchemaConfig"], "response"),
    "ToolConfig": (ours.ToolConfig, ["ToolConfig"], "response"),
    "TaskList": (ours.TaskList, ["ListTasksResponse"], "response"),
    "TaskRunList": (ours.TaskRunList, ["ListTaskRunsResponse"], "response"),
    "Pagination": (ours.Pagination, ["PaginationMetadata"], "response"),
    "Space": (ours.Space, ["Space"], "response"),
    "SpaceList": (ours.SpaceList, ["ListSpacesResponse"], "response"),
    "Project": (ours.Project, ["Project"], "response"),
    "ProjectList": (ours.ProjectList, ["ListProjectsResponse"], "response"),
    "Dataset": (ours.Dataset, ["Dataset"], "response"),
    "DatasetList": (ours.DatasetList, ["ListDatasetsResponse"], "response"),
    "Evaluator": (ours.Evaluator, ["Evaluator"], "response"),
    "EvaluatorList": (ours.EvaluatorList, ["ListEvaluatorsResponse"], "response"),
    "Experiment": (ours.Experiment, ["Experiment"], "response"),
    "ExperimentList": (ours.ExperimentList, ["ListExperimentsResponse"], "response"),
}
"""Label: (our model, the official model(s) it mirrors, how it is compared)."""

ENUMS: dict[str, tuple[type[StrEnum], list[str]]] = {
    "TaskType": (ours.TaskType, ["TaskType"]),
    "RunStatus": (ours.RunStatus, ["TaskRunStatus"]),
    "EvaluatorType": (ours.EvaluatorType, ["EvaluatorType"]),
    "ExperimentType": (
        ours.ExperimentType,
        [
            "LlmGenerationRunConfigRequest.experiment_type",
            "TemplateEvaluationRunConfigRequest.experiment_type",
            "AgentCallRunConfigRequest.experiment_type",
        ],
    ),
    "InputVariableFormat": (ours.InputVariableFormat, ["InputVariableFormat"]),
    "MessageRole": (ours.MessageRole, ["MessageRole"]),
    "ResponseFormatType": (ours.ResponseFormatType, ["ResponseFormatType"]),
    "ToolCallType": (ours.ToolCallType, ["ToolCallType"]),
}
"""Our enum: the official enum(s), or the fields whose validators list its values."""

Aspect = Literal["missing", "extra", "required", "types", "enum", "limits"]
Key = tuple[str, str, Aspect]


def _each(reason: str, *keys: Key) -> dict[Key, str]:
    return dict.fromkeys(keys, reason)


NON_EMPTY_ID = "an empty ID names nothing: refused before it is sent (min_length=1)"
ECHOED = (
    "the request model is reused to read the answer, which only echoes what the request's "
    "rules let in (a run configuration breaking them reads as the raw dict)"
)
RUN_CONFIG_READ = (
    "read with the request model; an answer lacking it reads as the raw dict "
    "(Task.run_configuration falls back left to right), so nothing fails"
)
NEEDED_ON_READ = "an answer without it cannot be used (nothing to match, manage or poll)"
LIST_ENVELOPE = (
    "the official SDK itself refuses a list answer without it (require_operation_value); "
    "null reads as an empty list"
)

ALLOWED: dict[Key, str] = {
    # ours stricter than the spec on purpose, in requests
    **_each(
        NON_EMPTY_ID,
        ("CreateEvaluationTaskRequest", "project_id", "limits"),
        ("CreateEvaluationTaskRequest", "dataset_id", "limits"),
        ("CreateEvaluationTaskRequest", "experiment_ids", "limits"),
        ("CreateRunExperimentTaskRequest", "dataset_id", "limits"),
        ("TaskEvaluatorInput", "evaluator_id", "limits"),
        ("TriggerEvaluationRunRequest", "experiment_ids", "limits"),
        ("TriggerRunExperimentRequest", "example_ids", "limits"),
        ("TriggerRunExperimentRequest", "evaluation_task_ids", "limits"),
        ("LlmGenerationConfig (request)", "ai_integration_id", "limits"),
        ("TemplateEvaluationConfig (request)", "ai_integration_id", "limits"),
        ("AgentCallConfig (request)", "integration_id", "limits"),
    ),
    ("FunctionCall (request)", "name", "limits"): (
        "a tool call names the function it calls: an empty name is refused before sending"
    ),
    ("TaskQueryMapping (request)", "variable_name", "limits"): (
        "an empty variable name maps nothing: refused before sending"
    ),
    ("TaskQueryMapping (request)", "attribute_path", "limits"): (
        "an empty attribute path reads nothing: refused before sending"
    ),
    ("TaskQueryMapping (request)", "query_ids", "limits"): (
        "each id is one of A-E (the spec says so in words; TaskQueryFilterInput.id checks it)"
    ),
    # answers: fields we do not read
    **_each(
        "UI settings of a space; the provider never reads them",
        ("Space", "default_llm_integration", "missing"),
        ("Space", "default_agent_runtime", "missing"),
        ("Space", "ml_models_enabled", "missing"),
        ("Space", "gradient_start_color", "missing"),
        ("Space", "gradient_end_color", "missing"),
    ),
    **_each(
        "a lookup needs only a space's ID and name",
        ("Space", "organization_id", "missing"),
        ("Space", "is_private", "missing"),
    ),
    ("Project", "project_type", "missing"): "a lookup needs only a project's ID and name",
    ("Dataset", "versions", "missing"): (
        "version history; a task names its dataset, and a trigger a version ID, as given"
    ),
    **_each(
        "experiments are looked up by dataset and name; these are not needed",
        ("Experiment", "space_id", "missing"),
        ("Experiment", "experiment_traces_project_id", "missing"),
        ("Experiment", "integration_id", "missing"),
    ),
    ("InvocationParameters", "service_tier", "missing"): (
        "answer-only (InvocationParamsRequest lacks it): the request model read back cannot "
        "send it, so a refresh does not see it (known gap)"
    ),
    # answers: what we need to find in one
    **_each(
        NEEDED_ON_READ,
        ("Task", "id", "required"),
        ("Task", "name", "required"),
        ("Task", "type", "required"),
        ("TaskEvaluator", "evaluator_id", "required"),
        ("TaskRun", "id", "required"),
        ("TaskRun", "task_id", "required"),
        ("TaskRun", "status", "required"),
        ("Space", "id", "required"),
        ("Space", "name", "required"),
        ("Project", "id", "required"),
        ("Project", "name", "required"),
        ("Dataset", "id", "required"),
        ("Dataset", "name", "required"),
        ("Evaluator", "id", "required"),
        ("Evaluator", "name", "required"),
        ("Experiment", "id", "required"),
        ("Experiment", "name", "required"),
    ),
    **_each(
        LIST_ENVELOPE,
        ("TaskList", "tasks", "required"),
        ("TaskRunList", "task_runs", "required"),
        ("SpaceList", "spaces", "required"),
        ("ProjectList", "projects", "required"),
        ("DatasetList", "datasets", "required"),
        ("EvaluatorList", "evaluators", "required"),
        ("ExperimentList", "experiments", "required"),
    ),
    **_each(
        RUN_CONFIG_READ,
        ("LlmGenerationConfig", "experiment_type", "required"),
        ("LlmGenerationConfig", "ai_integration_id", "required"),
        ("LlmGenerationConfig", "messages", "required"),
        ("LlmGenerationConfig", "input_variable_format", "required"),
        ("TemplateEvaluationConfig", "experiment_type", "required"),
        ("TemplateEvaluationConfig", "ai_integration_id", "required"),
        ("TemplateEvaluationConfig", "template", "required"),
        ("TemplateEvaluationConfig", "provide_explanation", "required"),
        ("AgentCallConfig", "experiment_type", "required"),
        ("AgentCallConfig", "integration_id", "required"),
        ("AgentCallConfig", "input_template", "required"),
        ("Message", "role", "required"),
        ("ToolCall", "type", "required"),
        ("ToolCall", "function", "required"),
        ("FunctionCall", "name", "required"),
        ("FunctionCall", "arguments", "required"),
    ),
    **_each(
        ECHOED,
        ("LlmGenerationConfig", "ai_integration_id", "limits"),
        ("TemplateEvaluationConfig", "ai_integration_id", "limits"),
        ("AgentCallConfig", "integration_id", "limits"),
        ("FunctionCall", "name", "limits"),
        ("TaskQueryFilters", "filters", "required"),
        ("TaskQueryFilters", "expression", "limits"),
        ("TaskQueryFilter", "id", "required"),
        ("TaskQueryFilter", "filter", "required"),
        ("TaskQueryFilter", "filter", "limits"),
        ("TaskQueryMapping", "variable_name", "required"),
        ("TaskQueryMapping", "variable_name", "limits"),
        ("TaskQueryMapping", "query_ids", "required"),
        ("TaskQueryMapping", "query_ids", "limits"),
        ("TaskQueryMapping", "attribute_path", "required"),
        ("TaskQueryMapping", "attribute_path", "limits"),
    ),
}
"""(label, wire field, aspect): why we differ there on purpose. ``missing`` is an official
field we do not model (an answer's is ignored), ``extra`` one of ours the official model lacks."""


def _load_shapes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("model_shapes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shapes = _load_shapes()


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    """The official models' descriptions, from the official virtualenv."""
    require_official_venv()
    wanted = {
        "models": {label: names for label, (_, names, _) in PAIRS.items()},
        "enums": {label: names for label, (_, names) in ENUMS.items()},
    }
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    done = subprocess.run(
        [str(PYTHON), str(SCRIPT)],
        input=json.dumps(wanted),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"describing the official models failed (exit {done.returncode}):\n{done.stderr}",
            pytrace=False,
        )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def differences(
    label: str, mine: dict[str, Any], theirs: dict[str, Any], kind: Kind
) -> dict[tuple[str, str, Aspect], str]:
    """Every way ``mine`` departs from ``theirs``, keyed as :data:`ALLOWED` is."""
    found: dict[tuple[str, str, Aspect], str] = {}
    for field in sorted(set(theirs) - set(mine)):
        found[(label, field, "missing")] = "the official model has it, ours does not"
    for field in sorted(set(mine) - set(theirs)):
        found[(label, field, "extra")] = "ours has it, the official model does not"
    for field in sorted(set(mine) & set(theirs)):
        a, b = mine[field], theirs[field]
        if kind == "request" and a["required"] != b["required"]:
            found[(label, field, "required")] = f"ours {a['required']}, official {b['required']}"
        if kind == "response" and a["required"] and not b["required"]:
            found[(label, field, "required")] = "ours requires it, the official answer may omit it"
        if a["types"] != b["types"]:
            found[(label, field, "types")] = f"ours {a['types']}, official {b['types']}"
        mine_enum, their_enum = set(a["enum"] or []), set(b["enum"] or [])
        if (mine_enum != their_enum) if kind == "request" else not their_enum <= mine_enum:
            found[(label, field, "enum")] = (
                f"ours {sorted(mine_enum)}, official {sorted(their_enum)}"
            )
        stricter = {k: v for k, v in a["limits"].items() if b["limits"].get(k) != v}
        if (a["limits"] != b["limits"]) if kind == "request" else stricter:
            found[(label, field, "limits")] = f"ours {a['limits']}, official {b['limits']}"
    return found


def test_every_official_model_described(official: dict[str, Any]) -> None:
    assert set(official["models"]) == set(PAIRS)
    assert all(official["models"].values()), "an official model described with no fields"


@pytest.mark.parametrize("label", list(PAIRS))
def test_model_matches_official(label: str, official: dict[str, Any]) -> None:
    model, _, kind = PAIRS[label]
    found = differences(label, shapes.describe(model), official["models"][label], kind)
    unexplained = {key: why for key, why in found.items() if key not in ALLOWED}
    stale = sorted(key for key in ALLOWED if key[0] == label and key not in found)
    assert not unexplained, "drift from the official model:\n" + "\n".join(
        f"  {key}: {why}" for key, why in sorted(unexplained.items())
    )
    assert not stale, f"ALLOWED lists differences that no longer happen: {stale}"


@pytest.mark.parametrize("label", list(ENUMS))
def test_enum_matches_official(label: str, official: dict[str, Any]) -> None:
    enum, _ = ENUMS[label]
    assert shapes.enum_values(enum) == official["enums"][label]


def test_allowed_differences_name_known_models() -> None:
    assert {key[0] for key in ALLOWED} <= set(PAIRS)
