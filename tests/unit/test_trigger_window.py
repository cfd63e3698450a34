"""The service's data-window rules, kept by the client and by TaskRun before anything runs:
only a task on a project takes a window, and a window is sent with both ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from arize_pulumi.resources import ProviderSettings, TaskRunProvider
from arize_pulumi.tasks import InvalidArgumentError, RetryPolicy
from arize_pulumi.tasks.validation import catch_up_start
from tests.support.inprocess import API_KEY, InProcessSandbox

START = "2026-03-01T00:00:00Z"


def provider_on(arize: InProcessSandbox) -> TaskRunProvider:
    provider = TaskRunProvider()
    client = arize.client(space="demo-space", retry=RetryPolicy(max_attempts=1))
    provider._client_factory = lambda _settings: client
    provider._settings = ProviderSettings(
        api_key=API_KEY, base_url=arize.base_url, space="demo-space"
    )
    provider._sleep = arize.sleep
    return provider


@pytest.mark.parametrize("field", ["data_start_time", "data_end_time"])
def test_a_window_on_a_dataset_task_is_refused_at_preview(
    arize: InProcessSandbox, field: str
) -> None:
    task_id = arize.add_dataset_task("dataset-eval")
    result = provider_on(arize).check({}, {"task": task_id, field: START, "__name": "run"})
    assert [f.property for f in result.failures] == [field]
    assert "only for tasks on a project" in result.failures[0].reason
    assert result.inputs["__resolved"]["task_on"] == "dataset"
    assert arize.count_sent("POST") == 0


def test_a_project_task_window_without_an_end_is_sent_ending_now(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("project-eval")
    provider = provider_on(arize)
    start = (arize.clock.now() - timedelta(days=1)).isoformat()
    checked = provider.check({}, {"task": task_id, "data_start_time": start, "__name": "r"})
    assert checked.failures == []
    assert checked.inputs["__resolved"]["task_on"] == "project"
    now = arize.clock.now()
    created = provider.create(dict(checked.inputs))
    (trigger,) = [r for r in arize.sent if r.key.endswith("/trigger")]
    assert set(trigger.body) == {"data_start_time", "data_end_time"}
    sent_end = datetime.fromisoformat(trigger.body["data_end_time"])
    assert abs(sent_end - now) < timedelta(seconds=5)
    assert created.outs["data_end_time"] is not None


def test_the_client_keeps_the_same_rules_when_it_reads_the_task(arize: InProcessSandbox) -> None:
    client = arize.client(space="demo-space")
    dataset_task = arize.add_dataset_task("dataset-eval")
    with pytest.raises(InvalidArgumentError, match="data_end_time: only for tasks on a project"):
        client.trigger_run(dataset_task, data_end_time=arize.clock.now())
    project_task = arize.add_task("project-eval")
    client.trigger_run(project_task, data_start_time=arize.clock.now() - timedelta(days=1))
    trigger = arize.sent[-1]
    assert trigger.key == f"POST /v2/tasks/{project_task}/trigger"
    assert set(trigger.body) == {"data_start_time", "data_end_time"}


def test_the_sandbox_ignores_a_window_on_a_dataset_task_as_arize_does(
    arize: InProcessSandbox,
) -> None:
    task_id = arize.add_dataset_task("dataset-eval")
    window = {"data_start_time": START, "data_end_time": "2026-03-02T00:00:00Z"}
    run = arize.call("POST", f"/v2/tasks/{task_id}/trigger", json=window).json()
    assert run["status"] == "PENDING"
    assert (run["data_start_time"], run["data_end_time"]) == (None, None)


def test_a_start_is_chosen_only_after_a_gap_longer_than_a_window() -> None:
    end = datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert catch_up_start(None, end) is None
    assert catch_up_start(end - timedelta(days=30), end) is None
    assert catch_up_start(end - timedelta(days=30, seconds=1), end) == end - timedelta(days=30)
    assert catch_up_start(end - timedelta(days=400), end) == end - timedelta(days=30)
