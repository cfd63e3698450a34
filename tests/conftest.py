"""Shared fixtures: the sandbox app in process for unit tests; a sandbox server process per
test, or one per session for read-only tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.support.sandbox import Sandbox, start_sandbox

if TYPE_CHECKING:
    from tests.support.inprocess import InProcessSandbox


@pytest.fixture
def arize() -> Iterator[InProcessSandbox]:
    """The sandbox app with the default seed, served in this process (no socket); its
    clients record what they send. Imported here, so tiers that never use it do not load
    the sandbox app."""
    from tests.support.inprocess import InProcessSandbox

    with InProcessSandbox() as app:
        yield app


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
