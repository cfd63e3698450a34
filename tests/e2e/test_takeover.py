"""A task someone made by hand is never taken over silently, through the real CLI: an
identical one older than the recovery window is refused, saying what it is and how to take it
over on purpose; ``adopt=True`` takes it over and says that ``destroy`` will delete it."""

from __future__ import annotations

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

OTHER_USER = "VXNlcjo3Nzp0ZWFt"
HAND_MADE_AT = "2026-01-05T09:30:00.000Z"


def hand_made(sandbox: Sandbox, name: str) -> str:
    """A task identical to ``programs.PROJECT_EVAL``, made by another user days ago."""
    ids = sandbox.ids()
    body = evaluation_task(
        ids,
        name,
        sampling_rate=programs.PROJECT_EVAL["sampling_rate"],
        is_continuous=programs.PROJECT_EVAL["is_continuous"],
        query_filter=programs.PROJECT_EVAL["query_filter"],
    )
    made = sandbox.call("POST", "/v2/tasks", json=body).json()
    sandbox.delete_entity("task", made["id"])
    document: dict[str, Any] = {k: v for k, v in made.items() if k != "id"}
    document |= {"created_at": HAND_MADE_AT, "created_by_user_id": OTHER_USER}
    planted = sandbox.call(
        "POST", "/_sandbox/raw/tasks", json={"space": "demo-space", "task": document}
    )
    task_id: str = planted.json()["id"]
    return task_id


def one_task(name: str, **extra: Any) -> programs.Program:
    def program() -> None:
        task = arize_pulumi.Task(name, **programs.PROJECT_EVAL, **extra)
        pulumi.export("task_id", task.task_id)

    return program


def task_ids(sandbox: Sandbox) -> list[str]:
    page = sandbox.control().get("/v2/tasks", params={"space_name": "demo-space"}).json()
    return [task["id"] for task in page["tasks"]]


def test_a_hand_made_task_is_refused_then_adopted_on_purpose_and_destroy_deletes_it(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    existing = hand_made(sandbox, "support-judge")
    stack = make_stack(one_task("support-judge"))
    with pytest.raises(auto.CommandError) as refused:
        stack.up()
    message = " ".join(str(refused.value).split())
    assert (
        "pulumi-python:dynamic/arize:Task (support-judge): error: a task named 'support-judge' "
        "already exists"
    ) in message
    assert f"(ID {existing}, created 2026-01-05 09:30:00 UTC by user {OTHER_USER})" in message
    assert "It is not taken over without adopt" in message
    assert "set adopt=True (then `pulumi destroy`, or removing this resource, deletes it)" in (
        message
    )
    assert "give this task another name" in message
    assert task_ids(sandbox) == [existing]
    assert "took over" not in "".join(stack.output)

    stack.program = one_task("support-judge", adopt=True)
    stack.up()
    assert stack.outputs()["task_id"] == existing
    output = "".join(stack.output)
    assert "adopt is set: took over task 'support-judge'" in output
    assert (
        "this stack now manages it: `pulumi destroy`, or removing this resource, deletes it"
        in " ".join(output.split())
    )
    stack.destroy()
    assert task_ids(sandbox) == []


def test_another_name_avoids_the_hand_made_task(make_stack: MakeStack, sandbox: Sandbox) -> None:
    existing = hand_made(sandbox, "support-judge")
    stack = make_stack(one_task("support-judge-2"))
    stack.up()
    made = stack.outputs()["task_id"]
    assert sorted(task_ids(sandbox)) == sorted([existing, made])
    stack.destroy()
    assert task_ids(sandbox) == [existing]
