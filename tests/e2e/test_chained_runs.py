"""TaskRun with the real CLI: the evaluation runs an experiment run chains gate `pulumi up`."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

JUDGE: dict[str, Any] = {**programs.DATASET_EVAL, "type": "template_evaluation"}
JUDGE["evaluators"] = [{"evaluator": "hallucination"}]


def chain(integration: str, run: dict[str, Any] | None = None) -> programs.Program:
    """An experiment task, two judges on its dataset and, with ``run``, a TaskRun of the
    experiment chaining both judges; exports the task IDs and the run's outputs."""

    def program() -> None:
        experiment = arize_pulumi.Task("exp", **programs.run_experiment(integration))
        judges = [
            arize_pulumi.Task("judge", **JUDGE),
            arize_pulumi.Task("format", **programs.DATASET_EVAL),
        ]
        pulumi.export("judge_ids", [j.task_id for j in judges])
        if run is None:
            return
        task_run = arize_pulumi.TaskRun(
            "gate",
            task=experiment.task_id,
            evaluation_task_ids=[j.task_id for j in judges],
            poll_interval=0.2,
            timeout=60,
            **run,
        )
        pulumi.export("status", task_run.status)
        pulumi.export("chained_runs", task_run.chained_runs)

    return program


def test_judges_that_complete_let_up_succeed(make_stack: MakeStack, sandbox: Sandbox) -> None:
    integration = sandbox.ids()["ai_integration"]
    stack = make_stack(chain(integration, {"experiment_name": "chain-ok"}))
    stack.up()
    outputs = stack.outputs()
    assert outputs["status"] == "COMPLETED"
    chained = outputs["chained_runs"]
    assert [c["task_id"] for c in chained] == outputs["judge_ids"]
    assert [c["status"] for c in chained] == ["COMPLETED", "COMPLETED"]
    assert all(c["num_successes"] > 0 for c in chained)


def test_a_failing_judge_fails_up_with_its_reason(make_stack: MakeStack, sandbox: Sandbox) -> None:
    integration = sandbox.ids()["ai_integration"]
    stack = make_stack(chain(integration))
    stack.up()
    judge_id = stack.outputs()["judge_ids"][0]
    sandbox.outcome(judge_id, "FAILED", failure_reason="judge model quota exhausted")

    stack.program = chain(integration, {"experiment_name": "chain-bad"})
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    message = str(failed.value)
    runs = sandbox.control().get(f"/v2/tasks/{judge_id}/runs").json()["task_runs"]
    (judge_run,) = runs
    assert judge_run["status"] == "FAILED"
    for expected in (judge_id, judge_run["id"], "FAILED", "judge model quota exhausted"):
        assert expected in message
