"""The stack's ``arize:*`` config through the real CLI: a typo in a key is warned about with
the key meant, and the API key is stored exactly where the README says for each way of
setting it (plain config, ``--secret``, ``ARIZE_API_KEY``), checked in ``Pulumi.<stack>.yaml``
and in ``pulumi stack export``."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox
from tests.support.stacks import LocalStack

pytestmark = pytest.mark.e2e

PLAIN_WARNING = (
    "warning: arize:apiKey is set in plain text: it is stored as written in Pulumi.e2e.yaml "
    "and in the stack's state (the default provider's configuration). Encrypt it in both with "
    "`pulumi config set --secret arize:apiKey <key>`, or remove it (`pulumi config rm "
    "arize:apiKey`) and set ARIZE_API_KEY in the environment, where it is stored nowhere"
)


def stack_file(stack: LocalStack) -> dict[str, Any]:
    path = stack.work_dir / f"Pulumi.{stack.stack_name}.yaml"
    return dict(yaml.safe_load(path.read_text()))


def default_provider_inputs(stack: LocalStack) -> dict[str, Any]:
    (provider,) = stack.resources("pulumi:providers:pulumi-python")
    assert provider["urn"].endswith("::default")
    return dict(provider.get("inputs") or {})


def output_of(stack: LocalStack) -> str:
    return "\n".join(stack.output)


def diagnostics(stack: LocalStack) -> str:
    """The Diagnostics section of the last command's output (each message once)."""
    return output_of(stack).split("Diagnostics:", 1)[1]


def test_a_config_key_in_the_wrong_case_is_warned_with_the_key_meant(
    make_stack: MakeStack,
) -> None:
    stack = make_stack(
        programs.tasks({"t": programs.PROJECT_EVAL}),
        config={"arize:apikey": "unused", "arize:baseurl": "http://unused", "arize:spcae": "x"},
    )
    stack.preview()
    output = output_of(stack)
    for typo, meant in (
        ("arize:apikey", "arize:apiKey"),
        ("arize:baseurl", "arize:baseUrl"),
        ("arize:spcae", "arize:space"),
    ):
        assert (
            f"warning: config key {typo} is not an arize-pulumi setting and is ignored; "
            f"did you mean {meant}? (config keys are case-sensitive)"
        ) in output, output
    assert "arize:apiKey is set in plain text" not in output


def test_a_plain_text_key_is_warned_about_and_stored_as_written(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.tasks({"t": programs.PROJECT_EVAL}))
    stack.stack.set_config("arize:apiKey", auto.ConfigValue(sandbox.api_key, secret=False))
    stack.preview()
    assert diagnostics(stack).count(PLAIN_WARNING) == 1, output_of(stack)
    stack.output.clear()
    stack.up()
    assert diagnostics(stack).count(PLAIN_WARNING) == 1, output_of(stack)

    assert stack_file(stack)["config"]["arize:apiKey"] == sandbox.api_key
    assert default_provider_inputs(stack)["arize:apiKey"] == sandbox.api_key
    task_states = json.dumps(stack.resources("pulumi-python:dynamic/arize:Task"))
    assert sandbox.api_key not in task_states


def test_a_secret_key_is_encrypted_in_the_stack_file_and_the_state(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(programs.tasks({"t": programs.PROJECT_EVAL}))
    stack.up()
    assert "arize:apiKey" not in output_of(stack)

    stored = stack_file(stack)["config"]["arize:apiKey"]
    assert set(stored) == {"secure"} and stored["secure"].startswith("v1:")
    in_state = default_provider_inputs(stack)["arize:apiKey"]
    assert set(in_state) == {"4dabf18193072939515e22adb298388d", "ciphertext"}
    assert sandbox.api_key not in stack.state_text()
    assert sandbox.api_key not in json.dumps(stack.export())


def test_a_key_from_the_environment_is_stored_nowhere(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    stack = make_stack(
        programs.tasks({"t": programs.PROJECT_EVAL}), env={"ARIZE_API_KEY": sandbox.api_key}
    )
    stack.stack.remove_config("arize:apiKey")
    stack.up()
    assert stack.outputs()["t.task_id"]
    assert "arize:apiKey" not in output_of(stack)

    assert "arize:apiKey" not in stack_file(stack)["config"]
    assert "arize:apiKey" not in default_provider_inputs(stack)
    assert sandbox.api_key not in stack.state_text()
    assert sandbox.api_key not in (stack.work_dir / "Pulumi.e2e.yaml").read_text()
