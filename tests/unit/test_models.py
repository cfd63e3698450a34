"""The shared wire models: round trips, enum casing, unknown keys, request rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from arize_pulumi.tasks.models import (
    LENIENT,
    AgentCallConfig,
    CreateEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    LlmGenerationConfig,
    Problem,
    RunConfiguration,
    RunStatus,
    Task,
    TaskList,
    TaskRun,
    TaskType,
    TemplateEvaluationConfig,
    TriggerEvaluationRunRequest,
    TriggerRunExperimentRequest,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
    format_timestamp,
)

TASK: dict[str, Any] = {
    "id": "T25saW5lVGFzazo0NTpxUndY",
    "name": "hallucination-check",
    "type": "TEMPLATE_EVALUATION",
    "is_continuous": True,
    "evaluators": [
        {
            "evaluator_id": "RXZhbHVhdG9yOjEyOmFCY0Q=",
            "evaluator_name": "hallucination",
            "query_filter": None,
            "column_mappings": {"input": "attributes.input.value"},
            "evaluator_version_id": None,
            "query_mappings": None,
        }
    ],
    "experiment_ids": [],
    "created_at": "2026-03-07T10:30:00.000Z",
    "updated_at": "2026-03-07T10:30:00.123Z",
    "query_filter": "metadata.environment = 'production'",
    "query_filters": None,
    "last_run_at": None,
    "created_by_user_id": "VXNlcjox",
    "project_id": "TW9kZWw6MTIzOmFCY0Q=",
    "dataset_id": None,
    "sampling_rate": 0.25,
    "run_configuration": None,
}

RUN: dict[str, Any] = {
    "id": "VGFza1J1bjo5OnFSd1g=",
    "task_id": "T25saW5lVGFzazo0NTpxUndY",
    "status": "RUNNING",
    "num_successes": 3,
    "num_errors": 1,
    "num_skipped": 0,
    "created_at": "2026-03-07T10:30:00.000Z",
    "run_started_at": "2026-03-07T10:30:01.000Z",
    "run_finished_at": None,
    "data_start_time": "2026-03-06T10:30:00.000Z",
    "data_end_time": "2026-03-07T10:30:00.000Z",
    "created_by_user_id": None,
    "experiment_id": None,
    "failure_reason": None,
}

LLM_CONFIG: dict[str, Any] = {
    "experiment_type": "LLM_GENERATION",
    "ai_integration_id": "QWlJbnRlZ3JhdGlvbjox",
    "messages": [{"role": "USER", "content": "Answer {question}"}],
    "input_variable_format": "F_STRING",
}


def test_task_round_trips_to_the_same_json() -> None:
    task = Task.model_validate(TASK)
    assert task.model_dump(mode="json") == TASK


def test_run_round_trips_and_knows_terminal_states() -> None:
    run = TaskRun.model_validate(RUN)
    assert run.model_dump(mode="json") == RUN
    assert not run.is_terminal
    assert TaskRun.model_validate({**RUN, "status": "CANCELLED"}).is_terminal


def test_responses_ignore_unknown_keys() -> None:
    task = Task.model_validate({**TASK, "brand_new_field": [1, 2], "owner": {"x": 1}})
    assert task.id == TASK["id"]
    assert "brand_new_field" not in task.model_dump()


def test_lowercase_enums_are_read_only_when_lenient() -> None:
    lower = {**TASK, "type": "template_evaluation"}
    assert Task.model_validate(lower, context=LENIENT).type is TaskType.TEMPLATE_EVALUATION
    with pytest.raises(ValidationError):
        Task.model_validate(lower)
    run = TaskRun.model_validate({**RUN, "status": "completed"}, context=LENIENT)
    assert run.status is RunStatus.COMPLETED


def test_enums_are_sent_uppercase() -> None:
    request = CreateRunExperimentTaskRequest.model_validate(
        {
            "type": "run_experiment",
            "name": "gen",
            "dataset_id": "RGF0YXNldDo1NjpxUndY",
            "run_configuration": {
                **LLM_CONFIG,
                "experiment_type": "llm_generation",
                "input_variable_format": "mustache",
                "messages": [{"role": "system", "content": "be brief"}],
            },
        },
        context=LENIENT,
    )
    wire = request.to_wire()
    assert wire["type"] == "RUN_EXPERIMENT"
    assert wire["run_configuration"]["experiment_type"] == "LLM_GENERATION"
    assert wire["run_configuration"]["input_variable_format"] == "MUSTACHE"
    assert wire["run_configuration"]["messages"][0]["role"] == "SYSTEM"


def test_timestamps_are_rfc3339_with_milliseconds_in_utc() -> None:
    stamp = datetime(2026, 3, 7, 11, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert format_timestamp(stamp) == "2026-03-07T10:30:00.123Z"
    naive = TriggerEvaluationRunRequest(data_start_time=datetime(2026, 3, 7, 10, 30))
    assert naive.to_wire() == {"data_start_time": "2026-03-07T10:30:00.000Z"}


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (LLM_CONFIG, LlmGenerationConfig),
        (
            {
                "experiment_type": "template_evaluation",
                "ai_integration_id": "QWlJbnRlZ3JhdGlvbjox",
                "template": "Is {{output}} correct?",
                "provide_explanation": True,
            },
            TemplateEvaluationConfig,
        ),
        (
            {
                "experiment_type": "Agent_Call",
                "integration_id": "QWlJbnRlZ3JhdGlvbjoy",
                "input_template": {"q": "{{question}}"},
            },
            AgentCallConfig,
        ),
    ],
)
def test_run_configuration_variant_is_chosen_by_experiment_type(
    config: dict[str, Any], expected: type
) -> None:
    parsed = TypeAdapter(RunConfiguration).validate_python(config, context=LENIENT)
    assert isinstance(parsed, expected)


def test_task_reads_its_run_configuration() -> None:
    task = Task.model_validate(
        {**TASK, "type": "RUN_EXPERIMENT", "evaluators": [], "run_configuration": LLM_CONFIG}
    )
    assert isinstance(task.run_configuration, LlmGenerationConfig)


def test_requests_refuse_unknown_keys_and_server_fields() -> None:
    base = {"type": "CODE_EVALUATION", "name": "n", "project_id": "p", "evaluators": []}
    for extra in ({"colour": "red"}, {"id": "x"}, {"created_at": "2026-01-01T00:00:00Z"}):
        with pytest.raises(ValidationError, match="Extra inputs"):
            CreateEvaluationTaskRequest.model_validate({**base, **extra})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dataset_id": "d"}, "exactly one"),
        ({"project_id": None}, "exactly one"),
        ({"project_id": None, "dataset_id": "d"}, "needs at least one experiment"),
        ({"experiment_ids": ["e"]}, "only allowed for tasks on a dataset"),
        (
            {"project_id": None, "dataset_id": "d", "experiment_ids": ["e"], "sampling_rate": 1},
            "sampling_rate: only allowed",
        ),
        ({"evaluators": [{"evaluator_id": "a"}, {"evaluator_id": "a"}]}, "listed twice"),
        ({"sampling_rate": 1.5}, "less than or equal to 1"),
    ],
)
def test_create_rules_live_in_the_model(changes: dict[str, Any], message: str) -> None:
    body = {
        "type": "TEMPLATE_EVALUATION",
        "name": "n",
        "project_id": "p",
        "evaluators": [{"evaluator_id": "a"}],
        **changes,
    }
    with pytest.raises(ValidationError, match=message):
        CreateEvaluationTaskRequest.model_validate(body)


def test_update_models_refuse_empty_and_null_fields_but_allow_clearing_the_filter() -> None:
    with pytest.raises(ValidationError, match="no fields"):
        UpdateEvaluationTaskRequest.model_validate({})
    with pytest.raises(ValidationError, match="name: may not be null"):
        UpdateRunExperimentTaskRequest.model_validate({"name": None})
    cleared = UpdateEvaluationTaskRequest.model_validate({"query_filter": None})
    assert cleared.to_wire() == {"query_filter": None}


def test_trigger_models_check_the_window_and_example_choice() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="before data_end_time"):
        TriggerEvaluationRunRequest(data_start_time=start, data_end_time=start)
    with pytest.raises(ValidationError, match="at most 30 days"):
        TriggerEvaluationRunRequest(data_start_time=start, data_end_time=start + timedelta(days=31))
    with pytest.raises(ValidationError, match="not both"):
        TriggerRunExperimentRequest(experiment_name="x", example_ids=["a"], max_examples=2)


def test_problem_message_prefers_detail() -> None:
    assert Problem(title="Resource conflict", status=409, detail="name taken").message == (
        "name taken"
    )
    assert Problem(title="Resource conflict", status=409).message == "Resource conflict"


def test_list_envelope_defaults_pagination() -> None:
    page = TaskList.model_validate({"tasks": [TASK]})
    assert page.pagination.has_more is False
    assert page.pagination.next_cursor is None
