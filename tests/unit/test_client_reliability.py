"""Requests that are not safe to repeat: create and trigger never make a duplicate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks import (
    APIConnectionError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    RetryPolicy,
    RunStatus,
    ServerError,
    Task,
)
from tests.support.inprocess import RUN_SECONDS, WINDOW, InProcessSandbox


def create(arize: InProcessSandbox, **kwargs: Any) -> Task:
    client = kwargs.pop("client", None) or arize.client()
    ids = arize.ids()
    return client.create_evaluation_task(
        name="checks",
        type="CODE_EVALUATION",
        project=ids["project"],
        evaluators=[ids["evaluators"]["json-valid"]],
        **kwargs,
    )


@pytest.fixture
def arize_an_hour_ago() -> Iterator[InProcessSandbox]:
    """A sandbox whose clock starts an hour ago: what a test makes first is old by the time
    it moves the clock to now and the client calls."""
    with InProcessSandbox(frozen_at=datetime.now(UTC) - timedelta(hours=1)) as arize:
        yield arize


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_create_whose_outcome_is_unknown_finds_the_task_instead_of_resending(
    arize: InProcessSandbox, status: int
) -> None:
    arize.fail("POST", r"/v2/tasks", status=status, phase="after")
    task = create(arize)
    assert arize.task_ids() == [task.id]
    assert arize.sent_keys() == ["POST /v2/tasks", "GET /v2/tasks"]
    assert arize.sent[1].params == {
        "project_id": arize.ids()["project"],
        "name": "checks",
        "limit": "100",
    }


def test_create_that_did_not_land_is_resent_after_the_lookup(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", status=503, phase="before")
    task = create(arize)
    assert arize.task_ids() == [task.id]
    assert arize.sent_keys() == ["POST /v2/tasks", "GET /v2/tasks", "POST /v2/tasks"]


def test_a_dropped_connection_after_sending_is_checked_too(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", exception=httpx.ReadError, phase="after")
    task = create(arize)
    assert arize.task_ids() == [task.id]
    assert arize.sent_keys() == ["POST /v2/tasks", "GET /v2/tasks"]


def test_a_refused_connection_is_resent_without_a_lookup(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", exception=httpx.ConnectError)
    create(arize)
    assert arize.sent_keys() == ["POST /v2/tasks", "POST /v2/tasks"]


def test_create_rate_limited_looks_for_its_task_before_each_resend(
    arize: InProcessSandbox,
) -> None:
    """A 429 may come from a proxy after the server acted: the create looks for its task
    before sending again, and makes it once."""
    arize.fail("POST", r"/v2/tasks", status=429, retry_after=1, times=2)
    task = create(arize)
    assert arize.sent_keys() == ["POST /v2/tasks", "GET /v2/tasks"] * 2 + ["POST /v2/tasks"]
    assert arize.sleeps == [1.0, 1.0]
    assert arize.task_ids() == [task.id]


def test_a_conflict_after_an_unknown_outcome_is_our_own_task(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", status=503, phase="after")
    arize.fail("GET", r"/v2/tasks", answer={"tasks": []})
    task = create(arize)
    assert arize.task_ids() == [task.id]
    assert arize.sent_keys() == [
        "POST /v2/tasks",
        "GET /v2/tasks",
        "POST /v2/tasks",
        "GET /v2/tasks",
    ]


def test_a_conflict_with_an_older_task_stays_a_conflict(
    arize_an_hour_ago: InProcessSandbox,
) -> None:
    arize = arize_an_hour_ago
    old = arize.add_task("checks", "CODE_EVALUATION")
    arize.clock.set(datetime.now(UTC))
    arize.fail("POST", r"/v2/tasks", status=503, phase="before")
    with pytest.raises(ConflictError):
        create(arize)
    assert arize.task_ids() == [old]
    assert arize.sent_keys() == [
        "POST /v2/tasks",
        "GET /v2/tasks",
        "POST /v2/tasks",
        "GET /v2/tasks",
    ]


def test_many_unknown_outcomes_still_make_one_task(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", status=503, phase="before", times=3)
    arize.fail("POST", r"/v2/tasks", status=502, phase="after", times=1)
    task = create(arize)
    assert arize.task_ids() == [task.id]
    assert arize.count_sent("POST") == 4


def test_failed_lookups_do_not_spend_the_create_s_attempts(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", status=503, phase="before", times=2)
    arize.fail("GET", r"/v2/tasks", status=503, times=2)
    client = arize.client(retry=RetryPolicy(max_attempts=3, sleep=arize.sleeps.append))
    task = create(arize, client=client)
    assert arize.task_ids() == [task.id]
    assert arize.count_sent("POST") == 3 and arize.count_sent("GET") == 4


def test_create_gives_up_honestly(arize: InProcessSandbox) -> None:
    arize.fail("POST", r"/v2/tasks", status=503, phase="before", times=100)
    client = arize.client(retry=RetryPolicy(max_attempts=3, sleep=arize.sleeps.append))
    with pytest.raises(ServerError) as info:
        create(arize, client=client)
    message = str(info.value)
    assert message.startswith("POST /v2/tasks failed (503 Service Unavailable)")
    assert "gave up after 3 attempts" in message
    assert "may have created the task" in message
    assert arize.task_ids() == []


def test_trigger_whose_outcome_is_unknown_adopts_the_new_run(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    arize.fail("POST", r"/v2/tasks/.*/trigger", status=503, phase="after")
    run = arize.client().trigger_run(
        task_id, task_type="TEMPLATE_EVALUATION", max_spans=10, **WINDOW
    )
    assert arize.run_ids(task_id) == [run.id]
    assert arize.sent_keys() == [
        f"POST /v2/tasks/{task_id}/trigger",
        f"GET /v2/tasks/{task_id}/runs",
    ]


def test_a_landed_run_that_already_finished_is_adopted_by_its_window(
    arize: InProcessSandbox,
) -> None:
    """A short run can end while the client waits out the retry delay: still no second run."""
    task_id = arize.add_task("checks")
    arize.fail("POST", r"/v2/tasks/.*/trigger", status=503, phase="after")
    client = arize.client(retry=RetryPolicy(sleep=lambda _: arize.clock.advance(RUN_SECONDS)))
    start = datetime(2026, 11, 1, tzinfo=UTC)
    run = client.trigger_run(
        task_id,
        task_type="TEMPLATE_EVALUATION",
        data_start_time=start,
        data_end_time=start + timedelta(days=1),
    )
    assert run.status is RunStatus.COMPLETED
    assert arize.run_ids(task_id) == [run.id]
    assert arize.count_sent("POST") == 1


def test_trigger_that_did_not_land_is_resent(arize: InProcessSandbox) -> None:
    task_id = arize.add_dataset_task("checks")
    arize.add_run(task_id, "COMPLETED")
    arize.fail("POST", r"/v2/tasks/.*/trigger", exception=httpx.RemoteProtocolError)
    run = arize.client().trigger_run(task_id, task_type="CODE_EVALUATION")
    assert len(arize.run_ids(task_id)) == 2 and run.status == "PENDING"
    assert arize.sent_keys()[-2:] == [
        f"GET /v2/tasks/{task_id}/runs",
        f"POST /v2/tasks/{task_id}/trigger",
    ]


def test_an_old_active_run_is_not_adopted(arize_an_hour_ago: InProcessSandbox) -> None:
    arize = arize_an_hour_ago
    task_id = arize.add_dataset_task("checks")
    arize.outcome(task_id, "HANG")
    arize.add_run(task_id, "RUNNING")
    arize.clock.set(datetime.now(UTC))
    arize.fail("POST", r"/v2/tasks/.*/trigger", status=502, phase="before")
    with pytest.raises(ConflictError, match="already has a run"):
        arize.client().trigger_run(task_id, task_type="CODE_EVALUATION")


def test_trigger_rate_limited_looks_for_its_run_before_the_resend(
    arize: InProcessSandbox,
) -> None:
    task_id = arize.add_task("checks")
    arize.fail("POST", r"/v2/tasks/.*/trigger", status=429, retry_after=2)
    arize.client().trigger_run(task_id, task_type="TEMPLATE_EVALUATION", **WINDOW)
    trigger = f"POST /v2/tasks/{task_id}/trigger"
    assert arize.sent_keys() == [trigger, f"GET /v2/tasks/{task_id}/runs", trigger]


def test_a_retried_delete_that_finds_the_task_gone_succeeded(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    arize.fail("DELETE", r"/v2/tasks/.*", status=504, phase="after")
    arize.client().delete(task_id)
    assert arize.task_ids() == []
    assert arize.count_sent("DELETE") == 2


def test_a_delete_resent_after_a_rate_limit_that_finds_nothing_is_done(
    arize: InProcessSandbox,
) -> None:
    task_id = arize.add_task("checks")
    arize.fail("DELETE", r"/v2/tasks/.*", status=429, retry_after=1, phase="after")
    arize.client().delete(task_id)
    assert arize.task_ids() == []
    assert arize.count_sent("DELETE") == 2


def test_a_create_answered_429_after_it_landed_is_found_before_the_resend(
    arize: InProcessSandbox,
) -> None:
    arize.fail("POST", r"/v2/tasks", status=429, retry_after=1, phase="after")
    task = create(arize)
    assert arize.task_ids() == [task.id]
    assert arize.sent_keys() == ["POST /v2/tasks", "GET /v2/tasks"]


def test_a_trigger_answered_429_after_it_landed_adopts_the_run(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks", "CODE_EVALUATION")
    arize.fail("POST", r"/v2/tasks/.*/trigger", status=429, phase="after")
    run = arize.client().trigger_run(task_id, task_type="CODE_EVALUATION", **WINDOW)
    assert arize.run_ids(task_id) == [run.id]


def test_cancel_is_retried(arize: InProcessSandbox) -> None:
    """The first attempt lands unseen; the retry is refused (400: the run is no longer
    active), so the client reads the run and finds its own cancel done."""
    run_id = arize.add_run(arize.add_task("checks"), "RUNNING")
    arize.fail("POST", r"/v2/task-runs/.*/cancel", exception=httpx.ReadTimeout, phase="after")
    run = arize.client().cancel_run(run_id)
    assert run.id == run_id and run.status == "CANCELLED"
    assert arize.count_sent("POST") == 2
    cancel = f"POST /v2/task-runs/{run_id}/cancel"
    assert arize.sent_keys() == [cancel, cancel, f"GET /v2/task-runs/{run_id}"]
    assert arize.run(run_id)["status"] == "CANCELLED"


def test_a_retried_cancel_refused_for_a_run_that_ended_otherwise_raises(
    arize: InProcessSandbox,
) -> None:
    """The first attempt never landed and the run completed before the retry: the refusal
    stands, after one read of the run."""
    run_id = arize.add_run(arize.add_task("checks"), "RUNNING")
    arize.fail("POST", r"/v2/task-runs/.*/cancel", status=503)
    client = arize.client(retry=RetryPolicy(sleep=lambda _: arize.clock.advance(RUN_SECONDS)))
    with pytest.raises(BadRequestError) as info:
        client.cancel_run(run_id)
    assert info.value.attempts == 2
    assert info.value.detail == (
        f"run_id: run {run_id} is already COMPLETED; only PENDING or RUNNING runs can be cancelled"
    )
    cancel = f"POST /v2/task-runs/{run_id}/cancel"
    assert arize.sent_keys() == [cancel, cancel, f"GET /v2/task-runs/{run_id}"]


def test_a_cancel_refused_at_once_is_not_read_again(arize: InProcessSandbox) -> None:
    """A first attempt refused is the answer: the run was over before the cancel."""
    run_id = arize.add_run(arize.add_task("checks"), "CANCELLED")
    with pytest.raises(BadRequestError) as info:
        arize.client().cancel_run(run_id)
    assert info.value.attempts == 1
    assert arize.sent_keys() == [f"POST /v2/task-runs/{run_id}/cancel"]


def test_connection_errors_never_show_the_key(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", exception=httpx.ConnectError, times=10)
    with pytest.raises(APIConnectionError) as info:
        arize.client(max_retries=1).list()
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_a_delete_that_never_reached_the_server_reports_a_missing_task(
    arize: InProcessSandbox,
) -> None:
    arize.fail("DELETE", r"/v2/tasks/.*", exception=httpx.ConnectError)
    with pytest.raises(NotFoundError):
        arize.client().delete("T25saW5lVGFzazo5OTk6cVJ3WA==")
    assert arize.count_sent("DELETE") == 2


def test_an_earlier_rate_limit_still_counts_after_a_refused_connection(
    arize: InProcessSandbox,
) -> None:
    task_id = arize.add_task("checks")
    arize.fail("DELETE", r"/v2/tasks/.*", status=429, phase="after")
    arize.fail("DELETE", r"/v2/tasks/.*", exception=httpx.ConnectError)
    arize.client().delete(task_id)
    assert arize.count_sent("DELETE") == 3
