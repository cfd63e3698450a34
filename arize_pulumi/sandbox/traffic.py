"""Request counting, fault injection, rich answers and the access log, as one ASGI middleware.

Counts, faults and rich answers (:mod:`.rich`) apply to the Arize API (``/v2``) only, never to
``/_sandbox`` control calls, so a test can inject faults and still read counts and reset state.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import PROBLEM_MEDIA_TYPE, problem_body
from .rich import RichAnswers, rewrite, root_shape

API_PREFIX = "/v2/"

logger = logging.getLogger("arize_pulumi.sandbox")


class FaultSpec(BaseModel):
    """The body of ``POST /_sandbox/faults``."""

    model_config = ConfigDict(extra="forbid")

    rate: float = Field(default=0.0, ge=0, le=1)
    statuses: list[Annotated[int, Field(ge=400, le=599)]] = Field(
        default_factory=lambda: [503], min_length=1
    )
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    """Added to every matching request, faulted or not: before it is processed, or with
    ``phase: "after"`` between processing and the answer."""
    retry_after: int = Field(default=1, ge=0)
    phase: Literal["before", "after"] = "before"
    disconnect: bool = False
    """Instead of answering with one of ``statuses``, cut the connection: the answer's head is
    sent and the connection closes before its body, as when a network path drops."""
    seed: int | None = None
    methods: list[str] | None = None
    paths: list[str] | None = None
    """Path prefixes (``/v2/tasks`` also matches ``/v2/tasks/{task_id}/trigger``)."""
    routes: list[str] | None = None
    """Exact routes as ``METHOD /path/template`` (``POST /v2/tasks``, ``PATCH
    /v2/tasks/{task_id}``), to fault one call of an operation and nothing else."""
    limit: int | None = Field(default=None, ge=1)
    """Fault at most this many requests, then answer normally (latency still applies)."""

    def applies_to(self, method: str, path: str, route: str) -> bool:
        """``route`` is the request's ``METHOD /path/template``."""
        if self.methods is not None and method.upper() not in {m.upper() for m in self.methods}:
            return False
        if self.routes is not None and route not in {" ".join(r.split()) for r in self.routes}:
            return False
        return self.paths is None or any(path.startswith(prefix) for prefix in self.paths)


class RequestCounts(BaseModel):
    """The body of ``GET /_sandbox/requests``."""

    total: int
    counts: dict[str, int]


@dataclass(frozen=True)
class Plan:
    """What to do with one API request: wait, then maybe answer with a fault."""

    latency: float = 0.0
    status: int | None = None
    phase: str = "before"
    retry_after: int = 1
    disconnect: bool = False


class Traffic:
    """Thread-safe request counts, the fault configuration and the rich-answers switch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._faults: FaultSpec | None = None
        self._faulted = 0
        self._random = random.Random()
        self.rich = RichAnswers()

    def snapshot(self) -> RequestCounts:
        with self._lock:
            return RequestCounts(total=sum(self._counts.values()), counts=dict(self._counts))

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def set_faults(self, spec: FaultSpec) -> None:
        with self._lock:
            self._faults = spec if spec.rate > 0 or spec.latency_ms > 0 else None
            self._faulted = 0
            self._random = random.Random(spec.seed)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = None

    def admit(self, key: str, method: str, path: str) -> Plan:
        """Count one API request and decide its fate, atomically."""
        with self._lock:
            self._counts[key] += 1
            spec = self._faults
            if spec is None or not spec.applies_to(method, path, key):
                return Plan()
            status = None
            spent = spec.limit is not None and self._faulted >= spec.limit
            if not spent and spec.rate > 0 and self._random.random() < spec.rate:
                status = self._random.choice(spec.statuses)
                self._faulted += 1
            return Plan(
                spec.latency_ms / 1000, status, spec.phase, spec.retry_after, spec.disconnect
            )


def route_template(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The path template of the route a request is for (``/v2/tasks/{task_id}``)."""
    partial: str | None = None
    for route in routes:
        if not isinstance(route, Route):
            continue
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route.path
        if match is Match.PARTIAL and partial is None:
            partial = route.path
    return partial or str(scope["path"])


class TrafficMiddleware:
    """Counts and faults ``/v2`` requests; logs one line per request (never a header)."""

    def __init__(self, app: ASGIApp, traffic: Traffic, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.traffic = traffic
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method, path = str(scope["method"]), str(scope["path"])
        status = 0

        async def send_logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        plan = Plan()
        template = ""
        if path.startswith(API_PREFIX):
            template = route_template(self.routes, scope)
            plan = self.traffic.admit(f"{method} {template}", method, path)
        # Latency comes before the work, or with phase "after" between the work and the
        # answer: a change the server has made but not yet acknowledged.
        delay_after = plan.latency if plan.phase == "after" else 0.0
        if plan.latency and not delay_after:
            arrived = await _in_transit(receive, plan.latency)
            if arrived is None:
                logger.info("%s %s dropped: the client left while it was in transit", method, path)
                return
            receive = arrived

        async def send_answer(message: Message) -> None:
            nonlocal delay_after
            if delay_after and message["type"] == "http.response.start":
                await asyncio.sleep(delay_after)
                delay_after = 0.0
            await send_logged(message)

        if plan.status is None:
            rewriting = self._rewriter(scope, method, template, send_answer) if template else None
            await self._run_app(scope, receive, rewriting or send_answer, template)
        else:
            if plan.phase == "after":
                await self._run_app(scope, receive, _discard, template)
            if plan.disconnect:
                await _cut(send_answer)
            else:
                await _send_fault(send_answer, plan, path)
        elapsed = (time.perf_counter() - started) * 1000
        fault = ""
        if plan.status is not None:
            fault = " (connection cut)" if plan.disconnect else " (injected)"
        logger.info("%s %s %d %.1fms%s", method, path, status, elapsed, fault)

    async def _run_app(self, scope: Scope, receive: Receive, send: Send, template: str) -> None:
        """Run the app; a successful write to a planted task through the API ends what shows
        through of the planted document: all of it on a delete, the fields set on a PATCH."""
        method, task_id = str(scope["method"]), str(scope["path"]).rsplit("/", 1)[-1]
        if (
            template != "/v2/tasks/{task_id}"
            or method not in ("PATCH", "DELETE")
            or not self.traffic.rich.is_planted(task_id)
        ):
            await self.app(scope, receive, send)
            return
        body = bytearray()

        async def receive_kept() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
            return message

        async def send_seen(message: Message) -> None:
            # The body has been read by the time the answer starts: forget before answering.
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                self.traffic.rich.written(task_id, method, bytes(body))
            await send(message)

        await self.app(scope, receive_kept, send_seen)

    def _rewriter(self, scope: Scope, method: str, template: str, send: Send) -> Send | None:
        """A ``send`` that holds the answer and rewrites its JSON (:func:`.rich.rewrite`), when
        answers are rich or tasks were planted; else ``None``."""
        state = getattr(scope.get("app"), "state", None)
        started_rich = bool(getattr(getattr(state, "settings", None), "rich_answers", False))
        rich = self.traffic.rich.enabled(started_rich)
        tasks = template.startswith("/v2/tasks")
        if not rich and not (tasks and self.traffic.rich.any_planted()):
            return None
        head: Message | None = None
        chunks: list[bytes] = []

        async def send_rewritten(message: Message) -> None:
            nonlocal head
            if message["type"] == "http.response.start":
                head = message
                return
            if message["type"] != "http.response.body" or head is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = list(head.get("headers", []))
            media = dict(headers).get(b"content-type", b"").split(b";")[0].strip()
            if body and media in (b"application/json", PROBLEM_MEDIA_TYPE.encode()):
                shape = root_shape(method, template, int(head["status"]))
                planted = self.traffic.rich.planted() if tasks else {}
                body = rewrite(body, shape, rich=rich, planted=planted)
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
            await send({**head, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        return send_rewritten


async def _in_transit(receive: Receive, latency: float) -> Receive | None:
    """Hold a request for ``latency`` seconds as if still on its way; ``None`` if the client
    hung up meanwhile (the request never reached the server), else a ``receive`` that replays
    its body."""
    messages: list[Message] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        messages.append(message)
        if not message.get("more_body", False):
            break
    hang_up = asyncio.ensure_future(receive())
    done, _ = await asyncio.wait({hang_up}, timeout=latency)
    if done and hang_up.result()["type"] == "http.disconnect":
        return None

    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await hang_up

    return replay


async def _discard(message: Message) -> None:
    """Swallow the real answer of a request whose fault comes after the change."""


async def _cut(send: Send) -> None:
    """Send a head that promises a body, a first byte of it, and stop: the server closes the
    connection when the application returns with the answer unfinished."""
    headers = [(b"content-type", b"application/json"), (b"content-length", b"64")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"{", "more_body": True})


async def _send_fault(send: Send, plan: Plan, path: str) -> None:
    assert plan.status is not None
    detail = "fault injected by the sandbox"
    if plan.phase == "after":
        detail += " after the request was processed"
    body = problem_body(plan.status, detail, path)
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if plan.status in (429, 503):
        headers.append((b"retry-after", str(plan.retry_after).encode()))
    await send({"type": "http.response.start", "status": plan.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
