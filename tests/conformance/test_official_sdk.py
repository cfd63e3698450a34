"""Arize's official Python SDK (pinned in ``requirements-official.txt``) against a sandbox.

Nothing of ours runs on the client side here: the SDK's generated models (from the live v2
OpenAPI document) read every answer, its request models write every body, and its exception
types parse every problem. A sandbox that only agrees with our own models fails these.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.official import Official
from tests.support.api import evaluation_task
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.conformance

MISSING_ID = {
    "task": "T25saW5lVGFzazo5OTk5OTk6YWJjZA==",
    "run": "VGFza1J1bjo5OTk5OTk6YWJjZA==",
    "space": "U3BhY2U6OTk5OTk5OmFiY2Q=",
}
"""IDs of Arize's form that name nothing in the sandbox."""

UNMODELLED: dict[str, set[str]] = {
    "Space": {
        "default_llm_integration",
        "ml_models_enabled",
        "gradient_start_color",
        "gradient_end_color",
        "default_agent_runtime",
    },
    "Project": set(),
    "Dataset": set(),
    "EvaluatorWithVersion": set(),
    "EvaluatorVersionTemplate": set(),
    "EvaluatorVersionCode": set(),
    "EvaluatorVersionHarness": set(),
    "EvaluatorVersionRemote": set(),
    "Experiment": set(),
    "AiIntegration": set(),
    "AgentIntegration": set(),
}
"""Fields of the official models the sandbox leaves out on purpose (it has nothing to say)."""


def assert_complete(seen: dict[str, Any]) -> None:
    """The answer carried every field of the official model, but those it has no value for."""
    model = seen["model"]
    assert set(seen["missing"]) <= UNMODELLED[model], (model, seen["missing"])


def test_every_lookup_the_sdk_makes(official: Official, names: dict[str, str]) -> None:
    seen = official.sdk("lookups", names)
    assert seen["spaces"] == ["demo-space"]
    assert seen["projects"] == ["chatbot-prod"]
    assert seen["project"]["project_type"] == "APPLICATION"
    assert seen["projects_elsewhere"] == {"projects": [], "pagination": {"has_more": False}}
    assert seen["datasets"] == ["golden-qa"]
    assert seen["dataset"]["versions"][0]["dataset_id"] == seen["dataset"]["id"]
    assert seen["evaluator_types"] == {
        "hallucination": "TEMPLATE",
        "relevance": "TEMPLATE",
        "json-valid": "CODE",
        "harness-check": "HARNESS",
        "remote-judge": "REMOTE",
    }
    for name, evaluator in seen["evaluators"].items():
        assert evaluator["version_type"] == evaluator["type"], name
        assert len(evaluator["version_ids"]) == 1, name
        assert_complete(evaluator["fields"])
        assert_complete(evaluator["version_fields"])
    assert seen["pinned_version"] == seen["evaluators"]["hallucination"]["version_ids"][0]
    assert seen["experiments_of_dataset"] == ["baseline"]
    assert "baseline" in seen["experiments_of_space"]
    assert seen["experiment"]["name"] == "baseline"
    assert seen["experiment"]["space_id"] == seen["space"]["id"]
    assert seen["ai_integration"]["name"] == "openai-default"
    assert seen["ai_integrations"] == ["openai-default"]
    assert seen["integrations"] == {"openai-default": "LLM", "agent-default": "AGENT"}
    assert seen["agent_integration"]["type"] == "AGENT"
    assert seen["llm_integration"]["config"]["provider"] == "OPEN_AI"
    for name, evaluator in seen["evaluators"].items():
        for listed in evaluator["listed_version_fields"]:
            assert listed["model"] == evaluator["version_fields"]["model"], name
            assert_complete(listed)
    for key in ("space", "project", "dataset", "experiment", "ai_integration", "agent_integration"):
        assert_complete(seen[f"{key}_fields"])


def task_args(ids: dict[str, Any], names: dict[str, str], name: str) -> dict[str, Any]:
    return {
        **names,
        "name": name,
        "evaluators": ids["evaluators"],
        "experiment_id": ids["experiment"],
        "space_id": ids["space"],
    }


def assert_problem(seen: dict[str, Any], error_class: str, status: int, title: str) -> None:
    """The SDK raised its own exception class for the status and read the problem body."""
    assert (seen["class"], seen["status"]) == (error_class, status), seen
    assert seen["body"]["status"] == status and seen["body"]["title"] == title, seen
    assert seen["body"]["detail"], seen


def test_evaluation_task_life(
    official: Official, ids: dict[str, Any], names: dict[str, str]
) -> None:
    seen = official.sdk("evaluation_task", task_args(ids, names, "sdk-project-task"))
    created = seen["created"]
    assert created["type"] == "TEMPLATE_EVALUATION"
    assert created["project_id"] == ids["project"]
    assert created["sampling_rate"] == 0.5
    assert created["evaluators"] == [
        {
            "evaluator_id": ids["evaluators"]["hallucination"],
            "evaluator_name": "hallucination",
            "column_mappings": {"input": "attributes.input.value"},
        }
    ]
    assert seen["got_by_name"]["id"] == seen["got_by_id"]["id"] == created["id"]
    for listing in ("listed", "listed_by_project", "listed_by_type"):
        assert created["id"] in seen[listing], listing
    updated = seen["updated"]
    assert updated["name"] == "sdk-project-task-renamed"
    assert updated["sampling_rate"] == 0.25
    assert "query_filter" not in updated  # null clears it
    assert [e["evaluator_name"] for e in updated["evaluators"]] == ["hallucination", "relevance"]
    assert seen["triggered"]["status"] == "PENDING"
    assert seen["waited"]["status"] == "COMPLETED"
    assert seen["waited"]["num_successes"] > 0
    assert seen["got_run"] == seen["waited"]
    assert seen["completed_runs"] == [seen["triggered"]["id"]]
    assert seen["pending_runs"] == []
    assert_problem(seen["after_delete"], "NotFoundException", 404, "Resource not found")


def test_dataset_task(official: Official, ids: dict[str, Any], names: dict[str, str]) -> None:
    seen = official.sdk("dataset_task", task_args(ids, names, "sdk-dataset-task"))
    assert seen["created"]["type"] == "CODE_EVALUATION"
    assert seen["created"]["dataset_id"] == ids["dataset"]
    assert seen["created"]["experiment_ids"] == [ids["experiment"]]
    assert seen["waited"]["status"] == "COMPLETED"
    assert seen["created"]["id"] in seen["listed_by_dataset"]


def test_run_experiment_tasks(
    official: Official, ids: dict[str, Any], names: dict[str, str]
) -> None:
    seen = official.sdk("run_experiment_tasks", task_args(ids, names, "sdk-experiment"))
    assert set(seen) == {"LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL"}
    for index, (kind, result) in enumerate(seen.items()):
        config = result["created"]["run_configuration"]
        assert config["experiment_type"] == kind
        assert result["waited"]["status"] == "COMPLETED", kind
        assert result["waited"]["experiment_id"], kind
        assert f"sdk-experiment-{index}-experiment" in result["experiments"], kind
    updated = seen["LLM_GENERATION"]["updated"]
    assert updated["name"] == "sdk-experiment-0-v2"
    assert updated["run_configuration"]["model_name"] == "gpt-4o"
    agent = seen["AGENT_CALL"]["created"]["run_configuration"]
    assert agent["integration_id"] == ids["agent_integration"]


def test_cancel_wait_and_conflict(official: Official, official_sandbox: Sandbox) -> None:
    ids = official_sandbox.ids()
    api = official_sandbox.control()
    task = api.post("/v2/tasks", json=evaluation_task(ids, "sdk-hanging-task")).json()
    official_sandbox.outcome(task["id"], "HANG")
    seen = official.sdk("cancel_and_conflict", {"task_id": task["id"]})
    assert seen["triggered"]["status"] == "PENDING"
    assert_problem(seen["conflict"], "ConflictException", 409, "Resource conflict")
    assert seen["conflict"]["data_model"] == "Problem"
    assert seen["cancelled"]["status"] == "CANCELLED"
    assert seen["waited"]["status"] == "CANCELLED"

    official_sandbox.outcome(task["id"], "HANG")
    run = api.post(
        f"/v2/tasks/{task['id']}/trigger",
        json={"data_start_time": seen["triggered"]["data_start_time"]},
    ).json()
    timed_out = official.sdk("wait_timeout", {"run_id": run["id"]})
    assert timed_out["class"] == "TimeoutError"
    assert run["id"] in timed_out["message"]
    api.post(f"/v2/task-runs/{run['id']}/cancel")
    api.delete(f"/v2/tasks/{task['id']}")


def test_error_classes(official: Official, ids: dict[str, Any], names: dict[str, str]) -> None:
    args = {
        **task_args(ids, names, "sdk-errors"),
        "missing_task_id": MISSING_ID["task"],
        "missing_run_id": MISSING_ID["run"],
        "missing_space_id": MISSING_ID["space"],
        "other_version_id": ids["evaluator_versions"]["relevance"],
    }
    seen = official.sdk("errors", args)
    for key in ("not_found_task", "not_found_run", "not_found_space"):
        assert_problem(seen[key], "NotFoundException", 404, "Resource not found")
        assert seen[key]["data_model"] == "Problem"
    assert_problem(
        seen["unprocessable"], "UnprocessableEntityException", 422, "Unprocessable Entity"
    )
    assert "evaluator_version_id" in seen["unprocessable"]["body"]["detail"]
    assert seen["unprocessable"]["data_model"] == "Problem"
    assert_problem(seen["bad_request"], "BadRequestException", 400, "Invalid request parameters")
    assert "experiment_ids" in seen["bad_request"]["body"]["detail"]
    # 409 on create is the sandbox's answer to a duplicate name; Arize's spec does not declare
    # it, so the SDK raises ConflictException without parsing the body into a Problem.
    assert_problem(seen["conflict_on_create"], "ConflictException", 409, "Resource conflict")
    assert seen["conflict_on_create"]["data_model"] is None


def test_unauthorized(official: Official, ids: dict[str, Any]) -> None:
    seen = official.sdk("unauthorized", {"space_id": ids["space"]}, api_key="not-the-key")
    for key in ("list_tasks", "list_spaces"):
        assert_problem(seen[key], "UnauthorizedException", 401, "Authentication required")
        assert seen[key]["data_model"] == "Problem"
