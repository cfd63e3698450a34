"""Bad input fails `pulumi preview` with a message naming the resource and the field, and the
sandbox receives no write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

P = programs.PROJECT_EVAL
D = programs.DATASET_EVAL
WINDOW = {"data_start_time": "2026-11-01T00:00:00Z", "data_end_time": "2026-11-02T00:00:00Z"}


def without(inputs: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in inputs.items() if key not in keys}


def llm(**config: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "experiment_type": "llm_generation",
        "ai_integration_id": "QWlJbnRlZ3JhdGlvbjoxOmFCY0Q=",
        "input_variable_format": "f_string",
        "messages": [{"role": "user", "content": "{question}"}],
    }
    base.update(config)
    return {"type": "run_experiment", "dataset": "golden-qa", "run_configuration": base}


TASK_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("unknown type", {**P, "type": "template_eval"}, "type"),
    ("missing type", without(P, "type"), "type"),
    ("project and dataset", {**P, "dataset": "golden-qa"}, "dataset"),
    ("neither project nor dataset", without(P, "project"), "project"),
    ("no evaluators", {**P, "evaluators": []}, "evaluators"),
    ("missing evaluators", without(P, "evaluators"), "evaluators"),
    (
        "duplicate evaluator",
        {**P, "evaluators": [{"evaluator": "hallucination"}, {"evaluator": "hallucination"}]},
        "evaluators",
    ),
    ("unknown evaluator", {**P, "evaluators": [{"evaluator": "nope"}]}, "evaluator"),
    ("unknown project", {**P, "project": "nope"}, "project"),
    ("unknown dataset", {**D, "dataset": "nope"}, "dataset"),
    ("unknown space", {**P, "space": "nowhere"}, "space"),
    ("unknown experiment", {**D, "experiment_ids": ["nope"]}, "experiment_ids"),
    ("sampling rate above 1", {**P, "sampling_rate": 1.5}, "sampling_rate"),
    ("sampling rate below 0", {**P, "sampling_rate": -0.1}, "sampling_rate"),
    ("sampling rate on a dataset", {**D, "sampling_rate": 0.5}, "sampling_rate"),
    ("continuous on a dataset", {**D, "is_continuous": True}, "is_continuous"),
    ("dataset without experiments", without(D, "experiment_ids"), "experiment_ids"),
    ("experiments on a project", {**P, "experiment_ids": ["baseline"]}, "experiment_ids"),
    ("empty name", {**P, "name": ""}, "name"),
    (
        "query mappings on a span task",
        {
            **P,
            "evaluators": [
                {
                    "evaluator": "hallucination",
                    "query_mappings": [
                        {"variable_name": "input", "query_ids": [], "attribute_path": "input"}
                    ],
                }
            ],
        },
        "evaluators[0].query_mappings",
    ),
    ("evaluators on run_experiment", {**llm(), "evaluators": P["evaluators"]}, "evaluators"),
    (
        "run_experiment without configuration",
        without(llm(), "run_configuration"),
        "run_configuration",
    ),
    (
        "configuration on an evaluation",
        {**P, "run_configuration": llm()["run_configuration"]},
        "run_configuration",
    ),
    ("unknown experiment_type", llm(experiment_type="bogus"), "experiment_type"),
    ("llm without messages", llm(messages=[]), "messages"),
    ("unknown message role", llm(messages=[{"role": "robot", "content": "x"}]), "role"),
    (
        "template config without template",
        {
            "type": "run_experiment",
            "dataset": "golden-qa",
            "run_configuration": {
                "experiment_type": "template_evaluation",
                "ai_integration_id": "QWlJbnRlZ3JhdGlvbjoxOmFCY0Q=",
                "provide_explanation": True,
            },
        },
        "template",
    ),
    (
        "agent call without integration",
        {
            "type": "run_experiment",
            "dataset": "golden-qa",
            "run_configuration": {"experiment_type": "agent_call", "input_template": {}},
        },
        "integration_id",
    ),
]

RUN_CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("experiment run without experiment_name", "experiment", {}, "experiment_name"),
    (
        "example_ids with max_examples",
        "experiment",
        {"experiment_name": "e1", "example_ids": ["a"], "max_examples": 3},
        "max_examples",
    ),
    (
        "window over 30 days",
        "evaluation",
        {"data_start_time": "2026-09-01T00:00:00Z", "data_end_time": "2026-11-01T00:00:00Z"},
        "data_start_time",
    ),
    (
        "start after end",
        "evaluation",
        {"data_start_time": "2026-11-02T00:00:00Z", "data_end_time": "2026-11-01T00:00:00Z"},
        "data_start_time",
    ),
    (
        "eval field on an experiment task",
        "experiment",
        {"experiment_name": "e", "max_spans": 9},
        "max_spans",
    ),
    (
        "experiment field on an eval task",
        "evaluation",
        {**WINDOW, "experiment_name": "e"},
        "experiment_name",
    ),
    ("unknown succeed_on status", "evaluation", {**WINDOW, "succeed_on": ["DONE"]}, "succeed_on"),
    ("non-positive timeout", "evaluation", {**WINDOW, "timeout": 0}, "timeout"),
    ("non-positive poll interval", "evaluation", {**WINDOW, "poll_interval": -1}, "poll_interval"),
    ("unknown on_timeout", "evaluation", {**WINDOW, "on_timeout": "explode"}, "on_timeout"),
]

WRITES = ("POST ", "PATCH ", "DELETE ")


def assert_refused(
    stack_factory: Callable[[], Any], sandbox: Sandbox, resource: str, field: str
) -> str:
    stack = stack_factory()
    sandbox.reset_requests()
    with pytest.raises(auto.CommandError) as failed:
        stack.preview()
    message = str(failed.value)
    assert resource in message, message
    assert field in message, message
    writes = {k: v for k, v in sandbox.requests().items() if k.startswith(WRITES)}
    assert writes == {}
    return message


@pytest.mark.parametrize(("case", "inputs", "field"), TASK_CASES, ids=[c[0] for c in TASK_CASES])
def test_bad_task_input(
    make_stack: MakeStack, sandbox: Sandbox, case: str, inputs: dict[str, Any], field: str
) -> None:
    assert_refused(
        lambda: make_stack(programs.tasks({"bad-task": inputs})), sandbox, "bad-task", field
    )


@pytest.fixture
def existing_tasks(sandbox: Sandbox) -> dict[str, str]:
    """An evaluation task and a run-experiment task made directly on the server."""
    ids = sandbox.ids()
    control = sandbox.control()
    evaluation = control.post(
        "/v2/tasks",
        json={
            "type": "TEMPLATE_EVALUATION",
            "name": "existing-eval",
            "project_id": ids["project"],
            "evaluators": [{"evaluator_id": ids["evaluators"]["hallucination"]}],
        },
    )
    config = llm(ai_integration_id=ids["ai_integration"])["run_configuration"]
    config.update(experiment_type="LLM_GENERATION", input_variable_format="F_STRING")
    config["messages"] = [{"role": "USER", "content": "{question}"}]
    experiment = control.post(
        "/v2/tasks",
        json={
            "type": "RUN_EXPERIMENT",
            "name": "existing-experiment",
            "dataset_id": ids["dataset"],
            "run_configuration": config,
        },
    )
    assert evaluation.status_code == 201, evaluation.text
    assert experiment.status_code == 201, experiment.text
    return {"evaluation": evaluation.json()["id"], "experiment": experiment.json()["id"]}


@pytest.mark.parametrize(
    ("case", "kind", "inputs", "field"), RUN_CASES, ids=[c[0] for c in RUN_CASES]
)
def test_bad_task_run_input(
    make_stack: MakeStack,
    sandbox: Sandbox,
    existing_tasks: dict[str, str],
    case: str,
    kind: str,
    inputs: dict[str, Any],
    field: str,
) -> None:
    task_id = existing_tasks[kind]

    def program() -> None:
        run = arize_pulumi.TaskRun("bad-run", task=task_id, **inputs)
        pulumi.export("status", run.status)

    assert_refused(lambda: make_stack(program), sandbox, "bad-run", field)
    assert sandbox.requests().get("POST /v2/tasks/{task_id}/trigger", 0) == 0


def test_missing_api_key_names_both_ways_to_set_it(
    make_stack: MakeStack, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARIZE_API_KEY", raising=False)

    def factory() -> Any:
        stack = make_stack(programs.tasks({"bad-task": P}))
        stack.stack.remove_config("arize:apiKey")
        return stack

    message = assert_refused(factory, sandbox, "bad-task", "arize:apiKey")
    assert "ARIZE_API_KEY" in message


def test_wrong_api_key_is_refused_without_echoing_it(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    wrong = "wrong-key-" + "z" * 20
    message = assert_refused(
        lambda: make_stack(programs.tasks({"bad-task": P}), api_key=wrong),
        sandbox,
        "bad-task",
        "arize:apiKey",
    )
    assert wrong not in message


def test_unknown_region_names_the_setting(make_stack: MakeStack, sandbox: Sandbox) -> None:
    def factory() -> Any:
        stack = make_stack(programs.tasks({"bad-task": P}))
        stack.stack.remove_config("arize:baseUrl")
        stack.stack.set_config("arize:region", auto.ConfigValue("mars-north-1"))
        return stack

    assert_refused(factory, sandbox, "bad-task", "arize:region")
