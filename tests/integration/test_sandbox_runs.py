"""Task runs over real HTTP: trigger rules, progress by time, cancel, scripted outcomes, lists.

The sandbox's clock stands still here: a test moves it to move a run, so nothing sleeps and
every step of a run is seen exactly when it happens.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks.ids import id_kind
from tests.support.api import assert_problem, dataset_task, evaluation_task, run_experiment_task
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.integration

TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}
RUN_DURATION = 10.0
PENDING_FOR = RUN_DURATION / 5
"""A run is PENDING for the first fifth of its duration."""


@pytest.fixture(scope="module")
def frozen() -> Iterator[Sandbox]:
    """A sandbox of this module's own, its clock frozen until a test moves it."""
    server = start_sandbox(run_duration=RUN_DURATION)
    try:
        response = server.control().post("/_sandbox/clock", json={"freeze": True})
        assert response.status_code == 200, response.text
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def api(frozen: Sandbox) -> httpx.Client:
    return frozen.control()


@pytest.fixture(scope="module")
def ids(frozen: Sandbox) -> dict[str, Any]:
    return frozen.ids()


def advance(api: httpx.Client, seconds: float) -> None:
    response = api.post("/_sandbox/clock", json={"advance": seconds})
    assert response.status_code == 200, response.text


def sandbox_now(api: httpx.Client) -> datetime:
    return datetime.fromisoformat(api.get("/_sandbox/clock").json()["now"])


def stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def window(api: httpx.Client, hours: float = 1.0) -> dict[str, str]:
    end = sandbox_now(api) - timedelta(minutes=1)
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


def get_run(api: httpx.Client, run_id: str) -> dict[str, Any]:
    response = api.get(f"/v2/task-runs/{run_id}")
    assert response.status_code == 200, response.text
    run: dict[str, Any] = response.json()
    return run


def run_to_end(api: httpx.Client, run_id: str) -> dict[str, Any]:
    """Move the clock past a run's whole duration and read how it ended."""
    advance(api, RUN_DURATION)
    run = get_run(api, run_id)
    assert run["status"] in TERMINAL, run
    return run


def at(run: dict[str, Any], seconds: float) -> str:
    """The wire timestamp ``seconds`` after a run was created."""
    moment = datetime.fromisoformat(run["created_at"]) + timedelta(seconds=seconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_run_moves_from_pending_to_completed(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, evaluation_task, ids)
    body = window(api)
    run = trigger(api, task_id, body)
    assert id_kind(run["id"]) == "TaskRun"
    assert run["status"] == "PENDING"
    assert run["task_id"] == task_id
    assert run["run_started_at"] is None and run["run_finished_at"] is None
    assert (run["num_successes"], run["num_errors"], run["num_skipped"]) == (0, 0, 0)
    assert run["data_start_time"] == body["data_start_time"]
    assert run["data_end_time"] == body["data_end_time"]

    advance(api, PENDING_FOR - 1)
    assert get_run(api, run["id"])["status"] == "PENDING"
    advance(api, 1)
    started = get_run(api, run["id"])
    assert started["status"] == "RUNNING"
    assert started["run_started_at"] == at(run, PENDING_FOR)
    assert started["num_successes"] == 0
    counts = []
    for _ in range(3):
        advance(api, 2)
        current = get_run(api, run["id"])
        assert current["status"] == "RUNNING" and current["run_finished_at"] is None
        counts.append(current["num_successes"])
    assert counts == sorted(counts) and counts[0] > 0
    advance(api, RUN_DURATION - PENDING_FOR - 6)
    done = get_run(api, run["id"])
    assert done["status"] == "COMPLETED"
    assert done["run_started_at"] == at(run, PENDING_FOR)
    assert done["run_finished_at"] == at(run, RUN_DURATION)
    assert done["num_successes"] > counts[-1]
    assert done.get("failure_reason") is None
    task = api.get(f"/v2/tasks/{task_id}").json()
    assert task["last_run_at"] == run["created_at"]


def test_first_project_run_needs_a_start(api: httpx.Client, ids: dict[str, Any]) -> None:
    task_id = new_task(api, evaluation_task, ids)
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger"), 400, "data_start_time")
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger", json={}), 400, "data_start_time")
    first = trigger(api, task_id, window(api, hours=2))
    api.post(f"/v2/task-runs/{first['id']}/cancel")
    second = trigger(api, task_id)
    assert second["data_start_time"] == first["data_end_time"]
    assert second["data_end_time"] > second["data_start_time"]


WINDOW = {"data_start_time": "2026-03-01T00:00:00Z", "data_end_time": "2026-03-02T00:00:00Z"}


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
        (evaluation_task, {"experiment_ids": ["x"], **WINDOW}, 400, "experiment_ids"),
        (evaluation_task, {"experiment_name": "x", **WINDOW}, 400, "experiment_name"),
        (evaluation_task, {"colour": "blue", **WINDOW}, 400, "colour"),
        (evaluation_task, {"id": "x", **WINDOW}, 400, "id"),
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
    advance(api, PENDING_FOR)
    assert_problem(api.post(f"/v2/tasks/{task_id}/trigger"), 409, "RUNNING")
    assert run_to_end(api, run["id"])["status"] == "COMPLETED"
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
    experiments = {"dataset_id": ids["dataset"], "name": name}
    assert api.get("/v2/experiments", params=experiments).json()["experiments"] == []
    advance(api, PENDING_FOR)
    running = get_run(api, run["id"])
    assert running["status"] == "RUNNING" and id_kind(running["experiment_id"]) == "Experiment"
    done = run_to_end(api, run["id"])
    assert done["status"] == "COMPLETED"
    assert done["num_successes"] + done["num_errors"] + done["num_skipped"] == 5
    assert id_kind(done["experiment_id"]) == "Experiment"
    (experiment,) = api.get("/v2/experiments", params=experiments).json()["experiments"]
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
    advance(api, RUN_DURATION - 0.001)
    assert get_run(api, run["id"])["status"] == "RUNNING"
    assert runs_of(api, first) == [] and runs_of(api, second) == []

    advance(api, 0.001)
    done = get_run(api, run["id"])
    assert done["status"] == "COMPLETED"
    for task_id in (first, second):
        (chained,) = runs_of(api, task_id)
        assert chained["task_id"] == task_id
        assert chained["created_at"] == done["run_finished_at"]
        assert api.get(f"/v2/tasks/{task_id}").json()["last_run_at"] == chained["created_at"]
        assert chained["status"] == "PENDING"
    advance(api, RUN_DURATION)
    for task_id in (first, second):
        (chained,) = runs_of(api, task_id)
        finished = get_run(api, chained["id"])
        assert finished["status"] == "COMPLETED"
        assert finished["num_successes"] + finished["num_errors"] + finished["num_skipped"] == 7


def test_a_cancelled_experiment_triggers_nothing(api: httpx.Client, ids: dict[str, Any]) -> None:
    experiment_task = new_task(api, run_experiment_task, ids)
    evaluation = new_task(api, dataset_task, ids)
    body = {"experiment_name": f"exp-{uuid.uuid4().hex[:8]}", "evaluation_task_ids": [evaluation]}
    run = trigger(api, experiment_task, body)
    assert api.post(f"/v2/task-runs/{run['id']}/cancel").status_code == 200
    advance(api, RUN_DURATION * 2)
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
    advance(api, RUN_DURATION)
    assert get_run(api, run["id"])["status"] == "CANCELLED"
    assert_problem(api.post(f"/v2/task-runs/{run['id']}/cancel"), 400, "CANCELLED")
    assert api.get("/v2/experiments", params={"name": name}).json()["experiments"] == []
    rerun = trigger(api, task_id, {"experiment_name": name})
    assert run_to_end(api, rerun["id"])["status"] == "COMPLETED"
    assert_problem(api.post(f"/v2/task-runs/{rerun['id']}/cancel"), 400, "COMPLETED")
    assert_problem(api.post("/v2/task-runs/VGFza1J1bjo5OTk5OTk6YWJjZA==/cancel"), 404, "run_id")
    assert_problem(api.get("/v2/task-runs/VGFza1J1bjo5OTk5OTk6YWJjZA=="), 404, "run_id")


def test_scripted_outcomes(api: httpx.Client, ids: dict[str, Any], frozen: Sandbox) -> None:
    failing = new_task(api, dataset_task, ids)
    frozen.outcome(failing, "FAILED", failure_reason="evaluator crashed")
    failed = run_to_end(api, trigger(api, failing)["id"])
    assert failed["status"] == "FAILED"
    assert failed["failure_reason"] == "evaluator crashed"
    assert failed["num_errors"] > 0
    assert run_to_end(api, trigger(api, failing)["id"])["status"] == "COMPLETED"

    skipped = new_task(api, dataset_task, ids)
    frozen.outcome(skipped, "CANCELLED")
    cancelled = run_to_end(api, trigger(api, skipped)["id"])
    assert cancelled["status"] == "CANCELLED"
    assert "override_evaluations" in cancelled["failure_reason"]
    assert cancelled["num_successes"] == 0

    hanging = new_task(api, dataset_task, ids)
    frozen.outcome(hanging, "HANG")
    run = trigger(api, hanging)
    advance(api, RUN_DURATION * 100)
    current = get_run(api, run["id"])
    assert current["status"] == "RUNNING"
    assert current["run_finished_at"] is None
    assert current["num_successes"] + current["num_errors"] + current["num_skipped"] > 0
    assert api.post(f"/v2/task-runs/{run['id']}/cancel").json()["status"] == "CANCELLED"

    quick = new_task(api, dataset_task, ids)
    frozen.outcome(quick, "COMPLETED", duration=0.05)
    short = trigger(api, quick)
    advance(api, 0.049)
    assert get_run(api, short["id"])["status"] == "RUNNING"
    advance(api, 0.001)
    assert get_run(api, short["id"])["status"] == "COMPLETED"


def test_outcome_for_unknown_task_is_404(api: httpx.Client) -> None:
    response = api.post(
        "/_sandbox/outcomes",
        json={"task_id": "T25saW5lVGFzazo5OTk5OTk6YWJjZA==", "status": "FAILED"},
    )
    assert_problem(response, 404, "task_id")


def test_list_runs_newest_first_with_filter_and_pages(
    api: httpx.Client, ids: dict[str, Any]
) -> None:
    task_id = new_task(api, dataset_task, ids)
    made = []
    for index in range(5):
        run = trigger(api, task_id)
        made.append(run["id"])
        if index < 4:
            api.post(f"/v2/task-runs/{run['id']}/cancel")
    run_to_end(api, made[-1])
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
