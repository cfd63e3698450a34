"""The sandbox app served in this process through an httpx transport: the unit tests' Arize.

Clients get the real validation, paging, problem answers and run lifecycle with no socket and
no process. The transport records every request a client sends, and plays scripted faults:
an error status, answered by the sandbox's own fault injector (before or after the request
takes effect), or what the sandbox cannot make: a network exception, a canned answer.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Self

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp

from arize_pulumi.sandbox.app import create_app
from arize_pulumi.sandbox.deps import Settings
from arize_pulumi.sandbox.seed import DEFAULT_SEED
from arize_pulumi.tasks import RetryPolicy, TasksClient
from tests.support.api import evaluation_task, run_experiment_task
from tests.support.control import DEFAULT_SPACE, SandboxHandle

API_KEY = "sk-arize-UNIT-SECRET-0123456789"
BASE_URL = "https://sandbox.arize.test"
RUN_SECONDS = 10.0
"""How long a run takes; tests move the sandbox's clock rather than wait for it."""
WINDOW = {"data_start_time": "2026-03-01T00:00:00Z", "data_end_time": "2026-03-02T00:00:00Z"}
"""A data window for runs of tasks on a project (the first one must name its start)."""
PENDING_SHARE = 0.2
"""The part of a run's duration it spends PENDING (the sandbox's documented lifecycle)."""


class AppTransport(httpx.BaseTransport):
    """Serves sync requests with an ASGI app on an event loop of its own thread."""

    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._portal_context: AbstractContextManager[BlockingPortal] = start_blocking_portal()
        self._portal = self._portal_context.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._portal.call(self._handle, request)

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def close(self) -> None:
        self._portal_context.__exit__(None, None, None)


@dataclass(frozen=True)
class SentRequest:
    """One request as a client sent it."""

    method: str
    path: str
    params: dict[str, str]
    body: Any
    headers: dict[str, str]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @classmethod
    def of(cls, request: httpx.Request) -> SentRequest:
        content = request.read()
        return cls(
            request.method,
            request.url.path,
            dict(request.url.params),
            json.loads(content) if content else None,
            dict(request.headers),
        )


@dataclass
class Fault:
    """The next ``times`` requests matching ``method`` and ``path`` (a regular expression of
    the whole path) fail: with ``status``, else ``exception``, else a 200 ``answer``; the
    first ``after`` matching requests pass untouched.

    ``phase="after"`` lets the request take effect first, so its outcome is unknown to the
    client. ``retry_after`` is the seconds a 429 or 503 answer asks to wait (the sandbox's
    default is 1).
    """

    method: str
    path: str
    status: int | None = None
    exception: type[httpx.TransportError] | None = None
    answer: dict[str, Any] | None = None
    phase: Literal["before", "after"] = "before"
    times: int = 1
    retry_after: int | None = None
    after: int = 0

    def matches(self, request: httpx.Request) -> bool:
        return (
            self.times > 0
            and request.method == self.method
            and re.fullmatch(self.path, request.url.path) is not None
        )

    def injector_spec(self, path: str) -> dict[str, Any]:
        """The sandbox's own fault configuration that fails exactly this request."""
        spec: dict[str, Any] = {
            "rate": 1,
            "statuses": [self.status],
            "phase": self.phase,
            "methods": [self.method],
            "paths": [path],
        }
        if self.retry_after is not None:
            spec["retry_after"] = self.retry_after
        return spec


class ClientTransport(httpx.BaseTransport):
    """What clients are given: records each request, then plays a fault or serves it."""

    def __init__(self, sandbox: InProcessSandbox) -> None:
        self._sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        sandbox = self._sandbox
        sandbox.sent.append(SentRequest.of(request))
        fault = next((f for f in sandbox.scripted if f.matches(request)), None)
        if fault is not None and fault.after > 0:
            fault.after -= 1
            fault = None
        if fault is None:
            return sandbox.app_transport.handle_request(request)
        fault.times -= 1
        if fault.status is not None:
            return sandbox.serve_with_injected_fault(request, fault)
        if fault.phase == "after":
            sandbox.app_transport.handle_request(request)
        if fault.exception is not None:
            raise fault.exception("scripted network failure", request=request)
        return httpx.Response(200, json=fault.answer)


def with_json(response: httpx.Response, body: Any) -> httpx.Response:
    """``response`` with another JSON body (same status and headers but the length)."""
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return httpx.Response(response.status_code, headers=headers, json=body)


class InProcessSandbox(SandboxHandle):
    """``create_app`` on an in-memory store, its control routes, and clients wired to it.

    Its clock stands still from the start (now, unless ``frozen_at`` is earlier): time, and
    so every run, moves only when a test moves it, so counts and statuses are exact.
    """

    def __init__(
        self,
        *,
        api_key: str = API_KEY,
        run_duration: float = RUN_SECONDS,
        frozen_at: datetime | None = None,
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.base_url = BASE_URL
        self.run_duration = run_duration
        settings = Settings(
            api_key=api_key,
            run_duration=run_duration,
            frozen_at=frozen_at or datetime.now(UTC),
        )
        app = create_app(settings)
        self.app_transport = AppTransport(app)
        self.transport = ClientTransport(self)
        self.sent: list[SentRequest] = []
        self.scripted: list[Fault] = []
        self.sleeps: list[float] = []
        """The retry delays of clients made by :meth:`client` (which never really sleep)."""
        self.slept: list[float] = []
        """The waits passed to :meth:`sleep`, in order."""
        self._control = httpx.Client(
            base_url=BASE_URL, headers=self.headers, transport=self.app_transport
        )
        self._injecting = threading.Lock()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._control.close()
        self.app_transport.close()

    def control(self) -> httpx.Client:
        """A client on the app that bypasses the record and the scripted faults."""
        return self._control

    def client(self, **kwargs: Any) -> TasksClient:
        """A client on the app whose retries record their delays in :attr:`sleeps`."""
        kwargs.setdefault("retry", RetryPolicy(sleep=self.sleeps.append))
        kwargs.setdefault("warn_alpha", False)
        kwargs.setdefault("transport", self.transport)
        return TasksClient(self.api_key, self.base_url, **kwargs)

    def sleep(self, seconds: float) -> None:
        """A sleep for code that waits on runs (``wait_for_run``, a provider's ``_sleep``):
        records ``seconds`` in :attr:`slept` and moves the clock by them instead of waiting."""
        self.slept.append(seconds)
        self.clock.advance(seconds)

    def renew(self) -> None:
        """Start over on the same app, whose routes are built already (a new app takes tens
        of milliseconds to answer its first request): every space deleted with what it held,
        the default seed again (under new IDs), nothing sent, scripted, slept or counted. The
        clock stays where it is (it never goes back)."""
        for space in self.world()["spaces"]:
            self.delete_entity("space", space["id"])
        self.seed(DEFAULT_SEED.model_dump(mode="json", exclude_none=True))
        self._ids = None
        self.sent.clear()
        self.scripted.clear()
        self.sleeps.clear()
        self.slept.clear()
        self.clear_faults()
        self.reset_requests()

    # --- what the clients sent ------------------------------------------------------------

    def sent_keys(self) -> list[str]:
        return [request.key for request in self.sent]

    def count_sent(self, method: str | None = None, path: str | None = None) -> int:
        return sum(
            1
            for request in self.sent
            if (method is None or request.method == method)
            and (path is None or request.path == path)
        )

    # --- faults ---------------------------------------------------------------------------

    def edited(self, edit: Callable[[httpx.Response], httpx.Response]) -> httpx.MockTransport:
        """A transport whose answers pass through ``edit``, for answers the sandbox never
        gives (enums in lowercase, a field missing, a header dropped)."""
        return httpx.MockTransport(lambda request: edit(self.transport.handle_request(request)))

    def fail(self, method: str, path: str, **how: Any) -> Fault:
        """Script a fault; faults are tried in the order they were added."""
        fault = Fault(method, path, **how)
        self.scripted.append(fault)
        return fault

    def serve_with_injected_fault(self, request: httpx.Request, fault: Fault) -> httpx.Response:
        """Arm the sandbox's fault injector for this one request only."""
        with self._injecting:
            self.faults(**fault.injector_spec(request.url.path))
            try:
                return self.app_transport.handle_request(request)
            finally:
                self.clear_faults()

    # --- data, made through the API as a user would ---------------------------------------

    def add_task(self, name: str, type: str = "TEMPLATE_EVALUATION", **fields: Any) -> str:
        """A task on the default project (a run-experiment task: on the default dataset)."""
        ids = self.ids()
        if type == "RUN_EXPERIMENT":
            body = run_experiment_task(ids, name, **fields)
        else:
            evaluator = "json-valid" if type == "CODE_EVALUATION" else "hallucination"
            body = evaluation_task(
                ids, name, type=type, evaluators=[{"evaluator_id": ids["evaluators"][evaluator]}]
            )
            if "dataset_id" in fields:
                del body["project_id"]
            body.update(fields)
        task_id: str = self.call("POST", "/v2/tasks", json=body).json()["id"]
        return task_id

    def add_dataset_task(self, name: str) -> str:
        """A code-evaluation task on the default dataset: its runs need no data window."""
        ids = self.ids()
        return self.add_task(
            name, "CODE_EVALUATION", dataset_id=ids["dataset"], experiment_ids=[ids["experiment"]]
        )

    def add_project(self, name: str, space: str = DEFAULT_SPACE) -> str:
        return self._seed_one(space, "projects", {"name": name})

    def add_dataset(self, name: str, space: str = DEFAULT_SPACE) -> str:
        return self._seed_one(space, "datasets", {"name": name})

    def add_experiment(
        self, name: str, dataset: str = "golden-qa", space: str = DEFAULT_SPACE
    ) -> str:
        """An experiment of ``dataset`` (by name), as if someone had run one."""
        datasets = [{"name": dataset, "experiments": [{"name": name}]}]
        (seeded,) = self.seed({"spaces": [{"name": space, "datasets": datasets}]})["spaces"]
        (found,) = [d for d in seeded["datasets"] if d["name"] == dataset]
        experiment_id: str = next(e["id"] for e in found["experiments"] if e["name"] == name)
        return experiment_id

    def add_space(self, name: str) -> str:
        (space,) = self.seed({"spaces": [{"name": name}]})["spaces"]
        space_id: str = space["id"]
        return space_id

    def _seed_one(self, space: str, kind: str, entity: dict[str, Any]) -> str:
        (seeded,) = self.seed({"spaces": [{"name": space, kind: [entity]}]})["spaces"]
        entity_id: str = next(e["id"] for e in seeded[kind] if e["name"] == entity["name"])
        return entity_id

    def add_run(
        self,
        task_id: str,
        status: str = "PENDING",
        failure_reason: str | None = None,
        **trigger: Any,
    ) -> str:
        """Trigger a run of an evaluation task (a task on a project over :data:`WINDOW`
        unless ``trigger`` says otherwise) and move the clock until it is ``status``."""
        if status in ("FAILED", "CANCELLED"):
            self.outcome(task_id, status, failure_reason)
        on_project = self.task(task_id).get("project_id") is not None
        body = {**(WINDOW if on_project else {}), **trigger}
        run_id: str = self.call("POST", f"/v2/tasks/{task_id}/trigger", json=body).json()["id"]
        if status == "RUNNING":
            self.clock.advance(self.run_duration * (PENDING_SHARE + 0.1))
        elif status != "PENDING":
            self.clock.advance(self.run_duration)
        return run_id

    def task_ids(self, space: str = DEFAULT_SPACE) -> list[str]:
        """IDs of every task in ``space``, oldest first."""
        params = {"space_name": space, "limit": 100}
        tasks = self.call("GET", "/v2/tasks", params=params).json()["tasks"]
        return [task["id"] for task in tasks]

    def edit_task(self, task_id: str, **fields: Any) -> dict[str, Any]:
        """Change a task behind the clients' back (drift): a PATCH they neither send nor see."""
        task: dict[str, Any] = self.call("PATCH", f"/v2/tasks/{task_id}", json=fields).json()
        return task

    def task(self, task_id: str) -> dict[str, Any]:
        task: dict[str, Any] = self.call("GET", f"/v2/tasks/{task_id}").json()
        return task

    def run_ids(self, task_id: str) -> list[str]:
        """IDs of a task's runs, newest first."""
        runs = self.call("GET", f"/v2/tasks/{task_id}/runs", params={"limit": 100}).json()
        return [run["id"] for run in runs["task_runs"]]

    def run(self, run_id: str) -> dict[str, Any]:
        run: dict[str, Any] = self.call("GET", f"/v2/task-runs/{run_id}").json()
        return run
