"""A space as the real API may hold it, through the real CLI: evaluators of types REMOTE and
HARNESS, trace-shape tasks, tasks the provider does not model (planted as raw documents), and
every answer as rich as the real API's (unknown keys at every depth, nulls for optional fields).
A program of a span task, a trace task and a run-experiment task goes up, previews unchanged
without a request, refreshes without drift, adopts a hand-made task and is destroyed."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pulumi import automation as auto

from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

NEW_EVALUATORS = [
    {"name": "remote-judge", "type": "REMOTE", "description": "hosted elsewhere"},
    {"name": "harness-check", "type": "HARNESS"},
]


def seed_real_space(sandbox: Sandbox) -> dict[str, str]:
    """REMOTE and HARNESS evaluators, a trace task made by hand, and three tasks of kinds the
    provider does not model. Answers the IDs of the tasks made outside the program."""
    sandbox.seed({"spaces": [{"name": "demo-space", "evaluators": NEW_EVALUATORS}]})
    ids = sandbox.ids()
    api = sandbox.control()
    hallucination = ids["evaluators"]["hallucination"]
    by_hand = api.post(
        "/v2/tasks",
        json={
            "type": "TEMPLATE_EVALUATION",
            "name": "legacy",
            "project_id": ids["project"],
            "query_filters": {"filters": [{"id": "A", "filter": "span_kind = 'LLM'"}]},
            "evaluators": [
                {
                    "evaluator_id": hallucination,
                    "query_mappings": [
                        {"variable_name": "input", "query_ids": ["A"], "attribute_path": "input"}
                    ],
                }
            ],
        },
    )
    assert by_hand.status_code == 201, by_hand.text
    made = {"legacy": by_hand.json()["id"]}
    planted = [
        {
            "name": "legacy-sessions",
            "type": "SESSION_REPLAY",
            "project_id": ids["project"],
            "replay": {"window": "7d", "sources": [{"kind": "otel", "weight": None}]},
        },
        {
            "name": "legacy-workflow",
            "type": "RUN_EXPERIMENT",
            "dataset_id": ids["dataset"],
            "experiment_ids": None,
            "evaluators": None,
            "run_configuration": {"experiment_type": "WORKFLOW_CALL", "workflow_id": "wf-9"},
        },
        {
            "name": "legacy-tuned",
            "type": "RUN_EXPERIMENT",
            "dataset_id": ids["dataset"],
            "is_continuous": None,
            "run_configuration": {
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": ids["ai_integration"],
                "input_variable_format": "F_STRING",
                "messages": [{"role": "USER", "content": "{q}", "cache": {"ttl": 60}}],
                "provider_parameters": None,
                "routing": {"fallbacks": ["gpt-4o"]},
            },
        },
    ]
    for document in planted:
        response = api.post("/_sandbox/raw/tasks", json={"space": "demo-space", "task": document})
        assert response.status_code == 201, response.text
        made[document["name"]] = response.json()["id"]
    switched = api.post("/_sandbox/rich-answers", json={"enabled": True})
    assert switched.json() == {"enabled": True}
    return made


def declared(ai_integration: str) -> dict[str, dict[str, Any]]:
    span = {
        **programs.PROJECT_EVAL,
        "evaluators": [
            {"evaluator": "hallucination", "column_mappings": {"input": "attributes.input.value"}},
            {"evaluator": "remote-judge"},
        ],
    }
    adopted = copy.deepcopy(programs.TRACE_EVAL)
    adopted["adopt"] = True
    return {
        "span": span,
        "trace": programs.TRACE_EVAL,
        "experiment": programs.run_experiment(ai_integration),
        "legacy": adopted,
        "legacy-tuned": {**programs.run_experiment(ai_integration), "adopt": True},
    }


def server_tasks(sandbox: Sandbox) -> dict[str, dict[str, Any]]:
    response = sandbox.control().get("/v2/tasks", params={"space_name": "demo-space"})
    response.raise_for_status()
    return {task["name"]: task for task in response.json()["tasks"] or []}


def test_a_space_as_the_real_api_holds_it(make_stack: MakeStack, sandbox: Sandbox) -> None:
    outside = seed_real_space(sandbox)
    stack = make_stack(programs.tasks(declared(sandbox.ids()["ai_integration"])))

    stack.up()
    outputs = stack.outputs()
    live = server_tasks(sandbox)
    assert live["span"]["x_arize_future"] == {"nested": [1, {"deeper": None}]}  # rich indeed
    assert sorted(e["evaluator_name"] for e in live["span"]["evaluators"]) == [
        "hallucination",
        "remote-judge",
    ]
    assert live["trace"]["query_filters"]["expression"] == "A AND B"
    assert live["experiment"]["run_configuration"]["experiment_type"] == "LLM_GENERATION"
    # The hand-made trace task was found among the planted ones (a name lookup reads them all)
    # and brought to the declaration.
    assert outputs["legacy.task_id"] == outside["legacy"]
    assert {f["id"] for f in live["legacy"]["query_filters"]["filters"]} == {"A", "B"}
    # So was the planted run-experiment task with keys and nulls the provider does not model.
    assert outputs["legacy-tuned.task_id"] == outside["legacy-tuned"]
    tuned = live["legacy-tuned"]["run_configuration"]
    assert tuned["model_name"] == "gpt-4o-mini"
    assert tuned["invocation_parameters"]["temperature"] == 0.2
    assert "routing" not in tuned  # the configuration was replaced whole
    for name in ("span", "trace", "experiment", "legacy", "legacy-tuned"):
        assert outputs[f"{name}.task_id"] == live[name]["id"]

    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0

    refreshed = stack.refresh()
    changes = refreshed.summary.resource_changes or {}
    assert {str(op): n for op, n in changes.items() if op != "same"} == {}, changes
    assert sandbox.requests() == {"GET /v2/tasks/{task_id}": 5}
    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0

    stack.destroy()
    left = server_tasks(sandbox)
    assert set(left) == {"legacy-sessions", "legacy-workflow"}
    assert left["legacy-sessions"]["replay"]["window"] == "7d"

    # A task of a type the provider does not know is never taken over, even with adopt.
    clash = make_stack(
        programs.tasks({"legacy-sessions": {**programs.PROJECT_EVAL, "adopt": True}}),
        name="clash",
    )
    with pytest.raises(auto.CommandError) as failed:
        clash.up()
    message = str(failed.value)
    assert outside["legacy-sessions"] in message and "its type" in message, message
    assert set(server_tasks(sandbox)) == {"legacy-sessions", "legacy-workflow"}
