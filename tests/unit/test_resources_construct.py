"""Task and TaskRun in a program: type tokens, inputs as registered, typed args, outputs."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pulumi
import pytest

import arize_pulumi
from arize_pulumi import (
    LlmGenerationConfigArgs,
    MessageArgs,
    Task,
    TaskArgs,
    TaskEvaluatorArgs,
    TaskRun,
    TaskRunArgs,
)


class Recorder(pulumi.runtime.Mocks):
    """Records every registered resource; outputs echo the inputs plus an ID."""

    def __init__(self) -> None:
        self.registered: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered[args.name] = (args.typ, dict(args.inputs))
        outputs = {**args.inputs, "task_id": f"{args.name}-id", "run_id": f"{args.name}-run"}
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


@pytest.fixture
def recorder() -> Recorder:
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test
def test_a_task_registers_its_type_token_inputs_and_outputs(recorder: Recorder) -> Any:
    task = Task(
        "project-eval",
        TaskArgs(
            type="template_evaluation",
            project="chatbot-prod",
            evaluators=[
                TaskEvaluatorArgs(evaluator="hallucination", column_mappings={"input": "i"}),
                {"evaluator": "relevance"},
            ],
            sampling_rate=0.5,
        ),
    )

    def verify(values: list[Any]) -> None:
        typ, inputs = recorder.registered["project-eval"]
        assert typ == "pulumi-python:dynamic/arize:Task"
        assert inputs["name"] == "project-eval"
        assert inputs["__name"] == "project-eval"
        assert inputs["evaluators"] == [
            {"evaluator": "hallucination", "column_mappings": {"input": "i"}},
            {"evaluator": "relevance"},
        ]
        assert len(inputs["__provider"]) < 300
        assert values == ["project-eval-id", "project-eval"]

    return pulumi.Output.all(task.task_id, task.name).apply(verify)


@pulumi.runtime.test
def test_keyword_arguments_and_typed_run_configurations(recorder: Recorder) -> Any:
    task = Task(
        "exp",
        type="run_experiment",
        name="nightly-experiment",
        dataset="golden-qa",
        run_configuration=LlmGenerationConfigArgs(
            ai_integration_id="QWlJbnRlZ3JhdGlvbjoxOmFCY0Q=",
            messages=[MessageArgs(role="user", content="{question}")],
        ),
    )

    def verify(_: Any) -> None:
        inputs = recorder.registered["exp"][1]
        assert inputs["name"] == "nightly-experiment"
        assert inputs["run_configuration"] == {
            "ai_integration_id": "QWlJbnRlZ3JhdGlvbjoxOmFCY0Q=",
            "messages": [{"role": "user", "content": "{question}"}],
            "input_variable_format": "F_STRING",
            "experiment_type": "LLM_GENERATION",
        }

    return task.urn.apply(verify)


@pulumi.runtime.test
def test_a_task_run_turns_datetimes_into_rfc3339(recorder: Recorder) -> Any:
    run = TaskRun(
        "nightly",
        TaskRunArgs(
            task=pulumi.Output.from_input("T25saW5lVGFzazoxOmFCY0Q="),
            data_start_time=datetime(2026, 11, 1, tzinfo=UTC),
            data_end_time=datetime(2026, 11, 2, 6, 30),
            triggers=["v1"],
        ),
        pulumi.ResourceOptions(protect=False),
    )

    def verify(_: Any) -> None:
        typ, inputs = recorder.registered["nightly"]
        assert typ == "pulumi-python:dynamic/arize:TaskRun"
        assert inputs["data_start_time"] == "2026-11-01T00:00:00.000Z"
        assert inputs["data_end_time"] == "2026-11-02T06:30:00.000Z"
        assert inputs["task"] == "T25saW5lVGFzazoxOmFCY0Q="
        assert inputs["__name"] == "nightly"

    return run.urn.apply(verify)


def test_an_unknown_argument_is_refused_in_the_program(recorder: Recorder) -> None:
    with pytest.raises(TypeError, match="Task 'eval': unknown argument\\(s\\) sampling"):
        Task("eval", type="template_evaluation", sampling=0.5)  # type: ignore[call-overload]


def test_importing_the_package_leaves_the_client_stack_unloaded() -> None:
    """The provider process imports the package on start; the client comes on first use."""
    code = (
        "import sys, arize_pulumi; "
        "print(sorted(m for m in ('httpx', 'pydantic', 'arize_pulumi.tasks') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert arize_pulumi.TaskRun is TaskRun


@pulumi.runtime.test
def test_options_may_come_second_with_keyword_arguments(recorder: Recorder) -> Any:
    task = Task(
        "with-opts",
        pulumi.ResourceOptions(ignore_changes=["sampling_rate"]),
        type="code_evaluation",
        dataset="golden-qa",
        experiment_ids=["baseline"],
        evaluators=["json-valid"],
    )

    def verify(_: Any) -> None:
        inputs = recorder.registered["with-opts"][1]
        assert inputs["type"] == "code_evaluation"
        assert inputs["evaluators"] == ["json-valid"]

    return task.urn.apply(verify)


def test_a_misplaced_argument_is_refused(recorder: Recorder) -> None:
    with pytest.raises(TypeError, match="expected \\(args, opts\\)"):
        TaskRun("r", {"task": "t"}, "not options")  # type: ignore[call-overload]


@pulumi.runtime.test
def test_a_thousand_tasks_and_runs_in_one_program(recorder: Recorder) -> Any:
    """pulumi wraps the pickler once per dynamic resource; ours leave it as they found it,
    so a large program neither slows down per resource nor overflows the stack."""
    pickler = pickle._Pickler
    before = pickler.__dict__["_batch_setitems"]
    tasks = [
        Task(f"bulk-{index}", type="template_evaluation", project="p", evaluators=["e"])
        for index in range(1100)
    ]
    runs = [TaskRun(f"bulk-run-{index}", task=tasks[index].task_id) for index in range(100)]
    assert pickler.__dict__["_batch_setitems"] is before

    def registered(_: Any) -> None:
        assert len(recorder.registered) == 1200

    return pulumi.Output.all(*(run.run_id for run in runs)).apply(registered)


def test_check_and_diff_paths_do_not_load_the_http_client() -> None:
    """An unchanged preview makes no request, so the provider process must not pay for
    importing httpx: the models and validators load without it."""
    probe = (
        "import sys, arize_pulumi.tasks.validation, arize_pulumi.resources.task_provider, "
        "arize_pulumi.resources.task_run_provider; "
        "from arize_pulumi.tasks import TaskType, validate_task; "
        "print('httpx' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


class CompactState(pulumi.runtime.Mocks):
    """Outputs as the provider keeps them: what the server made, the IDs names stood for, and
    a live value only where it is not what the declaration says (``is_continuous`` left to
    the server's default)."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = {
            "created_at": "2026-12-01T00:00:00.000Z",
            "space_id": "U3BhY2U6MTphQmNE",
            "project_id": "TW9kZWw6MTphQmNE",
            "experiment_ids": [],
            "evaluator_ids": ["RXZhbHVhdG9yOjE6YUJjRA==", "RXZhbHVhdG9yOjI6YUJjRA=="],
            "is_continuous": False,
            "__written": "0123456789abcdef",
        }
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


@pulumi.runtime.test
def test_outputs_the_state_leaves_out_are_the_declaration_in_the_api_form() -> Any:
    pulumi.runtime.set_mocks(CompactState(), preview=False)
    task = Task(
        "project-eval",
        type="template_evaluation",
        project="chatbot-prod",
        evaluators=["hallucination", TaskEvaluatorArgs(evaluator="relevance")],
        sampling_rate=1,
        query_filter="",
    )

    def verify(values: list[Any]) -> None:
        assert values == [
            "project-eval",
            "TEMPLATE_EVALUATION",
            1.0,
            None,
            False,
            "TW9kZWw6MTphQmNE",
            [{"evaluator": "hallucination"}, {"evaluator": "relevance"}],
            ["RXZhbHVhdG9yOjE6YUJjRA==", "RXZhbHVhdG9yOjI6YUJjRA=="],
            None,
        ]

    return pulumi.Output.all(
        task.name,
        task.type,
        task.sampling_rate,
        task.query_filter,
        task.is_continuous,
        task.project_id,
        task.evaluators,
        task.evaluator_ids,
        task.run_configuration,
    ).apply(verify)
