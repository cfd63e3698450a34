"""The real CLI drives this package's dynamic provider through preview, up and destroy."""

from __future__ import annotations

import pulumi
import pytest

import arize_pulumi
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

TASK_TYPE = "pulumi-python:dynamic/arize:Task"


def smallest_task() -> None:
    task = arize_pulumi.Task(
        "smallest",
        type="template_evaluation",
        project="chatbot-prod",
        evaluators=[{"evaluator": "hallucination"}],
    )
    pulumi.export("task_id", task.task_id)


def test_preview_up_preview_destroy(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(smallest_task)

    preview = stack.preview()
    assert preview.change_summary.get("create") == 2  # the stack and the task
    assert sandbox.requests().get("POST /v2/tasks", 0) == 0

    up = stack.up()
    assert up.summary.result == "succeeded"
    task_id = stack.outputs()["task_id"]
    listed = sandbox.control().get(f"/v2/tasks/{task_id}")
    assert listed.status_code == 200
    assert listed.json()["name"] == "smallest"

    sandbox.reset_requests()
    again = stack.preview(expect_no_changes=True)
    assert again.change_summary == {"same": 2}
    assert sandbox.total_requests() == 0

    (resource,) = stack.resources(TASK_TYPE)
    assert len(resource["outputs"]["__provider"]) < 300

    destroyed = stack.destroy()
    assert destroyed.summary.result == "succeeded"
    assert sandbox.control().get(f"/v2/tasks/{task_id}").status_code == 404
