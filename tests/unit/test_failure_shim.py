"""How failures leave the provider process: run against the dynamic-provider server's own
error wrapper, taken from the installed pulumi package, and against a server without one."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arize_pulumi.resources import _failures
from arize_pulumi.resources._provider import ResourceError
from arize_pulumi.resources.config import ConfigError, config_warnings
from arize_pulumi.tasks.errors import APIConnectionError

SERVER = "pulumi.dynamic.__main__"


def installed_wrapper_source() -> str:
    """``_abort_with_traceback`` as the installed pulumi package writes it."""
    spec = importlib.util.find_spec(SERVER)
    assert spec is not None and spec.origin is not None
    text = Path(spec.origin).read_text(encoding="utf-8")
    start = text.index("def _abort_with_traceback(")
    end = text.index("return wrapper", start) + len("return wrapper")
    return text[start:end]


def fake_server(body: str) -> types.ModuleType:
    """A module standing as ``__main__`` for the server, with ``body`` as its code."""
    module = types.ModuleType("__main__")
    module.__spec__ = importlib.machinery.ModuleSpec(SERVER, None)
    exec(
        "import traceback\nimport grpc\nfrom pulumi.runtime import proto\n" + body,
        vars(module),
    )
    return module


@pytest.fixture
def as_main(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def use(module: types.ModuleType) -> types.ModuleType:
        monkeypatch.setitem(sys.modules, "__main__", module)
        return module

    yield use


class Context:
    """What the wrapper aborts with."""

    def __init__(self) -> None:
        self.details: str | None = None

    def abort(self, code: Any, details: str) -> None:
        self.details = details


def aborted(server: types.ModuleType, exc: Exception) -> str:
    def handler(self: Any, request: Any, context: Any) -> None:
        raise exc

    context = Context()
    server._abort_with_traceback(handler)(None, None, context)
    assert context.details is not None
    return context.details


def test_expected_failures_are_their_message_and_bugs_keep_the_traceback(as_main: Any) -> None:
    server = as_main(fake_server(installed_wrapper_source()))
    assert "Traceback" in aborted(server, ResourceError("TaskRun 'n': run x FAILED"))
    assert _failures.install() is True
    assert aborted(server, ResourceError("TaskRun 'n': run x FAILED")) == "run x FAILED"
    assert aborted(server, ConfigError("arize:timeout: must be greater than 0")) == (
        "arize:timeout: must be greater than 0"
    )
    connection = APIConnectionError("cannot connect", "GET", "/v2/spaces")
    assert aborted(server, connection) == "GET /v2/spaces failed: cannot connect"
    bug = aborted(server, KeyError("resolved"))
    assert bug.startswith("Traceback (most recent call last)") and "KeyError" in bug
    assert _failures.install() is True  # idempotent


def test_check_failures_leave_without_a_property_or_the_label(as_main: Any) -> None:
    server = as_main(fake_server(installed_wrapper_source()))
    assert _failures.install() is True
    failure = server.proto.CheckFailure(
        property="run_configuration", reason="Task 'w': run_configuration.x: unknown field"
    )
    assert (failure.property, failure.reason) == ("", "run_configuration.x: unknown field")
    unnamed = server.proto.CheckFailure(
        property="experiment_ids", reason="Task 'd': experiment 'nope' not found"
    )
    assert unnamed.reason == "experiment_ids: experiment 'nope' not found"
    named = server.proto.CheckFailure(property="space", reason="cannot look up space 's': 401")
    assert named.reason == "cannot look up space 's': 401"
    setting = server.proto.CheckFailure(property="", reason="Task 'd': no Arize API key")
    assert setting.reason == "no Arize API key"


def test_a_server_without_the_wrapper_is_left_alone(as_main: Any) -> None:
    """pulumi 3.150 has no ``_abort_with_traceback``: grpc reports the exception itself."""
    server = as_main(fake_server("def main():\n    pass\n"))
    assert _failures.install() is False
    assert server.traceback is sys.modules["traceback"]


def test_a_wrapper_of_another_shape_is_left_alone(as_main: Any) -> None:
    source = installed_wrapper_source().replace("traceback.format_exc()", "'failed'")
    server = as_main(fake_server(source))
    assert _failures.install() is False
    assert "Traceback" not in aborted(server, KeyError("x"))


def test_outside_the_server_nothing_is_installed() -> None:
    assert _failures.install() is False


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("Task 'eval': creating task 'eval' failed", "creating task 'eval' failed"),
        ("TaskRun 'n': run FAILED", "run FAILED"),
        ("Task: no space", "no space"),
        ("provider configuration arize:region: unknown region", None),
        ("Tasks are fine", None),
    ],
)
def test_the_label_is_dropped_only_where_it_leads(message: str, shown: str | None) -> None:
    assert _failures.shown(message) == (shown or message)


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("arize:apikey", "arize:apiKey"),
        ("arize:baseurl", "arize:baseUrl"),
        ("arize:APIKEY", "arize:apiKey"),
        ("arize:regoin", "arize:region"),
        ("arize:maxRetry", "arize:maxRetries"),
    ],
)
def test_an_unknown_key_is_named_with_the_key_meant(key: str, meant: str) -> None:
    (warning,) = config_warnings([key, "arize:space", "aws:region"], plain_api_key=False, stack="s")
    assert warning == (
        f"config key {key} is not an arize-pulumi setting and is ignored; did you mean "
        f"{meant}? (config keys are case-sensitive)"
    )


def test_an_unknown_key_with_nothing_close_lists_the_settings() -> None:
    (warning,) = config_warnings(["arize:colour"], plain_api_key=False, stack="s")
    assert "did you mean" not in warning
    assert "the settings are arize:apiKey, arize:baseUrl, arize:region" in warning


def test_a_plain_text_key_names_the_stack_file_and_both_ways_out() -> None:
    (warning,) = config_warnings(["arize:apiKey"], plain_api_key=True, stack="prod")
    assert "Pulumi.prod.yaml" in warning
    assert "pulumi config set --secret arize:apiKey <key>" in warning
    assert "ARIZE_API_KEY" in warning
    assert config_warnings(["arize:apiKey"], plain_api_key=False, stack="prod") == []
