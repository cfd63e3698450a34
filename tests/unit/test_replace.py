"""A replace never loses what is live: the engine's create-then-delete order, step by step.

The engine asks ``diff``, then calls ``create`` for the replacement and, only once that
succeeded, ``delete`` for the old resource. These tests make the same calls in that order on
the providers, against the sandbox app in process, and fail exactly one step.
"""

from __future__ import annotations

from typing import Any

import pytest

from arize_pulumi.resources import TaskProvider, TaskRunProvider
from arize_pulumi.resources._provider import ResourceError
from arize_pulumi.resources._replacing import aside_name
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import PROJECT_EVAL, declared, wire

AS_CODE_EVAL = {**PROJECT_EVAL, "type": "code_evaluation", "evaluators": ["json-valid"]}
"""PROJECT_EVAL of another type: a replace that keeps the name."""


@pytest.fixture
def provider(arize: InProcessSandbox) -> TaskProvider:
    return wire(TaskProvider(), arize)


def _checked(provider: TaskProvider, values: dict[str, Any], olds: Any = None) -> dict[str, Any]:
    result = provider.check(olds or {}, declared("eval", values))
    assert [f.reason for f in result.failures] == []
    return dict(result.inputs)


def _live_task(provider: TaskProvider) -> tuple[str, dict[str, Any], dict[str, Any]]:
    inputs = _checked(provider, PROJECT_EVAL)
    result = provider.create(dict(inputs))
    assert result.outs is not None
    return str(result.id), inputs, dict(result.outs)


def _names(arize: InProcessSandbox) -> dict[str, str]:
    """Task ID -> name, of every task in the default space."""
    return {task_id: arize.task(task_id)["name"] for task_id in arize.task_ids()}


def _replace(provider: TaskProvider, old_id: str, outs: dict[str, Any], inputs: Any) -> Any:
    """The engine's replace up to the create: diff (which must say replace, create first),
    then create."""
    news = _checked(provider, AS_CODE_EVAL, olds=inputs)
    diff = provider.diff(old_id, outs, news)
    assert diff.replaces == ["type"]
    assert diff.delete_before_replace is False
    return provider.create(news)


def test_a_same_name_replace_moves_the_live_task_aside_then_creates(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    arize.sent.clear()
    created = _replace(provider, old_id, outs, inputs)
    assert _names(arize) == {old_id: aside_name("eval", old_id), created.id: "eval"}
    assert [key for key in arize.sent_keys() if "/v2/tasks" in key] == [
        f"GET /v2/tasks/{old_id}",
        f"PATCH /v2/tasks/{old_id}",
        "POST /v2/tasks",
    ]
    provider.delete(old_id, outs)  # the engine's last step
    assert _names(arize) == {created.id: "eval"}
    assert arize.task(created.id)["type"] == "CODE_EVALUATION"


def test_a_failed_create_gives_the_live_task_its_name_back(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    before = arize.task(old_id)
    arize.fail("POST", "/v2/tasks", status=422)
    with pytest.raises(ResourceError) as failure:
        _replace(provider, old_id, outs, inputs)
    message = str(failure.value)
    assert "creating task 'eval' (to replace task" in message
    assert "422" in message
    assert f"The live task {old_id} was not changed: it keeps its name and settings." in message
    assert _names(arize) == {old_id: "eval"}
    after = arize.task(old_id)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


def test_a_refused_rename_changes_nothing(provider: TaskProvider, arize: InProcessSandbox) -> None:
    old_id, inputs, outs = _live_task(provider)
    arize.fail("PATCH", f"/v2/tasks/{old_id}", status=403)
    with pytest.raises(ResourceError) as failure:
        _replace(provider, old_id, outs, inputs)
    message = str(failure.value)
    assert f"renaming it to '{aside_name('eval', old_id)}' failed" in message
    assert "It was not deleted; run `pulumi up` again" in message
    assert _names(arize) == {old_id: "eval"}


def test_a_clash_with_the_aside_name_takes_the_next_one(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    squatter = arize.add_task(aside_name("eval", old_id))
    created = _replace(provider, old_id, outs, inputs)
    assert _names(arize) == {
        squatter: aside_name("eval", old_id),
        old_id: aside_name("eval", old_id, 2),
        created.id: "eval",
    }


def test_every_aside_name_taken_is_refused_naming_them(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    for attempt in (1, 2, 3):
        arize.add_task(aside_name("eval", old_id, attempt))
    with pytest.raises(ResourceError, match="already exist in its space") as failure:
        _replace(provider, old_id, outs, inputs)
    assert f"'{aside_name('eval', old_id, 3)}'" in str(failure.value)
    assert _names(arize)[old_id] == "eval"
    assert list(_names(arize).values()).count("eval") == 1


def test_after_a_crash_past_the_rename_the_next_create_goes_on(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    """The state still holds the old task under its name; the live one was moved aside."""
    old_id, inputs, outs = _live_task(provider)
    arize.edit_task(old_id, name=aside_name("eval", old_id))
    arize.sent.clear()
    created = _replace(provider, old_id, outs, inputs)
    assert [key for key in arize.sent_keys() if "/v2/tasks" in key] == [
        f"GET /v2/tasks/{old_id}",
        "POST /v2/tasks",
    ]
    provider.delete(old_id, outs)
    assert _names(arize) == {created.id: "eval"}


def test_after_a_crash_past_the_rename_a_failed_create_still_restores_the_name(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    arize.edit_task(old_id, name=aside_name("eval", old_id))
    arize.fail("POST", "/v2/tasks", status=422)
    with pytest.raises(ResourceError, match="keeps its name and settings"):
        _replace(provider, old_id, outs, inputs)
    assert _names(arize) == {old_id: "eval"}


def test_a_failed_name_restore_says_where_the_task_is(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    arize.fail("POST", "/v2/tasks", status=422)
    arize.fail("PATCH", f"/v2/tasks/{old_id}", status=400, after=1)  # the rename passes
    with pytest.raises(ResourceError) as failure:
        _replace(provider, old_id, outs, inputs)
    message = str(failure.value)
    assert f"is still there but keeps the name '{aside_name('eval', old_id)}'" in message
    assert "Run `pulumi refresh`, then `pulumi up`" in message
    assert _names(arize) == {old_id: aside_name("eval", old_id)}


def test_a_conflict_on_create_restores_the_name(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    """The create is refused as a name clash although the name was just freed (another
    writer took it, then let it go): the old task gets its name back."""
    old_id, inputs, outs = _live_task(provider)
    arize.fail("POST", "/v2/tasks", status=409)
    with pytest.raises(ResourceError) as failure:
        _replace(provider, old_id, outs, inputs)
    assert f"The live task {old_id} was not changed" in str(failure.value)
    assert _names(arize) == {old_id: "eval"}


def test_a_replace_under_another_name_or_space_needs_no_rename(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    old_id, inputs, outs = _live_task(provider)
    news = _checked(provider, {**AS_CODE_EVAL, "name": "eval-v2"}, olds=inputs)
    assert provider.diff(old_id, outs, news).delete_before_replace is False
    arize.sent.clear()
    created = provider.create(news)
    assert [key for key in arize.sent_keys() if "/v2/tasks" in key] == ["POST /v2/tasks"]
    assert _names(arize) == {old_id: "eval", created.id: "eval-v2"}


# --- TaskRun on_delete=cancel -------------------------------------------------------------


@pytest.fixture
def runs(arize: InProcessSandbox) -> TaskRunProvider:
    return wire(TaskRunProvider(), arize)


WINDOW = {"data_start_time": "2026-11-01T00:00:00Z", "data_end_time": "2026-11-02T00:00:00Z"}


def _started(runs: TaskRunProvider, values: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    result = runs.check({}, {**values, "__name": "gate"})
    assert [f.reason for f in result.failures] == []
    inputs = dict(result.inputs)
    return inputs, runs.create(dict(inputs))


def test_a_cancel_replace_cancels_the_old_run_only_once_the_new_one_can_start(
    runs: TaskRunProvider, arize: InProcessSandbox
) -> None:
    task_id = arize.add_task("judged")
    arize.outcome(task_id, "HANG")
    values = {"task": task_id, "on_delete": "cancel", "wait": False, **WINDOW}
    inputs, old = _started(runs, values)
    assert arize.run(old.id)["status"] in ("PENDING", "RUNNING")
    news = dict(runs.check(inputs, {**inputs, "triggers": 2}).inputs)
    diff = runs.diff(old.id, dict(old.outs), news)
    assert diff.replaces == ["triggers"]
    assert diff.delete_before_replace is False
    new = runs.create(news)
    assert arize.run(old.id)["status"] == "CANCELLED"
    assert new.id != old.id
    runs.delete(old.id, dict(old.outs))  # the engine's last step: the old run is already done
    assert arize.run(new.id)["status"] in ("PENDING", "RUNNING", "COMPLETED")


def test_a_cancel_replace_whose_trigger_is_refused_leaves_the_old_run_going(
    runs: TaskRunProvider, arize: InProcessSandbox
) -> None:
    task_id = arize.add_task("judged")
    arize.outcome(task_id, "HANG")
    inputs, old = _started(runs, {"task": task_id, "on_delete": "cancel", "wait": False, **WINDOW})
    news = dict(runs.check(inputs, {**inputs, "triggers": 2}).inputs)
    runs.diff(old.id, dict(old.outs), news)
    arize.fail("POST", f"/v2/tasks/{task_id}/trigger", status=422)
    with pytest.raises(ResourceError, match="422"):
        runs.create(news)
    assert arize.run(old.id)["status"] in ("PENDING", "RUNNING")
    assert arize.run_ids(task_id) == [old.id]


def test_a_detach_replace_does_not_cancel_a_run_in_progress(
    runs: TaskRunProvider, arize: InProcessSandbox
) -> None:
    task_id = arize.add_task("judged")
    arize.outcome(task_id, "HANG")
    inputs, old = _started(runs, {"task": task_id, "wait": False, **WINDOW})
    news = dict(runs.check(inputs, {**inputs, "triggers": 2}).inputs)
    runs.diff(old.id, dict(old.outs), news)
    with pytest.raises(ResourceError, match="refused a new run"):
        runs.create(news)
    assert arize.run(old.id)["status"] in ("PENDING", "RUNNING")
