"""Name lookups: exact matches, helpful failures, a per-client cache, single flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

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
from tests.support.inprocess import InProcessSandbox, with_json


def test_ids_pass_through_without_requests(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    client = arize.client()
    assert client.resolve_space_id(ids["space"]) == ids["space"]
    assert client.resolve_project_id(ids["project"]) == ids["project"]
    assert client.resolve_dataset_id(ids["dataset"], space="anything") == ids["dataset"]
    assert client.resolve_experiment_id(ids["experiment"], dataset_id="x") == ids["experiment"]
    assert arize.sent == []


def test_names_resolve_exactly(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    arize.add_project("chatbot-prod-2")
    arize.add_project("Chatbot-Prod")
    client = arize.client(space="demo-space")
    assert client.resolve_space_id() == ids["space"]
    assert client.resolve_project_id("chatbot-prod") == ids["project"]
    assert client.resolve_dataset_id("golden-qa") == ids["dataset"]
    assert client.resolve_experiment_id("baseline", dataset_id=ids["dataset"]) == ids["experiment"]
    assert arize.sent[0].params == {"name": "demo-space", "limit": "100"}
    assert arize.sent[1].params == {
        "space_id": ids["space"],
        "name": "chatbot-prod",
        "limit": "100",
    }


def test_a_missing_name_lists_what_was_seen(arize: InProcessSandbox) -> None:
    arize.add_project("Chatbot-Prod")
    with pytest.raises(NameNotFoundError) as info:
        arize.client().resolve_project_id("chatbot-pro", space="demo-space")
    error = info.value
    assert (error.kind, error.name) == ("project", "chatbot-pro")
    assert error.seen == ["chatbot-prod", "Chatbot-Prod"]
    assert str(error) == (
        "no project named 'chatbot-pro' in space 'demo-space' (names match exactly, case "
        "included); did you mean 'chatbot-prod' or 'Chatbot-Prod'?"
    )
    assert isinstance(error, NotFoundError) and error.status == 404


@pytest.mark.parametrize(
    ("kind", "typo", "meant"),
    [
        ("space", "demo-spcae", "demo-space"),
        ("project", "chatbot-pord", "chatbot-prod"),
        ("dataset", "golden-aq", "golden-qa"),
        ("evaluator", "halucination", "hallucination"),
        ("experiment", "baseilne", "baseline"),
        ("AI integration", "openai-defualt", "openai-default"),
        ("agent integration", "agnet-default", "agent-default"),
    ],
)
def test_a_typo_gets_the_closest_names_of_the_scope(
    arize: InProcessSandbox, kind: str, typo: str, meant: str
) -> None:
    """The server's filter is a substring, so a typo matches nothing: the whole scope is
    listed once to find the closest names."""
    ids = arize.ids()
    client = arize.client(space="demo-space")
    lookups: dict[str, Callable[[], object]] = {
        "space": lambda: client.resolve_space_id(typo),
        "project": lambda: client.resolve_project_id(typo),
        "dataset": lambda: client.resolve_dataset_id(typo),
        "evaluator": lambda: client.resolve_evaluator(typo),
        "experiment": lambda: client.resolve_experiment_id(typo, dataset_id=ids["dataset"]),
        "AI integration": lambda: client.resolve_ai_integration_id(typo),
        "agent integration": lambda: client.resolve_agent_integration_id(typo),
    }
    with pytest.raises(NameNotFoundError) as info:
        lookups[kind]()
    assert info.value.kind == kind
    assert info.value.suggestions == [meant]
    assert f"no {kind} named {typo!r}" in str(info.value)
    assert str(info.value).endswith(f"; did you mean {meant!r}?")


def test_a_task_typo_gets_the_closest_task_names(arize: InProcessSandbox) -> None:
    client = arize.client(space="demo-space")
    client.create_evaluation_task(
        name="nightly-checks",
        type="template_evaluation",
        project="chatbot-prod",
        evaluators=["hallucination"],
    )
    with pytest.raises(NameNotFoundError) as info:
        client.get("nightly-chekcs")
    assert info.value.suggestions == ["nightly-checks"]
    arize.sent.clear()
    assert client.find("nightly-chekcs") is None
    assert arize.sent_keys() == ["GET /v2/tasks"]  # no listing for suggestions: a miss is expected


def test_a_name_far_from_everything_gets_no_suggestion(arize: InProcessSandbox) -> None:
    with pytest.raises(NameNotFoundError) as info:
        arize.client(space="demo-space").resolve_evaluator("zzzzqqq")
    assert info.value.suggestions == []
    assert "did you mean" not in str(info.value)


def test_a_missing_space(arize: InProcessSandbox) -> None:
    with pytest.raises(NameNotFoundError) as info:
        arize.client().resolve_project_id("chatbot-prod", space="demo")
    assert info.value.kind == "space"
    assert info.value.seen == ["demo-space"]


TWIN_SPACE_ID = "U3BhY2U6OTk5OnR3aW4="


def with_a_twin_space(response: httpx.Response) -> httpx.Response:
    """Space names are unique in the sandbox, not in Arize: a listing that shows two."""
    body = response.json()
    body["spaces"].append({**body["spaces"][0], "id": TWIN_SPACE_ID})
    return with_json(response, body)


def test_two_exact_matches_are_ambiguous(arize: InProcessSandbox) -> None:
    client = arize.client(transport=arize.edited(with_a_twin_space))
    with pytest.raises(AmbiguousNameError) as info:
        client.resolve_space_id("demo-space")
    assert info.value.candidates == [arize.ids()["space"], TWIN_SPACE_ID]
    assert "pass an ID instead" in str(info.value)


def test_lookups_page_through_the_whole_listing(arize: InProcessSandbox) -> None:
    space_id = arize.ids()["space"]
    near = [{"name": f"qa-set-{index}"} for index in range(205)]
    arize.seed({"spaces": [{"name": "demo-space", "datasets": [*near, {"name": "qa-set"}]}]})
    wanted = arize.add_dataset("qa-set")
    pages = [None]
    for _ in range(2):
        params = {"space_id": space_id, "name": "qa-set", "limit": 100, "cursor": pages[-1]}
        listed = arize.call("GET", "/v2/datasets", params=params).json()
        pages.append(listed["pagination"]["next_cursor"])
    assert arize.client().resolve_dataset_id("qa-set", space=space_id) == wanted
    assert [c.params.get("cursor") for c in arize.sent] == pages


def test_a_space_name_is_not_a_substring_filter(arize: InProcessSandbox) -> None:
    arize.seed({"spaces": [{"name": "demo-space-staging", "projects": [{"name": "chatbot-prod"}]}]})
    project_id = arize.client().resolve_project_id("chatbot-prod", space="demo-space")
    assert project_id == arize.ids()["project"]


def test_lookups_are_cached_per_client(arize: InProcessSandbox) -> None:
    client = arize.client(space="demo-space")
    for _ in range(3):
        client.resolve_project_id("chatbot-prod")
        client.resolve_dataset_id("golden-qa")
    assert arize.sent_keys() == ["GET /v2/spaces", "GET /v2/projects", "GET /v2/datasets"]
    client.clear_cache()
    client.resolve_project_id("chatbot-prod")
    assert arize.count_sent() == 5
    arize.client(space="demo-space").resolve_project_id("chatbot-prod")
    assert arize.count_sent() == 7


def test_n_tasks_in_one_space_cost_one_lookup_each(arize: InProcessSandbox) -> None:
    client = arize.client(space="demo-space")
    for index in range(5):
        client.create_evaluation_task(
            name=f"checks-{index}",
            type="TEMPLATE_EVALUATION",
            project="chatbot-prod",
            evaluators=[EvaluatorSpec("hallucination"), "relevance"],
        )
    assert arize.count_sent("GET", "/v2/spaces") == 1
    assert arize.count_sent("GET", "/v2/projects") == 1
    assert arize.count_sent("GET", "/v2/evaluators") == 2
    assert arize.count_sent("POST", "/v2/tasks") == 5


def test_failures_are_not_cached(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/projects", status=400)
    client = arize.client(space=arize.ids()["space"])
    with pytest.raises(BadRequestError):
        client.resolve_project_id("chatbot-prod")
    assert client.resolve_project_id("chatbot-prod") == arize.ids()["project"]


def held_until(release: threading.Event, arize: InProcessSandbox) -> httpx.MockTransport:
    """A transport that holds every request until ``release`` is set."""

    def handle(request: httpx.Request) -> httpx.Response:
        release.wait(5)
        return arize.transport.handle_request(request)

    return httpx.MockTransport(handle)


def test_eight_threads_asking_one_name_make_one_request(arize: InProcessSandbox) -> None:
    release = threading.Event()
    client = arize.client(space="demo-space", transport=held_until(release, arize))
    barrier = threading.Barrier(8)
    results: list[str] = []

    def ask() -> None:
        barrier.wait()
        results.append(client.resolve_project_id("chatbot-prod"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # lets the seven others queue behind the first asker's request
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == [arize.ids()["project"]] * 8
    assert arize.sent_keys() == ["GET /v2/spaces", "GET /v2/projects"]


def test_waiting_threads_share_the_owner_failure(arize: InProcessSandbox) -> None:
    release = threading.Event()
    client = arize.client(space=arize.ids()["space"], transport=held_until(release, arize))
    errors: list[Exception] = []

    def ask() -> None:
        try:
            client.resolve_project_id("no-such-project")
        except NameNotFoundError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # lets the three others queue behind the first asker's request
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(errors) == 4
    assert arize.count_sent("GET", "/v2/projects") <= 4


def test_resolve_evaluator_by_name_and_by_id(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    client = arize.client(space="demo-space")
    by_name = client.resolve_evaluator("json-valid")
    assert by_name.type is EvaluatorType.CODE
    by_id = client.resolve_evaluator(ids["evaluators"]["relevance"])
    assert (by_id.name, by_id.space_id) == ("relevance", ids["space"])
    client.resolve_evaluator(ids["evaluators"]["hallucination"])
    assert arize.sent_keys() == ["GET /v2/spaces", "GET /v2/evaluators", "GET /v2/evaluators"]
    assert arize.sent[-1].params == {"space_id": ids["space"], "limit": "100"}


def test_resolve_evaluator_by_id_without_a_space_makes_no_request(
    arize: InProcessSandbox,
) -> None:
    relevance = arize.ids()["evaluators"]["relevance"]
    evaluator = arize.client().resolve_evaluator(relevance)
    assert (evaluator.id, evaluator.name, evaluator.space_id) == (relevance, "", "")
    assert arize.sent == []


def test_resolve_evaluator_by_id_of_another_space(arize: InProcessSandbox) -> None:
    with pytest.raises(NameNotFoundError) as info:
        arize.client().resolve_evaluator("RXZhbHVhdG9yOjk5OmFCY0Q=", space=arize.ids()["space"])
    assert info.value.seen == [
        "hallucination",
        "harness-check",
        "json-valid",
        "relevance",
        "remote-judge",
    ]
