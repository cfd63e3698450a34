"""Start ``python -m arize_pulumi.sandbox`` as its own process, the way users run it."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Self

import httpx

from tests.support.control import SandboxError, SandboxHandle

STARTUP_TIMEOUT = 30.0
_BANNER = "arize sandbox listening on "


class Sandbox(SandboxHandle):
    """A running sandbox process and an authed handle on it."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        base_url: str,
        api_key: str,
        db_path: str | None,
        log_path: Path,
        keep_log: bool,
    ) -> None:
        super().__init__()
        self.process = process
        self.base_url = base_url
        self.api_key = api_key
        self.db_path = db_path
        self.log_path = log_path
        self._keep_log = keep_log
        self._client: httpx.Client | None = None

    def __repr__(self) -> str:
        return f"Sandbox({self.base_url}, pid={self.process.pid})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def control(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30)
        return self._client

    def stderr(self) -> str:
        """The server's log so far: one line per request, and any traceback."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM and wait for a clean exit (SIGKILL after 10 s)."""
        self._close_client()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._cleanup()

    def kill(self) -> None:
        """SIGKILL: no chance to flush or close anything."""
        self._close_client()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._cleanup()

    def _close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _cleanup(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()
        if not self._keep_log:
            self.log_path.unlink(missing_ok=True)


def _drain(stream: IO[str]) -> None:
    """Read the process's stdout to the end: a full pipe nobody reads would stall it."""
    with contextlib.suppress(ValueError, OSError):
        for _ in stream:
            pass


def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            return process.stdout.readline()
        if process.poll() is not None:
            break
    return ""


def start_sandbox(
    *,
    db: str | None = None,
    seed: str | None = None,
    api_key: str = "test-key",
    run_duration: float = 0.3,
    log_path: Path | None = None,
) -> Sandbox:
    """Launch a sandbox on a free loopback port and wait for its banner line.

    Its log goes to ``log_path`` (kept), else to a temporary file removed when it stops.
    """
    args = [sys.executable, "-m", "arize_pulumi.sandbox", "--host", "127.0.0.1", "--port", "0"]
    args += ["--api-key", api_key, "--run-duration", str(run_duration)]
    if db is not None:
        args += ["--db", db]
    if seed is not None:
        args += ["--seed", seed]
    keep_log = log_path is not None
    if log_path is None:
        handle, name = tempfile.mkstemp(prefix="arize-sandbox-", suffix=".log")
        os.close(handle)
        log_path = Path(name)
    with log_path.open("w") as log:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1)
    line = _first_line(process)
    if not line.startswith(_BANNER):
        if process.poll() is None:
            process.kill()
        process.wait()
        output = log_path.read_text(encoding="utf-8", errors="replace")
        if not keep_log:
            log_path.unlink(missing_ok=True)
        raise SandboxError(
            f"sandbox did not start (exit {process.returncode}); first line {line!r}\n{output}"
        )
    assert process.stdout is not None
    threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
    base_url = line[len(_BANNER) :].strip()
    return Sandbox(process, base_url, api_key, db, log_path, keep_log)
