"""Construction, configuration fallbacks, errors and secrecy of the API key."""

from __future__ import annotations

import copy
import pickle
import warnings
from itertools import chain

import httpx
import pytest

from arize_pulumi.tasks import (
    APIError,
    ArizeAlphaWarning,
    ArizeError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InvalidArgumentError,
    MissingAPIKeyError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TasksClient,
    UnauthorizedError,
    UnprocessableEntityError,
    _transport,
)
from arize_pulumi.tasks._config import ENVIRONMENT
from tests.support.inprocess import API_KEY, BASE_URL, InProcessSandbox, with_json


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ARIZE_API_KEY", "ARIZE_SPACE", *chain.from_iterable(ENVIRONMENT.values())):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_key_fails_at_construction() -> None:
    with pytest.raises(MissingAPIKeyError) as info:
        TasksClient()
    assert "api_key=" in str(info.value) and "ARIZE_API_KEY" in str(info.value)
    with pytest.raises(MissingAPIKeyError):
        TasksClient("   ")


def test_environment_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", "from-env")
    monkeypatch.setenv("ARIZE_SPACE", "env-space")
    client = TasksClient()
    assert client.base_url == "https://api.arize.com"
    assert client.default_space == "env-space"
    monkeypatch.setenv("ARIZE_REGION", "eu-west-1a")
    assert TasksClient().base_url == "https://api.eu-west-1a.arize.com"
    assert TasksClient(region="ca-central-1a").base_url == "https://api.ca-central-1a.arize.com"
    monkeypatch.setenv("ARIZE_BASE_URL", "http://127.0.0.1:8080/")
    with pytest.raises(InvalidArgumentError, match=r"ARIZE_BASE_URL: .* conflicts with ARIZE_REG"):
        TasksClient()
    assert TasksClient(region="").base_url == "http://127.0.0.1:8080"
    assert TasksClient(base_url="", region="ca-central-1a").base_url == (
        "https://api.ca-central-1a.arize.com"
    )
    assert TasksClient(base_url="https://on-prem.example/arize", region="").base_url == (
        "https://on-prem.example/arize"
    )
    assert TasksClient(space="mine", region="").default_space == "mine"


def test_the_key_is_sent_as_a_bearer_header(
    arize: InProcessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", API_KEY)
    TasksClient(base_url=BASE_URL, transport=arize.transport, warn_alpha=False).list()
    assert arize.sent[0].headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"region": "mars-1"}, "region"),
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "not a url"}, "base_url"),
        ({"timeout": 0}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_bad_configuration_names_the_argument(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        TasksClient("key", **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_bad_region_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIZE_REGION", "moon")
    with pytest.raises(InvalidArgumentError, match="ARIZE_REGION: unknown region 'moon'"):
        TasksClient("key")


def test_max_retries_overrides_the_policy() -> None:
    client = TasksClient("key", retry=RetryPolicy(max_elapsed=5), max_retries=2)
    assert client.retry_policy.max_attempts == 3
    assert client.retry_policy.max_elapsed == 5


def test_the_key_never_shows(arize: InProcessSandbox) -> None:
    client = arize.client(space="demo-space")
    assert API_KEY not in repr(client) and API_KEY not in str(client)
    assert repr(client) == f"TasksClient(base_url='{BASE_URL}', space='demo-space')"
    assert API_KEY not in repr(vars(client))
    assert API_KEY not in repr(vars(client._transport))


def test_a_client_is_not_picklable(arize: InProcessSandbox) -> None:
    client = arize.client()
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(client)
    with pytest.raises(TypeError):
        copy.copy(client)


def echoing_the_key(response: httpx.Response) -> httpx.Response:
    """A server that quotes the credentials it refused (the sandbox never does)."""
    return with_json(response, {**response.json(), "detail": f"bad key {API_KEY}?"})


def test_a_key_echoed_by_the_server_is_redacted(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", status=400)
    with pytest.raises(BadRequestError) as info:
        arize.client(transport=arize.edited(echoing_the_key)).list()
    for text in (str(info.value), repr(info.value), repr(info.value.body)):
        assert API_KEY not in text
    assert "bad key ***?" in str(info.value)


def test_close_and_context_manager(arize: InProcessSandbox) -> None:
    with arize.client() as client:
        client.list()
    with pytest.raises(RuntimeError):
        client.list()


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
        (500, ServerError),
        (501, ServerError),
        (418, APIError),
    ],
)
def test_statuses_map_to_error_classes(
    arize: InProcessSandbox, status: int, cls: type[APIError]
) -> None:
    arize.fail("PATCH", r"/v2/tasks/.*", status=status, retry_after=1)
    with pytest.raises(cls) as info:
        arize.client(max_retries=0).update(
            "T25saW5lVGFzazo0NTpxUndY", task_type="CODE_EVALUATION", name="x"
        )
    error = info.value
    detail = "fault injected by the sandbox"
    assert type(error) is cls
    assert isinstance(error, ArizeError)
    assert (error.status, error.detail, error.method) == (status, detail, "PATCH")
    assert error.path == "/v2/tasks/T25saW5lVGFzazo0NTpxUndY"
    assert str(error).startswith(f"PATCH {error.path} failed ({status} ")
    assert str(error).endswith(f": {detail}")
    assert error.body == {
        "type": "about:blank",
        "title": error.title,
        "status": status,
        "detail": detail,
        "instance": error.path,
    }


def test_error_message_falls_back_to_title_then_reason() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(502, text="<html>bad</html>"))
    client = TasksClient(
        "key", "https://x.test", transport=transport, warn_alpha=False, max_retries=0
    )
    with pytest.raises(ServerError) as info:
        client.list()
    assert str(info.value) == "GET /v2/tasks failed (502 Bad Gateway)"
    assert info.value.message == "Bad Gateway"
    assert info.value.body == "<html>bad</html>"


def test_unauthorized_is_clear(arize: InProcessSandbox) -> None:
    client = TasksClient("wrong", BASE_URL, transport=arize.transport, warn_alpha=False)
    with pytest.raises(UnauthorizedError, match=r"\(401 Authentication required\)"):
        client.list()


def test_the_alpha_notice_is_shown_once_per_process(
    arize: InProcessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_transport, "_alpha_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        arize.client(warn_alpha=False).list()
        assert caught == []
        arize.client(warn_alpha=True).list()
        arize.client(warn_alpha=True).list()
    alpha = [w for w in caught if issubclass(w.category, ArizeAlphaWarning)]
    assert len(alpha) == 1
    assert issubclass(ArizeAlphaWarning, FutureWarning)
    assert alpha[0].filename == __file__


def test_every_exported_name_of_the_tasks_package_resolves() -> None:
    """The package lists its lazily loaded names apart from the modules that define them;
    each one in ``__all__`` must load from where the package says it is."""
    import arize_pulumi.tasks as package

    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert missing == []
    assert package.TasksClient.__module__ == "arize_pulumi.tasks.client"
    assert package.validate_task.__module__ == "arize_pulumi.tasks.validation"
