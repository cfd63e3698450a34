"""Arize's ``ax`` CLI (pinned in ``requirements-official.txt``) against a sandbox: a task's life
as a person types it, with a profile that points the CLI at the sandbox in a ``HOME`` of its own.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conformance.official import Official
from tests.support.control import rfc3339
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.conformance


def test_project_task_create_get_trigger_wait_list_delete(
    official: Official, official_sandbox: Sandbox, ids: dict[str, Any]
) -> None:
    evaluators = json.dumps(
        [
            {"evaluator_id": ids["evaluators"]["hallucination"]},
            {
                "evaluator_id": ids["evaluators"]["relevance"],
                "column_mappings": {"input": "attributes.input.value"},
            },
        ]
    )
    created = official.ax_json(
        "tasks", "create",
        "--name", "cli-project-task",
        "--task-type", "TEMPLATE_EVALUATION",
        "--evaluators", evaluators,
        "--project", "chatbot-prod",
        "--space", "demo-space",
        "--sampling-rate", "0.5",
        "--query-filter", "metadata.environment = 'production'",
    )  # fmt: skip
    assert created["project_id"] == ids["project"]
    assert [e["evaluator_name"] for e in created["evaluators"]] == ["hallucination", "relevance"]
    assert official.ax_json("tasks", "get", created["id"]) == created

    listed = official.ax_json("tasks", "list", "--space", "demo-space", "--name", "cli-project")
    assert [t["id"] for t in listed["tasks"]] == [created["id"]]
    assert listed["pagination"]["has_more"] is False

    # The CLI sends the end of the window itself (now) when only the start is given.
    start = official_sandbox.clock.now().replace(microsecond=0)
    first = official.ax_json(
        "tasks", "trigger-run", created["id"],
        "--data-start-time", rfc3339(start).replace(".000", ""),
        "--wait", "--poll-interval", "0.1", "--timeout", "60",
    )  # fmt: skip
    assert first["status"] == "COMPLETED"
    assert first["data_start_time"].startswith(start.strftime("%Y-%m-%dT%H:%M:%S"))
    assert first["data_end_time"]

    # Without --wait, then the sandbox clock moves past the run and wait-for-run sees it end.
    second = official.ax_json("tasks", "trigger-run", created["id"], "--max-spans", "10")
    assert second["status"] == "PENDING"
    official_sandbox.clock.skip(5)
    waited = official.ax_json("tasks", "wait-for-run", second["id"], "--poll-interval", "0.1")
    assert waited["status"] == "COMPLETED"
    assert official.ax_json("tasks", "get-run", second["id"]) == waited

    runs = official.ax_json("tasks", "list-runs", created["id"], "--status", "COMPLETED")
    assert [r["id"] for r in runs["task_runs"]] == [second["id"], first["id"]]

    official.ax("tasks", "delete", "cli-project-task", "--space", "demo-space", "--force")
    missing = official.ax("tasks", "get", created["id"], "-o", "json", expect_ok=False)
    assert missing.returncode != 0
    assert "not found" in missing.stdout + missing.stderr


def test_run_experiment_task_create_trigger_wait_delete(
    official: Official, ids: dict[str, Any]
) -> None:
    config = {
        "experiment_type": "LLM_GENERATION",
        "ai_integration_id": ids["ai_integration"],
        "messages": [{"role": "USER", "content": "Answer: {question}"}],
        "input_variable_format": "F_STRING",
    }
    created = official.ax_json(
        "tasks", "create",
        "--name", "cli-experiment-task",
        "--task-type", "RUN_EXPERIMENT",
        "--dataset", "golden-qa",
        "--space", "demo-space",
        "--run-configuration", json.dumps(config),
    )  # fmt: skip
    assert created["type"] == "RUN_EXPERIMENT"
    assert created["run_configuration"]["ai_integration_id"] == ids["ai_integration"]
    run = official.ax_json(
        "tasks", "trigger-run", created["id"],
        "--experiment-name", "cli-experiment",
        "--max-examples", "3",
        "--tracing-metadata", json.dumps({"source": "ax"}),
        "--wait", "--poll-interval", "0.1", "--timeout", "60",
    )  # fmt: skip
    assert run["status"] == "COMPLETED"
    assert run["experiment_id"]
    experiments = official.ax_json("experiments", "list", "--dataset", ids["dataset"])
    assert "cli-experiment" in [e["name"] for e in experiments["experiments"]]
    official.ax("tasks", "delete", created["id"], "--force")
    listed = official.ax_json("tasks", "list", "--space", "demo-space", "--name", "cli-experiment")
    assert listed["tasks"] == []
