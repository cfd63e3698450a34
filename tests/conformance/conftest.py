"""One sandbox per test module, seeded with every evaluator type, and the official SDK and CLI
pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.official import Official, require_official_venv
from tests.support.sandbox import Sandbox, start_sandbox


@pytest.fixture(scope="module")
def official_sandbox() -> Iterator[Sandbox]:
    """A sandbox on the default seed (evaluators of all four types) whose runs last 0.3 s."""
    require_official_venv()
    server = start_sandbox(run_duration=0.3)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def official(official_sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Official:
    return Official(official_sandbox, tmp_path_factory.mktemp("official-home"))


@pytest.fixture(scope="module")
def ids(official_sandbox: Sandbox) -> dict[str, Any]:
    return official_sandbox.ids()


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    """The default seed's names, as a user would type them."""
    return {
        "space": "demo-space",
        "project": "chatbot-prod",
        "dataset": "golden-qa",
        "experiment": "baseline",
        "ai_integration": "openai-default",
        "agent_integration": "agent-default",
    }
