"""Request bodies on the default seed, and checks of the sandbox's problem answers."""

from __future__ import annotations

from typing import Any

import httpx


def evaluation_task(ids: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """A valid ``TEMPLATE_EVALUATION`` create body on the default project."""
    body: dict[str, Any] = {
        "type": "TEMPLATE_EVALUATION",
        "name": name,
        "project_id": ids["project"],
        "evaluators": [{"evaluator_id": ids["evaluators"]["hallucination"]}],
    }
    body.update(fields)
    return body


def dataset_task(ids: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """A valid evaluation task on the default dataset and its ``baseline`` experiment."""
    body: dict[str, Any] = {
        "type": "TEMPLATE_EVALUATION",
        "name": name,
        "dataset_id": ids["dataset"],
        "experiment_ids": [ids["experiment"]],
        "evaluators": [{"evaluator_id": ids["evaluators"]["relevance"]}],
    }
    body.update(fields)
    return body


def run_experiment_task(ids: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """A valid ``RUN_EXPERIMENT`` create body (LLM generation) on the default dataset."""
    body: dict[str, Any] = {
        "type": "RUN_EXPERIMENT",
        "name": name,
        "dataset_id": ids["dataset"],
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": ids["ai_integration"],
            "messages": [{"role": "USER", "content": "Answer: {question}"}],
            "input_variable_format": "F_STRING",
        },
    }
    body.update(fields)
    return body


PROBLEM_TITLES = {
    400: "Invalid request parameters",
    401: "Authentication required",
    403: "Access forbidden",
    404: "Resource not found",
    409: "Resource conflict",
    422: "Unprocessable Entity",
    429: "Rate limit exceeded",
    503: "Service Unavailable",
}


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> str:
    """Check a problem answer: status, media type, documented title, a detail naming ``field``."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    if status in PROBLEM_TITLES:
        assert body["title"] == PROBLEM_TITLES[status]
    detail: str = body.get("detail") or ""
    if field is not None:
        assert field in detail, f"{field!r} not named in {detail!r}"
    return detail
