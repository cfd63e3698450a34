"""TaskRun with the real CLI: gate a deploy on a run, timeouts, refresh, re-runs, parallel waits."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.api import dataset_task
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

WINDOW = {
    "data_start_time": "2026-11-01T00:00:00Z",
    "data_end_time": "2026-11-02T00:00:00Z",
}
FAST = {**WINDOW, "poll_interval": 0.2}


def runs_of(sandbox: Sandbox, task_id: str) -> list[dict[str, Any]]:
    response = sandbox.control().get(f"/v2/tasks/{task_id}/runs")
    response.raise_for_status()
    return list(response.json()["task_runs"])


def test_a_completed_run_is_exported_with_its_counts(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": FAST}))
    stack.up()
    outputs = stack.outputs()
    run = outputs["nightly"]
    assert run["status"] == "COMPLETED"
    assert run["num_successes"] > 0
    (server_run,) = runs_of(sandbox, outputs["task_id"])
    assert server_run["id"] == run["run_id"]
    assert server_run["status"] == "COMPLETED"

    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0


def test_a_failed_run_fails_up_unless_failure_is_accepted(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.tasks({"gated": programs.PROJECT_EVAL}))
    stack.up()
    task_id = stack.outputs()["gated.task_id"]
    sandbox.outcome(task_id, "FAILED", failure_reason="evaluator crashed on span 7")

    stack.program = programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": FAST})
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    message = str(failed.value)
    (run,) = runs_of(sandbox, task_id)
    assert run["status"] == "FAILED"
    for expected in ("nightly", run["id"], "FAILED", "evaluator crashed on span 7"):
        assert expected in message

    sandbox.outcome(task_id, "FAILED", failure_reason="still broken")
    stack.program = programs.task_with_runs(
        programs.PROJECT_EVAL,
        {"nightly": {**FAST, "succeed_on": ["COMPLETED", "FAILED"], "triggers": ["again"]}},
    )
    stack.up()
    assert stack.outputs()["nightly"]["status"] == "FAILED"
    assert stack.outputs()["nightly"]["failure_reason"] == "still broken"


def test_a_run_that_never_ends_is_cancelled_at_the_timeout(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.tasks({"gated": programs.PROJECT_EVAL}))
    stack.up()
    task_id = stack.outputs()["gated.task_id"]
    sandbox.outcome(task_id, "HANG")

    stack.program = programs.task_with_runs(
        programs.PROJECT_EVAL, {"nightly": {**WINDOW, "poll_interval": 0.5, "timeout": 3}}
    )
    started = time.monotonic()
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    elapsed = time.monotonic() - started
    (run,) = runs_of(sandbox, task_id)
    assert run["status"] == "CANCELLED"
    assert run["id"] in str(failed.value)
    assert "cancel" in str(failed.value).lower()
    # The wait itself ends within timeout plus one poll; the rest is the engine's own start-up.
    assert elapsed < 3 + 0.5 + 30


def test_wait_false_then_refresh_records_the_final_status(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(
        programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": {**WINDOW, "wait": False}})
    )
    stack.up()
    assert stack.outputs()["nightly"]["status"] in {"PENDING", "RUNNING"}
    sandbox.clock.skip(1.0)  # the fixture's sandbox finishes runs in 0.3 s
    stack.refresh()
    (run,) = stack.resources("pulumi-python:dynamic/arize:TaskRun")
    assert run["outputs"]["status"] == "COMPLETED"
    assert run["outputs"]["num_successes"] > 0


def test_changing_triggers_reruns_and_wait_settings_do_not(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": FAST}))
    stack.up()
    task_id = stack.outputs()["task_id"]
    first = stack.outputs()["nightly"]["run_id"]

    stack.program = programs.task_with_runs(
        programs.PROJECT_EVAL, {"nightly": {**FAST, "poll_interval": 0.3}}
    )
    stack.up()
    assert stack.outputs()["nightly"]["run_id"] == first
    assert len(runs_of(sandbox, task_id)) == 1

    stack.program = programs.task_with_runs(
        programs.PROJECT_EVAL, {"nightly": {**FAST, "triggers": {"prompt_version": "v2"}}}
    )
    stack.up()
    assert stack.outputs()["nightly"]["run_id"] != first
    assert len(runs_of(sandbox, task_id)) == 2

    stack.program = programs.task_with_runs(
        programs.PROJECT_EVAL,
        {"nightly": {**FAST, "triggers": {"prompt_version": "v2"}, "max_spans": 500}},
    )
    stack.up()
    assert len(runs_of(sandbox, task_id)) == 3


RUNS_AT_ONCE = 8
POLL = re.compile(r"GET /v2/task-runs/(\S+) 200")


def interleaved_polls(log: str, runs: int) -> list[str] | None:
    """The runs polled in ``log`` (in order), once ``runs`` distinct runs were polled and
    each of them again after the last one's first poll: their waits overlap. None before."""
    polled = POLL.findall(log)
    firsts = {run: polled.index(run) for run in dict.fromkeys(polled)}
    if len(firsts) < runs:
        return None
    last_first = max(firsts.values())
    if not set(firsts) - {polled[last_first]} <= set(polled[last_first + 1 :]):
        return None
    return polled


def test_eight_runs_are_waited_on_at_once_and_all_complete(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    """With the sandbox's clock stopped no run can end, so every run polled before the clock
    moves again was being waited on at the same time as the others: eight waits at once,
    though the provider process starts with four worker threads."""

    def program() -> None:
        for index in range(RUNS_AT_ONCE):
            task = arize_pulumi.Task(f"eval-{index}", **programs.PROJECT_EVAL)
            run = arize_pulumi.TaskRun(f"run-{index}", task=task.task_id, **FAST)
            pulumi.export(f"run-{index}", run.status)

    seen: dict[str, Any] = {}
    stack_done = threading.Event()

    def watch() -> None:
        """Wait until all eight runs are polled, note their statuses, then let them end."""
        deadline = time.monotonic() + 180  # a bound for a failing run, not a measurement
        try:
            while time.monotonic() < deadline and not stack_done.is_set():
                polled = interleaved_polls(sandbox.stderr(), RUNS_AT_ONCE)
                if polled is not None:
                    seen["polled"] = polled
                    seen["statuses"] = {
                        run: sandbox.control().get(f"/v2/task-runs/{run}").json()["status"]
                        for run in dict.fromkeys(polled)
                    }
                    return
                time.sleep(0.2)
        finally:
            sandbox.clock.resume()

    stack = make_stack(program)
    sandbox.clock.freeze()
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # The engine's own limit (`--parallel`, 4 per CPU by default) must not be the one seen.
        stack.up(parallel=2 * RUNS_AT_ONCE)
    finally:
        stack_done.set()
        watcher.join()

    assert "polled" in seen, "the eight runs were never all waited on at once"
    assert len(seen["statuses"]) == RUNS_AT_ONCE
    assert set(seen["statuses"].values()) <= {"PENDING", "RUNNING"}
    outputs = stack.outputs()
    assert [outputs[f"run-{index}"] for index in range(RUNS_AT_ONCE)] == ["COMPLETED"] * 8
    finished = {r["id"] for r in stack.resources("pulumi-python:dynamic/arize:TaskRun")}
    assert finished == set(seen["statuses"])


def test_get_reads_an_existing_run_without_managing_it(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    api = sandbox.control()
    made = api.post("/v2/tasks", json=dataset_task(sandbox.ids(), "triggered-elsewhere"))
    assert made.status_code == 201
    task_id = made.json()["id"]
    run_id = api.post(f"/v2/tasks/{task_id}/trigger", json={}).json()["id"]

    def program() -> None:
        seen = arize_pulumi.TaskRun.get("seen", run_id)
        pulumi.export("task_id", seen.task_id)
        pulumi.export("status", seen.status)

    stack = make_stack(program)
    stack.up()
    assert stack.outputs()["task_id"] == task_id
    assert stack.outputs()["status"] in {"PENDING", "RUNNING", "COMPLETED"}
    sandbox.clock.skip(1.0)  # past the 0.3 s the fixture's sandbox takes for a run
    stack.up()
    assert stack.outputs()["status"] == "COMPLETED"
    stack.destroy()
    assert api.get(f"/v2/task-runs/{run_id}").status_code == 200

    missing = make_stack(
        lambda: arize_pulumi.TaskRun.get("gone", "VGFza1J1bjo5OTk5OTk6YWJjZA=="), name="missing"
    )
    with pytest.raises(auto.CommandError) as failed:
        missing.up()
    assert (
        "pulumi-python:dynamic/arize:TaskRun (gone): error: run VGFza1J1bjo5OTk5OTk6YWJjZA== "
        "not found"
    ) in " ".join(str(failed.value).split())
