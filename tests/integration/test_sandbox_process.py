"""The sandbox as a process: CLI, signals, seed files, logs, and a store that survives restarts
and SIGKILL."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support.api import evaluation_task
from tests.support.control import SandboxError
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_banner_and_clean_exit(signum: signal.Signals) -> None:
    server = start_sandbox(api_key="a-very-secret-key-123")
    assert server.base_url.startswith("http://127.0.0.1:")
    assert not server.base_url.endswith(":0")
    api = server.control()
    assert api.get("/v2/spaces").status_code == 200
    api.get("/v2/tasks", headers={"Authorization": "Bearer wrong-key-456"})
    log = server.stderr()
    assert "GET /v2/spaces 200" in log
    assert "a-very-secret-key-123" not in log and "wrong-key-456" not in log
    server.process.send_signal(signum)
    assert server.process.wait(timeout=10) == 0
    server.stop()


def test_persistence_across_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    first = start_sandbox(db=db)
    ids = first.ids()
    api = first.control()
    task = api.post("/v2/tasks", json=evaluation_task(ids, "kept")).json()
    run = api.post(
        f"/v2/tasks/{task['id']}/trigger",
        json={"data_start_time": "2026-01-01T00:00:00Z", "data_end_time": "2026-01-02T00:00:00Z"},
    ).json()
    first.stop()

    second = start_sandbox(db=db)
    try:
        assert second.ids() == ids
        api = second.control()
        assert api.get(f"/v2/tasks/{task['id']}").json()["name"] == "kept"
        advanced = api.post("/_sandbox/clock", json={"advance": 1})  # past the run's 0.3 s
        assert advanced.status_code == 200
        assert api.get(f"/v2/task-runs/{run['id']}").json()["status"] == "COMPLETED"
        assert len(api.get("/v2/spaces").json()["spaces"]) == 1
        assert len(api.get("/v2/evaluators").json()["evaluators"]) == 5
        fresh = api.post("/v2/tasks", json=evaluation_task(ids, "new")).json()
        assert fresh["id"] not in (task["id"], run["id"])
    finally:
        second.stop()


def test_sigkill_during_concurrent_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    server = start_sandbox(db=db)
    ids = server.ids()
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker: int) -> None:
        with httpx.Client(base_url=server.base_url, headers=server.headers, timeout=5) as client:
            for index in range(10_000):
                if stop.is_set():
                    return
                name = f"w{worker}-{index}"
                try:
                    response = client.post("/v2/tasks", json=evaluation_task(ids, name))
                except httpx.HTTPError:
                    return
                if response.status_code == 201:
                    with lock:
                        acknowledged.append(response.json()["id"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)  # waits for the writer threads' requests, not for the sandbox clock
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) >= 60

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restarted = start_sandbox(db=db)
    try:
        api = restarted.control()
        stored: set[str] = set()
        params: dict[str, Any] = {"limit": 100}
        while True:
            body = api.get("/v2/tasks", params=params).json()
            stored |= {t["id"] for t in body["tasks"]}
            if not body["pagination"]["has_more"]:
                break
            params["cursor"] = body["pagination"]["next_cursor"]
        assert set(acknowledged) <= stored
    finally:
        restarted.stop()


def test_seed_file(tmp_path: Path) -> None:
    spec = {
        "spaces": [
            {
                "name": "ci-space",
                "projects": [{"name": "svc"}],
                "datasets": [{"name": "qa", "experiments": [{"name": "v1"}]}],
                "evaluators": [{"name": "tone", "type": "TEMPLATE"}],
                "ai_integrations": [{"name": "llm", "type": "LLM"}],
            }
        ]
    }
    seed = tmp_path / "seed.yaml"
    seed.write_text(yaml.safe_dump(spec))
    server = start_sandbox(seed=str(seed))
    try:
        world = server.world()
        assert [s["name"] for s in world["spaces"]] == ["ci-space"]
        assert world["spaces"][0]["datasets"][0]["experiments"][0]["name"] == "v1"
        with pytest.raises(SandboxError, match="demo-space"):
            server.ids()
    finally:
        server.stop()
    json_seed = tmp_path / "seed.json"
    json_seed.write_text(json.dumps(spec))
    with start_sandbox(seed=str(json_seed)) as again:
        assert [s["name"] for s in again.world()["spaces"]] == ["ci-space"]


def test_bad_seed_file_fails_clearly(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text("spaces: [{name: x, evaluators: [{name: e, type: code}]}]")
    with pytest.raises(SandboxError, match="seed"):
        start_sandbox(seed=str(seed))
    result = subprocess.run(
        [sys.executable, "-m", "arize_pulumi.sandbox", "--port", "0", "--run-duration", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--run-duration" in result.stderr


def test_package_imports_without_the_web_framework() -> None:
    code = (
        "import sys, arize_pulumi, arize_pulumi.sandbox; "
        "print(any(m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_harness_context_manager() -> None:
    with start_sandbox() as server:
        assert isinstance(server, Sandbox)
        assert server.control().get("/_sandbox/health").json() == {"status": "ok"}
    assert server.process.returncode == 0
