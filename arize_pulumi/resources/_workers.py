"""Waits that add a worker thread to the provider process instead of taking one.

Every dynamic resource of a program is served by one ``python -m pulumi.dynamic`` process: a
gRPC server on ``futures.ThreadPoolExecutor(max_workers=4)`` (``pulumi/dynamic/__main__.py``),
where a call holds its thread until it returns. A ``TaskRun`` that waits for its run would
hold one for as long as the run lasts, so four waits would stop every other resource and a
fifth run would queue behind them. While a wait is in progress, :func:`spare_worker` lets the
pool have one more thread: any number of runs are waited on at once (as many as the engine's
``--parallel`` starts), and other resources keep the four threads they had.

Pulumi does not expose that pool, so it is found as the ``ThreadPoolExecutor`` whose workers
include the calling thread, and resized the way its own ``submit`` does: under its locks,
through ``_max_workers``, ``_idle_semaphore`` and ``_adjust_thread_count``. Pulumi internals,
checked on pulumi 3.260.0 and 3.272.0 (tests/matrix/versions.mk; their provider server is built
as above), with grpcio 1.85.3 (which runs each call as one ``submit`` to that pool) and the
``concurrent.futures.thread`` of CPython 3.11 to 3.13 (the matrix runs the tests of this module
on each). Where that structure is not there, waits hold their thread as before and the provider
says why, once; ``ARIZE_PULUMI_SHARED_WAIT_THREADS=true`` asks for the same
on purpose.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import thread as executor_module
from contextlib import contextmanager

from arize_pulumi.resources._provider import log

__all__ = ["OPT_OUT", "SparePool", "find_pool", "spare_worker"]

OPT_OUT = "ARIZE_PULUMI_SHARED_WAIT_THREADS"
"""Set to ``true`` to keep waits on the pool's own threads (at most four at once)."""

PROVIDER_HOST = "pulumi.dynamic.__main__"
"""The module the engine runs as the dynamic-provider process (``python -m pulumi.dynamic``)."""

_EXECUTOR_NAMES = (
    "_max_workers",
    "_threads",
    "_shutdown_lock",
    "_work_queue",
    "_idle_semaphore",
    "_adjust_thread_count",
    "_shutdown",
    "_broken",
)
_MODULE_NAMES = ("_global_shutdown_lock", "_shutdown")


class SparePool:
    """An executor that grows by one thread for each wait in progress on it."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        self.executor = executor

    @contextmanager
    def spare(self) -> Iterator[None]:
        """One more thread for the pool while the caller's thread waits."""
        self._resize(1)
        try:
            yield
        finally:
            self._resize(-1)

    def _resize(self, step: int) -> None:
        pool = self.executor
        # The locks and order of ``ThreadPoolExecutor.submit``, which starts threads the same way.
        with pool._shutdown_lock, executor_module._global_shutdown_lock:
            pool._max_workers += step
            going = not (pool._shutdown or pool._broken or executor_module._shutdown)
            if step > 0 and going:
                # Start the wait's thread now. The pool's count of idle threads runs ahead of
                # them (each finished call adds one; only a submit that starts no thread takes
                # one back), and while it is above zero ``_adjust_thread_count`` starts
                # nothing: calls queued behind the waits would sit until a wait ends. Dropping
                # the count can only make a later submit start a thread an idle one could have
                # served, within ``_max_workers``.
                while pool._idle_semaphore.acquire(timeout=0):
                    pass
                pool._adjust_thread_count()


def _has_worker(pool: ThreadPoolExecutor, worker: threading.Thread) -> bool:
    """Whether ``worker`` is one of ``pool``'s threads. A thread may start running calls
    before ``_adjust_thread_count`` records it, under the lock this waits for."""
    lock = getattr(pool, "_shutdown_lock", None)
    if lock is None:
        return False
    with lock:
        return worker in getattr(pool, "_threads", ())


def find_pool(worker: threading.Thread) -> SparePool | str:
    """The pool whose worker ``worker`` is, or why there is none this module can grow."""
    missing = [name for name in _MODULE_NAMES if not hasattr(executor_module, name)]
    if missing:
        return f"concurrent.futures.thread has no {', '.join(missing)}"
    pools = [
        found
        for found in gc.get_objects()
        if isinstance(found, ThreadPoolExecutor) and _has_worker(found, worker)
    ]
    if len(pools) != 1:
        return f"the calling thread is a worker of {len(pools)} thread pools, not of one"
    (pool,) = pools
    missing = [name for name in _EXECUTOR_NAMES if not hasattr(pool, name)]
    if missing:
        return f"its thread pool has no {', '.join(missing)}"
    if not isinstance(pool._max_workers, int):
        return "its thread pool's size is not a number"
    return SparePool(pool)


def _in_provider_host() -> bool:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == PROVIDER_HOST


def _opted_out() -> bool:
    return os.environ.get(OPT_OUT, "").strip().lower() in ("1", "true", "yes")


_lock = threading.Lock()
_located = False
_pool: SparePool | None = None


def _process_pool() -> SparePool | None:
    """The provider process's pool, looked for once (by the first wait, on a worker)."""
    global _located, _pool
    with _lock:
        if not _located:
            _located = True
            if _in_provider_host() and not _opted_out():
                found = find_pool(threading.current_thread())
                if isinstance(found, SparePool):
                    _pool = found
                else:
                    log(
                        "warning",
                        f"TaskRun waits share the provider process's worker threads (at most "
                        f"four at once): {found}; this version of pulumi or Python is not one "
                        "arize-pulumi knows how to give each wait a thread of its own",
                    )
        return _pool


@contextmanager
def spare_worker() -> Iterator[None]:
    """While the block runs (a wait), the provider process has one more worker thread.

    Outside a dynamic-provider process (a test calling the provider), does nothing."""
    pool = _process_pool()
    if pool is None:
        yield
        return
    with pool.spare():
        yield
