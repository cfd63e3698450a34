"""Everything a new task refers to is checked at preview, IDs included: a replace never starts
on a task whose create the API would refuse for a reference that is not there.

A new ID costs one request at the check that first sees it; the next check reuses it, so an
unchanged program still previews without a request (tests/unit/test_task_provider.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from arize_pulumi.resources import TaskProvider
from arize_pulumi.tasks.ids import encode_id
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import (
    DATASET_EVAL,
    PROJECT_EVAL,
    declared,
    run_experiment,
    wire,
)

MISSING = {
    "project": encode_id("Model", 9_999, "gone"),
    "dataset": encode_id("Dataset", 9_999, "gone"),
    "evaluator": encode_id("Evaluator", 9_999, "gone"),
    "experiment": encode_id("Experiment", 9_999, "gone"),
    "integration": encode_id("AiIntegration", 9_999, "gone"),
}
"""Well-formed IDs that name nothing (a typo in one character looks like these)."""


@pytest.fixture
def provider(arize: InProcessSandbox) -> TaskProvider:
    return wire(TaskProvider(), arize)


def problems(provider: TaskProvider, values: dict[str, Any]) -> list[tuple[str, str]]:
    result = provider.check({}, declared("eval", values))
    return [(f.property, f.reason) for f in result.failures]


def writes(arize: InProcessSandbox) -> list[str]:
    return [key for key in arize.sent_keys() if not key.startswith("GET ")]


def test_a_project_id_that_names_nothing_is_refused(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    found = problems(provider, {**PROJECT_EVAL, "project": MISSING["project"]})
    assert found == [
        ("project", f"Task 'eval': project {MISSING['project']} not found: no such ID")
    ]
    assert writes(arize) == []


def test_a_dataset_of_another_space_is_refused(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    arize.add_space("elsewhere")
    dataset = arize.add_dataset("theirs", space="elsewhere")
    values = {**DATASET_EVAL, "dataset": dataset, "experiment_ids": [MISSING["experiment"]]}
    (found,) = [reason for prop, reason in problems(provider, values) if prop == "dataset"]
    assert f"dataset {dataset} belongs to another space" in found
    assert "not space 'demo-space'" in found


def test_an_evaluator_id_not_in_the_space_is_refused(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    values = {**PROJECT_EVAL, "evaluators": [MISSING["evaluator"]]}
    ((prop, reason),) = problems(provider, values)
    assert prop == "evaluators"
    assert f"evaluator '{MISSING['evaluator']}' (evaluators[0]) not found" in reason
    assert "hallucination" in reason  # what the space has


def test_an_experiment_id_of_another_dataset_or_none_is_refused(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    arize.add_dataset("other-qa")
    foreign = arize.add_experiment("theirs", dataset="other-qa")
    values = {**DATASET_EVAL, "experiment_ids": [foreign, MISSING["experiment"]]}
    reasons = [reason for prop, reason in problems(provider, values) if prop == "experiment_ids"]
    assert len(reasons) == 2
    assert f"experiment {foreign} belongs to dataset" in reasons[0]
    assert "not dataset 'golden-qa'" in reasons[0]
    assert f"experiment {MISSING['experiment']} not found: no such ID" in reasons[1]


def test_a_mistyped_ai_integration_id_is_refused_at_preview(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    ((prop, reason),) = problems(provider, run_experiment(MISSING["integration"]))
    assert prop == "run_configuration"
    assert f"AI integration '{MISSING['integration']}' (run_configuration.ai_integration)" in (
        reason
    )
    assert "not found: no such ID" in reason
    assert writes(arize) == []


def test_an_integration_of_the_wrong_type_is_refused(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    agent = arize.ids()["agent_integration"]
    values = {
        "type": "run_experiment",
        "dataset": "golden-qa",
        "run_configuration": {
            "experiment_type": "agent_call",
            "integration_id": arize.ids()["ai_integration"],
            "input_template": {"question": "{question}"},
        },
    }
    ((prop, reason),) = problems(provider, values)
    assert prop == "run_configuration"
    assert "is an LLM integration; this experiment type needs an AGENT integration" in reason
    values["run_configuration"]["integration_id"] = agent
    assert problems(provider, values) == []


def test_without_a_key_ids_are_left_to_the_api(arize: InProcessSandbox) -> None:
    """A preview without secrets (a pull request from a fork) still passes on IDs."""
    provider = wire(TaskProvider(), arize, api_key=None)
    values = {
        **PROJECT_EVAL,
        "space": arize.ids()["space"],
        "project": MISSING["project"],
        "evaluators": [MISSING["evaluator"]],
    }
    assert problems(provider, values) == []
    assert arize.sent == []
