"""Requests that are not safe to repeat: create and trigger never make a duplicate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks import (
    APIConnectionError,
    ConflictError,
    NotFoundError,
    RetryPolicy,
    ServerError,
    Task,
)
from tests.unit.test_client_fakes import FakeArize


@pytest.fixture
def fake() -> FakeArize:
    return FakeArize()


def create(fake: FakeArize, **kwargs: Any) -> Task:
    client = kwargs.pop("client", None) or fake.client()
    return client.create_evaluation_task(
        name="checks",
        type="CODE_EVALUATION",
        project=fake.project_id,
        evaluators=[fake.evaluator_ids["json-valid"]],
        **kwargs,
    )


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_create_whose_outcome_is_unknown_finds_the_task_instead_of_resending(
    fake: FakeArize, status: int
) -> None:
    fake.fail("POST", r"/v2/tasks", status=status, phase="after")
    task = create(fake)
    assert len(fake.tasks) == 1
    assert task.id in fake.tasks
    assert fake.keys() == ["POST /v2/tasks", "GET /v2/tasks"]
    assert fake.calls[1].params == {
        "project_id": fake.project_id,
        "name": "checks",
        "limit": "100",
    }


def test_create_that_did_not_land_is_resent_after_the_lookup(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=503, phase="before")
    create(fake)
    assert len(fake.tasks) == 1
    assert fake.keys() == ["POST /v2/tasks", "GET /v2/tasks", "POST /v2/tasks"]


def test_a_dropped_connection_after_sending_is_checked_too(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", exception=httpx.ReadError, phase="after")
    create(fake)
    assert len(fake.tasks) == 1
    assert fake.keys() == ["POST /v2/tasks", "GET /v2/tasks"]


def test_a_refused_connection_is_resent_without_a_lookup(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", exception=httpx.ConnectError)
    create(fake)
    assert fake.keys() == ["POST /v2/tasks", "POST /v2/tasks"]


def test_create_rate_limited_is_simply_resent(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=429, retry_after="1", times=2)
    create(fake)
    assert fake.keys() == ["POST /v2/tasks"] * 3
    assert fake.sleeps == [1.0, 1.0]


def test_a_conflict_after_an_unknown_outcome_is_our_own_task(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=503, phase="after")
    fake.fail("GET", r"/v2/tasks", response={"tasks": []})
    task = create(fake)
    assert len(fake.tasks) == 1 and task.id in fake.tasks
    assert fake.keys() == ["POST /v2/tasks", "GET /v2/tasks", "POST /v2/tasks", "GET /v2/tasks"]


def test_a_conflict_with_an_older_task_stays_a_conflict(fake: FakeArize) -> None:
    old = fake.add_task(
        "checks",
        "CODE_EVALUATION",
        created_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat(),
    )
    fake.fail("POST", r"/v2/tasks", status=503, phase="before")
    with pytest.raises(ConflictError):
        create(fake)
    assert list(fake.tasks) == [old]
    assert fake.keys() == ["POST /v2/tasks", "GET /v2/tasks", "POST /v2/tasks", "GET /v2/tasks"]


def test_many_unknown_outcomes_still_make_one_task(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=503, phase="before", times=3)
    fake.fail("POST", r"/v2/tasks", status=502, phase="after", times=1)
    task = create(fake)
    assert list(fake.tasks) == [task.id]
    assert fake.count("POST") == 4


def test_failed_lookups_do_not_spend_the_create_s_attempts(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=503, phase="before", times=2)
    fake.fail("GET", r"/v2/tasks", status=503, times=2)
    task = create(
        fake, client=fake.client(retry=RetryPolicy(max_attempts=3, sleep=fake.sleeps.append))
    )
    assert list(fake.tasks) == [task.id]
    assert fake.count("POST") == 3 and fake.count("GET") == 4


def test_create_gives_up_honestly(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=503, phase="before", times=100)
    with pytest.raises(ServerError) as info:
        create(
            fake, client=fake.client(retry=RetryPolicy(max_attempts=3, sleep=fake.sleeps.append))
        )
    message = str(info.value)
    assert message.startswith("POST /v2/tasks failed (503 Service Unavailable)")
    assert "gave up after 3 attempts" in message
    assert "may have created the task" in message
    assert fake.tasks == {}


def test_trigger_whose_outcome_is_unknown_adopts_the_new_run(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.fail("POST", r"/v2/tasks/.*/trigger", status=503, phase="after")
    run = fake.client().trigger_run(task_id, task_type="TEMPLATE_EVALUATION", max_spans=10)
    assert list(fake.runs) == [run.id]
    assert fake.keys() == [
        f"POST /v2/tasks/{task_id}/trigger",
        f"GET /v2/tasks/{task_id}/runs",
    ]


def test_a_landed_run_that_already_finished_is_adopted_by_its_window(fake: FakeArize) -> None:
    """A short run can end while the client waits out the retry delay: still no second run."""
    task_id = fake.add_task("checks")
    fake.trigger_status = "COMPLETED"
    fake.fail("POST", r"/v2/tasks/.*/trigger", status=503, phase="after")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    run = fake.client().trigger_run(
        task_id,
        task_type="TEMPLATE_EVALUATION",
        data_start_time=start,
        data_end_time=start + timedelta(days=1),
    )
    assert list(fake.runs) == [run.id]
    assert fake.count("POST") == 1


def test_trigger_that_did_not_land_is_resent(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.add_run(task_id, "COMPLETED")
    fake.fail("POST", r"/v2/tasks/.*/trigger", exception=httpx.RemoteProtocolError)
    run = fake.client().trigger_run(task_id, task_type="TEMPLATE_EVALUATION")
    assert len(fake.runs) == 2 and run.status == "PENDING"
    assert fake.keys()[-2:] == [
        f"GET /v2/tasks/{task_id}/runs",
        f"POST /v2/tasks/{task_id}/trigger",
    ]


def test_an_old_active_run_is_not_adopted(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.add_run(
        task_id, "RUNNING", created_at=(datetime.now(UTC) - timedelta(hours=2)).isoformat()
    )
    fake.fail("POST", r"/v2/tasks/.*/trigger", status=502, phase="before")
    with pytest.raises(ConflictError, match="already has a run"):
        fake.client().trigger_run(task_id, task_type="TEMPLATE_EVALUATION")


def test_trigger_rate_limited_is_resent_without_a_check(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.fail("POST", r"/v2/tasks/.*/trigger", status=429, retry_after="2")
    fake.client().trigger_run(task_id, task_type="TEMPLATE_EVALUATION")
    assert fake.keys() == [f"POST /v2/tasks/{task_id}/trigger"] * 2


def test_a_retried_delete_that_finds_the_task_gone_succeeded(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.fail("DELETE", r"/v2/tasks/.*", status=504, phase="after")
    fake.client().delete(task_id)
    assert fake.tasks == {}
    assert fake.count("DELETE") == 2


def test_a_delete_resent_after_a_rate_limit_that_finds_nothing_is_done(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.fail("DELETE", r"/v2/tasks/.*", status=429, retry_after="1", phase="after")
    fake.client().delete(task_id)
    assert fake.tasks == {}
    assert fake.count("DELETE") == 2


def test_a_create_answered_429_after_it_landed_is_found_on_conflict(fake: FakeArize) -> None:
    fake.fail("POST", r"/v2/tasks", status=429, retry_after="1", phase="after")
    task = create(fake)
    assert list(fake.tasks) == [task.id]
    assert fake.keys() == ["POST /v2/tasks", "POST /v2/tasks", "GET /v2/tasks"]


def test_a_trigger_answered_429_after_it_landed_adopts_the_run(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.fail("POST", r"/v2/tasks/.*/trigger", status=429, phase="after")
    run = fake.client().trigger_run(task_id, task_type="CODE_EVALUATION")
    assert list(fake.runs) == [run.id]


def test_cancel_is_retried(fake: FakeArize) -> None:
    run_id = fake.add_run(fake.add_task("checks"), "RUNNING")
    fake.fail("POST", r"/v2/task-runs/.*/cancel", exception=httpx.ReadTimeout, phase="after")
    assert fake.client().cancel_run(run_id).status == "CANCELLED"
    assert fake.count("POST") == 2


def test_connection_errors_never_show_the_key(fake: FakeArize) -> None:
    fake.fail("GET", r"/v2/tasks", exception=httpx.ConnectError, times=10)
    with pytest.raises(APIConnectionError) as info:
        fake.client(max_retries=1).list()
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_a_delete_that_never_reached_the_server_reports_a_missing_task(fake: FakeArize) -> None:
    fake.fail("DELETE", r"/v2/tasks/.*", exception=httpx.ConnectError)
    with pytest.raises(NotFoundError):
        fake.client().delete("T25saW5lVGFzazo5OTk6cVJ3WA==")
    assert fake.count("DELETE") == 2


def test_an_earlier_rate_limit_still_counts_after_a_refused_connection(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.fail("DELETE", r"/v2/tasks/.*", status=429, phase="after")
    fake.fail("DELETE", r"/v2/tasks/.*", exception=httpx.ConnectError)
    fake.client().delete(task_id)
    assert fake.count("DELETE") == 3
