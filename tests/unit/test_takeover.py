"""Which existing task a create takes over without ``adopt``: only one an interrupted
``pulumi up`` can have left, an identical task created within the recovery window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from arize_pulumi.resources import TaskProvider
from arize_pulumi.resources._provider import ResourceError
from arize_pulumi.resources.task_provider import RECOVERY_WINDOW
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import PROJECT_EVAL, declared, wire


@pytest.fixture
def old_arize() -> Iterator[InProcessSandbox]:
    """A sandbox whose clock stands an hour back, so what it creates now is old."""
    with InProcessSandbox(frozen_at=datetime.now(UTC) - timedelta(hours=1)) as app:
        yield app


def inputs_for(provider: TaskProvider, values: dict[str, object]) -> dict[str, object]:
    result = provider.check({}, declared("eval", values))
    assert [f.reason for f in result.failures] == []
    return dict(result.inputs)


def test_an_identical_task_made_earlier_by_hand_is_refused_not_taken_over(
    old_arize: InProcessSandbox,
) -> None:
    provider = wire(TaskProvider(), old_arize)
    inputs = inputs_for(provider, PROJECT_EVAL)
    existing = provider.create(dict(inputs)).id  # "by hand", an hour ago
    old_arize.sent.clear()
    with pytest.raises(ResourceError) as refused:
        provider.create(dict(inputs))
    message = str(refused.value)
    assert message.startswith("Task 'eval': a task named 'eval' already exists")
    assert existing in message and "demo-space" in message
    assert "created " in message and " by user " in message
    assert "adopt=True" in message and "another name" in message
    assert "`pulumi destroy`" in message
    assert [k for k in old_arize.sent_keys() if k.startswith(("PATCH", "DELETE"))] == []
    assert old_arize.task_ids() == [existing]


def test_adopt_still_takes_an_old_task_over_and_says_destroy_deletes_it(
    old_arize: InProcessSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = wire(TaskProvider(), old_arize)
    existing = provider.create(inputs_for(provider, PROJECT_EVAL)).id
    capsys.readouterr()
    result = provider.create(inputs_for(provider, {**PROJECT_EVAL, "adopt": True}))
    assert result.id == existing
    warning = capsys.readouterr().err
    assert "adopt is set: took over task 'eval'" in warning
    assert "this stack now manages it: `pulumi destroy`" in warning and "deletes it" in warning


def test_a_task_just_left_by_an_interrupted_up_is_taken_over_naming_destroy(
    arize: InProcessSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = wire(TaskProvider(), arize)
    inputs = inputs_for(provider, PROJECT_EVAL)
    first = provider.create(dict(inputs)).id
    assert provider.create(dict(inputs)).id == first
    warning = capsys.readouterr().err
    assert "these settings was created " in warning and " by user " in warning
    assert "interrupted `pulumi up`" in warning and first in warning
    assert "this stack now manages it: `pulumi destroy`" in warning and "deletes it" in warning


def test_the_window_edge(arize: InProcessSandbox) -> None:
    from arize_pulumi.resources.task_provider import _recent

    task = wire(TaskProvider(), arize).client().get(arize.add_task("eval"))
    assert task.created_at is not None
    assert _recent(task, task.created_at + RECOVERY_WINDOW)
    assert not _recent(task, task.created_at + RECOVERY_WINDOW + timedelta(seconds=1))
    assert _recent(task, task.created_at - timedelta(hours=1))  # this machine's clock behind
    assert not _recent(task.model_copy(update={"created_at": None}))
