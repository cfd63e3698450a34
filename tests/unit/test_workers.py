"""Waits that add a worker thread: on a real ThreadPoolExecutor shaped like the provider's."""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from arize_pulumi.resources import _workers
from arize_pulumi.resources._workers import SparePool, find_pool, spare_worker

LIVENESS = 30.0
"""How long a test lets a thread that should run get to run: a bound, never a measurement."""


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True)


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a dynamic-provider process whose pool was not looked for yet."""
    monkeypatch.setattr(_workers, "_located", False)
    monkeypatch.setattr(_workers, "_pool", None)
    host = types.SimpleNamespace(__spec__=types.SimpleNamespace(name=_workers.PROVIDER_HOST))
    monkeypatch.setitem(sys.modules, "__main__", host)
    monkeypatch.delenv(_workers.OPT_OUT, raising=False)


def test_a_wait_lets_a_call_queued_behind_it_run(pool: ThreadPoolExecutor) -> None:
    """One worker, a wait on it and a call queued before the wait began: the call runs
    while the wait goes on, on a thread the wait added."""
    queued_ran, first_started = threading.Event(), threading.Event()

    def waiting() -> bool:
        first_started.wait(LIVENESS)
        found = find_pool(threading.current_thread())
        assert isinstance(found, SparePool)
        with found.spare():
            return queued_ran.wait(LIVENESS)

    wait = pool.submit(waiting)
    queued = pool.submit(queued_ran.set)  # queued: the pool's one thread is taken
    first_started.set()
    assert wait.result(LIVENESS) is True
    queued.result(LIVENESS)
    assert pool._max_workers == 1  # back to its size once the wait ended


def test_a_call_submitted_during_a_wait_runs_after_many_short_calls(
    pool: ThreadPoolExecutor,
) -> None:
    """Each finished call raises the pool's count of idle threads, and a submit that finds it
    above zero starts no thread: after a few short calls, a call submitted while the only
    worker waits would sit until the wait ends, unless the wait started its thread itself."""
    for _ in range(5):
        pool.submit(lambda: None).result(LIVENESS)
    later_ran, waiting_now = threading.Event(), threading.Event()

    def waiting() -> bool:
        found = find_pool(threading.current_thread())
        assert isinstance(found, SparePool)
        with found.spare():
            waiting_now.set()
            return later_ran.wait(LIVENESS)

    wait = pool.submit(waiting)
    assert waiting_now.wait(LIVENESS)
    later = pool.submit(later_ran.set)  # submitted while the wait goes on
    assert wait.result(LIVENESS) is True
    later.result(LIVENESS)


def test_each_wait_adds_one_thread_and_gives_it_back(pool: ThreadPoolExecutor) -> None:
    sizes: list[int] = []
    found = pool.submit(lambda: find_pool(threading.current_thread())).result(LIVENESS)
    assert isinstance(found, SparePool)
    with found.spare():
        sizes.append(pool._max_workers)
        with found.spare():
            sizes.append(pool._max_workers)
    sizes.append(pool._max_workers)
    assert sizes == [2, 3, 1]


def test_a_thread_outside_any_pool_is_refused_with_the_reason() -> None:
    found = find_pool(threading.current_thread())
    assert found == "the calling thread is a worker of 0 thread pools, not of one"


def test_a_pool_without_the_expected_structure_is_refused(
    pool: ThreadPoolExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_workers, "_EXECUTOR_NAMES", (*_workers._EXECUTOR_NAMES, "_gone"))
    found = pool.submit(lambda: find_pool(threading.current_thread())).result(LIVENESS)
    assert found == "its thread pool has no _gone"


@pytest.mark.usefixtures("fresh_process")
def test_the_provider_process_grows_its_pool_during_a_wait(pool: ThreadPoolExecutor) -> None:
    def waiting() -> int:
        with spare_worker():
            return pool._max_workers

    assert pool.submit(waiting).result(LIVENESS) == 2
    assert pool._max_workers == 1


@pytest.mark.usefixtures("fresh_process")
def test_where_the_pool_is_not_found_waits_hold_their_thread_and_it_says_why_once(
    pool: ThreadPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(_workers, "_EXECUTOR_NAMES", (*_workers._EXECUTOR_NAMES, "_gone"))

    def waiting() -> int:
        with spare_worker():
            return pool._max_workers

    assert [pool.submit(waiting).result(LIVENESS) for _ in range(2)] == [1, 1]
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "warning: TaskRun waits share the provider process's worker threads (at most four at "
        "once): its thread pool has no _gone; this version of pulumi or Python "
        "is not one arize-pulumi knows how to give each wait a thread of its own"
    ]


@pytest.mark.usefixtures("fresh_process")
def test_the_opt_out_keeps_waits_on_the_pool_without_a_word(
    pool: ThreadPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(_workers.OPT_OUT, "true")

    def waiting() -> int:
        with spare_worker():
            return pool._max_workers

    assert pool.submit(waiting).result(LIVENESS) == 1
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("fresh_process")
def test_outside_the_provider_process_a_wait_changes_nothing(
    pool: ThreadPoolExecutor, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "__main__", types.SimpleNamespace())

    def waiting() -> int:
        with spare_worker():
            return pool._max_workers

    assert pool.submit(waiting).result(LIVENESS) == 1
    assert capsys.readouterr().err == ""
