"""Fixtures that drive the real `pulumi` CLI and engine against a sandbox on loopback."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.sandbox import Sandbox, start_sandbox
from tests.support.stacks import LocalStack, ensure_pulumi

MakeStack = Callable[..., LocalStack]


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """The CLI built or found by scripts/ensure-pulumi; a failure here fails the run loudly."""
    return ensure_pulumi()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh sandbox whose API key is distinctive, so a leak of it anywhere is detectable."""
    server = start_sandbox(api_key=f"arize-e2e-{secrets.token_hex(16)}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_stack(sandbox: Sandbox, tmp_path: Path, pulumi_bin: Path) -> Iterator[MakeStack]:
    """Build a stack on a local backend, configured for the test's sandbox."""
    made: list[LocalStack] = []

    def make(
        program: Callable[[], None],
        *,
        config: dict[str, str] | None = None,
        api_key: str | None = None,
        name: str = "e2e",
        project: str = "arize-e2e",
        env: dict[str, str] | None = None,
    ) -> LocalStack:
        stack = LocalStack(
            project=project,
            stack_name=name,
            work_dir=tmp_path / f"pulumi-{name}",
            program=program,
            env=dict(env or {}),
        )
        stack.set_config(
            {"arize:baseUrl": sandbox.base_url, "arize:space": "demo-space", **(config or {})},
            {"arize:apiKey": api_key or sandbox.api_key},
        )
        made.append(stack)
        return stack

    yield make
