"""Injected faults against a real sandbox: retries end well and nothing is made twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from arize_pulumi.tasks import RetryPolicy, ServerError, TasksClient
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration


@pytest.fixture
def shared(sandbox_session: Sandbox) -> Iterator[Sandbox]:
    """The session's sandbox with no faults and zeroed counts, and no faults left behind."""
    sandbox_session.clear_faults()
    sandbox_session.reset_requests()
    yield sandbox_session
    sandbox_session.clear_faults()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def make_client(sandbox: Sandbox, **kwargs: Any) -> TasksClient:
    kwargs.setdefault("space", "demo-space")
    kwargs.setdefault("retry", RetryPolicy(max_attempts=20, base_delay=0.01, max_delay=0.05))
    return TasksClient(sandbox.api_key, sandbox.base_url, warn_alpha=False, **kwargs)


def test_create_whose_answer_is_lost_leaves_exactly_one_task(shared: Sandbox) -> None:
    with make_client(shared) as client:
        client.resolve_project_id("chatbot-prod")
        client.resolve_evaluator("json-valid")
        shared.reset_requests()
        shared.faults(rate=1.0, statuses=[503], phase="after", methods=["POST"], retry_after=0)
        name = unique("exactly-once")
        task = client.create_evaluation_task(
            name=name,
            type="CODE_EVALUATION",
            project="chatbot-prod",
            evaluators=["json-valid"],
        )
        shared.clear_faults()
        assert shared.requests() == {"POST /v2/tasks": 1, "GET /v2/tasks": 1}
        assert [t.id for t in client.iter(name=name)] == [task.id]


def test_creates_and_triggers_over_a_connection_that_drops_make_one_of_each(
    shared: Sandbox,
) -> None:
    """Connections cut after the change: each create and trigger, not knowing whether it
    landed, finds the task or run it made instead of sending it again."""
    prefix = unique("dropped")
    names = [f"{prefix}-{index}" for index in range(5)]
    with make_client(shared) as client:
        client.resolve_project_id("chatbot-prod")
        client.resolve_evaluator("json-valid")
        shared.reset_requests()
        shared.faults(rate=0.5, disconnect=True, phase="after", methods=["POST"], seed=2)
        for name in names:
            task = client.create_evaluation_task(
                name=name, type="CODE_EVALUATION", project="chatbot-prod", evaluators=["json-valid"]
            )
            client.trigger_run(
                task.id,
                task_type="CODE_EVALUATION",
                data_start_time=datetime.now(UTC) - timedelta(hours=1),
            )
        counts = shared.requests()
        shared.clear_faults()
        tasks = list(client.iter(name=prefix))
        assert sorted(t.name for t in tasks) == names
        assert all(len(list(client.iter_runs(t.id))) == 1 for t in tasks)
    assert counts["POST /v2/tasks"] == len(names)
    assert counts["POST /v2/tasks/{task_id}/trigger"] == len(names)
    # Connections were really cut (this seed cuts two creates and two triggers), and each
    # cut was followed by a lookup rather than a second POST.
    assert counts["GET /v2/tasks"] >= 2
    assert counts["GET /v2/tasks/{task_id}/runs"] >= 2


def test_trigger_whose_answer_is_lost_starts_exactly_one_run(shared: Sandbox) -> None:
    with make_client(shared) as client:
        task = client.create_evaluation_task(
            name=unique("checks"),
            type="CODE_EVALUATION",
            project="chatbot-prod",
            evaluators=["json-valid"],
        )
        shared.faults(rate=1.0, statuses=[502], phase="after", methods=["POST"])
        run = client.trigger_run(
            task.id,
            task_type="CODE_EVALUATION",
            data_start_time=datetime.now(UTC) - timedelta(hours=1),
        )
        shared.clear_faults()
        assert [r.id for r in client.iter_runs(task.id)] == [run.id]


def test_a_flaky_server_still_gives_one_of_everything(shared: Sandbox) -> None:
    # Every status the client retries for every call; a 500 is retried for reads only (a write
    # answered 500 is reported, tests/unit/test_client_reliability.py), so it is not in a mix
    # after which every call must succeed.
    statuses = [429, 502, 503, 504]
    shared.faults(rate=0.3, statuses=statuses, phase="after", seed=7, retry_after=0)
    prefix = unique("flaky")
    names = [f"{prefix}-{index}" for index in range(6)]
    with make_client(shared) as client:
        for name in names:
            task = client.create_evaluation_task(
                name=name,
                type="template_evaluation",
                project="chatbot-prod",
                evaluators=["hallucination", "relevance"],
                sampling_rate=0.1,
            )
            client.update(name, sampling_rate=0.9)
            client.trigger_run(task.id, data_start_time=datetime.now(UTC) - timedelta(hours=1))
        client.delete(names[0])
        shared.clear_faults()
        tasks = {t.name: t for t in client.iter(name=prefix)}
        assert sorted(tasks) == names[1:]
        assert all(t.sampling_rate == 0.9 for t in tasks.values())
        for task in tasks.values():
            assert len(list(client.iter_runs(task.id))) == 1
    counts = shared.requests()
    assert counts["POST /v2/tasks"] > len(names) or counts["GET /v2/tasks"] > len(names)


def test_rate_limits_are_waited_out(shared: Sandbox) -> None:
    shared.faults(rate=0.6, statuses=[429], retry_after=0, seed=3)
    prefix = unique("limited")
    sleeps: list[float] = []
    with make_client(shared, retry=RetryPolicy(max_attempts=2, sleep=sleeps.append)) as client:
        for index in range(5):
            client.create_evaluation_task(
                name=f"{prefix}-{index}",
                type="CODE_EVALUATION",
                project="chatbot-prod",
                evaluators=["json-valid"],
            )
        shared.clear_faults()
        assert len(list(client.iter(name=prefix))) == 5
    assert len(sleeps) > 2
    assert all(s == 0.5 for s in sleeps)


def test_a_server_that_stays_down_gets_an_honest_error(shared: Sandbox) -> None:
    shared.faults(rate=1.0, statuses=[503], retry_after=0)
    policy = RetryPolicy(max_attempts=3, base_delay=0.01)
    client = make_client(shared, space=None, retry=policy)
    with client, pytest.raises(ServerError) as info:
        client.list()
    error = info.value
    assert error.retries_exhausted and error.attempts == 3
    assert "GET /v2/tasks failed (503 Service Unavailable)" in str(error)
    assert "gave up after 3 attempts" in str(error) and "re-running is safe" in str(error)
    assert shared.requests() == {"GET /v2/tasks": 3}
