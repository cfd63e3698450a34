"""TaskRun with ``evaluation_task_ids``: the runs the experiment run chains gate the create
(``wait_for_chained``), against the in-process sandbox; waits move its clock."""

from __future__ import annotations

from typing import Any

import pytest

from arize_pulumi.resources import TaskRunProvider
from arize_pulumi.resources._provider import ResourceError
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import wire


@pytest.fixture
def provider(arize: InProcessSandbox) -> TaskRunProvider:
    provider = wire(TaskRunProvider(), arize)
    provider._sleep = arize.sleep
    return provider


@pytest.fixture
def chain(arize: InProcessSandbox) -> dict[str, str]:
    """A run-experiment task and two evaluation tasks to chain to it."""
    return {
        "experiment": arize.add_task("exp", "RUN_EXPERIMENT"),
        "judge": arize.add_dataset_task("judge"),
        "scorer": arize.add_task("scorer"),
    }


def checked_inputs(provider: TaskRunProvider, values: dict[str, Any]) -> dict[str, Any]:
    checked = provider.check({}, {**values, "__name": "nightly"})
    assert [f.reason for f in checked.failures] == []
    return dict(checked.inputs)


def create(provider: TaskRunProvider, values: dict[str, Any]) -> dict[str, Any]:
    outs = provider.create(checked_inputs(provider, values)).outs
    assert outs is not None
    return outs


def chained_values(chain: dict[str, str], **more: Any) -> dict[str, Any]:
    return {
        "task": chain["experiment"],
        "experiment_name": "nightly",
        "evaluation_task_ids": [chain["judge"], chain["scorer"]],
        "poll_interval": 2,
        **more,
    }


def test_a_completed_chain_is_waited_on_and_reported(
    provider: TaskRunProvider,
    arize: InProcessSandbox,
    chain: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    outs = create(provider, chained_values(chain))
    assert outs["status"] == "COMPLETED"
    chained = outs["chained_runs"]
    assert [c["task_id"] for c in chained] == [chain["judge"], chain["scorer"]]
    assert [c["status"] for c in chained] == ["COMPLETED", "COMPLETED"]
    for entry in chained:
        assert entry["run_id"] == arize.run_ids(entry["task_id"])[0]
        assert set(entry) == {
            "task_id",
            "run_id",
            "status",
            "num_successes",
            "num_errors",
            "num_skipped",
            "failure_reason",
        }
        assert entry["num_successes"] > 0
    err = capsys.readouterr().err
    assert f"chained task {chain['judge']}: run {chained[0]['run_id']} RUNNING" in err
    assert f"chained task {chain['judge']}: run {chained[0]['run_id']} COMPLETED" in err


def test_a_failed_judge_fails_the_create_naming_it(
    provider: TaskRunProvider, arize: InProcessSandbox, chain: dict[str, str]
) -> None:
    arize.outcome(chain["judge"], "FAILED", "judge model unavailable")
    with pytest.raises(ResourceError) as failed:
        create(provider, chained_values(chain))
    (run_id,) = arize.run_ids(chain["judge"])
    assert str(failed.value) == (
        f"TaskRun 'nightly': chained task {chain['judge']}: run {run_id} FAILED "
        "(6 succeeded, 6 errors, 0 skipped): judge model unavailable; "
        "succeed_on is COMPLETED"
    )
    assert arize.run(run_id)["status"] == "FAILED"


def test_wait_for_chained_false_returns_after_the_experiment(
    provider: TaskRunProvider, arize: InProcessSandbox, chain: dict[str, str]
) -> None:
    arize.outcome(chain["judge"], "FAILED", "never looked at")
    outs = create(provider, chained_values(chain, wait_for_chained=False))
    assert (outs["status"], outs["chained_runs"]) == ("COMPLETED", [])
    (run_id,) = arize.run_ids(chain["judge"])
    assert arize.run(run_id)["status"] in ("PENDING", "RUNNING")


@pytest.mark.parametrize("action", ["cancel", "fail", "keep"])
def test_a_chained_run_that_hangs_meets_on_timeout(
    provider: TaskRunProvider,
    arize: InProcessSandbox,
    chain: dict[str, str],
    action: str,
) -> None:
    """The experiment takes ~10 s of the 30 s timeout; the judge never ends."""
    arize.outcome(chain["judge"], "HANG")
    values = chained_values(chain, timeout=30, poll_interval=5, on_timeout=action)
    if action == "keep":
        outs = create(provider, values)
        statuses = {c["task_id"]: c["status"] for c in outs["chained_runs"]}
        assert statuses == {chain["judge"]: "RUNNING", chain["scorer"]: "COMPLETED"}
    else:
        with pytest.raises(ResourceError) as failed:
            create(provider, values)
        message = str(failed.value)
        (run_id,) = arize.run_ids(chain["judge"])
        assert message.startswith("TaskRun 'nightly': chained runs still going after 30s")
        assert f"task {chain['judge']}: run {run_id} RUNNING" in message
        assert ("cancelled them" in message) == (action == "cancel")
        assert ("left them running" in message) == (action == "fail")
    assert sum(arize.slept) == pytest.approx(30)
    (run_id,) = arize.run_ids(chain["judge"])
    expected = "CANCELLED" if action == "cancel" else "RUNNING"
    assert arize.run(run_id)["status"] == expected


def test_refresh_updates_the_chained_runs(
    provider: TaskRunProvider, arize: InProcessSandbox, chain: dict[str, str]
) -> None:
    created = provider.create(
        dict(checked_inputs(provider, chained_values(chain, on_timeout="keep", timeout=12)))
    )
    outs = created.outs or {}
    assert outs["chained_runs"][0]["status"] in ("PENDING", "RUNNING")
    arize.sleep(60)
    read = provider.read(created.id, outs)
    assert read.outs is not None
    assert [c["status"] for c in read.outs["chained_runs"]] == ["COMPLETED", "COMPLETED"]


def test_the_default_follows_evaluation_task_ids(
    provider: TaskRunProvider, arize: InProcessSandbox, chain: dict[str, str]
) -> None:
    """Without ``evaluation_task_ids`` nothing is chained, so nothing is waited on."""
    outs = create(provider, {"task": chain["experiment"], "experiment_name": "solo"})
    assert outs["chained_runs"] == []
