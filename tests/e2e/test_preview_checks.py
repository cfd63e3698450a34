"""What `pulumi preview` can know before a run is triggered, through the real CLI: a
windowless first run of a task on a project, an experiment name the dataset already has, and
names that are not found (with the closest ones); and the window a windowless run gets long
after the last one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import arize_pulumi
from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.api import evaluation_task, run_experiment_task
from tests.support.control import rfc3339
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

WRITES = ("POST ", "PATCH ", "DELETE ")


def refused_at_preview(stack: Any, sandbox: Sandbox) -> str:
    """The preview's failure text; nothing was written."""
    sandbox.reset_requests()
    with pytest.raises(auto.CommandError) as failed:
        stack.preview()
    assert {k: v for k, v in sandbox.requests().items() if k.startswith(WRITES)} == {}
    return " ".join(str(failed.value).split())


def test_a_windowless_first_run_of_a_new_task_is_refused_at_preview(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": {}}))
    message = refused_at_preview(stack, sandbox)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    assert (
        "TaskRun resource 'nightly' has a problem: data_start_time: required on the first run "
        "of a task on a project, and task 'gated' is created in this update: set "
        f'data_start_time (e.g. data_start_time="{yesterday}T00:00:00Z"; data_end_time defaults '
        "to now, and a window is at most 30 days)"
    ) in message

    # `up` without a preview: the task is made, and the run is refused before any trigger.
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    task_id = sandbox.control().get("/v2/tasks").json()["tasks"][0]["id"]
    assert (
        "TaskRun resource 'nightly' has a problem: data_start_time: required on the first run "
        f"of a task on a project, and task 'gated' ({task_id}) has never run: set data_start_time"
    ) in " ".join(str(failed.value).split())
    assert sandbox.requests().get("POST /v2/tasks/{task_id}/trigger", 0) == 0

    window = {"data_start_time": f"{yesterday}T00:00:00Z"}
    stack.program = programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": window})
    stack.up()
    assert stack.outputs()["nightly"]["status"] == "COMPLETED"


def test_a_windowless_run_long_after_the_last_covers_the_last_30_days(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    control = sandbox.control()
    task_id = control.post("/v2/tasks", json=evaluation_task(sandbox.ids(), "stale")).json()["id"]
    now = datetime.now(UTC)
    old_window = {
        "data_start_time": rfc3339(now - timedelta(days=41)),
        "data_end_time": rfc3339(now - timedelta(days=40)),
    }
    control.post(f"/v2/tasks/{task_id}/trigger", json=old_window).raise_for_status()
    sandbox.clock.skip(5)  # that run ends

    def program() -> None:
        run = arize_pulumi.TaskRun("catch-up", task=task_id, poll_interval=0.2)
        pulumi.export("window", pulumi.Output.all(run.data_start_time, run.data_end_time))

    stack = make_stack(program)
    stack.up()
    start, end = (datetime.fromisoformat(t) for t in stack.outputs()["window"])
    assert end - start == timedelta(days=30)
    assert abs(end - datetime.now(UTC)) < timedelta(minutes=5)
    output = " ".join("".join(stack.output).split())
    assert (
        f"TaskRun 'catch-up': no data_start_time, and the last run of task {task_id} ended "
        f"{old_window['data_end_time']}, more than 30 days before {rfc3339(end)} (a window is "
        f"at most 30 days): this run evaluates the last 30 days, {rfc3339(start)} to "
        f"{rfc3339(end)}; set data_start_time to choose the window"
    ) in output


def test_an_experiment_name_the_dataset_has_is_refused_at_preview(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    ids = sandbox.ids()
    body = run_experiment_task(ids, "experiment")
    task_id = sandbox.control().post("/v2/tasks", json=body).json()["id"]
    clash = (
        f"experiment_name: dataset 'golden-qa' ({ids['dataset']}) already has an experiment "
        f"named 'baseline' ({ids['experiment']}), and experiment names are unique in a "
        "dataset: give this run another experiment_name"
    )

    def run_of(task: Any) -> None:
        run = arize_pulumi.TaskRun("candidate-run", task=task, experiment_name="baseline")
        pulumi.export("status", run.status)

    message = refused_at_preview(make_stack(lambda: run_of(task_id)), sandbox)
    assert f"TaskRun resource 'candidate-run' has a problem: {clash}" in message
    assert "in progress" not in message

    def with_new_task() -> None:
        experiment = arize_pulumi.Task(
            "new-experiment",
            type="run_experiment",
            dataset="golden-qa",
            run_configuration={
                "experiment_type": "llm_generation",
                "ai_integration": "openai-default",
                "input_variable_format": "f_string",
                "messages": [{"role": "user", "content": "{question}"}],
            },
        )
        run_of(experiment.task_id)

    message = refused_at_preview(make_stack(with_new_task, name="new-task"), sandbox)
    assert f"TaskRun resource 'candidate-run' has a problem: {clash}" in message


def test_a_misspelt_evaluator_gets_a_did_you_mean(make_stack: MakeStack, sandbox: Sandbox) -> None:
    inputs = {**programs.PROJECT_EVAL, "evaluators": ["halucination"]}
    message = refused_at_preview(make_stack(programs.tasks({"typo": inputs})), sandbox)
    assert (
        "Task resource 'typo' has a problem: evaluator 'halucination' (evaluators[0]) not found "
        "in space 'demo-space'; did you mean 'hallucination'?"
    ) in message

    inputs = {**programs.PROJECT_EVAL, "project": "chatbot-prdo"}
    message = refused_at_preview(make_stack(programs.tasks({"typo": inputs}), name="p"), sandbox)
    assert (
        "project 'chatbot-prdo' not found in space 'demo-space'; did you mean 'chatbot-prod'?"
        in (message)
    )
