"""A replace never loses the live task, through the real CLI: the task keeps its name, so the
live one is renamed aside, the new one created, and only then the old one deleted. A create that
fails, and a SIGKILL between the steps, leave the live task in place, and the next `up`
converges with no duplicate."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from arize_pulumi.resources._replacing import aside_name
from arize_pulumi.tasks.ids import encode_id
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.e2e.test_reliability import server_tasks
from tests.support.sandbox import Sandbox
from tests.support.stacks import LocalStack

pytestmark = pytest.mark.e2e

NAME = "support-judge"
AS_CODE_EVAL: dict[str, Any] = {
    **programs.PROJECT_EVAL,
    "type": "code_evaluation",
    "evaluators": [{"evaluator": "json-valid"}],
}
"""The same task as a code evaluation: a change of ``type``, which replaces it."""


def one_task(**values: Any) -> programs.Program:
    def program() -> None:
        task = arize_pulumi.Task(NAME, **(values or programs.PROJECT_EVAL))
        pulumi.export("task_id", task.task_id)

    return program


def live(sandbox: Sandbox) -> list[tuple[str, str, str]]:
    """``(id, name, type)`` of every task in the space."""
    return sorted((t["id"], t["name"], t["type"]) for t in server_tasks(sandbox))


def ops(preview: auto.PreviewResult) -> dict[str, int]:
    return {op: n for op, n in (preview.change_summary or {}).items() if op != "same"}


def converged(stack: LocalStack, sandbox: Sandbox) -> None:
    """One task of that name, the replacement, in the state and on the server; nothing aside."""
    (task,) = live(sandbox)
    assert task == (stack.outputs()["task_id"], NAME, "CODE_EVALUATION")
    stack.preview(expect_no_changes=True)


def about_to_replace(make_stack: MakeStack) -> tuple[LocalStack, str]:
    """A stack whose task is live, and whose program now replaces it under the same name."""
    stack = make_stack(one_task())
    stack.up()
    old_id: str = stack.outputs()["task_id"]
    stack.program = one_task(**AS_CODE_EVAL)
    return stack, old_id


def test_a_replace_whose_create_fails_keeps_the_live_task_and_the_next_up_converges(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack, old_id = about_to_replace(make_stack)
    assert ops(stack.preview()) == {"replace": 1}

    sandbox.faults(rate=1, statuses=[422], routes=["POST /v2/tasks"], limit=1)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    message = " ".join(str(failed.value).split())
    assert (
        f"arize:Task ({NAME}): error: creating task '{NAME}' (to replace task {old_id}) failed"
    ) in message
    assert "422" in message
    assert f"The live task {old_id} was not changed: it keeps its name and settings." in message
    assert live(sandbox) == [(old_id, NAME, "TEMPLATE_EVALUATION")]
    assert stack.outputs()["task_id"] == old_id

    sandbox.clear_faults()
    assert ops(stack.preview()) == {"replace": 1}
    stack.up()
    converged(stack, sandbox)


def test_a_refused_rename_changes_nothing_and_the_next_up_converges(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack, old_id = about_to_replace(make_stack)
    sandbox.faults(rate=1, statuses=[403], routes=["PATCH /v2/tasks/{task_id}"], limit=1)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    message = " ".join(str(failed.value).split())
    assert f"renaming it to '{aside_name(NAME, old_id)}' failed" in message
    assert "It was not deleted; run `pulumi up` again" in message
    assert live(sandbox) == [(old_id, NAME, "TEMPLATE_EVALUATION")]
    sandbox.clear_faults()
    stack.up()
    converged(stack, sandbox)


@pytest.mark.filterwarnings(
    # The killed engine leaves the inline program's coroutine unfinished, as intended.
    "ignore::pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.parametrize("refresh", [False, True], ids=["up", "refresh-then-up"])
@pytest.mark.parametrize(
    "landed", [False, True], ids=["killed-before-the-create", "killed-after-the-create"]
)
def test_a_sigkill_between_the_steps_then_the_documented_recovery_converges(
    make_stack: MakeStack, sandbox: Sandbox, landed: bool, refresh: bool
) -> None:
    stack, old_id = about_to_replace(make_stack)
    # The create of the replacement is held for a minute: on its way to the server (it never
    # arrives if the client goes), or made but not yet answered.
    sandbox.faults(
        rate=0, latency_ms=60_000, phase="after" if landed else "before", routes=["POST /v2/tasks"]
    )
    aside = (old_id, aside_name(NAME, old_id), "TEMPLATE_EVALUATION")
    wanted = 2 if landed else 1
    stack.up_killed_when(lambda: aside in (tasks := live(sandbox)) and len(tasks) == wanted)
    sandbox.clear_faults()
    tasks = live(sandbox)
    assert aside in tasks
    assert Counter(name for _, name, _ in tasks) == (
        {aside[1]: 1, NAME: 1} if landed else {aside[1]: 1}
    )

    stack.delete_empty_backend_metadata()
    stack.stack.cancel()
    if refresh:
        stack.refresh()
    stack.up()
    converged(stack, sandbox)


def test_a_replace_with_a_mistyped_integration_id_is_refused_at_preview(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    """The run-experiment task moves to another dataset (a replace, same name) with a typo in
    its integration ID: preview refuses it, and `up` changes nothing."""
    sandbox.seed({"spaces": [{"name": "demo-space", "datasets": [{"name": "golden-qa-v2"}]}]})
    integration = sandbox.ids()["ai_integration"]
    stack = make_stack(one_task(**programs.run_experiment(integration)))
    stack.up()
    old_id = stack.outputs()["task_id"]
    typo = encode_id("AiIntegration", 4_242, "oops")
    moved = {**programs.run_experiment(typo), "dataset": "golden-qa-v2"}
    stack.program = one_task(**moved)
    sandbox.reset_requests()
    for command in (stack.preview, stack.up):
        with pytest.raises(auto.CommandError) as refused:
            command()
        message = " ".join(str(refused.value).split())
        assert (
            f"Task resource '{NAME}' has a problem: AI integration '{typo}' "
            "(run_configuration.ai_integration)"
        ) in message
        assert "not found: no such ID" in message
    writes = {k: n for k, n in sandbox.requests().items() if not k.startswith("GET ")}
    assert writes == {}
    assert [task_id for task_id, _, _ in live(sandbox)] == [old_id]
