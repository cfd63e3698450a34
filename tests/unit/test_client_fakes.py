"""An in-memory Arize behind ``httpx.MockTransport``, kept for the provider tests that still
script runs on it; new tests use the sandbox app in process (the ``arize`` fixture).

It answers the endpoints of the wire contract with just enough behaviour (paging, substring
filters, unique names, one active run per task) to exercise the client, records every request,
and plays scripted faults: an error status or a network exception, before or after the
request takes effect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks import RetryPolicy, TasksClient
from arize_pulumi.tasks.ids import encode_id
from tests.support.inprocess import API_KEY

BASE_URL = "https://fake.arize.test"


def now() -> str:
    stamp = datetime.now(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    body: Any
    headers: dict[str, str]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Fault:
    method: str
    path: str
    status: int | None = None
    exception: type[httpx.TransportError] | None = None
    phase: str = "before"
    times: int = 1
    retry_after: str | None = None
    detail: str | None = None
    response: dict[str, Any] | None = None

    def matches(self, method: str, path: str) -> bool:
        return (
            self.times > 0 and method == self.method and re.fullmatch(self.path, path) is not None
        )

    def fire(self, request: httpx.Request) -> httpx.Response:
        self.times -= 1
        if self.exception is not None:
            raise self.exception("scripted network failure", request=request)
        if self.response is not None:
            return httpx.Response(self.status or 200, json=self.response)
        assert self.status is not None
        headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
        return problem(self.status, self.detail, headers)


def problem(
    status: int, detail: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    titles = {
        400: "Invalid request parameters",
        401: "Authentication required",
        404: "Resource not found",
        409: "Resource conflict",
        422: "Unprocessable Entity",
        429: "Rate limit exceeded",
        503: "Service Unavailable",
    }
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": titles.get(status, "Error"),
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    return httpx.Response(
        status, json=body, headers={"Content-Type": "application/problem+json", **(headers or {})}
    )


@dataclass
class FakeArize:
    """The server state, the request log and the fault script."""

    base_url: str = BASE_URL
    page_size: int = 100
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    spaces: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    evaluators: list[dict[str, Any]] = field(default_factory=list)
    experiments: list[dict[str, Any]] = field(default_factory=list)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    run_script: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trigger_status: str = "PENDING"
    lowercase: bool = False
    sleeps: list[float] = field(default_factory=list)
    _counter: int = 100

    def __post_init__(self) -> None:
        self.space_id = self.add("spaces", "Space", name="demo-space")
        self.project_id = self.add("projects", "Model", name="chatbot-prod", space_id=self.space_id)
        self.dataset_id = self.add("datasets", "Dataset", name="golden-qa", space_id=self.space_id)
        self.experiment_id = self.add(
            "experiments", "Experiment", name="baseline", dataset_id=self.dataset_id
        )
        self.evaluator_ids = {
            name: self.add("evaluators", "Evaluator", name=name, space_id=self.space_id, type=kind)
            for name, kind in (
                ("hallucination", "TEMPLATE"),
                ("relevance", "TEMPLATE"),
                ("json-valid", "CODE"),
            )
        }
        self.transport = httpx.MockTransport(self.handle)

    # --- set-up helpers -----------------------------------------------------------------

    def new_id(self, kind: str) -> str:
        self._counter += 1
        return encode_id(kind, self._counter, "fAke")

    def add(self, table: str, kind: str, **values: Any) -> str:
        entity_id = self.new_id(kind)
        getattr(self, table).append({"id": entity_id, "created_at": now(), **values})
        return entity_id

    def add_task(self, name: str, type: str = "TEMPLATE_EVALUATION", **values: Any) -> str:
        task_id = self.new_id("OnlineTask")
        self.tasks[task_id] = {
            "id": task_id,
            "name": name,
            "type": type,
            "is_continuous": False,
            "evaluators": [],
            "experiment_ids": [],
            "created_at": now(),
            "updated_at": now(),
            "query_filter": None,
            "last_run_at": None,
            "created_by_user_id": None,
            "_space_id": self.space_id,
            **values,
        }
        if type != "RUN_EXPERIMENT" and "project_id" not in values and "dataset_id" not in values:
            self.tasks[task_id]["project_id"] = self.project_id
        return task_id

    def add_run(self, task_id: str, status: str = "PENDING", **values: Any) -> str:
        run_id = self.new_id("TaskRun")
        self.runs[run_id] = {
            "id": run_id,
            "task_id": task_id,
            "status": status,
            "num_successes": 0,
            "num_errors": 0,
            "num_skipped": 0,
            "created_at": now(),
            **values,
        }
        return run_id

    def fail(self, method: str, path: str, **spec: Any) -> Fault:
        fault = Fault(method, path, **spec)
        self.faults.append(fault)
        return fault

    def client(self, **kwargs: Any) -> TasksClient:
        kwargs.setdefault("retry", RetryPolicy(sleep=self.sleeps.append))
        kwargs.setdefault("warn_alpha", False)
        return TasksClient(API_KEY, BASE_URL, transport=self.transport, **kwargs)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        return sum(
            1
            for call in self.calls
            if (method is None or call.method == method) and (path is None or call.path == path)
        )

    def keys(self) -> list[str]:
        return [call.key for call in self.calls]

    # --- the server ---------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path
        params = dict(request.url.params)
        body = json.loads(request.content) if request.content else None
        self.calls.append(Call(method, path, params, body, dict(request.headers)))
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return problem(401, "missing or bad bearer key")
        fault = next((f for f in self.faults if f.matches(method, path)), None)
        if fault is not None and fault.phase == "before":
            return fault.fire(request)
        response = self.route(method, path, params, body)
        if fault is not None:
            return fault.fire(request)
        return response

    def route(self, method: str, path: str, params: dict[str, str], body: Any) -> httpx.Response:
        routes: list[tuple[str, str, Callable[..., httpx.Response]]] = [
            ("GET", r"/v2/spaces", lambda: self.listing("spaces", self.spaces, params)),
            ("GET", r"/v2/projects", lambda: self.listing("projects", self.projects, params)),
            ("GET", r"/v2/datasets", lambda: self.listing("datasets", self.datasets, params)),
            ("GET", r"/v2/evaluators", lambda: self.listing("evaluators", self.evaluators, params)),
            (
                "GET",
                r"/v2/experiments",
                lambda: self.listing("experiments", self.experiments, params),
            ),
            ("GET", r"/v2/tasks", lambda: self.listing("tasks", list(self.tasks.values()), params)),
            ("POST", r"/v2/tasks", lambda: self.create_task(body)),
            ("GET", r"/v2/tasks/([^/]+)", lambda t: self.one(self.tasks, t)),
            ("PATCH", r"/v2/tasks/([^/]+)", lambda t: self.update_task(t, body)),
            ("DELETE", r"/v2/tasks/([^/]+)", lambda t: self.delete_task(t)),
            ("POST", r"/v2/tasks/([^/]+)/trigger", lambda t: self.trigger(t, body)),
            ("GET", r"/v2/tasks/([^/]+)/runs", lambda t: self.list_runs(t, params)),
            ("GET", r"/v2/task-runs/([^/]+)", lambda r: self.get_run(r)),
            ("POST", r"/v2/task-runs/([^/]+)/cancel", lambda r: self.cancel(r)),
        ]
        for route_method, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match and method == route_method:
                return handler(*match.groups())
        return problem(404, f"no such endpoint: {method} {path}")

    def public(self, item: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in item.items() if not k.startswith("_")}
        shown["unknown_future_field"] = {"ignored": True}
        if self.lowercase:
            for key in ("type", "status"):
                if isinstance(shown.get(key), str):
                    shown[key] = shown[key].lower()
        return shown

    def listing(
        self, key: str, items: list[dict[str, Any]], params: dict[str, str]
    ) -> httpx.Response:
        selected = items
        if "name" in params:
            selected = [i for i in selected if params["name"].lower() in i["name"].lower()]
        for filter_key in ("space_id", "project_id", "dataset_id", "type"):
            if filter_key in params:
                stored = "_space_id" if key == "tasks" and filter_key == "space_id" else filter_key
                selected = [i for i in selected if i.get(stored) == params[filter_key]]
        return self.page(key, selected, params)

    def page(self, key: str, items: list[dict[str, Any]], params: dict[str, str]) -> httpx.Response:
        limit = min(int(params.get("limit", 50)), self.page_size)
        start = int(params.get("cursor", "0"))
        chunk = items[start : start + limit]
        more = start + limit < len(items)
        pagination: dict[str, Any] = {"has_more": more}
        if more:
            pagination["next_cursor"] = str(start + limit)
        return httpx.Response(
            200, json={key: [self.public(i) for i in chunk], "pagination": pagination}
        )

    def one(self, table: dict[str, dict[str, Any]], entity_id: str) -> httpx.Response:
        if entity_id not in table:
            return problem(404, f"{entity_id} not found")
        return httpx.Response(200, json=self.public(table[entity_id]))

    def create_task(self, body: dict[str, Any]) -> httpx.Response:
        if any(t["name"] == body["name"] for t in self.tasks.values()):
            return problem(409, f"a task named {body['name']!r} exists in this space")
        evaluators = [
            {
                **e,
                "evaluator_name": next(
                    (x["name"] for x in self.evaluators if x["id"] == e["evaluator_id"]), ""
                ),
            }
            for e in body.get("evaluators", [])
        ]
        values = {k: v for k, v in body.items() if k not in ("name", "type", "evaluators")}
        task_id = self.add_task(body["name"], body["type"], evaluators=evaluators, **values)
        return httpx.Response(201, json=self.public(self.tasks[task_id]))

    def update_task(self, task_id: str, body: dict[str, Any]) -> httpx.Response:
        if task_id not in self.tasks:
            return problem(404)
        self.tasks[task_id].update(body)
        self.tasks[task_id]["updated_at"] = now()
        return httpx.Response(200, json=self.public(self.tasks[task_id]))

    def delete_task(self, task_id: str) -> httpx.Response:
        if self.tasks.pop(task_id, None) is None:
            return problem(404, f"task {task_id} not found")
        return httpx.Response(204)

    def trigger(self, task_id: str, body: Any) -> httpx.Response:
        if task_id not in self.tasks:
            return problem(404)
        if any(
            r["task_id"] == task_id and r["status"] in ("PENDING", "RUNNING")
            for r in self.runs.values()
        ):
            return problem(409, "the task already has a run in progress")
        window = {
            key: body[key]
            for key in ("data_start_time", "data_end_time")
            if isinstance(body, dict) and key in body
        }
        run_id = self.add_run(task_id, self.trigger_status, _body=body, **window)
        return httpx.Response(201, json=self.public(self.runs[run_id]))

    def list_runs(self, task_id: str, params: dict[str, str]) -> httpx.Response:
        if task_id not in self.tasks:
            return problem(404)
        runs = [r for r in reversed(list(self.runs.values())) if r["task_id"] == task_id]
        if "status" in params:
            runs = [r for r in runs if r["status"] == params["status"]]
        return self.page("task_runs", runs, params)

    def get_run(self, run_id: str) -> httpx.Response:
        script = self.run_script.get(run_id)
        if script and run_id in self.runs:
            self.runs[run_id].update(script.pop(0))
        return self.one(self.runs, run_id)

    def cancel(self, run_id: str) -> httpx.Response:
        if run_id not in self.runs:
            return problem(404)
        if self.runs[run_id]["status"] in ("PENDING", "RUNNING"):
            self.runs[run_id]["status"] = "CANCELLED"
        return httpx.Response(200, json=self.public(self.runs[run_id]))


@pytest.fixture
def fake() -> FakeArize:
    return FakeArize()


def test_the_fake_refuses_a_wrong_key(fake: FakeArize) -> None:
    response = httpx.Client(transport=fake.transport).get(f"{BASE_URL}/v2/tasks")
    assert response.status_code == 401


def test_the_fake_pages_with_cursors() -> None:
    fake = FakeArize(page_size=2)
    for index in range(5):
        fake.add_task(f"task-{index}")
    http = httpx.Client(transport=fake.transport, headers={"Authorization": f"Bearer {API_KEY}"})
    first = http.get(f"{BASE_URL}/v2/tasks", params={"limit": 100}).json()
    assert [t["name"] for t in first["tasks"]] == ["task-0", "task-1"]
    assert first["pagination"] == {"has_more": True, "next_cursor": "2"}
