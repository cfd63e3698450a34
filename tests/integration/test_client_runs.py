"""The client against a real sandbox: triggering, paging, cancelling and waiting for runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from arize_pulumi.tasks import (
    ConflictError,
    RetryPolicy,
    RunStatus,
    Task,
    TaskRun,
    TasksClient,
    WaitTimeoutError,
)
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration


def never_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds}s where no wait was expected")


def make_client(sandbox: Sandbox, **kwargs: Any) -> TasksClient:
    kwargs.setdefault("space", "demo-space")
    kwargs.setdefault("retry", RetryPolicy(base_delay=0.01, max_delay=0.05))
    return TasksClient(sandbox.api_key, sandbox.base_url, warn_alpha=False, **kwargs)


def project_task(client: TasksClient) -> Task:
    return client.create_evaluation_task(
        name=f"checks-{uuid.uuid4().hex[:8]}",
        type="TEMPLATE_EVALUATION",
        project="chatbot-prod",
        evaluators=["hallucination"],
    )


def test_trigger_and_wait_until_completed(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        task = project_task(client)
        end = datetime.now(UTC)
        run = client.trigger_run(
            task.name, data_start_time=end - timedelta(days=1), data_end_time=end, max_spans=100
        )
        assert run.status is RunStatus.PENDING
        assert run.data_end_time is not None
        assert abs((run.data_end_time - end).total_seconds()) < 0.001
        seen: list[TaskRun] = []
        done = client.wait_for_run(run.id, poll_interval=0.05, timeout=30, on_progress=seen.append)
        assert done.status is RunStatus.COMPLETED
        assert done.run_finished_at is not None
        assert seen[-1] == done and len(seen) >= 2
        assert client.get_run(run.id) == done
        assert [r.id for r in client.list_runs(task.id).runs] == [run.id]
        assert client.get(task.id).last_run_at is not None


def test_a_scripted_failure_is_returned(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        task = project_task(client)
        sandbox_session.outcome(task.id, "FAILED", failure_reason="evaluator crashed")
        run = client.trigger_run(task.id, data_start_time=datetime.now(UTC) - timedelta(hours=1))
        done = client.wait_for_run(run.id, poll_interval=0.05, timeout=30)
        assert done.status is RunStatus.FAILED
        assert done.failure_reason == "evaluator crashed"


def test_a_hanging_run_times_out_then_is_cancelled(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        task = project_task(client)
        sandbox_session.outcome(task.id, "HANG")
        run = client.trigger_run(task.id, data_start_time=datetime.now(UTC) - timedelta(hours=1))
        with pytest.raises(WaitTimeoutError) as info:
            client.wait_for_run(run.id, poll_interval=0.05, timeout=0.5)
        assert info.value.run.id == run.id
        assert not info.value.run.is_terminal

        with pytest.raises(ConflictError, match="409"):
            client.trigger_run(task.id)

        cancelled = client.cancel_run(run.id)
        assert cancelled.status is RunStatus.CANCELLED
        assert client.wait_for_run(run.id, sleep=never_sleep).status is RunStatus.CANCELLED


def test_runs_page_newest_first(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        task = project_task(client)
        started = datetime.now(UTC) - timedelta(hours=1)
        runs = []
        for _ in range(5):
            run = client.trigger_run(
                task.id, task_type="template_evaluation", data_start_time=started
            )
            runs.append(client.cancel_run(run.id))
        newest_first = [r.id for r in reversed(runs)]
        page = client.list_runs(task.name, limit=2)
        assert [r.id for r in page.runs] == newest_first[:2]
        assert page.next_cursor is not None
        rest = client.list_runs(task.name, limit=2, cursor=page.next_cursor)
        assert [r.id for r in rest.runs] == newest_first[2:4]
        assert [r.id for r in client.iter_runs(task.id, page_size=2)] == newest_first
        assert [r.id for r in client.iter_runs(task.id, status="cancelled")] == newest_first
        assert list(client.iter_runs(task.id, status=RunStatus.COMPLETED)) == []


def test_run_experiment_trigger(sandbox_session: Sandbox) -> None:
    ids = sandbox_session.ids()
    with make_client(sandbox_session) as client:
        evaluation = client.create_evaluation_task(
            name=f"after-{uuid.uuid4().hex[:8]}",
            type="CODE_EVALUATION",
            dataset="golden-qa",
            experiment_ids=["baseline"],
            evaluators=["json-valid"],
        )
        task = client.create_run_experiment_task(
            name=f"generate-{uuid.uuid4().hex[:8]}",
            dataset="golden-qa",
            run_configuration={
                "experiment_type": "AGENT_CALL",
                "integration_id": ids["agent_integration"],
                "input_template": {"question": "{{input}}"},
            },
        )
        run = client.trigger_run(
            task.name,
            experiment_name=f"exp-{uuid.uuid4().hex[:8]}",
            max_examples=3,
            tracing_metadata={"team": "qa"},
            evaluation_task_ids=[evaluation.name],
        )
        done = client.wait_for_run(run.id, poll_interval=0.05, timeout=30)
        assert done.status is RunStatus.COMPLETED
        assert done.experiment_id is not None


def test_trigger_a_dataset_evaluation_with_experiment_names(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        task = client.create_evaluation_task(
            name=f"offline-{uuid.uuid4().hex[:8]}",
            type="CODE_EVALUATION",
            dataset="golden-qa",
            experiment_ids=["baseline"],
            evaluators=["json-valid"],
        )
        run = client.trigger_run(task.name, experiment_ids=["baseline"], override_evaluations=True)
        assert run.task_id == task.id
        assert client.wait_for_run(run.id, poll_interval=0.05, timeout=30).is_terminal
