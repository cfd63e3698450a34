"""Answers as rich as the real API's are read; requests stay as strict as Arize's own models.

The real API may send ``null`` for any optional field, keys this package does not model at any
depth, and enum values added after this package was written. One such task or evaluator in a
space must not make the whole page unreadable.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import (
    LENIENT,
    READING,
    Evaluator,
    EvaluatorList,
    EvaluatorType,
    InvocationParameters,
    LlmGenerationConfig,
    Message,
    ResponseFormat,
    Task,
    TaskList,
    TaskRun,
    TaskType,
    ToolCall,
)

RUN_CONFIGURATION: dict[str, Any] = {
    "experiment_type": "LLM_GENERATION",
    "ai_integration_id": "QWlJbnRlZ3JhdGlvbjoxOmFCY0Q=",
    "model_name": "gpt-4o-mini",
    "input_variable_format": "F_STRING",
    "messages": [
        {
            "role": "ASSISTANT",
            "content": None,
            "tool_calls": [
                {
                    "id": None,
                    "type": "FUNCTION",
                    "function": {"name": "lookup", "arguments": "{}", "strict": True},
                    "index": 0,
                }
            ],
            "name": "bot",
        }
    ],
    "invocation_parameters": {
        "temperature": 0.2,
        "seed": 7,
        "response_format": {"type": "JSON_SCHEMA", "json_schema": {"schema": {}, "x": 1}},
    },
    "provider_parameters": None,
    "tool_config": {"tools": None, "tool_choice": "auto", "parallel": True},
    "prompt_version_id": None,
    "cache_policy": {"ttl": 60},
}

RICH_TASK: dict[str, Any] = {
    "id": "T25saW5lVGFzazo0NTpxUndY",
    "name": "nightly",
    "type": "RUN_EXPERIMENT",
    "project_id": None,
    "dataset_id": "RGF0YXNldDo1NjpxUndY",
    "sampling_rate": None,
    "is_continuous": None,
    "query_filter": None,
    "query_filters": None,
    "evaluators": None,
    "experiment_ids": None,
    "run_configuration": RUN_CONFIGURATION,
    "last_run_at": None,
    "created_at": "2026-03-07T10:30:00.000Z",
    "updated_at": None,
    "created_by_user_id": None,
    "labels": ["beta"],
}


def test_a_task_with_nulls_and_unknown_keys_at_every_depth_is_read() -> None:
    task = Task.model_validate(RICH_TASK, context=READING)
    assert task.is_continuous is False
    assert task.evaluators == []
    assert task.experiment_ids == []
    assert task.updated_at is None
    config = task.run_configuration
    assert isinstance(config, LlmGenerationConfig)
    assert config.provider_parameters == {}
    (call,) = config.messages[0].tool_calls or []
    assert call.id is None
    assert call.function.arguments == "{}"
    assert config.invocation_parameters is not None
    assert config.invocation_parameters.temperature == 0.2
    dumped = config.model_dump(mode="json", exclude_none=True)
    assert "cache_policy" not in dumped
    assert "seed" not in dumped["invocation_parameters"]


def test_a_page_holding_one_task_of_a_kind_not_modelled_is_read_whole() -> None:
    future = {
        **RICH_TASK,
        "id": "T25saW5lVGFzazo0NjpxUndY",
        "type": "SESSION_REPLAY",
        "run_configuration": {"experiment_type": "PROMPT_SWEEP", "sweep": [1, 2]},
    }
    page = TaskList.model_validate(
        {"tasks": [RICH_TASK, future], "pagination": {"has_more": None}}, context=READING
    )
    assert [t.type for t in page.tasks] == ["RUN_EXPERIMENT", "SESSION_REPLAY"]
    assert page.tasks[0].type is TaskType.RUN_EXPERIMENT
    assert isinstance(page.tasks[1].type, TaskType)
    assert page.tasks[1].type.value == "SESSION_REPLAY"
    assert page.tasks[1].run_configuration == {"experiment_type": "PROMPT_SWEEP", "sweep": [1, 2]}
    assert page.pagination.has_more is False
    assert page.model_dump(mode="json")["tasks"][1]["type"] == "SESSION_REPLAY"


@pytest.mark.parametrize("kind", ["REMOTE", "HARNESS", "remote", "QUANTUM"])
def test_evaluators_of_every_type_are_read(kind: str) -> None:
    page = EvaluatorList.model_validate(
        {
            "evaluators": [
                {"id": "RXZhbHVhdG9yOjE6YQ==", "name": "a", "space_id": None, "type": kind},
                {"id": "RXZhbHVhdG9yOjI6Yg==", "name": "b", "type": "TEMPLATE", "tags": []},
            ],
            "pagination": None,
        },
        context=READING,
    )
    assert page.evaluators[0].type == kind.upper()
    assert page.evaluators[1].type is EvaluatorType.TEMPLATE


def test_a_run_with_an_unknown_status_is_read_and_is_not_terminal() -> None:
    run = TaskRun.model_validate(
        {
            "id": "VGFza1J1bjox",
            "task_id": "T25saW5lVGFzazo0NTpxUndY",
            "status": "QUEUED",
            "num_successes": None,
            "created_at": None,
            "progress": 0.5,
        },
        context=READING,
    )
    assert run.status == "QUEUED"
    assert run.num_successes == 0
    assert run.is_terminal is False


def test_unknown_enum_values_are_still_refused_outside_answers() -> None:
    with pytest.raises(ValidationError):
        Evaluator.model_validate({"id": "x", "name": "a", "type": "QUANTUM"}, context=LENIENT)
    with pytest.raises(ValidationError):
        Task.model_validate({**RICH_TASK, "type": "SESSION_REPLAY"})


def test_a_missing_id_still_fails_and_names_the_field() -> None:
    with pytest.raises(ValidationError, match=r"(?s)tasks\.0\.id.*Field required"):
        TaskList.model_validate(
            {"tasks": [{k: v for k, v in RICH_TASK.items() if k != "id"}]}, context=READING
        )


# --- requests follow the official request models ------------------------------------------


def test_invocation_parameters_take_only_their_known_keys() -> None:
    with pytest.raises(ValidationError, match="seed"):
        InvocationParameters.model_validate({"temperature": 0.2, "seed": 7})


def test_a_tool_call_sends_its_type_and_arguments_and_may_omit_its_id() -> None:
    call = ToolCall.model_validate(
        {"type": "function", "function": {"name": "lookup", "arguments": "{}"}}, context=LENIENT
    )
    assert call.model_dump(mode="json", exclude_unset=True) == {
        "type": "FUNCTION",
        "function": {"name": "lookup", "arguments": "{}"},
    }
    with pytest.raises(ValidationError, match="type"):
        ToolCall.model_validate({"function": {"name": "lookup", "arguments": "{}"}})
    with pytest.raises(ValidationError, match="arguments"):
        ToolCall.model_validate({"type": "FUNCTION", "function": {"name": "lookup"}})


def test_response_format_and_json_schema_follow_the_official_optional_fields() -> None:
    assert ResponseFormat.model_validate({}).type is None
    schema = ResponseFormat.model_validate(
        {"type": "JSON_SCHEMA", "json_schema": {"schema": {"type": "object"}}}
    )
    assert schema.json_schema is not None and schema.json_schema.name is None
    with pytest.raises(ValidationError, match="colour"):
        ResponseFormat.model_validate({"type": "TEXT", "colour": "red"})


def test_requests_refuse_unknown_keys_and_nulls_where_a_value_is_needed() -> None:
    with pytest.raises(ValidationError, match="name"):
        Message.model_validate({"role": "USER", "content": "hi", "name": "bob"})
    with pytest.raises(ValidationError, match="provider_parameters"):
        LlmGenerationConfig.model_validate({**RUN_CONFIGURATION, "provider_parameters": None})


# --- IDs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T25saW5lVGFzazo0NTpxUndY", True),  # OnlineTask:45:qRwX
        ("U3BhY2U6MTIzNDU=", True),  # Space:12345
        ("bGFiZWw6dmFsdWU=", True),  # label:value: any text with a colon
        ("w6k6w6k=", True),  # é:é, UTF-8
        ("Y2hhdGJvdC1wcm9k", False),  # chatbot-prod: no colon
        ("chatbot-prod", False),
        ("golden-qa", False),
        ("U3BhY2U6MTIzNDU", False),  # padding missing: not standard base64
        ("", False),
        ("ZGVtby1zcGFjZQ==", False),  # demo-space
        ("/w==", False),  # not UTF-8
    ],
)
def test_a_value_is_an_id_exactly_when_the_official_rule_says_so(text: str, expected: bool) -> None:
    assert is_id(text) is expected
