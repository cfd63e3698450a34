"""Exact API request counts per operation, through the real CLI (the performance targets):
`up` of N tasks makes N creates and one lookup per distinct name, an unchanged `preview`
none, `refresh` N reads and `destroy` N deletes."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pulumi
import pytest

import arize_pulumi
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.e2e

N = 100
RUN_SECONDS = 1.0
POLL_SECONDS = 0.25


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """Runs take a whole second here, so a wait polls several times."""
    server = start_sandbox(api_key=f"arize-e2e-{secrets.token_hex(16)}", run_duration=RUN_SECONDS)
    try:
        yield server
    finally:
        server.stop()


def fleet(sampling_of_first: float = 0.5) -> None:
    for index in range(N):
        arize_pulumi.Task(
            f"counted-{index}",
            type="template_evaluation",
            project="chatbot-prod",
            evaluators=[{"evaluator": "hallucination"}, {"evaluator": "relevance"}],
            sampling_rate=sampling_of_first if index == 0 else 0.5,
        )


def writes(counts: dict[str, int]) -> dict[str, int]:
    return {key: n for key, n in counts.items() if not key.startswith("GET ")}


def test_request_counts_of_each_operation(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(fleet)

    sandbox.reset_requests()
    stack.up()
    # One lookup per distinct name per provider process: the space, the project and each of
    # the two evaluators, however many tasks name them.
    assert sandbox.requests() == {
        "POST /v2/tasks": N,
        "GET /v2/spaces": 1,
        "GET /v2/projects": 1,
        "GET /v2/evaluators": 2,
    }

    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.requests() == {}

    stack.program = lambda: fleet(sampling_of_first=0.75)
    sandbox.reset_requests()
    stack.up()
    assert sandbox.requests() == {"PATCH /v2/tasks/{task_id}": 1}

    sandbox.reset_requests()
    stack.refresh()
    assert sandbox.requests() == {"GET /v2/tasks/{task_id}": N}

    sandbox.reset_requests()
    stack.destroy()
    assert sandbox.requests() == {"DELETE /v2/tasks/{task_id}": N}


def test_a_task_run_costs_one_trigger_and_bounded_reads(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    task_id = (
        sandbox.control()
        .post(
            "/v2/tasks",
            json={
                "type": "TEMPLATE_EVALUATION",
                "name": "polled",
                "project_id": sandbox.ids()["project"],
                "evaluators": [{"evaluator_id": sandbox.ids()["evaluators"]["hallucination"]}],
            },
        )
        .json()["id"]
    )

    def program() -> None:
        run = arize_pulumi.TaskRun(
            "polled-run",
            task=task_id,
            data_start_time="2026-11-01T00:00:00Z",
            data_end_time="2026-11-02T00:00:00Z",
            poll_interval=POLL_SECONDS,
        )
        pulumi.export("status", run.status)

    stack = make_stack(program)
    sandbox.reset_requests()
    stack.up()
    assert stack.outputs()["status"] == "COMPLETED"
    counts = sandbox.requests()
    assert counts.get("POST /v2/tasks/{task_id}/trigger") == 1
    assert counts.get("GET /v2/task-runs/{run_id}", 0) <= RUN_SECONDS / POLL_SECONDS + 2
    assert counts.get("GET /v2/tasks/{task_id}", 0) <= 1  # the task's type, once
    assert writes(counts) == {"POST /v2/tasks/{task_id}/trigger": 1}
