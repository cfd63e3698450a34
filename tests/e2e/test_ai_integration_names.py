"""Run configurations naming their AI integration, with the real CLI: created by name, an
unchanged preview makes no request, the ID in place of the name is no change, and drift to
another integration is refreshed as its ID and restored by `up`."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import arize_pulumi
from arize_pulumi.resources.args import AgentCallConfigArgs, LlmGenerationConfigArgs, MessageArgs
from tests.e2e.conftest import MakeStack
from tests.e2e.programs import Program
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e


def program(llm: str, agent: str) -> Program:
    """An LLM-generation task and an agent-call task, each naming its integration."""

    def run() -> None:
        llm_task = arize_pulumi.Task(
            "llm",
            type="run_experiment",
            dataset="golden-qa",
            run_configuration=LlmGenerationConfigArgs(
                ai_integration=llm,
                model_name="gpt-4o-mini",
                messages=[MessageArgs(role="user", content="{question}")],
            ),
        )
        agent_task = arize_pulumi.Task(
            "agent",
            type="run_experiment",
            dataset="golden-qa",
            run_configuration=AgentCallConfigArgs(
                integration=agent, input_template={"question": "{{question}}"}
            ),
        )
        pulumi.export("llm", llm_task.task_id)
        pulumi.export("llm_config", llm_task.run_configuration)
        pulumi.export("agent", agent_task.task_id)

    return run


def live_config(sandbox: Sandbox, task_id: str) -> dict[str, Any]:
    response = sandbox.control().get(f"/v2/tasks/{task_id}")
    response.raise_for_status()
    return dict(response.json()["run_configuration"])


def test_integrations_by_name_resolve_once_and_compare_by_id(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    ids = sandbox.ids()
    stack = make_stack(program("openai-default", "agent-default"))
    stack.up()
    outputs = stack.outputs()
    assert live_config(sandbox, outputs["llm"])["ai_integration_id"] == ids["ai_integration"]
    assert live_config(sandbox, outputs["agent"])["integration_id"] == ids["agent_integration"]
    # The output is the configuration as written; the server holds the ID.
    assert outputs["llm_config"]["ai_integration"] == "openai-default"

    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0

    stack.program = program(ids["ai_integration"], ids["agent_integration"])
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0


def test_drift_to_another_integration_is_refreshed_and_restored(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    ids = sandbox.ids()
    seeded = sandbox.seed(
        {"spaces": [{"name": "demo-space", "ai_integrations": [{"name": "anthropic-judge"}]}]}
    )
    (other,) = [
        i["id"] for i in seeded["spaces"][0]["ai_integrations"] if i["name"] == "anthropic-judge"
    ]
    stack = make_stack(program("openai-default", "agent-default"))
    stack.up()
    task_id = stack.outputs()["llm"]
    drifted = live_config(sandbox, task_id) | {"ai_integration_id": other}
    patched = sandbox.control().patch(f"/v2/tasks/{task_id}", json={"run_configuration": drifted})
    assert patched.status_code == 200

    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes.get("update") == 1
    assert stack.preview().change_summary.get("update") == 1
    stack.up()
    assert live_config(sandbox, task_id)["ai_integration_id"] == ids["ai_integration"]
    stack.preview(expect_no_changes=True)
