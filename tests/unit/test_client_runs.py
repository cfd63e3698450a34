"""Triggering, listing, cancelling and waiting for task runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from arize_pulumi.tasks import RunStatus, TaskRun, WaitTimeoutError
from tests.support.inprocess import InProcessSandbox


def never_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds}s where no wait was expected")


def test_trigger_an_evaluation_run(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    run = arize.client().trigger_run(
        task_id,
        data_start_time=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        data_end_time=datetime(2026, 3, 2, 12, 0, 0, 250000, tzinfo=UTC),
        max_spans=500,
        override_evaluations=True,
    )
    assert run.status is RunStatus.PENDING and run.task_id == task_id
    assert arize.sent_keys() == [f"GET /v2/tasks/{task_id}", f"POST /v2/tasks/{task_id}/trigger"]
    assert arize.sent[-1].body == {
        "data_start_time": "2026-03-01T12:00:00.000Z",
        "data_end_time": "2026-03-02T12:00:00.250Z",
        "max_spans": 500,
        "override_evaluations": True,
    }


def test_trigger_with_no_fields_sends_an_empty_body(arize: InProcessSandbox) -> None:
    task_id = arize.add_dataset_task("checks")
    arize.client().trigger_run(task_id, task_type="CODE_EVALUATION")
    assert arize.sent_keys() == [f"POST /v2/tasks/{task_id}/trigger"]
    assert arize.sent[-1].body == {}


def test_trigger_a_dataset_task_by_names(arize: InProcessSandbox) -> None:
    task_id = arize.add_dataset_task("offline")
    arize.client(space="demo-space").trigger_run("offline", experiment_ids=["baseline"])
    assert arize.sent[-1].body == {"experiment_ids": [arize.ids()["experiment"]]}
    assert arize.sent_keys()[-1] == f"POST /v2/tasks/{task_id}/trigger"


def test_trigger_a_run_experiment_task(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("gen", "RUN_EXPERIMENT")
    evaluation_id = arize.add_task("checks")
    arize.client(space="demo-space").trigger_run(
        "gen",
        experiment_name="gen-2026-03",
        max_examples=20,
        tracing_metadata={"team": "qa"},
        evaluation_task_ids=["checks"],
    )
    assert arize.sent[-1].key == f"POST /v2/tasks/{task_id}/trigger"
    assert arize.sent[-1].body == {
        "experiment_name": "gen-2026-03",
        "max_examples": 20,
        "tracing_metadata": {"team": "qa"},
        "evaluation_task_ids": [evaluation_id],
    }


def test_list_and_iter_runs(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    runs = [arize.add_run(task_id, "COMPLETED") for _ in range(5)]
    client = arize.client(space="demo-space")
    page = client.list_runs("checks", status="completed", limit=2)
    assert [r.id for r in page.runs] == runs[::-1][:2]
    assert page.next_cursor is not None
    assert arize.sent[-1].params == {"status": "COMPLETED", "limit": "2"}
    assert [r.id for r in client.iter_runs(task_id, page_size=2)] == runs[::-1]


def test_get_and_cancel_a_run(arize: InProcessSandbox) -> None:
    run_id = arize.add_run(arize.add_task("checks"), "RUNNING")
    client = arize.client()
    assert client.get_run(run_id).status is RunStatus.RUNNING
    assert client.cancel_run(run_id).status is RunStatus.CANCELLED
    assert arize.sent_keys()[-1] == f"POST /v2/task-runs/{run_id}/cancel"


def test_wait_reports_progress_until_done(arize: InProcessSandbox) -> None:
    """A 6 s run of 100 spans, PENDING for its first 1.2 s: each poll moves the clock 2 s."""
    task_id = arize.add_task("checks")
    arize.outcome(task_id, "COMPLETED", duration=6)
    run_id = arize.add_run(task_id)
    seen: list[TaskRun] = []
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        arize.clock.advance(seconds)

    run = arize.client().wait_for_run(run_id, poll_interval=2, on_progress=seen.append, sleep=sleep)
    assert run.status is RunStatus.COMPLETED and run.num_successes == 91
    assert [r.status for r in seen] == ["PENDING", "RUNNING", "RUNNING", "COMPLETED"]
    assert [r.num_successes for r in seen] == [0, 16, 54, 91]
    assert sleeps == [2, 2, 2]


@pytest.mark.parametrize("status", ["FAILED", "CANCELLED"])
def test_wait_returns_failed_and_cancelled_runs(arize: InProcessSandbox, status: str) -> None:
    run_id = arize.add_run(arize.add_task("checks"), status, failure_reason="all data evaluated")
    run = arize.client().wait_for_run(run_id, sleep=never_sleep)
    assert run.status == status and run.failure_reason == "all data evaluated"


def test_wait_times_out_with_the_last_run_and_keeps_the_deadline(arize: InProcessSandbox) -> None:
    run_id = arize.add_run(arize.add_task("checks"), max_spans=10)
    arize.clock.advance(4.8)  # 2.8 s into the 8 s it runs for: 3 of its 10 spans done
    sleeps: list[float] = []
    with pytest.raises(WaitTimeoutError) as info:
        arize.client().wait_for_run(run_id, poll_interval=5, timeout=12, sleep=sleeps.append)
    assert sleeps == [5, 5, 2]
    assert arize.count_sent("GET") == 4
    error = info.value
    assert error.run.id == run_id and error.run.status is RunStatus.RUNNING
    assert error.timeout == 12
    assert str(error) == (
        f"task run {run_id} is still RUNNING after 12s (3 succeeded, 0 errors, 0 skipped)"
    )


def test_wait_with_zero_timeout_polls_once(arize: InProcessSandbox) -> None:
    run_id = arize.add_run(arize.add_task("checks"), "PENDING")
    with pytest.raises(WaitTimeoutError):
        arize.client().wait_for_run(run_id, timeout=0, sleep=never_sleep)
    assert arize.count_sent() == 1
