"""Task with the real CLI: create each type, update vs replace, drift, adopt, destroy, secrets."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.api import evaluation_task
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e


def server_tasks(sandbox: Sandbox) -> list[dict[str, Any]]:
    response = sandbox.control().get("/v2/tasks", params={"space_name": "demo-space"})
    response.raise_for_status()
    return list(response.json()["tasks"])


def server_task(sandbox: Sandbox, task_id: str) -> dict[str, Any]:
    response = sandbox.control().get(f"/v2/tasks/{task_id}")
    response.raise_for_status()
    return dict(response.json())


def ops(preview: auto.PreviewResult) -> dict[str, int]:
    """The change summary without the untouched stack resource."""
    summary = dict(preview.change_summary)
    summary.pop("same", None)
    return summary


def test_each_type_is_created_and_then_previews_clean(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    declared = {
        "project-eval": programs.PROJECT_EVAL,
        "dataset-eval": programs.DATASET_EVAL,
        "experiment": programs.run_experiment(sandbox.ids()["ai_integration"]),
    }
    stack = make_stack(programs.tasks(declared))
    stack.up()
    outputs = stack.outputs()
    live = {task["name"]: task for task in server_tasks(sandbox)}
    assert set(live) == set(declared)
    assert live["project-eval"]["type"] == "TEMPLATE_EVALUATION"
    assert live["project-eval"]["sampling_rate"] == 0.5
    assert live["dataset-eval"]["experiment_ids"] == [sandbox.ids()["experiment"]]
    assert live["experiment"]["run_configuration"]["experiment_type"] == "LLM_GENERATION"
    for name in declared:
        assert outputs[f"{name}.task_id"] == live[name]["id"]

    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"sampling_rate": 0.9}, {"sampling_rate": 0.9}),
        ({"query_filter": "metadata.environment = 'staging'"}, {}),
        ({"name": "renamed-eval"}, {"name": "renamed-eval"}),
        (
            {"evaluators": [{"evaluator": "hallucination"}, {"evaluator": "relevance"}]},
            {},
        ),
    ],
    ids=["sampling_rate", "query_filter", "name", "evaluators"],
)
def test_changes_that_update_in_place(
    make_stack: MakeStack, sandbox: Sandbox, change: dict[str, Any], expected: dict[str, Any]
) -> None:
    stack = make_stack(programs.tasks({"eval": programs.PROJECT_EVAL}))
    stack.up()
    task_id = stack.outputs()["eval.task_id"]

    stack.program = programs.tasks({"eval": {**programs.PROJECT_EVAL, **change}})
    assert ops(stack.preview()) == {"update": 1}
    sandbox.reset_requests()
    stack.up()
    counts = sandbox.requests()
    assert counts.get("PATCH /v2/tasks/{task_id}") == 1
    assert "POST /v2/tasks" not in counts
    assert "DELETE /v2/tasks/{task_id}" not in counts

    live = server_task(sandbox, task_id)
    assert stack.outputs()["eval.task_id"] == task_id
    for key, value in expected.items():
        assert live[key] == value
    if "query_filter" in change:
        assert live["query_filter"] == change["query_filter"]
    if "evaluators" in change:
        assert sorted(e["evaluator_name"] for e in live["evaluators"]) == [
            "hallucination",
            "relevance",
        ]
    stack.preview(expect_no_changes=True)


def test_run_configuration_change_updates_in_place(make_stack: MakeStack, sandbox: Sandbox) -> None:
    integration = sandbox.ids()["ai_integration"]
    stack = make_stack(programs.tasks({"exp": programs.run_experiment(integration)}))
    stack.up()
    task_id = stack.outputs()["exp.task_id"]
    stack.program = programs.tasks({"exp": programs.run_experiment(integration, 0.7)})
    assert ops(stack.preview()) == {"update": 1}
    stack.up()
    live = server_task(sandbox, task_id)
    assert live["run_configuration"]["invocation_parameters"]["temperature"] == 0.7
    stack.preview(expect_no_changes=True)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            programs.PROJECT_EVAL,
            {
                **programs.PROJECT_EVAL,
                "type": "code_evaluation",
                "evaluators": [{"evaluator": "json-valid"}],
            },
        ),
        (
            programs.PROJECT_EVAL,
            {
                "type": "template_evaluation",
                "dataset": "golden-qa",
                "experiment_ids": ["baseline"],
                "evaluators": [{"evaluator": "hallucination"}],
            },
        ),
    ],
    ids=["type", "project-to-dataset"],
)
def test_changes_that_replace(
    make_stack: MakeStack, sandbox: Sandbox, before: dict[str, Any], after: dict[str, Any]
) -> None:
    stack = make_stack(programs.tasks({"eval": before}))
    stack.up()
    old_id = stack.outputs()["eval.task_id"]
    stack.program = programs.tasks({"eval": after})
    assert ops(stack.preview()) == {"replace": 1}
    stack.up()
    new_id = stack.outputs()["eval.task_id"]
    assert new_id != old_id
    assert [task["id"] for task in server_tasks(sandbox)] == [new_id]
    stack.preview(expect_no_changes=True)


def test_experiment_ids_change_replaces(make_stack: MakeStack, sandbox: Sandbox) -> None:
    seeded = sandbox.seed(
        {
            "spaces": [
                {
                    "name": "demo-space",
                    "datasets": [{"name": "golden-qa", "experiments": [{"name": "candidate"}]}],
                }
            ]
        }
    )
    assert seeded
    stack = make_stack(programs.tasks({"ds": programs.DATASET_EVAL}))
    stack.up()
    old_id = stack.outputs()["ds.task_id"]
    stack.program = programs.tasks(
        {"ds": {**programs.DATASET_EVAL, "experiment_ids": ["baseline", "candidate"]}}
    )
    assert ops(stack.preview()) == {"replace": 1}
    stack.up()
    assert stack.outputs()["ds.task_id"] != old_id
    assert len(server_tasks(sandbox)) == 1


def test_switching_a_reference_from_name_to_id_is_no_change(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    ids = sandbox.ids()
    stack = make_stack(programs.tasks({"eval": programs.PROJECT_EVAL}))
    stack.up()
    by_id = {
        **programs.PROJECT_EVAL,
        "project": ids["project"],
        "space": ids["space"],
        "evaluators": [{"evaluator": ids["evaluators"]["hallucination"]}],
    }
    stack.program = programs.tasks({"eval": by_id})
    stack.preview(expect_no_changes=True)


def test_refresh_finds_drift_and_up_restores_it(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(programs.tasks({"eval": programs.PROJECT_EVAL}))
    stack.up()
    task_id = stack.outputs()["eval.task_id"]
    patched = sandbox.control().patch(f"/v2/tasks/{task_id}", json={"sampling_rate": 0.1})
    assert patched.status_code == 200

    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes.get("update") == 1
    assert ops(stack.preview()) == {"update": 1}
    stack.up()
    assert server_task(sandbox, task_id)["sampling_rate"] == 0.5
    stack.preview(expect_no_changes=True)


def test_refresh_drops_a_deleted_task_and_up_recreates_it(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.tasks({"eval": programs.PROJECT_EVAL}))
    stack.up()
    task_id = stack.outputs()["eval.task_id"]
    assert sandbox.control().delete(f"/v2/tasks/{task_id}").status_code == 204

    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes.get("delete") == 1
    assert ops(stack.preview()) == {"create": 1}
    stack.up()
    (recreated,) = server_tasks(sandbox)
    assert recreated["id"] != task_id
    assert recreated["name"] == "eval"


def test_adopt_takes_over_an_existing_task(make_stack: MakeStack, sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    existing = sandbox.control().post(
        "/v2/tasks",
        json={
            "type": "TEMPLATE_EVALUATION",
            "name": "eval",
            "project_id": ids["project"],
            "sampling_rate": 0.2,
            "evaluators": [{"evaluator_id": ids["evaluators"]["relevance"]}],
        },
    )
    assert existing.status_code == 201
    existing_id = existing.json()["id"]

    clash = make_stack(programs.tasks({"eval": programs.PROJECT_EVAL}), name="clash")
    with pytest.raises(auto.CommandError) as failed:
        clash.up()
    message = str(failed.value)
    assert "eval" in message and existing_id in message and "adopt" in message

    adopting = make_stack(
        programs.tasks({"eval": {**programs.PROJECT_EVAL, "adopt": True}}), name="adopt"
    )
    adopting.up()
    assert adopting.outputs()["eval.task_id"] == existing_id
    (only,) = server_tasks(sandbox)
    assert only["id"] == existing_id
    assert only["sampling_rate"] == 0.5
    assert [e["evaluator_name"] for e in only["evaluators"]] == ["hallucination"]
    adopting.preview(expect_no_changes=True)


def test_destroy_removes_everything_and_state_holds_no_key(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    key = sandbox.api_key
    stack = make_stack(
        programs.tasks(
            {
                "project-eval": programs.PROJECT_EVAL,
                "dataset-eval": programs.DATASET_EVAL,
            }
        )
    )
    stack.up()
    stack.refresh()
    exported = json.dumps(stack.export())
    assert key not in exported
    assert key not in stack.state_text()
    assert key not in "".join(stack.output)
    for resource in stack.resources("pulumi-python:dynamic/arize:Task"):
        provider = resource["outputs"]["__provider"]
        assert isinstance(provider, str) and len(provider) < 300
    stack.destroy()
    assert server_tasks(sandbox) == []
    assert key not in "".join(stack.output)


def test_get_reads_an_existing_task_without_managing_it(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    ids = sandbox.ids()
    relevance = [{"evaluator_id": ids["evaluators"]["relevance"]}]
    made = sandbox.control().post(
        "/v2/tasks",
        json=evaluation_task(ids, "made-elsewhere", sampling_rate=0.3, evaluators=relevance),
    )
    assert made.status_code == 201
    task_id = made.json()["id"]

    def program() -> None:
        found = arize_pulumi.Task.get("existing", task_id)
        pulumi.export("name", found.name)
        pulumi.export("sampling_rate", found.sampling_rate)
        pulumi.export(
            "evaluators", found.evaluators.apply(lambda e: [x["evaluator_name"] for x in e])
        )

    stack = make_stack(program)
    sandbox.reset_requests()
    stack.up()
    assert stack.outputs() == {
        "name": "made-elsewhere",
        "sampling_rate": 0.3,
        "evaluators": ["relevance"],
    }
    assert all(key.startswith("GET ") for key in sandbox.requests()), sandbox.requests()
    stack.destroy()
    assert server_task(sandbox, task_id)["name"] == "made-elsewhere"

    missing = make_stack(
        lambda: arize_pulumi.Task.get("gone", "T25saW5lVGFzazo5OTk5OTk6YWJjZA=="), name="missing"
    )
    with pytest.raises(auto.CommandError) as failed:
        missing.up()
    assert (
        "pulumi-python:dynamic/arize:Task (gone): error: task T25saW5lVGFzazo5OTk5OTk6YWJjZA== "
        "not found"
    ) in " ".join(str(failed.value).split())
