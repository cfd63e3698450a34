"""Task runs over real HTTP: trigger rules, progress by time, cancel, scripted outcomes, lists."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks.ids import id_kind
from tests.sandbox_harness import (
    Sandbox,
    assert_problem,
    dataset_task,
    evaluation_task,
    run_experiment_task,
)

pytestmark = pytest.mark.integration

TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}


@pytest.fixture(scope="module")
def api(sandbox_session: Sandbox) -> httpx.Client:
    return sandbox_session.control()


@pytest.fixture(scope="module")
def ids(sandbox_session: Sandbox) -> dict[str, Any]:
    return sandbox_session.ids()


def stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def window(hours: float = 1.0) -> dict[str, str]:
    end = datetime.now(UTC) - timedelta(minutes=1)
    return {"data_start_time": stamp(end - timedelta(hours=hours)), "data_end_time": stamp(end)}


def new_task(api: httpx.Client, make: Callable[..., dict[str, Any]], ids: dict[str, Any]) -> str:
    response = api.post("/v2/tasks", json=make(ids, f"run-{uuid.uuid4().hex[:10]}"))
    assert response.status_code == 201, response.text
    task_id: str = response.json()["id"]
    return task_id


def trigger(api: httpx.Client, task_id: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post(f"/v2/tasks/{task_id}/trigger", json=body)
    assert response.status_code == 201, response.text
    run: dict[str, Any] = response.json()
    return run


def wait_terminal(api: httpx.Client, run_id: str, timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = api.get(f"/v2/task-runs/{run_id}").json()
        if run["status"] in TERMINAL or time.monotonic() > deadline:
            return run
        time.sleep(0.05)


def test_run_moves_from_pending_to_completed(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, evaluation_task, ids)
    body = window()
    run = trigger(api, task_id, body)
    assert id_kind(run["id"]) == "TaskRun"
    assert run["status"] == "PENDING"
    assert run["task_id"] == task_id
    assert run["run_started_at"] is None and run["run_finished_at"] is None
    assert (run["num_successes"], run["num_errors"], run["num_skipped"]) == (0, 0, 0)
    assert run["data_start_time"] == body["data_start_time"]
    assert run["data_end_time"] == body["data_end_time"]
    seen = {run["status"]}
    counts = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        current = api.get(f"/v2/task-runs/{run['id']}").json()
        seen.add(current["status"])
        if current["status"] == "RUNNING":
            counts.append(current["num_successes"])
            assert current["run_started_at"] is not None
        if current["status"] in TERMINAL:
            break
        time.sleep(0.02)
    assert current["status"] == "COMPLETED"
    assert "RUNNING" in seen
    assert counts == sorted(counts)
    assert current["num_successes"] > 0
    assert current["run_started_at"] <= current["run_finished_at"]
    assert current.get("failure_reason") is None
    task = api.get(f"/v2/tasks/{task_id}").json()
    assert task["last_run_at"] == run["created_at"]


def test_first_project_run_needs_a_start(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, evaluation_task, ids)
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger"), 400, "data_start_time")
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger", json={}), 400, "data_start_time")
    first = trigger(api, task_id, window(hours=2))
    api.post(f"/v2/task-runs/{first['id']}/cancel")
    second = trigger(api, task_id)
    assert second["data_start_time"] == first["data_end_time"]
    assert second["data_end_time"] > second["data_start_time"]


@pytest.mark.parametrize(
    ("make", "body", "status", "field"),
    [
        (
            evaluation_task,
            {"data_start_time": "2026-03-02T00:00:00Z", "data_end_time": "2026-03-01T00:00:00Z"},
            400,
            "data_start_time",
        ),
        (
            evaluation_task,
            {"data_start_time": "2026-01-01T00:00:00Z", "data_end_time": "2026-03-01T00:00:00Z"},
            400,
            "30 days",
        ),
        (evaluation_task, {"data_start_time": "2020-01-01T00:00:00Z"}, 400, "30 days"),
        (evaluation_task, {"data_start_time": "2999-01-01T00:00:00Z"}, 400, "data_start_time"),
        (evaluation_task, {"data_start_time": "yesterday"}, 400, "data_start_time"),
        (evaluation_task, {"max_spans": 0}, 400, "max_spans"),
        (evaluation_task, {"experiment_ids": ["x"], **window()}, 400, "experiment_ids"),
        (evaluation_task, {"experiment_name": "x", **window()}, 400, "experiment_name"),
        (evaluation_task, {"colour": "blue", **window()}, 400, "colour"),
        (evaluation_task, {"id": "x", **window()}, 400, "id"),
        (
            dataset_task,
            {"experiment_ids": ["RXhwZXJpbWVudDo5OTk5OTphYmNk"]},
            404,
            "experiment_ids[0]",
        ),
        (run_experiment_task, {}, 400, "experiment_name"),
        (
            run_experiment_task,
            {"experiment_name": "e", "data_start_time": "2026-03-01T00:00:00Z"},
            400,
            "data_start_time",
        ),
        (
            run_experiment_task,
            {"experiment_name": "e", "max_examples": 3, "example_ids": ["a"]},
            400,
            "max_examples",
        ),
        (run_experiment_task, {"experiment_name": "baseline"}, 409, "experiment_name"),
        (
            run_experiment_task,
            {"experiment_name": "e", "evaluation_task_ids": ["T25saW5lVGFzazo5OTk5OTk6YWJjZA=="]},
            404,
            "evaluation_task_ids[0]",
        ),
    ],
)
def test_trigger_refusals(
    api: httpx.Client,
    ids: dict[str, Any],
    make: Callable[..., dict[str, Any]],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    task_id = new_task(api, make, ids)
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger", json=body), status, field)
    assert api.get(f"/v2/tasks/{task_id}/runs").json()["task_runs"] == []
    assert api.get(f"/v2/tasks/{task_id}").json()["last_run_at"] is None


def test_trigger_unknown_task_is_404(api: httpx.Client) -> None:
    response = api.post("/v2/tasks/T25saW5lVGFzazo5OTk5OTk6YWJjZA==/trigger", json={})
    assert_problem(response, 404, "task_id")


def test_trigger_while_running_is_409(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, dataset_task, ids)
    run = trigger(api, task_id)
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger"), 409, run["id"])
    assert wait_terminal(api, run["id"])["status"] == "COMPLETED"
    trigger(api, task_id, {"experiment_ids": [ids["experiment"]], "override_evaluations": True})


def test_run_experiment_creates_its_experiment(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, run_experiment_task, ids)
    name = f"exp-{uuid.uuid4().hex[:8]}"
    run = trigger(
        api,
        task_id,
        {"experiment_name": name, "max_examples": 5, "tracing_metadata": {"team": "qa"}},
    )
    assert run.get("experiment_id") is None
    assert_problem(
        api.post(f"/v2/tasks/{task_id}/trigger", json={"experiment_name": name}), 409, name
    )
    done = wait_terminal(api, run["id"])
    assert done["status"] == "COMPLETED"
    assert done["num_successes"] + done["num_errors"] + done["num_skipped"] == 5
    assert id_kind(done["experiment_id"]) == "Experiment"
    listed = api.get("/v2/experiments", params={"dataset_id": ids["dataset"], "name": name})
    (experiment,) = listed.json()["experiments"]
    assert experiment["id"] == done["experiment_id"]
    assert experiment["name"] == name and experiment["dataset_id"] == ids["dataset"]
    again = api.post(f"/v2/tasks/{task_id}/trigger", json={"experiment_name": name})
    assert_problem(again, 409, "experiment_name")
    evaluation = new_task(api, dataset_task, ids)
    follow_up = {"experiment_name": f"{name}-2", "evaluation_task_ids": [evaluation]}
    assert trigger(api, task_id, follow_up)["status"] == "PENDING"


def runs_of(api: httpx.Client, task_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v2/tasks/{task_id}/runs")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["task_runs"]
    return found


def test_a_completed_experiment_triggers_its_evaluation_tasks(
    api: httpx.Client, ids: dict[str, Any]
) -> None:
    experiment_task = new_task(api, run_experiment_task, ids)
    first, second = new_task(api, dataset_task, ids), new_task(api, dataset_task, ids)
    body = {
        "experiment_name": f"exp-{uuid.uuid4().hex[:8]}",
        "max_examples": 7,
        "evaluation_task_ids": [first, second, first],
    }
    run = trigger(api, experiment_task, body)
    assert runs_of(api, first) == [] and runs_of(api, second) == []
    assert api.get(f"/v2/tasks/{first}").json()["last_run_at"] is None

    done = wait_terminal(api, run["id"])
    assert done["status"] == "COMPLETED"
    for task_id in (first, second):
        (chained,) = runs_of(api, task_id)
        assert chained["task_id"] == task_id
        assert chained["created_at"] == done["run_finished_at"]
        assert api.get(f"/v2/tasks/{task_id}").json()["last_run_at"] == chained["created_at"]
        finished = wait_terminal(api, chained["id"])
        assert finished["status"] == "COMPLETED"
        assert finished["num_successes"] + finished["num_errors"] + finished["num_skipped"] == 7


def test_a_cancelled_experiment_triggers_nothing(api: httpx.Client, ids: dict[str, Any]) -> None:
    experiment_task = new_task(api, run_experiment_task, ids)
    evaluation = new_task(api, dataset_task, ids)
    body = {"experiment_name": f"exp-{uuid.uuid4().hex[:8]}", "evaluation_task_ids": [evaluation]}
    run = trigger(api, experiment_task, body)
    assert api.post(f"/v2/task-runs/{run['id']}/cancel").status_code == 200
    time.sleep(0.5)
    assert runs_of(api, evaluation) == []
    assert api.get(f"/v2/tasks/{evaluation}").json()["last_run_at"] is None


def test_cancel(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, run_experiment_task, ids)
    name = f"exp-{uuid.uuid4().hex[:8]}"
    run = trigger(api, task_id, {"experiment_name": name})
    response = api.post(f"/v2/task-runs/{run['id']}/cancel")
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["run_finished_at"] is not None
    assert cancelled.get("experiment_id") is None
    time.sleep(0.4)
    assert api.get(f"/v2/task-runs/{run['id']}").json()["status"] == "CANCELLED"
    assert_problem(api.post(f"/v2/task-runs/{run['id']}/cancel"), 400, "CANCELLED")
    assert api.get("/v2/experiments", params={"name": name}).json()["experiments"] == []
    rerun = trigger(api, task_id, {"experiment_name": name})
    assert wait_terminal(api, rerun["id"])["status"] == "COMPLETED"
    assert_problem(api.post(f"/v2/task-runs/{rerun['id']}/cancel"), 400, "COMPLETED")
    assert_problem(api.post("/v2/task-runs/VGFza1J1bjo5OTk5OTk6YWJjZA==/cancel"), 404, "run_id")
    assert_problem(api.get("/v2/task-runs/VGFza1J1bjo5OTk5OTk6YWJjZA=="), 404, "run_id")


def test_scripted_outcomes(
    api: httpx.Client, ids: dict[str, Any], sandbox_session: Sandbox
) -> None:
    failing = new_task(api, dataset_task, ids)
    sandbox_session.outcome(failing, "FAILED", failure_reason="evaluator crashed")
    failed = wait_terminal(api, trigger(api, failing)["id"])
    assert failed["status"] == "FAILED"
    assert failed["failure_reason"] == "evaluator crashed"
    assert failed["num_errors"] > 0
    assert wait_terminal(api, trigger(api, failing)["id"])["status"] == "COMPLETED"

    skipped = new_task(api, dataset_task, ids)
    sandbox_session.outcome(skipped, "CANCELLED")
    cancelled = wait_terminal(api, trigger(api, skipped)["id"])
    assert cancelled["status"] == "CANCELLED"
    assert "override_evaluations" in cancelled["failure_reason"]
    assert cancelled["num_successes"] == 0

    hanging = new_task(api, dataset_task, ids)
    sandbox_session.outcome(hanging, "HANG")
    run = trigger(api, hanging)
    time.sleep(0.8)
    current = api.get(f"/v2/task-runs/{run['id']}").json()
    assert current["status"] == "RUNNING"
    assert current["run_finished_at"] is None
    assert api.post(f"/v2/task-runs/{run['id']}/cancel").json()["status"] == "CANCELLED"

    slow = new_task(api, dataset_task, ids)
    sandbox_session.outcome(slow, "COMPLETED", duration=0.05)
    quick = trigger(api, slow)
    time.sleep(0.15)
    assert api.get(f"/v2/task-runs/{quick['id']}").json()["status"] == "COMPLETED"


def test_outcome_for_unknown_task_is_404(sandbox_session: Sandbox) -> None:
    response = sandbox_session.control().post(
        "/_sandbox/outcomes",
        json={"task_id": "T25saW5lVGFzazo5OTk5OTk6YWJjZA==", "status": "FAILED"},
    )
    assert_problem(response, 404, "task_id")


def test_list_runs_newest_first_with_filter_and_pages(
    api: httpx.Client, ids: dict[str, Any], sandbox_session: Sandbox
) -> None:
    task_id = new_task(api, dataset_task, ids)
    made = []
    for index in range(5):
        run = trigger(api, task_id)
        made.append(run["id"])
        if index < 4:
            api.post(f"/v2/task-runs/{run['id']}/cancel")
    wait_terminal(api, made[-1])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = api.get(f"/v2/tasks/{task_id}/runs", params=params).json()
        seen += [r["id"] for r in body["task_runs"]]
        if not body["pagination"]["has_more"]:
            assert "next_cursor" not in body["pagination"]
            break
        cursor = body["pagination"]["next_cursor"]
    assert seen == made[::-1]
    runs = api.get(f"/v2/tasks/{task_id}/runs", params={"status": "CANCELLED"}).json()
    assert [r["id"] for r in runs["task_runs"]] == made[3::-1]
    completed = api.get(f"/v2/tasks/{task_id}/runs", params={"status": "COMPLETED"}).json()
    assert [r["id"] for r in completed["task_runs"]] == [made[-1]]
    assert_problem(
        api.get(f"/v2/tasks/{task_id}/runs", params={"status": "completed"}), 400, "status"
    )
    assert_problem(api.get(f"/v2/tasks/{task_id}/runs", params={"limit": 500}), 400, "limit")
    assert_problem(api.get(f"/v2/tasks/{task_id}/runs", params={"cursor": "x"}), 400, "cursor")
    missing = api.get("/v2/tasks/T25saW5lVGFzazo5OTk5OTk6YWJjZA==/runs")
    assert_problem(missing, 404, "task_id")
