"""Every error class, raised by the client against a real sandbox."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from arize_pulumi.tasks import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InvalidArgumentError,
    MissingAPIKeyError,
    NameNotFoundError,
    NotFoundError,
    NoUpdateFieldsError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TasksClient,
    UnauthorizedError,
    UnprocessableEntityError,
)
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.integration

MISSING_TASK = "T25saW5lVGFzazo5OTk5OTpxUndY"


@pytest.fixture
def shared(sandbox_session: Sandbox) -> Iterator[Sandbox]:
    """The session's sandbox with no faults and zeroed counts, and no faults left behind."""
    sandbox_session.clear_faults()
    sandbox_session.reset_requests()
    yield sandbox_session
    sandbox_session.clear_faults()


def make_client(sandbox: Sandbox, **kwargs: Any) -> TasksClient:
    kwargs.setdefault("space", "demo-space")
    kwargs.setdefault("retry", RetryPolicy(base_delay=0.01, max_delay=0.05))
    return TasksClient(
        kwargs.pop("api_key", sandbox.api_key), sandbox.base_url, warn_alpha=False, **kwargs
    )


def test_server_refusals_map_to_their_classes(sandbox_session: Sandbox) -> None:
    ids = sandbox_session.ids()
    with make_client(sandbox_session) as client:
        with pytest.raises(BadRequestError, match="cursor"):
            client.list(cursor="not-a-cursor")
        with pytest.raises(NotFoundError) as missing:
            client.get(MISSING_TASK)
        assert missing.value.status == 404 and missing.value.path == f"/v2/tasks/{MISSING_TASK}"
        with pytest.raises(NotFoundError):
            client.delete(MISSING_TASK)

        name = f"dup-{uuid.uuid4().hex[:8]}"
        arguments: dict[str, Any] = {
            "name": name,
            "type": "CODE_EVALUATION",
            "project": "chatbot-prod",
            "evaluators": ["json-valid"],
        }
        client.create_evaluation_task(**arguments)
        with pytest.raises(ConflictError) as conflict:
            client.create_evaluation_task(**arguments)
        assert conflict.value.title == "Resource conflict"
        assert name in str(conflict.value)

        with pytest.raises(UnprocessableEntityError):
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


def test_a_wrong_key_is_unauthorized(sandbox_session: Sandbox) -> None:
    client = make_client(sandbox_session, api_key="not-the-key")
    with client, pytest.raises(UnauthorizedError) as info:
        client.list()
    assert info.value.status == 401
    assert "not-the-key" not in str(info.value) and "not-the-key" not in repr(info.value)


def test_names_that_do_not_exist(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        with pytest.raises(NameNotFoundError) as project:
            client.resolve_project_id("Chatbot-Prod")
        assert project.value.seen == ["chatbot-prod"]
        with pytest.raises(NameNotFoundError) as space:
            client.get("some-task", space="no-such-space")
        assert space.value.kind == "space"
        with pytest.raises(NameNotFoundError) as task:
            client.update("no-such-task", name="x")
        assert task.value.kind == "task"


def test_client_side_refusals_send_nothing(shared: Sandbox) -> None:
    shared.reset_requests()
    with make_client(shared) as client:
        with pytest.raises(NoUpdateFieldsError):
            client.update("some-task")
        with pytest.raises(InvalidArgumentError) as info:
            client.create_evaluation_task(
                name="x",
                type="TEMPLATE_EVALUATION",
                project="chatbot-prod",
                dataset="golden-qa",
                evaluators=["hallucination"],
            )
        assert info.value.field == "project, dataset"
        with pytest.raises(InvalidArgumentError, match="experiment_name"):
            client.trigger_run("some-task", max_examples=3)
    assert shared.total_requests() == 0


def test_injected_statuses(shared: Sandbox) -> None:
    with make_client(shared, max_retries=0) as client:
        for status, cls in ((403, ForbiddenError), (429, RateLimitError), (503, ServerError)):
            shared.faults(rate=1.0, statuses=[status], retry_after=7)
            with pytest.raises(cls) as info:
                client.resolve_space_id()
            assert info.value.status == status
            assert not info.value.retries_exhausted
    assert isinstance(info.value, ServerError)
    shared.faults(rate=1.0, statuses=[429], retry_after=7)
    with make_client(shared, max_retries=0) as client, pytest.raises(RateLimitError) as limited:
        client.resolve_space_id()
    assert limited.value.retry_after == 7
    assert limited.value.headers["retry-after"] == "7"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_closed_port_fails_at_once_naming_the_host_and_setting() -> None:
    """A host that has never answered and refuses the connection is a wrong setting: one
    attempt, no sleep, and the message says which host and which setting."""
    port = free_port()
    sleeps: list[float] = []
    client = TasksClient(
        "key",
        f"http://127.0.0.1:{port}",
        warn_alpha=False,
        retry=RetryPolicy(max_attempts=3, sleep=sleeps.append),
    )
    with pytest.raises(APIConnectionError) as info:
        client.get(MISSING_TASK)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.attempts == 1 and sleeps == []
    assert str(info.value) == (
        f"GET /v2/tasks/{MISSING_TASK} failed: cannot connect to 127.0.0.1:{port}: the "
        f"connection was refused (nothing listens there); API URL http://127.0.0.1:{port} "
        "(from base_url); not retried: nothing has answered there yet, so check the setting"
    )


def test_a_host_that_does_not_resolve_fails_at_once() -> None:
    sleeps: list[float] = []
    client = TasksClient(
        "key",
        api_host="no-such-host.invalid",
        api_scheme="http",
        api_port=8080,
        warn_alpha=False,
        retry=RetryPolicy(max_attempts=3, sleep=sleeps.append),
    )
    with pytest.raises(APIConnectionError) as info:
        client.list(space="s")
    assert info.value.attempts == 1 and sleeps == []
    message = str(info.value)
    assert "cannot connect to no-such-host.invalid:8080: the host name does not resolve" in message
    assert "(from api_scheme, api_host, api_port)" in message and "not retried" in message


def test_a_refused_connection_after_an_answer_is_retried() -> None:
    """Once the host has answered, a refused connection may be a restart: it is retried."""
    server = start_sandbox()
    sleeps: list[float] = []
    client = TasksClient(
        server.api_key,
        server.base_url,
        warn_alpha=False,
        retry=RetryPolicy(max_attempts=3, sleep=sleeps.append),
    )
    try:
        client.list(space="demo-space")
    finally:
        server.stop()
    with pytest.raises(APIConnectionError) as info:
        client.list(space="demo-space")
    assert info.value.attempts == 3 and len(sleeps) == 2
    assert "ConnectError" in str(info.value) and "re-running is safe" in str(info.value)
    assert f"API URL {server.base_url} (from base_url)" in str(info.value)


def test_a_slow_server_is_a_timeout(shared: Sandbox) -> None:
    shared.faults(latency_ms=400)
    client = make_client(shared, timeout=0.1, max_retries=1)
    with client, pytest.raises(APITimeoutError) as info:
        client.list()
    assert info.value.attempts == 2


def test_no_key_anywhere_is_refused_before_any_request(
    shared: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARIZE_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError, match="ARIZE_API_KEY"):
        TasksClient(base_url=shared.base_url)
    assert shared.total_requests() == 0
