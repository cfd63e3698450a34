"""Faults, interruption, secrets and out-of-band deletion, through the real CLI."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

WINDOW = {
    "data_start_time": "2026-11-01T00:00:00Z",
    "data_end_time": "2026-11-02T00:00:00Z",
    "poll_interval": 0.2,
}


def server_tasks(sandbox: Sandbox) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"space_name": "demo-space", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = sandbox.control().get("/v2/tasks", params=params).json()
        tasks += page["tasks"]
        if not page["pagination"]["has_more"]:
            return tasks
        cursor = page["pagination"]["next_cursor"]


def many_tasks(count: int, runs: int = 0) -> programs.Program:
    def program() -> None:
        for index in range(count):
            task = arize_pulumi.Task(f"fleet-{index:02d}", **programs.PROJECT_EVAL)
            if index < runs:
                run = arize_pulumi.TaskRun(f"fleet-run-{index}", task=task.task_id, **WINDOW)
                pulumi.export(f"fleet-run-{index}", run.status)

    return program


@pytest.mark.parametrize(
    ("phase", "disconnect"),
    [("before", False), ("after", False), ("after", True)],
    ids=["before", "after", "cut-after"],
)
def test_up_succeeds_under_faults_with_no_duplicate(
    make_stack: MakeStack, sandbox: Sandbox, phase: str, disconnect: bool
) -> None:
    sandbox.faults(
        rate=0.3,
        statuses=[429, 500, 503],
        retry_after=1,
        phase=phase,
        disconnect=disconnect,
        seed=11,
    )
    stack = make_stack(many_tasks(20, runs=2))
    stack.up()
    faulted = sandbox.requests()
    sandbox.clear_faults()

    names = sorted(task["name"] for task in server_tasks(sandbox))
    assert names == [f"fleet-{index:02d}" for index in range(20)]
    outputs = stack.outputs()
    assert [outputs[f"fleet-run-{index}"] for index in range(2)] == ["COMPLETED"] * 2
    runs = [
        sandbox.control().get(f"/v2/tasks/{task['id']}/runs").json()["task_runs"]
        for task in server_tasks(sandbox)
        if task["name"] in {"fleet-00", "fleet-01"}
    ]
    assert [len(found) for found in runs] == [1, 1]
    assert sum(faulted.values()) > 20  # faults were really injected and retried
    stack.preview(expect_no_changes=True)


def test_an_exhausted_retry_budget_names_the_call_and_a_rerun_converges(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(many_tasks(5), config={"arize:maxRetries": "1"})
    sandbox.faults(rate=1.0, statuses=[503], retry_after=0, phase="before", seed=3)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    message = str(failed.value)
    assert "503" in message
    assert "/v2/" in message
    assert "safe" in message.lower()
    assert sandbox.api_key not in message

    sandbox.clear_faults()
    stack.up()
    assert len(server_tasks(sandbox)) == 5
    stack.preview(expect_no_changes=True)


@pytest.mark.filterwarnings(
    # The killed engine leaves the inline program's coroutine unfinished, as intended.
    "ignore::pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.parametrize(
    "env",
    [{}, {"PULUMI_SKIP_CHECKPOINTS": "true"}],
    ids=["checkpoint-per-step", "checkpoints-skipped"],
)
def test_sigkill_during_up_then_documented_recovery_converges(
    make_stack: MakeStack, sandbox: Sandbox, env: dict[str, str]
) -> None:
    """Also with the engine writing the state only at the end, where a killed up leaves no
    record of anything it made: the next up takes each task over instead of duplicating it."""
    # Every answer comes 300 ms after the server made the change: the kill lands while
    # creates are made on the server but not yet recorded in the state.
    sandbox.faults(rate=0, latency_ms=300, phase="after")
    stack = make_stack(many_tasks(30), env=env)
    stack.up_killed_when(lambda: len(server_tasks(sandbox)) >= 8)
    sandbox.clear_faults()
    created_before_recovery = len(server_tasks(sandbox))
    assert 0 < created_before_recovery < 30

    # The recovery the README documents: drop empty backend metadata a kill mid-write can
    # leave, release the lock, then up again.
    stack.delete_empty_backend_metadata()
    stack.stack.cancel()
    stack.up()
    names = sorted(task["name"] for task in server_tasks(sandbox))
    assert names == [f"fleet-{index:02d}" for index in range(30)]
    stack.preview(expect_no_changes=True)
    took_over = [line for line in stack.output if "took over" in line or "adopt" in line]
    assert took_over, "tasks created before the kill are taken over, and the provider says so"


def test_empty_backend_metadata_from_a_kill_mid_write_is_recovered_as_documented(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(many_tasks(2))
    stack.up()
    # What a kill between creating and writing the state's metadata file leaves behind.
    (attrs,) = [p for p in (stack.work_dir / "state").rglob("*.json.attrs") if "stacks" in p.parts]
    attrs.write_bytes(b"")
    with pytest.raises(auto.CommandError, match="failed to load checkpoint: EOF"):
        stack.stack.cancel()

    assert stack.delete_empty_backend_metadata() == [attrs]
    stack.stack.cancel()
    stack.preview(expect_no_changes=True)
    assert len(server_tasks(sandbox)) == 2


def test_a_failing_up_leaks_no_key(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(programs.tasks({"gated": programs.PROJECT_EVAL}))
    stack.up()
    sandbox.outcome(stack.outputs()["gated.task_id"], "FAILED", failure_reason="boom")
    stack.program = programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": WINDOW})
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    stack.refresh()
    assert sandbox.api_key not in str(failed.value)
    assert sandbox.api_key not in "".join(stack.output)
    assert sandbox.api_key not in json.dumps(stack.export())


def test_refresh_after_the_project_is_deleted(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(programs.tasks({"eval": programs.PROJECT_EVAL}))
    stack.up()
    sandbox.delete_entity("project", sandbox.ids()["project"])
    stack.refresh()
    assert stack.resources("pulumi-python:dynamic/arize:Task") == []
    with pytest.raises(auto.CommandError) as failed:
        stack.preview()
    message = str(failed.value)
    assert "eval" in message and "project" in message and "chatbot-prod" in message
