"""Launch a sandbox server process and drive its control surface from tests and benchmarks."""

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
from collections.abc import Sequence
from typing import Any, Self

import httpx

STARTUP_TIMEOUT = 30.0
_BANNER = "arize sandbox listening on "


class SandboxError(RuntimeError):
    """The sandbox process did not start, or a control call failed."""


class Sandbox:
    """A running ``python -m arize_pulumi.sandbox`` process and an authed handle on it."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        base_url: str,
        api_key: str,
        db_path: str | None,
        stderr_path: str,
    ) -> None:
        self.process = process
        self.base_url = base_url
        self.api_key = api_key
        self.db_path = db_path
        self.stderr_path = stderr_path
        self._client: httpx.Client | None = None
        self._ids: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"Sandbox({self.base_url}, pid={self.process.pid})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def control(self) -> httpx.Client:
        """An authed client on the sandbox (for ``/_sandbox`` and, if wanted, ``/v2``)."""
        if self._client is None:
            self._client = httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30)
        return self._client

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.control().request(method, path, **kwargs)
        if response.status_code >= 400:
            raise SandboxError(f"{method} {path}: {response.status_code} {response.text}")
        return response

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add spaces and their entities; returns them with IDs in the same nested shape."""
        result: dict[str, Any] = self._call("POST", "/_sandbox/seed", json=data).json()
        return result

    def world(self) -> dict[str, Any]:
        """Every seeded entity, in the seed shape with IDs."""
        result: dict[str, Any] = self._call("GET", "/_sandbox/seed").json()
        return result

    def requests(self) -> dict[str, int]:
        counts: dict[str, int] = self._call("GET", "/_sandbox/requests").json()["counts"]
        return counts

    def total_requests(self) -> int:
        total: int = self._call("GET", "/_sandbox/requests").json()["total"]
        return total

    def reset_requests(self) -> None:
        self._call("DELETE", "/_sandbox/requests")

    def faults(self, **spec: Any) -> None:
        """Inject faults, e.g. ``faults(rate=0.5, statuses=[503], phase="after")``."""
        self._call("POST", "/_sandbox/faults", json=spec)

    def clear_faults(self) -> None:
        self._call("DELETE", "/_sandbox/faults")

    def outcome(
        self,
        task_id: str,
        status: str,
        failure_reason: str | None = None,
        duration: float | None = None,
    ) -> None:
        """Script how the next run of ``task_id`` ends (``HANG``: never, until cancelled)."""
        body: dict[str, Any] = {"task_id": task_id, "status": status}
        if failure_reason is not None:
            body["failure_reason"] = failure_reason
        if duration is not None:
            body["duration"] = duration
        self._call("POST", "/_sandbox/outcomes", json=body)

    def delete_entity(self, kind: str, entity_id: str) -> None:
        """Delete a space, project, dataset, evaluator, ... out of band (for drift tests)."""
        self._call("DELETE", f"/_sandbox/entities/{kind}/{entity_id}")

    def ids(self) -> dict[str, Any]:
        """IDs of the default seed (space ``demo-space`` and what it holds)."""
        if self._ids is None:
            spaces = [s for s in self.world()["spaces"] if s["name"] == "demo-space"]
            if not spaces:
                raise SandboxError("the default seed (space demo-space) is not present")
            space = spaces[0]
            by_name = {i["name"]: i["id"] for i in space["ai_integrations"]}
            dataset = space["datasets"][0]
            self._ids = {
                "space": space["id"],
                "project": space["projects"][0]["id"],
                "dataset": dataset["id"],
                "experiment": dataset["experiments"][0]["id"],
                "evaluators": {e["name"]: e["id"] for e in space["evaluators"]},
                "evaluator_versions": {e["name"]: e["version_ids"][0] for e in space["evaluators"]},
                "ai_integration": by_name.get("openai-default"),
                "agent_integration": by_name.get("agent-default"),
            }
        return self._ids

    def stderr(self) -> str:
        with open(self.stderr_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def _close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

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

    def _cleanup(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.stderr_path)


def _drain(stream: Any) -> None:
    with contextlib.suppress(ValueError, OSError):
        for _ in stream:
            pass


def start_sandbox(
    *,
    db: str | None = None,
    seed: str | None = None,
    api_key: str = "test-key",
    run_duration: float = 0.3,
    extra_args: Sequence[str] = (),
) -> Sandbox:
    """Launch a sandbox on a free loopback port and wait for its banner line."""
    args = [sys.executable, "-m", "arize_pulumi.sandbox", "--host", "127.0.0.1", "--port", "0"]
    args += ["--api-key", api_key, "--run-duration", str(run_duration)]
    if db is not None:
        args += ["--db", db]
    if seed is not None:
        args += ["--seed", seed]
    args += list(extra_args)
    stderr_fd, stderr_path = tempfile.mkstemp(prefix="arize-sandbox-", suffix=".log")
    with os.fdopen(stderr_fd, "w") as stderr_file:
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=stderr_file, text=True, bufsize=1
        )
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    line = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            line = process.stdout.readline()
            break
        if process.poll() is not None:
            break
    if not line.startswith(_BANNER):
        if process.poll() is None:
            process.kill()
        process.wait()
        with open(stderr_path, encoding="utf-8", errors="replace") as handle:
            err = handle.read()
        os.unlink(stderr_path)
        raise SandboxError(
            f"sandbox did not start (exit {process.returncode}); first line {line!r}\n{err}"
        )
    threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
    return Sandbox(process, line[len(_BANNER) :].strip(), api_key, db, stderr_path)


# --- request bodies on the default seed, and problem checks ---------------------------------


def evaluation_task(ids: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """A valid ``TEMPLATE_EVALUATION`` create body on the default project."""
    body: dict[str, Any] = {
        "type": "TEMPLATE_EVALUATION",
        "name": name,
        "project_id": ids["project"],
        "evaluators": [{"evaluator_id": ids["evaluators"]["hallucination"]}],
    }
    body.update(fields)
    return body


def dataset_task(ids: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """A valid evaluation task on the default dataset and its ``baseline`` experiment."""
    body: dict[str, Any] = {
        "type": "TEMPLATE_EVALUATION",
        "name": name,
        "dataset_id": ids["dataset"],
        "experiment_ids": [ids["experiment"]],
        "evaluators": [{"evaluator_id": ids["evaluators"]["relevance"]}],
    }
    body.update(fields)
    return body


def run_experiment_task(ids: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
    """A valid ``RUN_EXPERIMENT`` create body (LLM generation) on the default dataset."""
    body: dict[str, Any] = {
        "type": "RUN_EXPERIMENT",
        "name": name,
        "dataset_id": ids["dataset"],
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": ids["ai_integration"],
            "messages": [{"role": "USER", "content": "Answer: {question}"}],
            "input_variable_format": "F_STRING",
        },
    }
    body.update(fields)
    return body


PROBLEM_TITLES = {
    400: "Invalid request parameters",
    401: "Authentication required",
    403: "Access forbidden",
    404: "Resource not found",
    409: "Resource conflict",
    422: "Unprocessable Entity",
    429: "Rate limit exceeded",
    503: "Service Unavailable",
}


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> str:
    """Check a problem answer: status, media type, documented title, a detail naming ``field``."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    if status in PROBLEM_TITLES:
        assert body["title"] == PROBLEM_TITLES[status]
    detail: str = body.get("detail") or ""
    if field is not None:
        assert field in detail, f"{field!r} not named in {detail!r}"
    return detail
