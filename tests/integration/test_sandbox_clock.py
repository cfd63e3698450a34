"""The sandbox clock (``/_sandbox/clock``, ``--freeze-at``): it freezes, advances, resumes and
never goes backwards, and everything the sandbox stamps follows it."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.api import assert_problem, evaluation_task
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    """A sandbox of this module's own: its clock only ever moves forward, test after test."""
    sandbox = start_sandbox()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def api(server: Sandbox) -> httpx.Client:
    return server.control()


def reading(api: httpx.Client) -> dict[str, Any]:
    response = api.get("/_sandbox/clock")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"now", "frozen"}
    return body


def change(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/_sandbox/clock", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def wire(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_real_time_until_frozen(api: httpx.Client) -> None:
    first = reading(api)
    assert first["frozen"] is False
    assert first["now"].endswith("Z") and len(first["now"]) == len("2026-03-07T10:30:00.000Z")
    assert abs(moment(first["now"]) - datetime.now(UTC)) < timedelta(minutes=1)
    frozen = change(api, {"freeze": True})
    assert frozen["frozen"] is True
    assert moment(frozen["now"]) >= moment(first["now"])
    assert reading(api) == frozen
    assert change(api, {"freeze": True}) == frozen


def test_advance_moves_a_frozen_clock_and_freezes_a_running_one(api: httpx.Client) -> None:
    start = moment(change(api, {"freeze": True})["now"])
    assert moment(change(api, {"advance": 90.5})["now"]) == start + timedelta(seconds=90.5)
    assert moment(change(api, {"advance": 0})["now"]) == start + timedelta(seconds=90.5)
    change(api, {"freeze": False})
    advanced = change(api, {"advance": 3600})
    assert advanced["frozen"] is True
    assert moment(advanced["now"]) >= start + timedelta(seconds=3690.5)
    assert reading(api) == advanced


def test_set_freezes_at_an_instant_and_never_goes_back(api: httpx.Client) -> None:
    now = moment(reading(api)["now"])
    later = now + timedelta(days=1, milliseconds=250)
    assert change(api, {"set": wire(later)}) == {"now": wire(later), "frozen": True}
    assert change(api, {"set": wire(later)})["now"] == wire(later)
    detail = assert_problem(
        api.post("/_sandbox/clock", json={"set": wire(later - timedelta(milliseconds=1))}),
        409,
        "set",
    )
    assert "backwards" in detail
    assert reading(api) == {"now": wire(later), "frozen": True}


def test_resume_keeps_the_offset_so_time_stays_monotonic(api: httpx.Client) -> None:
    now = moment(reading(api)["now"])
    target = now + timedelta(days=365)
    change(api, {"set": wire(target)})
    resumed = change(api, {"freeze": False})
    assert resumed["frozen"] is False
    readings = [moment(reading(api)["now"]) for _ in range(5)]
    assert readings == sorted(readings)
    assert target <= readings[0] < target + timedelta(minutes=1)
    assert readings[-1] > target


def test_what_the_sandbox_stamps_follows_the_clock(api: httpx.Client, server: Sandbox) -> None:
    instant = moment(reading(api)["now"]) + timedelta(days=30)
    change(api, {"set": wire(instant)})
    created = api.post("/v2/tasks", json=evaluation_task(server.ids(), f"clock-{uuid.uuid4().hex}"))
    assert created.status_code == 201, created.text
    task = created.json()
    assert task["created_at"] == task["updated_at"] == wire(instant)
    change(api, {"advance": 60})
    updated = api.patch(f"/v2/tasks/{task['id']}", json={"sampling_rate": 0.5}).json()
    assert updated["updated_at"] == wire(instant + timedelta(seconds=60))
    run = api.post(
        f"/v2/tasks/{task['id']}/trigger",
        json={"data_start_time": wire(instant - timedelta(hours=1))},
    ).json()
    assert run["created_at"] == run["data_end_time"] == wire(instant + timedelta(seconds=60))
    assert api.get(f"/v2/tasks/{task['id']}").json()["last_run_at"] == run["created_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "exactly one"),
        ({"advance": 1, "freeze": True}, "exactly one"),
        ({"advance": None}, "exactly one"),
        ({"advance": -1}, "advance"),
        ({"advance": "soon"}, "advance"),
        ({"advance": 1e300}, "advance"),
        ({"set": "tomorrow"}, "set"),
        ({"freeze": "yes"}, "freeze"),
        ({"rewind": 5}, "rewind"),
    ],
)
def test_refusals(api: httpx.Client, body: dict[str, Any], field: str) -> None:
    before = reading(api)
    assert_problem(api.post("/_sandbox/clock", json=body), 400, field)
    if before["frozen"]:
        assert reading(api) == before


def test_needs_the_api_key(server: Sandbox) -> None:
    assert_problem(httpx.get(server.base_url + "/_sandbox/clock"), 401)
    assert_problem(httpx.post(server.base_url + "/_sandbox/clock", json={"advance": 1}), 401)


def test_clock_is_outside_the_api(api: httpx.Client, server: Sandbox) -> None:
    server.reset_requests()
    reading(api)
    change(api, {"advance": 1})
    assert server.total_requests() == 0
    paths = httpx.get(server.base_url + "/openapi.json").json()["paths"]
    assert not [path for path in paths if "clock" in path]


def test_start_frozen_with_freeze_at() -> None:
    command = [sys.executable, "-m", "arize_pulumi.sandbox", "--port", "0", "--api-key", "k"]
    process = subprocess.Popen(
        [*command, "--freeze-at", "2026-03-07T10:30:00Z"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # blocks until the server listens, or exits
        assert banner.startswith("arize sandbox listening on "), banner
        with httpx.Client(
            base_url=banner.split()[-1], headers={"Authorization": "Bearer k"}
        ) as client:
            assert client.get("/_sandbox/clock").json() == {
                "now": "2026-03-07T10:30:00.000Z",
                "frozen": True,
            }
            spaces = client.get("/v2/spaces").json()["spaces"]
            assert {space["created_at"] for space in spaces} == {"2026-03-07T10:30:00.000Z"}
    finally:
        process.terminate()
        process.wait(timeout=10)
    refused = subprocess.run(
        [*command, "--freeze-at", "yesterday"], capture_output=True, text=True, timeout=30
    )
    assert refused.returncode == 2 and "--freeze-at" in refused.stderr
