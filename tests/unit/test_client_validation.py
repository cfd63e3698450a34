"""Arguments the server would refuse fail before any request, naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from arize_pulumi.tasks import (
    UNSET,
    EvaluatorSpec,
    InvalidArgumentError,
    LlmGenerationConfig,
    NoUpdateFieldsError,
    TasksClient,
    TaskType,
    validate_evaluation_task,
    validate_evaluators,
    validate_run_configuration,
    validate_run_experiment_task,
    validate_task,
    validate_trigger_fields,
    validate_update_fields,
)
from tests.support.inprocess import InProcessSandbox

TASK_ID = "T25saW5lVGFzazo0NTpxUndY"
PROJECT_ID = "TW9kZWw6MTIzOmFCY0Q="
DATASET_ID = "RGF0YXNldDo1NjpxUndY"
EVALUATOR_ID = "RXZhbHVhdG9yOjEyOmFCY0Q="
START = datetime(2026, 3, 1, tzinfo=UTC)

LLM: dict[str, Any] = {
    "experiment_type": "LLM_GENERATION",
    "ai_integration_id": "QWlJbnRlZ3JhdGlvbjox",
    "messages": [{"role": "USER", "content": "{question}"}],
    "input_variable_format": "F_STRING",
}


def evaluation(**changes: Any) -> Callable[[TasksClient], object]:
    arguments: dict[str, Any] = {
        "name": "checks",
        "type": "template_evaluation",
        "evaluators": ["hallucination"],
        "project": "chatbot-prod",
        "space": "demo-space",
        **changes,
    }
    return lambda client: client.create_evaluation_task(**arguments)


INVALID_CALLS: list[tuple[str, Callable[[TasksClient], object], str]] = [
    ("no target", evaluation(project=None), "project, dataset"),
    ("both targets", evaluation(dataset="golden-qa"), "project, dataset"),
    ("no evaluators", evaluation(evaluators=[]), "evaluators"),
    ("evaluators as a string", evaluation(evaluators="hallucination"), "evaluators"),
    ("evaluator twice", evaluation(evaluators=["a", {"evaluator": "a"}]), "evaluators"),
    ("empty evaluator", evaluation(evaluators=[""]), "evaluators[0].evaluator"),
    (
        "unknown evaluator key",
        evaluation(evaluators=[{"evaluator": "a", "x": 1}]),
        "evaluators[0].x",
    ),
    (
        "evaluator missing",
        evaluation(evaluators=[{"query_filter": "a"}]),
        "evaluators[0].evaluator",
    ),
    ("bad item", evaluation(evaluators=[3]), "evaluators[0]"),
    (
        "dataset without experiments",
        evaluation(project=None, dataset="golden-qa"),
        "experiment_ids",
    ),
    ("experiments on a project", evaluation(experiment_ids=["baseline"]), "experiment_ids"),
    (
        "sampling on a dataset",
        evaluation(project=None, dataset="golden-qa", experiment_ids=["b"], sampling_rate=0.5),
        "sampling_rate",
    ),
    (
        "continuous on a dataset",
        evaluation(project=None, dataset="golden-qa", experiment_ids=["b"], is_continuous=True),
        "is_continuous",
    ),
    ("sampling above 1", evaluation(sampling_rate=1.5), "sampling_rate"),
    ("empty name", evaluation(name=""), "name"),
    ("bad type", evaluation(type="summary"), "type"),
    ("run type", evaluation(type="RUN_EXPERIMENT"), "type"),
    ("a name needs a space", evaluation(space=None), "space"),
    (
        "run config variant",
        lambda c: c.create_run_experiment_task(
            name="g", dataset=DATASET_ID, run_configuration={**LLM, "experiment_type": "x"}
        ),
        "run_configuration.experiment_type",
    ),
    (
        "message role",
        lambda c: c.create_run_experiment_task(
            name="g",
            dataset=DATASET_ID,
            run_configuration={**LLM, "messages": [{"role": "robot"}]},
        ),
        "run_configuration.messages[0].role",
    ),
    (
        "no messages",
        lambda c: c.create_run_experiment_task(
            name="g", dataset=DATASET_ID, run_configuration={**LLM, "messages": []}
        ),
        "run_configuration.messages",
    ),
    (
        "dataset by name without a space",
        lambda c: c.create_run_experiment_task(
            name="g", dataset="golden-qa", run_configuration=LLM
        ),
        "space",
    ),
    ("empty update", lambda c: c.update(TASK_ID), "update"),
    (
        "mixed update",
        lambda c: c.update(TASK_ID, sampling_rate=0.1, run_configuration=LLM),
        "run_configuration",
    ),
    (
        "update other type",
        lambda c: c.update(TASK_ID, task_type="RUN_EXPERIMENT", sampling_rate=0.1),
        "sampling_rate",
    ),
    ("update null name", lambda c: c.update(TASK_ID, name=None), "name"),  # type: ignore[arg-type]
    ("update no evaluators", lambda c: c.update(TASK_ID, evaluators=[]), "evaluators"),
    ("update bad rate", lambda c: c.update(TASK_ID, sampling_rate=-0.1), "sampling_rate"),
    ("update by name without space", lambda c: c.update("my-task", name="x"), "space"),
    (
        "trigger mixed",
        lambda c: c.trigger_run(TASK_ID, max_spans=5, experiment_name="e"),
        "experiment_name",
    ),
    (
        "trigger needs experiment name",
        lambda c: c.trigger_run(TASK_ID, max_examples=5),
        "experiment_name",
    ),
    (
        "trigger examples xor",
        lambda c: c.trigger_run(TASK_ID, experiment_name="e", example_ids=["a"], max_examples=1),
        "example_ids, max_examples",
    ),
    (
        "trigger window reversed",
        lambda c: c.trigger_run(TASK_ID, data_start_time=START, data_end_time=START),
        "data_start_time",
    ),
    (
        "trigger window too long",
        lambda c: c.trigger_run(
            TASK_ID, data_start_time=START, data_end_time=START + timedelta(days=31)
        ),
        "data_start_time, data_end_time",
    ),
    ("trigger max spans", lambda c: c.trigger_run(TASK_ID, max_spans=0), "max_spans"),
    (
        "trigger other type",
        lambda c: c.trigger_run(TASK_ID, task_type="TEMPLATE_EVALUATION", experiment_name="e"),
        "experiment_name",
    ),
    (
        "trigger run type missing name",
        lambda c: c.trigger_run(TASK_ID, task_type="run_experiment"),
        "experiment_name",
    ),
    ("trigger bad task type", lambda c: c.trigger_run(TASK_ID, task_type="nope"), "task_type"),
    ("list bad type", lambda c: c.list(type="nope"), "type"),
    ("list bad limit", lambda c: c.list(limit=101), "limit"),
    ("iter bad page size", lambda c: c.iter(page_size=0), "page_size"),
    ("iter project without space", lambda c: c.iter(project="chatbot-prod"), "space"),
    ("iter runs bad status", lambda c: c.iter_runs(TASK_ID, status="x"), "status"),
    ("list project without space", lambda c: c.list(project="chatbot-prod"), "space"),
    ("runs bad status", lambda c: c.list_runs(TASK_ID, status="done"), "status"),
    ("runs bad limit", lambda c: c.list_runs(TASK_ID, limit=0), "limit"),
    ("get by name without space", lambda c: c.get("my-task"), "space"),
    ("find without space", lambda c: c.find("my-task"), "space"),
    ("delete by name without space", lambda c: c.delete("my-task"), "space"),
    ("empty run id", lambda c: c.get_run(""), "run_id"),
    ("poll interval", lambda c: c.wait_for_run("r", poll_interval=0), "poll_interval"),
    ("resolve without space", lambda c: c.resolve_project_id("chatbot-prod"), "space"),
]


@pytest.mark.parametrize(
    ("call", "field"),
    [pytest.param(call, field, id=label) for label, call, field in INVALID_CALLS],
)
def test_invalid_calls_make_no_request(
    arize: InProcessSandbox, call: Callable[[TasksClient], object], field: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        call(arize.client())
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert arize.sent == []


def test_an_empty_update_is_its_own_error(arize: InProcessSandbox) -> None:
    with pytest.raises(NoUpdateFieldsError):
        arize.client().update(TASK_ID, name=UNSET)
    assert arize.sent == []


def test_invalid_argument_error_is_a_value_error() -> None:
    assert issubclass(InvalidArgumentError, ValueError)


def test_update_of_the_other_type_is_refused_after_fetching_the_task(
    arize: InProcessSandbox,
) -> None:
    task_id = arize.add_task("gen", "RUN_EXPERIMENT")
    with pytest.raises(InvalidArgumentError) as info:
        arize.client().update(task_id, sampling_rate=0.5)
    assert info.value.field == "sampling_rate"
    assert "RUN_EXPERIMENT" in info.value.reason
    assert arize.sent_keys() == [f"GET /v2/tasks/{task_id}"]


def test_trigger_of_the_other_type_is_refused_after_fetching_the_task(
    arize: InProcessSandbox,
) -> None:
    task_id = arize.add_task("checks")
    with pytest.raises(InvalidArgumentError) as info:
        arize.client().trigger_run(task_id, experiment_name="e")
    assert info.value.field == "experiment_name"
    assert arize.count_sent("POST") == 0


def test_experiment_ids_are_refused_for_project_tasks(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    with pytest.raises(InvalidArgumentError, match="only for tasks on a dataset"):
        arize.client().trigger_run(task_id, experiment_ids=["baseline"])
    assert arize.count_sent("POST") == 0


def test_two_names_of_one_evaluator_are_caught_after_resolution(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    with pytest.raises(InvalidArgumentError, match="listed twice"):
        arize.client().create_evaluation_task(
            name="x",
            type="TEMPLATE_EVALUATION",
            project=ids["project"],
            evaluators=["hallucination", ids["evaluators"]["hallucination"]],
            space="demo-space",
        )
    assert arize.count_sent("POST") == 0


# --- the pure helpers -------------------------------------------------------------------


def fields_of(errors: list[InvalidArgumentError]) -> list[str]:
    return [e.field for e in errors]


def test_validate_task_reports_every_field_problem() -> None:
    errors = validate_task(
        "code_evaluation",
        {
            "name": "",
            "project": PROJECT_ID,
            "sampling_rate": 7,
            "evaluators": [EvaluatorSpec(EVALUATOR_ID), {"evaluator": ""}],
        },
    )
    assert fields_of(errors) == ["name", "sampling_rate", "evaluators[1].evaluator"]


def test_validate_task_refuses_fields_of_the_other_type() -> None:
    errors = validate_task(
        TaskType.RUN_EXPERIMENT,
        {"name": "g", "dataset": DATASET_ID, "run_configuration": LLM, "evaluators": ["a"]},
    )
    assert fields_of(errors) == ["evaluators"]
    errors = validate_task("TEMPLATE_EVALUATION", {"name": "g", "run_configuration": LLM})
    assert "run_configuration" in fields_of(errors)


def test_validate_task_names_missing_run_experiment_fields() -> None:
    assert fields_of(validate_task("RUN_EXPERIMENT", {"name": "g"})) == [
        "dataset",
        "run_configuration",
    ]


def test_valid_inputs_have_no_errors() -> None:
    assert (
        validate_evaluation_task(
            type="TEMPLATE_EVALUATION",
            name="checks",
            project="chatbot-prod",
            evaluators=[
                EvaluatorSpec("hallucination", query_filter="a = 1", column_mappings={"i": "x"})
            ],
            sampling_rate=0.1,
            is_continuous=True,
        )
        == []
    )
    assert validate_run_experiment_task(name="g", dataset="golden-qa", run_configuration=LLM) == []
    assert validate_run_configuration(LlmGenerationConfig.model_validate(LLM)) == []
    assert validate_evaluators(["a", {"evaluator_id": "b"}]) == []
    assert validate_update_fields("TEMPLATE_EVALUATION", {"query_filter": None}) == []
    assert validate_trigger_fields(TaskType.RUN_EXPERIMENT, {"experiment_name": "e"}) == []
    assert validate_trigger_fields(None, {}) == []


def test_validate_run_configuration_paths() -> None:
    errors = validate_run_configuration(
        {
            "experiment_type": "template_evaluation",
            "ai_integration_id": "",
            "template": "t",
            "provide_explanation": "sometimes",
            "colour": 1,
        }
    )
    assert fields_of(errors) == [
        "run_configuration.ai_integration_id",
        "run_configuration.provide_explanation",
        "run_configuration.colour",
    ]
    assert errors[2].reason == "unknown field"


def test_validate_update_fields() -> None:
    assert fields_of(validate_update_fields(None, {})) == ["update"]
    assert fields_of(validate_update_fields("RUN_EXPERIMENT", {"evaluators": ["a"]})) == [
        "evaluators"
    ]
    assert fields_of(validate_update_fields(None, {"colour": 1})) == ["colour"]
    assert fields_of(
        validate_update_fields(None, {"run_configuration": {**LLM, "messages": [{}]}})
    ) == ["run_configuration.messages[0].role"]


def test_validate_trigger_fields() -> None:
    assert fields_of(
        validate_trigger_fields(TaskType.CODE_EVALUATION, {"experiment_name": "e", "max_spans": 0})
    ) == ["experiment_name"]
    assert fields_of(validate_trigger_fields("run_experiment", {"max_examples": 3})) == [
        "experiment_name"
    ]
    assert fields_of(
        validate_trigger_fields(None, {"example_ids": "abc", "experiment_name": "e"})
    ) == ["example_ids"]
    assert fields_of(validate_trigger_fields(None, {"foo": 1})) == ["foo"]
