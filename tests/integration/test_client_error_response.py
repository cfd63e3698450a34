"""Real refusals from a sandbox process keep the answer: status, headers, body and response."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from arize_pulumi.tasks import (
    APIError,
    ConflictError,
    NotFoundError,
    RetryPolicy,
    TasksClient,
    UnauthorizedError,
    UnprocessableEntityError,
)
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration

MISSING_TASK = "T25saW5lVGFzazo5OTk5OTpxUndY"


def assert_keeps_the_answer(error: APIError, status: int, api_key: str) -> None:
    assert error.status == status
    assert error.headers["content-type"].startswith("application/problem+json")
    assert isinstance(error.body, dict)
    assert error.body["status"] == status and error.body["title"] == error.title
    response = error.response
    assert response is not None
    assert response.status_code == status
    assert response.json() == error.body
    assert isinstance(response.elapsed, timedelta)
    assert "authorization" not in response.request.headers
    assert api_key not in repr(vars(error)) and api_key not in response.text


def test_refusals_carry_status_headers_and_body(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    client = TasksClient(
        sandbox.api_key,
        sandbox.base_url,
        space="demo-space",
        warn_alpha=False,
        retry=RetryPolicy(base_delay=0.01, max_delay=0.05),
    )
    with client:
        with pytest.raises(NotFoundError) as missing:
            client.get(MISSING_TASK)
        assert_keeps_the_answer(missing.value, 404, sandbox.api_key)
        assert missing.value.response is not None
        assert missing.value.response.request.url.path == f"/v2/tasks/{MISSING_TASK}"

        name = f"dup-{uuid.uuid4().hex[:8]}"
        client.create_evaluation_task(
            name=name, type="CODE_EVALUATION", project="chatbot-prod", evaluators=["json-valid"]
        )
        with pytest.raises(ConflictError) as conflict:
            client.create_evaluation_task(
                name=name, type="CODE_EVALUATION", project="chatbot-prod", evaluators=["json-valid"]
            )
        assert_keeps_the_answer(conflict.value, 409, sandbox.api_key)
        assert conflict.value.method == "POST" and conflict.value.path == "/v2/tasks"
        assert conflict.value.response is not None
        assert conflict.value.response.request.method == "POST"
        assert name in conflict.value.response.request.content.decode()

        with pytest.raises(UnprocessableEntityError) as refused:
            client.create_evaluation_task(
                name=f"bad-version-{uuid.uuid4().hex[:8]}",
                type="TEMPLATE_EVALUATION",
                project="chatbot-prod",
                evaluators=[
                    {
                        "evaluator": "hallucination",
                        "evaluator_version_id": ids["evaluator_versions"]["relevance"],
                    }
                ],
            )
        assert_keeps_the_answer(refused.value, 422, sandbox.api_key)
        assert refused.value.detail is not None and refused.value.detail in str(refused.value)


def test_a_wrong_key_is_kept_out_of_the_error(sandbox: Sandbox) -> None:
    wrong = "wrong-key-0123456789"
    client = TasksClient(wrong, sandbox.base_url, warn_alpha=False, max_retries=0)
    with client, pytest.raises(UnauthorizedError) as info:
        client.list(space="demo-space")
    assert_keeps_the_answer(info.value, 401, wrong)
    assert info.value.headers["www-authenticate"] == "Bearer"
