"""Name lookups: exact matches, helpful failures, a per-client cache, single flight."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from arize_pulumi.tasks import (
    AmbiguousNameError,
    BadRequestError,
    EvaluatorSpec,
    NameNotFoundError,
    NotFoundError,
)
from arize_pulumi.tasks.models import EvaluatorType
from tests.unit.test_client_fakes import FakeArize


@pytest.fixture
def fake() -> FakeArize:
    return FakeArize()


def test_ids_pass_through_without_requests(fake: FakeArize) -> None:
    client = fake.client()
    assert client.resolve_space_id(fake.space_id) == fake.space_id
    assert client.resolve_project_id(fake.project_id) == fake.project_id
    assert client.resolve_dataset_id(fake.dataset_id, space="anything") == fake.dataset_id
    assert client.resolve_experiment_id(fake.experiment_id, dataset_id="x") == fake.experiment_id
    assert fake.calls == []


def test_names_resolve_exactly(fake: FakeArize) -> None:
    fake.add("projects", "Model", name="chatbot-prod-2", space_id=fake.space_id)
    fake.add("projects", "Model", name="Chatbot-Prod", space_id=fake.space_id)
    client = fake.client(space="demo-space")
    assert client.resolve_space_id() == fake.space_id
    assert client.resolve_project_id("chatbot-prod") == fake.project_id
    assert client.resolve_dataset_id("golden-qa") == fake.dataset_id
    assert (
        client.resolve_experiment_id("baseline", dataset_id=fake.dataset_id) == fake.experiment_id
    )
    assert fake.calls[0].params == {"name": "demo-space", "limit": "100"}
    assert fake.calls[1].params == {
        "space_id": fake.space_id,
        "name": "chatbot-prod",
        "limit": "100",
    }


def test_a_missing_name_lists_what_was_seen(fake: FakeArize) -> None:
    fake.add("projects", "Model", name="Chatbot-Prod", space_id=fake.space_id)
    with pytest.raises(NameNotFoundError) as info:
        fake.client().resolve_project_id("chatbot-pro", space="demo-space")
    error = info.value
    assert (error.kind, error.name) == ("project", "chatbot-pro")
    assert error.seen == ["chatbot-prod", "Chatbot-Prod"]
    assert str(error) == (
        "no project named 'chatbot-pro' in space 'demo-space' (names match exactly, case "
        "included); similar names: 'chatbot-prod', 'Chatbot-Prod'"
    )
    assert isinstance(error, NotFoundError) and error.status == 404


def test_a_missing_space(fake: FakeArize) -> None:
    with pytest.raises(NameNotFoundError) as info:
        fake.client().resolve_project_id("chatbot-prod", space="demo")
    assert info.value.kind == "space"
    assert info.value.seen == ["demo-space"]


def test_two_exact_matches_are_ambiguous(fake: FakeArize) -> None:
    twin = fake.add("spaces", "Space", name="demo-space")
    with pytest.raises(AmbiguousNameError) as info:
        fake.client().resolve_space_id("demo-space")
    assert info.value.candidates == [fake.space_id, twin]
    assert "pass an ID instead" in str(info.value)


def test_lookups_page_through_the_whole_listing() -> None:
    fake = FakeArize(page_size=2)
    for index in range(5):
        fake.add("datasets", "Dataset", name=f"qa-set-{index}", space_id=fake.space_id)
    wanted = fake.add("datasets", "Dataset", name="qa-set", space_id=fake.space_id)
    assert fake.client().resolve_dataset_id("qa-set", space=fake.space_id) == wanted
    assert [c.params.get("cursor") for c in fake.calls] == [None, "2", "4"]


def test_a_space_name_is_not_a_substring_filter(fake: FakeArize) -> None:
    other = fake.add("spaces", "Space", name="demo-space-staging")
    fake.add("projects", "Model", name="chatbot-prod", space_id=other)
    assert fake.client().resolve_project_id("chatbot-prod", space="demo-space") == fake.project_id


def test_lookups_are_cached_per_client(fake: FakeArize) -> None:
    client = fake.client(space="demo-space")
    for _ in range(3):
        client.resolve_project_id("chatbot-prod")
        client.resolve_dataset_id("golden-qa")
    assert fake.keys() == ["GET /v2/spaces", "GET /v2/projects", "GET /v2/datasets"]
    client.clear_cache()
    client.resolve_project_id("chatbot-prod")
    assert fake.count() == 5
    fake.client(space="demo-space").resolve_project_id("chatbot-prod")
    assert fake.count() == 7


def test_n_tasks_in_one_space_cost_one_lookup_each(fake: FakeArize) -> None:
    client = fake.client(space="demo-space")
    for index in range(5):
        client.create_evaluation_task(
            name=f"checks-{index}",
            type="TEMPLATE_EVALUATION",
            project="chatbot-prod",
            evaluators=[EvaluatorSpec("hallucination"), "relevance"],
        )
    assert fake.count("GET", "/v2/spaces") == 1
    assert fake.count("GET", "/v2/projects") == 1
    assert fake.count("GET", "/v2/evaluators") == 2
    assert fake.count("POST", "/v2/tasks") == 5


def test_failures_are_not_cached(fake: FakeArize) -> None:
    fake.fail("GET", r"/v2/projects", status=400)
    client = fake.client(space=fake.space_id)
    with pytest.raises(BadRequestError):
        client.resolve_project_id("chatbot-prod")
    assert client.resolve_project_id("chatbot-prod") == fake.project_id


def test_eight_threads_asking_one_name_make_one_request(fake: FakeArize) -> None:
    release = threading.Event()
    serve = fake.handle

    def slow_handle(request: httpx.Request) -> httpx.Response:
        release.wait(5)
        return serve(request)

    fake.transport = httpx.MockTransport(slow_handle)
    client = fake.client(space="demo-space")
    barrier = threading.Barrier(8)
    results: list[str] = []

    def ask() -> None:
        barrier.wait()
        results.append(client.resolve_project_id("chatbot-prod"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == [fake.project_id] * 8
    assert fake.keys() == ["GET /v2/spaces", "GET /v2/projects"]


def test_waiting_threads_share_the_owner_failure(fake: FakeArize) -> None:
    release = threading.Event()
    serve = fake.handle

    def slow_handle(request: httpx.Request) -> httpx.Response:
        release.wait(5)
        return serve(request)

    fake.transport = httpx.MockTransport(slow_handle)
    client = fake.client(space=fake.space_id)
    errors: list[Exception] = []

    def ask() -> None:
        try:
            client.resolve_project_id("no-such-project")
        except NameNotFoundError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(errors) == 4
    assert fake.count("GET", "/v2/projects") <= 4


def test_resolve_evaluator_by_name_and_by_id(fake: FakeArize) -> None:
    client = fake.client(space="demo-space")
    by_name = client.resolve_evaluator("json-valid")
    assert by_name.type is EvaluatorType.CODE
    by_id = client.resolve_evaluator(fake.evaluator_ids["relevance"])
    assert (by_id.name, by_id.space_id) == ("relevance", fake.space_id)
    client.resolve_evaluator(fake.evaluator_ids["hallucination"])
    assert fake.keys() == ["GET /v2/spaces", "GET /v2/evaluators", "GET /v2/evaluators"]
    assert fake.calls[-1].params == {"space_id": fake.space_id, "limit": "100"}


def test_resolve_evaluator_by_id_without_a_space_makes_no_request(fake: FakeArize) -> None:
    evaluator = fake.client().resolve_evaluator(fake.evaluator_ids["relevance"])
    assert (evaluator.id, evaluator.name, evaluator.space_id) == (
        fake.evaluator_ids["relevance"],
        "",
        "",
    )
    assert fake.calls == []


def test_resolve_evaluator_by_id_of_another_space(fake: FakeArize) -> None:
    with pytest.raises(NameNotFoundError) as info:
        fake.client().resolve_evaluator("RXZhbHVhdG9yOjk5OmFCY0Q=", space=fake.space_id)
    assert info.value.seen == ["hallucination", "json-valid", "relevance"]
