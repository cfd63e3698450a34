"""What `pulumi preview --diff` prints, and what the state holds, through the real CLI.

The preview lists only the inputs the program wrote, old and new: none of the provider's own
(``__name``, ``__resolved``), no outputs; another spelling of the same value is no change; a
clean preview shows nothing unknown. The state of each resource stays under a byte bound.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

import arize_pulumi
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox
from tests.support.stacks import LocalStack, state_bytes

pytestmark = pytest.mark.e2e

START = "2026-11-01T00:00:00.000Z"


def program(ids: dict[str, Any], **spelling: Any) -> Callable[[], None]:
    """A project evaluation task with two evaluators, a run of it, and a run-experiment task;
    ``spelling`` overrides what each is declared with."""

    def run() -> None:
        evaluators = spelling.get(
            "evaluators", [{"evaluator": "hallucination"}, {"evaluator": "relevance"}]
        )
        task = arize_pulumi.Task(
            "project-eval",
            type=spelling.get("type", "template_evaluation"),
            project="chatbot-prod",
            evaluators=evaluators,
            sampling_rate=spelling.get("sampling_rate", 0.5),
            is_continuous=True,
            query_filter="metadata.environment = 'production'",
        )
        experiment = arize_pulumi.Task(
            "experiment",
            type="run_experiment",
            dataset="golden-qa",
            run_configuration={
                "experiment_type": spelling.get("experiment_type", "llm_generation"),
                "ai_integration_id": ids["ai_integration"],
                "model_name": "gpt-4o-mini",
                "input_variable_format": "f_string",
                "messages": [
                    {"role": "system", "content": "You answer questions about our product."},
                    {"role": "user", "content": "{question}"},
                ],
                "invocation_parameters": {"temperature": 0.2},
            },
        )
        run = arize_pulumi.TaskRun(
            "run",
            task=task.task_id,
            data_start_time=spelling.get("data_start_time", START),
            data_end_time=spelling.get("data_end_time", "2026-11-02T00:00:00Z"),
        )
        pulumi.export("task_id", task.task_id)
        pulumi.export("status", run.status)
        # Outputs that are unset: known to be None in a preview of an unchanged stack.
        pulumi.export("experiment_query_filter", experiment.query_filter)
        pulumi.export("last_run_at", experiment.last_run_at)
        pulumi.export("failure_reason", run.failure_reason)

    return run


def preview_text(stack: LocalStack) -> str:
    stack.output.clear()
    stack.preview(diff=True)
    return "\n".join(line.rstrip("\n") for line in stack.output)


def resource_block(text: str, name: str) -> list[str]:
    """The property lines printed under resource ``name``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.rstrip().endswith(f"::{name}]"))
    block = []
    for line in lines[start + 1 :]:
        if re.match(r"^\s*(\+-|[-+~ ])\s*pulumi", line) or line.strip() in STOPS:
            break
        block.append(line)
    return [line for line in block if line.strip() and not line.strip().startswith("[")]


STOPS = ("Resources:", "--outputs:--")
"""What ends a resource's lines: the summary, or the stack's outputs."""

PROVIDER_MADE = ("__name", "__resolved", "__changed", "resolved", "resource_name", "declared")


@pytest.fixture
def stack(make_stack: MakeStack, sandbox: Sandbox) -> LocalStack:
    made = make_stack(program(sandbox.ids()))
    made.up()
    return made


def test_a_first_preview_lists_only_what_the_program_wrote(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    text = preview_text(make_stack(program(sandbox.ids())))
    assert not any(word in text for word in PROVIDER_MADE), text
    keys = {line.split(":")[0].strip() for line in resource_block(text, "project-eval")}
    assert {"type", "project", "evaluators", "sampling_rate", "query_filter", "name"} <= keys
    # Among the resources, the run's task is the only value not known yet: its task is not
    # created. (The stack's outputs, printed after "--outputs:--", are all to come.)
    resources = text.split("--outputs:--")[0]
    assert [line.strip() for line in resources.splitlines() if "[unknown]" in line] == [
        "task           : [unknown]"
    ]


def test_a_clean_preview_shows_no_change_and_nothing_unknown(
    stack: LocalStack, sandbox: Sandbox
) -> None:
    sandbox.reset_requests()
    text = preview_text(stack)
    assert sandbox.total_requests() == 0
    assert "[unknown]" not in text
    assert "4 unchanged" in text and "to update" not in text and "to replace" not in text


def test_other_spellings_of_the_same_values_are_no_change(
    stack: LocalStack, sandbox: Sandbox
) -> None:
    ids = sandbox.ids()
    stack.program = program(
        ids,
        type="TEMPLATE_EVALUATION",
        evaluators=[{"evaluator": "relevance"}, {"evaluator": ids["evaluators"]["hallucination"]}],
        experiment_type="LLM_GENERATION",
        data_start_time="2026-11-01T00:00:00Z",
    )
    sandbox.reset_requests()
    text = preview_text(stack)
    assert sandbox.total_requests() == 0
    assert "4 unchanged" in text and "[unknown]" not in text, text


def test_an_update_lists_only_the_changed_input_old_and_new(
    stack: LocalStack, sandbox: Sandbox
) -> None:
    stack.program = program(sandbox.ids(), sampling_rate=0.75)
    text = preview_text(stack)
    assert [line.strip() for line in resource_block(text, "project-eval")] == [
        "~ sampling_rate: 0.5 => 0.75"
    ]
    # The run of the updated task keeps its task ID (known while previewing an update).
    assert "::run]" not in text and "[unknown]" not in text
    assert "1 to update" in text


def test_a_new_run_lists_only_the_trigger_field_that_changed(
    stack: LocalStack, sandbox: Sandbox
) -> None:
    stack.program = program(sandbox.ids(), data_end_time="2026-11-03T00:00:00Z")
    text = preview_text(stack)
    assert "TaskRun: (replace)" in text
    assert [line.strip() for line in resource_block(text, "run")] == [
        '~ data_end_time: "2026-11-02T00:00:00Z" => "2026-11-03T00:00:00Z"'
    ]
    assert not any(word in text for word in PROVIDER_MADE)
    # The new run's outputs are to come; among the resources nothing is unknown.
    assert "[unknown]" not in text.split("--outputs:--")[0]


STATE_BOUND = {"project-eval": 1754, "experiment": 1966, "run": 1225}
"""Bytes of each resource's inputs and outputs in `pulumi stack export` (as printed, without
``__provider``), as measured. A Task's outputs hold only what its declaration does not say
(what the server made, the IDs its names stood for, a digest of the live task); 165 bytes of
the project task's are its two evaluators' IDs (``evaluator_ids``)."""

BEFORE = {"project-eval": 3555, "experiment": 4351, "run": 1860}
"""The same, when the outputs held the live task and the declaration again."""


def test_the_state_of_each_resource_stays_under_its_bound(stack: LocalStack) -> None:
    sizes = {
        resource["urn"].rsplit("::", 1)[-1]: state_bytes(resource)
        for resource in stack.resources()
        if resource["type"].startswith("pulumi-python:dynamic/")
    }
    assert set(sizes) == set(STATE_BOUND)
    for name, size in sizes.items():
        assert size <= STATE_BOUND[name], (name, size)
    assert sizes["project-eval"] * 2 <= BEFORE["project-eval"]
    assert sizes["experiment"] * 2 <= BEFORE["experiment"]
    exported = json.dumps(stack.resources())
    assert '"declared"' not in exported and '"resource_name"' not in exported
