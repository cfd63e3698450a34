"""Shared fixtures: a sandbox server process per test, or one per session for read-only tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.sandbox import Sandbox, start_sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh sandbox (default seed, api key ``test-key``, runs last 0.3 s)."""
    server = start_sandbox()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sandbox_session() -> Iterator[Sandbox]:
    """One sandbox shared by the session: for tests that only read, or write unique names."""
    server = start_sandbox()
    try:
        yield server
    finally:
        server.stop()
