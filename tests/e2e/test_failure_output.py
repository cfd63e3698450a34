"""What the CLI prints when something fails: an expected failure as one paragraph (the
message, under the resource, without the dynamic-provider server's traceback), an unexpected
one with its traceback, and a preview error that names the field without dumping values."""

from __future__ import annotations

import socket

import pytest
from pulumi import automation as auto

from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support import broken
from tests.support.sandbox import Sandbox
from tests.support.stacks import REPO

pytestmark = pytest.mark.e2e

FAST = {
    "data_start_time": "2026-11-01T00:00:00Z",
    "data_end_time": "2026-11-02T00:00:00Z",
    "poll_interval": 0.2,
}
TRACEBACK_LINES = ("Traceback (most recent call last)", "__main__.py", 'File "')


def failure(run: object) -> str:
    """The CLI's output of a command that must fail."""
    with pytest.raises(auto.CommandError) as failed:
        run()  # type: ignore[operator]
    return str(failed.value)


def diagnostics_of(output: str, resource: str) -> list[str]:
    """The error lines the CLI prints under ``resource`` in its Diagnostics section."""
    section = output.split("Diagnostics:", 1)[1].split(f"({resource}):", 1)[1]
    lines = []
    for line in section.splitlines()[1:]:
        if not line.startswith("    "):
            break
        lines.append(line.strip())
    return lines


def assert_one_paragraph(output: str, resource: str) -> str:
    for line in TRACEBACK_LINES:
        assert line not in output, output
    (error,) = diagnostics_of(output, resource)
    assert error.startswith("error: "), output
    assert f"'{resource}':" not in error, error  # the CLI names the resource above it
    return error


def test_a_failed_run_prints_its_outcome_alone(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(programs.tasks({"gated": programs.PROJECT_EVAL}))
    stack.up()
    task_id = stack.outputs()["gated.task_id"]
    sandbox.outcome(task_id, "FAILED", failure_reason="evaluator crashed on span 7")
    stack.program = programs.task_with_runs(programs.PROJECT_EVAL, {"nightly": FAST})
    error = assert_one_paragraph(failure(stack.up), "nightly")
    assert error.startswith("error: run ") and " FAILED (" in error, error
    assert error.endswith("evaluator crashed on span 7; succeed_on is COMPLETED"), error


def test_a_name_taken_at_create_prints_the_conflict_alone(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    sandbox.control().post(
        "/v2/tasks",
        json={
            "type": "TEMPLATE_EVALUATION",
            "name": "taken",
            "project_id": sandbox.ids()["project"],
            "evaluators": [{"evaluator_id": sandbox.ids()["evaluators"]["relevance"]}],
        },
    ).raise_for_status()
    stack = make_stack(programs.tasks({"taken": programs.PROJECT_EVAL}))
    error = assert_one_paragraph(failure(stack.up), "taken")
    assert error.startswith("error: a task named 'taken' already exists in space 'demo-space'")
    assert "Set adopt=True" in error, error


def test_an_unexpected_exception_keeps_its_traceback(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    def program() -> None:
        broken.BrokenTask("buggy", **programs.PROJECT_EVAL)

    stack = make_stack(program, env={"PYTHONPATH": str(REPO)})
    output = failure(stack.up)
    for line in TRACEBACK_LINES:
        assert line in output, output
    assert f"RuntimeError: {broken.BUG}" in output
    assert "tests/support/broken.py" in output


def test_a_preview_error_names_the_field_once_without_the_value(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    inputs = programs.run_experiment(sandbox.ids()["ai_integration"])
    inputs["run_configuration"]["invocation_parameters"] = {"temprature": 0.2}
    stack = make_stack(programs.tasks({"writer": inputs}))
    output = failure(stack.preview)
    (error,) = diagnostics_of(output, "writer")
    assert error == (
        "error: pulumi-python:dynamic/arize:Task resource 'writer' has a problem: "
        "run_configuration.invocation_parameters.temprature: unknown field"
    )
    assert "value {" not in output and "Traceback" not in output


def test_a_host_that_does_not_resolve_fails_preview_at_once_naming_the_key(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(
        programs.tasks({"t": programs.PROJECT_EVAL}),
        config={"arize:baseUrl": "http://no-such-host.invalid:8080"},
    )
    (error,) = diagnostics_of(failure(stack.preview), "t")
    assert error == (
        "error: pulumi-python:dynamic/arize:Task resource 't' has a problem: cannot look up "
        "space 'demo-space': GET /v2/spaces failed: cannot connect to "
        "no-such-host.invalid:8080: the host name does not resolve (Name or service not "
        "known); API URL http://no-such-host.invalid:8080 (from arize:baseUrl); not retried: "
        "nothing has answered there yet, so check the setting"
    )


def test_a_refused_connection_names_the_environment_variable(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stack = make_stack(
        programs.tasks({"t": programs.PROJECT_EVAL}),
        env={"ARIZE_BASE_URL": f"http://127.0.0.1:{port}"},
    )
    stack.stack.remove_config("arize:baseUrl")
    (error,) = diagnostics_of(failure(stack.preview), "t")
    assert f"cannot connect to 127.0.0.1:{port}: the connection was refused" in error, error
    assert f"API URL http://127.0.0.1:{port} (from ARIZE_BASE_URL); not retried" in error, error
    assert sandbox.total_requests() == 0
