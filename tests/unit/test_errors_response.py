"""What an ``APIError`` keeps of the server's answer: status, headers, request ID, body, and
the response, with the API key in none of them."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks import (
    APIError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NameNotFoundError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TasksClient,
    UnauthorizedError,
    UnprocessableEntityError,
)

API_KEY = "sk-test-0123456789abcdef"
TASK_ID = "T25saW5lVGFzazo0NTpxUndY"


def problem(status: int, detail: str = "why") -> dict[str, Any]:
    return {"type": "about:blank", "title": "Some title", "status": status, "detail": detail}


def client_answering(
    status: int,
    *,
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
    content: bytes | None = None,
    retries: int = 0,
) -> TasksClient:
    """A client whose every request gets the same answer."""

    def answer(request: httpx.Request) -> httpx.Response:
        if json_body is not None:
            return httpx.Response(status, headers=headers, json=json_body)
        return httpx.Response(status, headers=headers, content=content)

    return TasksClient(
        API_KEY,
        "https://arize.test",
        transport=httpx.MockTransport(answer),
        warn_alpha=False,
        retry=RetryPolicy(max_attempts=retries + 1, sleep=lambda _: None),
    )


def raised(client: TasksClient, call: Callable[[TasksClient], object] | None = None) -> APIError:
    with client, pytest.raises(APIError) as info:
        (call or (lambda c: c.get(TASK_ID)))(client)
    return info.value


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (418, APIError),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_every_status_class_keeps_the_answer(status: int, cls: type[APIError]) -> None:
    headers = {"X-Request-ID": "req-123", "X-Trace": "abc", "Retry-After": "2"}
    error = raised(client_answering(status, headers=headers, json_body=problem(status)))
    assert type(error) is cls
    assert error.status == status
    assert (error.method, error.path) == ("GET", f"/v2/tasks/{TASK_ID}")
    assert error.headers["x-trace"] == error.headers["X-Trace"] == "abc"
    assert error.headers["retry-after"] == "2"
    assert error.request_id == "req-123"
    assert error.body == problem(status)
    assert error.response is not None
    assert error.response.status_code == status
    assert error.response.json() == problem(status)
    assert error.response.request.method == "GET"
    assert error.response.request.url == f"https://arize.test/v2/tasks/{TASK_ID}"
    assert str(error).endswith(": why (request ID req-123)")


@pytest.mark.parametrize("name", ["x-request-id", "Request-Id", "X-Arize-Request-Id"])
def test_the_request_id_is_read_from_any_of_its_headers(name: str) -> None:
    error = raised(client_answering(404, headers={name: "abc-1"}, json_body=problem(404)))
    assert error.request_id == "abc-1"
    assert "(request ID abc-1)" in str(error) and "(request ID abc-1)" in repr(error)


def test_x_request_id_wins_over_the_other_names() -> None:
    headers = {"request-id": "second", "x-arize-request-id": "third", "x-request-id": "first"}
    error = raised(client_answering(500, headers=headers, json_body=problem(500)))
    assert error.request_id == "first"


def test_without_a_request_id_the_message_does_not_mention_one() -> None:
    error = raised(client_answering(404, json_body=problem(404)))
    assert error.request_id is None
    assert str(error) == f"GET /v2/tasks/{TASK_ID} failed (404 Some title): why"


def test_a_body_that_is_not_json_is_kept_as_text() -> None:
    answer = client_answering(
        502, headers={"content-type": "text/html", "x-request-id": "r1"}, content=b"<p>down</p>"
    )
    error = raised(answer)
    assert isinstance(error, ServerError)
    assert error.body == "<p>down</p>"
    assert error.response is not None and error.response.text == "<p>down</p>"
    assert str(error) == f"GET /v2/tasks/{TASK_ID} failed (502 Bad Gateway) (request ID r1)"


def test_a_compressed_answer_is_kept_decoded() -> None:
    data = json.dumps(problem(409, "name taken")).encode()
    headers = {"content-encoding": "gzip", "content-type": "application/problem+json"}
    error = raised(client_answering(409, headers=headers, content=gzip.compress(data)))
    assert error.body == problem(409, "name taken")
    assert error.headers["content-encoding"] == "gzip"
    assert error.response is not None
    assert error.response.json() == problem(409, "name taken")
    assert "content-encoding" not in error.response.headers


def test_the_key_is_in_no_field_of_the_error() -> None:
    """A server that echoes the key in headers and body: every field shows ``***``."""
    echoed = {
        "Authorization": f"Bearer {API_KEY}",
        "Proxy-Authorization": f"Basic {API_KEY}",
        "X-Echo": f"key={API_KEY}",
        "X-Request-ID": f"req-{API_KEY}",
    }
    error = raised(
        client_answering(400, headers=echoed, json_body=problem(400, f"bad key {API_KEY}"))
    )
    response = error.response
    assert response is not None
    assert "authorization" not in error.headers
    assert "proxy-authorization" not in error.headers
    assert "authorization" not in response.headers
    assert "authorization" not in response.request.headers
    assert error.headers["x-echo"] == "key=***"
    assert error.request_id == "req-***"
    assert error.body == problem(400, "bad key ***")
    shown = [
        str(error),
        repr(error),
        repr(vars(error)),
        repr(error.headers.multi_items()),
        repr(response.headers.multi_items()),
        repr(response.request.headers.multi_items()),
        response.text,
    ]
    assert [text for text in shown if API_KEY in text] == []


def test_after_retries_the_last_answer_is_kept() -> None:
    headers = {"x-request-id": "last"}
    error = raised(client_answering(503, headers=headers, json_body=problem(503), retries=2))
    assert error.retries_exhausted and error.attempts == 3
    assert error.request_id == "last"
    assert "(request ID last) [gave up after 3 attempts" in str(error)


def test_errors_built_by_hand_keep_their_old_signature() -> None:
    """Code that builds errors itself (fakes, wrappers) needs no new argument."""
    bare = NotFoundError(404, "Resource not found", "gone", None, "GET", "/v2/tasks/x")
    assert (bare.status, bare.body, bare.request_id, bare.response) == (404, None, None, None)
    assert len(bare.headers) == 0
    assert str(bare) == "GET /v2/tasks/x failed (404 Resource not found): gone"

    limited = RateLimitError(
        429,
        "Rate limit exceeded",
        None,
        {},
        "GET",
        "/v2/tasks",
        retry_after=3.0,
        headers={"Authorization": "Bearer secret", "Request-Id": "r9"},
    )
    assert limited.retry_after == 3.0
    assert "authorization" not in limited.headers
    assert limited.request_id == "r9"
    explicit = APIError(418, "Teapot", None, "", "GET", "/", request_id="given")
    assert explicit.request_id == "given" and str(explicit).endswith("(request ID given)")


def test_a_name_lookup_failure_has_no_answer_to_keep() -> None:
    error = NameNotFoundError("project", "chatbot", ["Chatbot"], scope="space 'demo'")
    assert error.response is None and error.request_id is None and len(error.headers) == 0
