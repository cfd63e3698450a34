"""One client shared by many threads, against a real sandbox on loopback."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from arize_pulumi.tasks import TasksClient
from arize_pulumi.tasks.models import Task
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration

THREADS = 16
TASKS_PER_THREAD = 3
EVALUATORS = (
    ("template_evaluation", ["hallucination", "relevance"]),
    ("code_evaluation", ["json-valid"]),
    ("template_evaluation", ["relevance"]),
)
"""Type and evaluators of each thread's first, second and third task."""


def client_for(sandbox: Sandbox) -> TasksClient:
    return TasksClient(
        api_key=sandbox.api_key,
        base_url=sandbox.base_url,
        space="demo-space",
        warn_alpha=False,
    )


@dataclass
class Outcome:
    name: str
    rate: float
    filter: str
    created: Task
    updated: Task
    read: Task


def test_sixteen_threads_share_one_client(sandbox: Sandbox) -> None:
    """A shared client creates, updates and reads without losing or duplicating a write,
    and looks each name up once however many threads ask."""
    ids = sandbox.ids()
    sandbox.reset_requests()
    client = client_for(sandbox)
    start = threading.Barrier(THREADS)

    def work(thread: int) -> list[Outcome]:
        rate = round((thread + 1) / (THREADS + 1), 6)
        query = f"metadata.worker = '{thread}'"
        start.wait(timeout=30)
        made = [
            client.create_evaluation_task(
                name=f"worker-{thread:02d}-task-{index}",
                type=kind,
                project="chatbot-prod",
                evaluators=evaluators,
                sampling_rate=0.01,
            )
            for index, (kind, evaluators) in enumerate(EVALUATORS[:TASKS_PER_THREAD])
        ]
        outcomes = []
        for task in made:
            updated = client.update(
                task.id, task_type=task.type, sampling_rate=rate, query_filter=query
            )
            outcomes.append(Outcome(task.name, rate, query, task, updated, client.get(task.id)))
        return outcomes

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            outcomes = [o for batch in pool.map(work, range(THREADS)) for o in batch]
    finally:
        client.close()

    total = THREADS * TASKS_PER_THREAD
    counts = sandbox.requests()
    assert counts.get("POST /v2/tasks") == total
    assert counts.get("PATCH /v2/tasks/{task_id}") == total
    assert counts.get("GET /v2/tasks/{task_id}") == total
    lookups = {key: counts.get(f"GET /v2/{key}", 0) for key in ("spaces", "projects", "evaluators")}
    assert lookups == {"spaces": 1, "projects": 1, "evaluators": 3}
    assert sum(n for key, n in counts.items() if " /v2/" in key) == 3 * total + 5

    assert len(outcomes) == total
    assert len({o.created.id for o in outcomes}) == total
    for outcome in outcomes:
        assert outcome.created.project_id == ids["project"]
        for task in (outcome.updated, outcome.read):
            assert task.id == outcome.created.id and task.name == outcome.name
            assert (task.sampling_rate, task.query_filter) == (outcome.rate, outcome.filter)

    with client_for(sandbox) as reader:
        on_server = [t for t in reader.iter(name="worker-") if t.name.startswith("worker-")]
    names = Counter(t.name for t in on_server)
    assert [name for name, seen in names.items() if seen > 1] == []
    assert set(names) == {o.name for o in outcomes}
    expected = {o.name: (o.rate, o.filter) for o in outcomes}
    assert {t.name: (t.sampling_rate, t.query_filter) for t in on_server} == expected


def test_racing_threads_share_each_lookup_on_a_slow_server(sandbox: Sandbox) -> None:
    """Threads that miss the cache together wait for one request per name rather than each
    sending their own."""
    ids = sandbox.ids()
    client = client_for(sandbox)
    sandbox.faults(rate=0, latency_ms=100)
    sandbox.reset_requests()
    start = threading.Barrier(8)
    names = ["hallucination", "relevance", "json-valid"]

    def resolve(thread: int) -> dict[str, object]:
        order = list(names)
        random.Random(thread).shuffle(order)
        start.wait(timeout=30)
        found: dict[str, object] = {"project": client.resolve_project_id("chatbot-prod")}
        found |= {name: client.resolve_evaluator(name).id for name in order}
        found["dataset"] = client.resolve_dataset_id("golden-qa")
        found["space"] = client.resolve_space_id()
        return found

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(resolve, range(8)))
    finally:
        client.close()
        sandbox.clear_faults()

    expected = {"project": ids["project"], "dataset": ids["dataset"], "space": ids["space"]}
    expected |= {name: ids["evaluators"][name] for name in names}
    assert results == [expected] * 8
    counts = sandbox.requests()
    lookups = {
        key: counts.get(f"GET /v2/{key}", 0)
        for key in ("spaces", "projects", "datasets", "evaluators")
    }
    assert lookups == {"spaces": 1, "projects": 1, "datasets": 1, "evaluators": len(names)}
