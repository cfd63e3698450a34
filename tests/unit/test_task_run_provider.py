"""TaskRunProvider: trigger, wait, outcome, timeouts, diff, refresh and delete, against the
sandbox app; a wait moves the sandbox's clock instead of sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from pulumi.dynamic import CheckResult, CreateResult
from pulumi.output import Unknown

from arize_pulumi.resources import TaskRunProvider
from arize_pulumi.resources._provider import ResourceError
from arize_pulumi.resources._run_wait import Progress
from arize_pulumi.resources.task_run_provider import TASK_HINT
from arize_pulumi.tasks.models import TaskRun
from tests.support.control import rfc3339
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import wire

WINDOW = {"data_start_time": "2026-11-01T00:00:00Z", "data_end_time": "2026-11-02T00:00:00Z"}


def days_ago(arize: InProcessSandbox, start: float, end: float) -> dict[str, str]:
    """A data window from ``start`` to ``end`` days before the sandbox's now."""
    now = arize.clock.now()
    return {
        "data_start_time": rfc3339(now - timedelta(days=start)),
        "data_end_time": rfc3339(now - timedelta(days=end)),
    }


@pytest.fixture
def task_id(arize: InProcessSandbox) -> str:
    """A template-evaluation task on the default project that ran once, over the day before
    yesterday: a run needs no data window then (it starts where the last one ended)."""
    task_id = arize.add_task("eval")
    arize.add_run(task_id, "COMPLETED", **days_ago(arize, 2, 1))
    return task_id


@pytest.fixture
def provider(arize: InProcessSandbox) -> TaskRunProvider:
    """Its waits move the sandbox's clock (recorded in ``arize.slept``), which is its now."""
    provider = wire(TaskRunProvider(), arize)
    provider._sleep = arize.sleep
    provider._now = arize.clock.now
    return provider


def inputs_of(values: dict[str, Any], name: str = "nightly") -> dict[str, Any]:
    return {**values, "__name": name}


def checked(
    provider: TaskRunProvider, values: dict[str, Any], olds: dict[str, Any] | None = None
) -> CheckResult:
    result = provider.check(olds or {}, inputs_of(values))
    assert [f.reason for f in result.failures] == []
    return result


def started(
    provider: TaskRunProvider, arize: InProcessSandbox, values: dict[str, Any]
) -> tuple[dict[str, Any], CreateResult]:
    """A run created from ``values``; it ends as the sandbox's runs do unless an outcome was
    scripted for its task (``arize.outcome``)."""
    inputs = checked(provider, values).inputs
    result = provider.create(dict(inputs))
    arize.sent.clear()
    return inputs, result


# --- check --------------------------------------------------------------------------------


def test_check_looks_the_task_up_once_for_its_type(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    first = checked(provider, {"task": task_id, **WINDOW}).inputs
    assert arize.sent_keys() == [f"GET /v2/tasks/{task_id}"]
    assert first["__resolved"]["task_type"] == "TEMPLATE_EVALUATION"
    arize.sent.clear()
    checked(provider, {"task": task_id, **WINDOW}, olds=first)
    assert arize.sent == []


def test_check_refuses_fields_of_the_other_task_type(
    provider: TaskRunProvider, task_id: str
) -> None:
    failures = provider.check({}, inputs_of({"task": task_id, "experiment_name": "exp-1"})).failures
    assert [(f.property, f.reason) for f in failures] == [
        (
            "experiment_name",
            "TaskRun 'nightly': experiment_name: only for run-experiment tasks; this task is "
            "TEMPLATE_EVALUATION",
        )
    ]


def test_an_unknown_task_checks_only_what_the_fields_decide(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    fine = provider.check({}, inputs_of({"task": Unknown(), **WINDOW}))
    assert fine.failures == [] and arize.sent == []
    mixed = provider.check({}, inputs_of({"task": Unknown(), **WINDOW, "max_examples": 3}))
    assert [f.property for f in mixed.failures] == ["max_examples"]
    window = provider.check(
        {}, inputs_of({"task": Unknown(), "data_start_time": Unknown(), "data_end_time": "x"})
    )
    assert [f.property for f in window.failures] == ["data_end_time"]


def test_check_refuses_bad_wait_settings(provider: TaskRunProvider, task_id: str) -> None:
    values = {
        "task": task_id,
        "timeout": 0,
        "poll_interval": -1,
        "succeed_on": ["COMPLETED", "done"],
        "on_timeout": "explode",
        "on_delete": "forget",
        "wait": "yes",
        "retries": 3,
    }
    failures = {f.property: f.reason for f in provider.check({}, inputs_of(values)).failures}
    assert set(failures) == {
        "timeout",
        "poll_interval",
        "succeed_on",
        "on_timeout",
        "on_delete",
        "wait",
        "retries",
    }
    assert "succeed_on[1]: 'done' is not a run status" in failures["succeed_on"]
    assert all(reason.startswith("TaskRun 'nightly': ") for reason in failures.values())


def test_a_missing_task_fails_check(provider: TaskRunProvider) -> None:
    failures = provider.check({}, inputs_of({"task": "nope"})).failures
    assert [f.property for f in failures] == ["task"]
    assert "task 'nope' not found in space 'demo-space'" in failures[0].reason
    assert provider.check({}, inputs_of({})).failures[0].property == "task"


def test_a_run_experiment_task_needs_an_experiment_name(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    experiment = arize.add_task("exp", "RUN_EXPERIMENT")
    failures = provider.check({}, inputs_of({"task": experiment})).failures
    assert [f.property for f in failures] == ["experiment_name"]


# --- create -------------------------------------------------------------------------------


def test_create_waits_and_reports_progress(
    provider: TaskRunProvider,
    arize: InProcessSandbox,
    task_id: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 4 s run (PENDING for its first 0.8 s) polled every 2 s: PENDING, RUNNING with 37 of
    its 100 spans done, then COMPLETED."""
    inputs = checked(provider, {"task": task_id, **WINDOW, "poll_interval": 2}).inputs
    arize.sent.clear()
    arize.outcome(task_id, "COMPLETED", duration=4)
    result = provider.create(dict(inputs))
    outs = result.outs
    assert outs is not None
    assert "run_id" not in outs  # the resource ID is the run's
    assert outs["status"] == "COMPLETED"
    assert (outs["num_successes"], outs["num_errors"], outs["num_skipped"]) == (91, 5, 4)
    assert outs["task_id"] == task_id
    assert arize.sent_keys()[0] == f"POST /v2/tasks/{task_id}/trigger"
    assert arize.sent[0].body == {
        "data_start_time": "2026-11-01T00:00:00.000Z",
        "data_end_time": "2026-11-02T00:00:00.000Z",
    }
    assert arize.slept == [2, 2]
    err = capsys.readouterr().err
    assert (
        f"TaskRun 'nightly': run {result.id} COMPLETED (91 succeeded, 5 errors, 4 skipped)" in err
    )
    assert f"run {result.id} PENDING: 0 succeeded, 0 errors, 0 skipped" in err
    assert f"run {result.id} RUNNING: 35 succeeded, 1 errors, 1 skipped" in err
    assert f"started run {result.id}; waiting up to 600s" in err


def test_a_status_outside_succeed_on_fails_with_everything_in_one_message(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    """A failed run of 100 spans ends with half of them evaluated, half of those in error."""
    inputs = checked(provider, {"task": task_id}).inputs
    arize.outcome(task_id, "FAILED", "judge down")
    with pytest.raises(ResourceError) as failed:
        provider.create(dict(inputs))
    message = str(failed.value)
    run_id, _earlier = arize.run_ids(task_id)
    assert message == (
        f"TaskRun 'nightly': run {run_id} FAILED (25 succeeded, 25 errors, 0 skipped): "
        "judge down; succeed_on is COMPLETED"
    )


def test_succeed_on_may_accept_other_statuses(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    arize.outcome(task_id, "CANCELLED", "all data already evaluated")
    _, result = started(
        provider, arize, {"task": task_id, "succeed_on": ["completed", "cancelled"]}
    )
    assert result.outs is not None and result.outs["status"] == "CANCELLED"


@pytest.mark.parametrize("action", ["cancel", "fail", "keep"])
def test_timeout_acts_on_on_timeout(
    provider: TaskRunProvider,
    arize: InProcessSandbox,
    task_id: str,
    action: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    values = {"task": task_id, "timeout": 12, "poll_interval": 5, "on_timeout": action}
    inputs = checked(provider, values).inputs
    arize.outcome(task_id, "HANG")
    run_state = "CANCELLED" if action == "cancel" else "RUNNING"
    if action == "keep":
        result = provider.create(dict(inputs))
        assert result.outs is not None and result.outs["status"] == "RUNNING"
        assert "pulumi refresh" in capsys.readouterr().err
    else:
        with pytest.raises(ResourceError) as failed:
            provider.create(dict(inputs))
        message = str(failed.value)
        run_id, _earlier = arize.run_ids(task_id)
        assert message.startswith(f"TaskRun 'nightly': run {run_id} is still RUNNING after 12s")
        assert ("cancelled it" in message) == (action == "cancel")
        assert ("left it running" in message) == (action == "fail")
    assert arize.slept == [5, 5, 2]
    run_id, _earlier = arize.run_ids(task_id)
    assert arize.run(run_id)["status"] == run_state


def test_wait_false_records_the_started_run_and_refresh_completes_it(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    _, result = started(provider, arize, {"task": task_id, "wait": False})
    assert result.outs is not None and result.outs["status"] == "PENDING"
    assert arize.slept == []
    arize.clock.advance(arize.run_duration)
    read = provider.read(result.id, result.outs)
    assert read.id == result.id
    assert read.outs is not None
    assert read.outs["status"] == "COMPLETED" and read.outs["num_successes"] == 91
    assert {k: v for k, v in read.outs.items() if k.startswith("__")} == {"__name": "nightly"}


def test_a_run_in_progress_refuses_a_new_one_clearly(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    running = arize.add_run(task_id, "RUNNING", **days_ago(arize, 1, 1 / 24))
    inputs = checked(provider, {"task": task_id}).inputs
    with pytest.raises(ResourceError) as refused:
        provider.create(dict(inputs))
    assert str(refused.value) == (
        f"TaskRun 'nightly': task {task_id} refused a new run: run {running} is still RUNNING: "
        "wait for it to end (or cancel it), then run `pulumi up` again"
    )


def test_fields_of_the_wrong_type_are_refused_before_any_trigger(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    inputs = checked(provider, {"task": task_id}).inputs
    inputs["max_examples"] = 3
    with pytest.raises(ResourceError, match="max_examples"):
        provider.create(dict(inputs))
    assert not any(call.method == "POST" for call in arize.sent)


def test_a_task_given_by_name_resolves_in_the_space(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    _, result = started(provider, arize, {"task": "eval"})
    assert result.outs is not None and result.outs["task_id"] == task_id


# --- diff / update ------------------------------------------------------------------------


def test_wait_settings_alone_update_in_place_without_requests(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    inputs, result = started(provider, arize, {"task": task_id, **WINDOW})
    news = checked(
        provider, {"task": task_id, **WINDOW, "timeout": 30, "wait": False}, olds=inputs
    ).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is True and diff.replaces == []
    update = provider.update(result.id, result.outs, news)
    assert arize.sent == []
    outs = update.outs
    assert outs is not None
    assert outs["status"] == "COMPLETED" and "declared" not in outs
    assert diff.replaces.detail == {"timeout": ("ADD", True), "wait": ("ADD", True)}


def test_wait_settings_spelled_differently_are_no_change(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    inputs, result = started(provider, arize, {"task": task_id, **WINDOW})
    respelled = {
        "timeout": 600,
        "poll_interval": 5,
        "on_timeout": "CANCEL",
        "on_delete": "Detach",
        "succeed_on": ["completed"],
    }
    news = checked(provider, {"task": task_id, **WINDOW, **respelled}, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is False


def test_an_unchanged_run_diffs_clean(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    inputs, result = started(provider, arize, {"task": task_id, **WINDOW, "triggers": ["v1"]})
    same_instant = {
        "data_start_time": "2026-11-01T00:00:00.000+00:00",
        "data_end_time": "2026-11-02T01:00:00+01:00",
    }
    news = checked(
        provider, {"task": task_id, **same_instant, "triggers": ["v1"]}, olds=inputs
    ).inputs
    assert provider.diff(result.id, result.outs, news).changes is False
    assert arize.sent == []


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"triggers": {"prompt": "v2"}}, ["triggers"]),
        ({"max_spans": 50}, ["max_spans"]),
        ({"data_end_time": "2026-11-03T00:00:00Z"}, ["data_end_time"]),
        ({"triggers": Unknown()}, ["triggers"]),
    ],
    ids=["triggers", "max_spans", "window", "unknown"],
)
def test_trigger_changes_are_a_new_run(
    provider: TaskRunProvider,
    arize: InProcessSandbox,
    task_id: str,
    change: dict[str, Any],
    replaces: list[str],
) -> None:
    inputs, result = started(provider, arize, {"task": task_id, **WINDOW})
    news = provider.check(inputs, {**inputs, **change}).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.replaces == replaces
    assert diff.delete_before_replace is False
    # Without check (which the engine always runs first), an unknown is still a change.
    if any(isinstance(v, Unknown) for v in change.values()):
        assert provider.diff(result.id, result.outs, {**inputs, **change}).replaces == replaces


def test_another_task_is_a_new_run(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    inputs, result = started(provider, arize, {"task": task_id})
    other = arize.add_task("other")
    arize.add_run(other, "COMPLETED", **days_ago(arize, 2, 1))
    news = checked(provider, {"task": other}, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).replaces == ["task"]
    assert provider.diff(result.id, result.outs, {**inputs, "task": Unknown()}).replaces == ["task"]


def test_on_delete_cancel_replaces_create_first(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    """The old run is cancelled only once the new one can start (tests/unit/test_replace.py)."""
    inputs, result = started(provider, arize, {"task": task_id, "on_delete": "cancel"})
    news = provider.check(inputs, {**inputs, "triggers": 2}).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.delete_before_replace is False


# --- read / delete ------------------------------------------------------------------------


def test_read_drops_a_run_that_is_gone(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    _, result = started(provider, arize, {"task": task_id})
    arize.delete_entity("run", result.id)
    read = provider.read(result.id, result.outs)
    assert read.id == "" and read.outs == {}


def test_delete_detaches_by_default(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    _, result = started(provider, arize, {"task": task_id, "wait": False})
    provider.delete(result.id, result.outs)
    assert arize.sent == []
    assert arize.run(result.id)["status"] == "PENDING"


def test_delete_cancels_a_run_still_going_when_asked(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    _, result = started(provider, arize, {"task": task_id, "wait": False, "on_delete": "cancel"})
    provider.delete(result.id, result.outs)
    assert arize.run(result.id)["status"] == "CANCELLED"
    arize.sent.clear()
    provider.delete(result.id, result.outs)
    assert [c.method for c in arize.sent] == ["GET"]
    arize.delete_entity("run", result.id)
    provider.delete(result.id, result.outs)


def test_a_state_of_the_previous_layout_still_cancels_on_delete(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    """Before, the outputs held the declaration (``declared``) and no ``__`` keys."""
    inputs, result = started(
        provider, arize, {"task": task_id, "wait": False, "on_delete": "cancel"}
    )
    assert result.outs is not None and result.outs["__on_delete"] == "cancel"
    legacy = {k: v for k, v in result.outs.items() if not k.startswith("__")}
    legacy["declared"] = {k: v for k, v in inputs.items() if k != "__name"}
    provider.delete(result.id, legacy)
    assert arize.run(result.id)["status"] == "CANCELLED"


# --- progress -----------------------------------------------------------------------------


def run_state(status: str, successes: int) -> TaskRun:
    return TaskRun.model_validate(
        {
            "id": "run-1",
            "task_id": "task-1",
            "status": status,
            "num_successes": successes,
            "created_at": "2026-11-01T00:00:00Z",
        }
    )


def test_progress_lines_are_throttled_but_status_changes_always_show(
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = [0.0]
    progress = Progress("TaskRun 'n'", "run-1", 5.0, clock=lambda: now[0])
    for moment, status, successes in [
        (0, "PENDING", 0),
        (1, "RUNNING", 1),
        (2, "RUNNING", 2),
        (3, "RUNNING", 3),
        (6, "RUNNING", 3),
        (7, "RUNNING", 9),
        (8, "COMPLETED", 10),
    ]:
        now[0] = moment
        progress(run_state(status, successes))
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "info: TaskRun 'n': run run-1 PENDING: 0 succeeded, 0 errors, 0 skipped (0s)",
        "info: TaskRun 'n': run run-1 RUNNING: 1 succeeded, 0 errors, 0 skipped (1s)",
        "info: TaskRun 'n': run run-1 RUNNING: 3 succeeded, 0 errors, 0 skipped (6s)",
    ]


# --- what a preview can know before a run is triggered ------------------------------------


def first_run_refusal(why: str, now: datetime) -> str:
    day = (now - timedelta(days=1)).strftime("%Y-%m-%d")
    return (
        "TaskRun 'nightly': data_start_time: required on the first run of a task on a project, "
        f'and {why}: set data_start_time (e.g. data_start_time="{day}T00:00:00Z"; '
        "data_end_time defaults to now, and a window is at most 30 days). Later runs without "
        "one continue where the last ended"
    )


def test_a_windowless_first_run_is_refused_at_check(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    fresh_task = arize.add_task("fresh")
    failures = provider.check({}, inputs_of({"task": fresh_task})).failures
    assert [(f.property, f.reason) for f in failures] == [
        (
            "data_start_time",
            first_run_refusal(f"task 'fresh' ({fresh_task}) has never run", arize.clock.now()),
        )
    ]
    checked(provider, {"task": fresh_task, **WINDOW})


def test_a_windowless_first_run_of_a_task_created_in_the_same_update_is_refused(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    """While its Task is created, ``task`` is unknown; the program tells what it declared."""
    hint = {"type": "template_evaluation", "on": "project", "name": "brand-new"}
    news = {**inputs_of({"task": Unknown()}), TASK_HINT: hint}
    result = provider.check({}, news)
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "data_start_time",
            first_run_refusal("task 'brand-new' is created in this update", arize.clock.now()),
        )
    ]
    assert TASK_HINT not in result.inputs  # never stored
    windowed = provider.check({}, {**inputs_of({"task": Unknown(), **WINDOW}), TASK_HINT: hint})
    assert windowed.failures == []
    on_dataset = {**hint, "on": "dataset"}
    assert provider.check({}, {**news, TASK_HINT: on_dataset}).failures == []


def test_a_task_of_that_name_that_ran_before_needs_no_window(
    provider: TaskRunProvider, task_id: str
) -> None:
    """A Task being updated in the same preview has an unknown ID too: it is found by name."""
    hint = {"type": "TEMPLATE_EVALUATION", "on": "project", "name": "eval"}
    news = {**inputs_of({"task": Unknown()}), TASK_HINT: hint}
    assert provider.check({}, news).failures == []


def test_a_windowless_run_long_after_the_last_one_covers_the_last_30_days(
    provider: TaskRunProvider, arize: InProcessSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = arize.add_task("stale")
    last_end = days_ago(arize, 41, 40)
    arize.add_run(stale, "COMPLETED", **last_end)
    now = arize.clock.now()  # the wait moves the clock on
    _, result = started(provider, arize, {"task": stale})
    assert result.outs is not None
    assert result.outs["data_start_time"] == rfc3339(now - timedelta(days=30))
    assert result.outs["data_end_time"] == rfc3339(now)
    assert (
        f"warning: TaskRun 'nightly': no data_start_time, and the last run of task {stale} "
        f"ended {last_end['data_end_time']}, more than 30 days before {rfc3339(now)} (a window "
        "is at most 30 days): this run evaluates the last 30 days, "
        f"{rfc3339(now - timedelta(days=30))} to {rfc3339(now)}; set data_start_time to "
        "choose the window"
    ) in capsys.readouterr().err


def test_a_windowless_run_soon_after_the_last_one_continues_where_it_ended(
    provider: TaskRunProvider, arize: InProcessSandbox, task_id: str
) -> None:
    (earlier,) = arize.run_ids(task_id)
    last_end = arize.run(earlier)["data_end_time"]
    _, result = started(provider, arize, {"task": task_id})
    assert result.outs is not None
    assert result.outs["data_start_time"] == last_end


def clash_refusal(arize: InProcessSandbox, name: str = "baseline") -> str:
    ids = arize.ids()
    return (
        f"dataset 'golden-qa' ({ids['dataset']}) already has an experiment named '{name}' "
        f"({ids['experiment']}), and experiment names are unique in a dataset: give this run "
        "another experiment_name"
    )


def test_an_experiment_name_the_dataset_has_is_refused_at_check(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    experiment = arize.add_task("exp", "RUN_EXPERIMENT")
    failures = provider.check(
        {}, inputs_of({"task": experiment, "experiment_name": "baseline"})
    ).failures
    assert [(f.property, f.reason) for f in failures] == [
        ("experiment_name", f"TaskRun 'nightly': experiment_name: {clash_refusal(arize)}")
    ]
    checked(provider, {"task": experiment, "experiment_name": "candidate"})


def test_an_experiment_name_clash_with_a_task_created_in_the_same_update(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    hint = {"type": "run_experiment", "on": "dataset", "name": "exp", "dataset": "golden-qa"}
    news = {
        **inputs_of({"task": Unknown(), "experiment_name": "baseline"}),
        TASK_HINT: hint,
    }
    failures = provider.check({}, news).failures
    assert [f.reason for f in failures] == [
        f"TaskRun 'nightly': experiment_name: {clash_refusal(arize)}"
    ]


def test_a_run_that_made_its_experiment_is_not_a_clash_with_itself(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    """Only a new run is checked: changing how the run is waited on triggers nothing."""
    experiment = arize.add_task("exp", "RUN_EXPERIMENT")
    inputs, _ = started(provider, arize, {"task": experiment, "experiment_name": "candidate"})
    checked(provider, {"task": experiment, "experiment_name": "candidate", "timeout": 60}, inputs)
    failures = provider.check(
        inputs, inputs_of({"task": experiment, "experiment_name": "candidate", "triggers": 2})
    ).failures
    assert [f.property for f in failures] == ["experiment_name"]


def test_a_clash_at_trigger_names_the_dataset_not_a_run_in_progress(
    provider: TaskRunProvider, arize: InProcessSandbox
) -> None:
    experiment = arize.add_task("exp", "RUN_EXPERIMENT")
    inputs = checked(provider, {"task": experiment, "experiment_name": "later"}).inputs
    arize.add_experiment("later")
    with pytest.raises(ResourceError) as refused:
        provider.create({**inputs})
    message = str(refused.value)
    assert message.startswith(f"TaskRun 'nightly': task {experiment} refused a new run: dataset ")
    assert "already has an experiment named 'later'" in message
    assert "in progress" not in message and "wait" not in message
