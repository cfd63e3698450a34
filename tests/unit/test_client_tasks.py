"""Task operations against the sandbox app in process: what is sent and what comes back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from arize_pulumi.tasks import (
    ConflictError,
    EvaluatorSpec,
    LlmGenerationConfig,
    NameNotFoundError,
    NotFoundError,
    RunStatus,
    TasksClient,
    TaskType,
    UnexpectedResponseError,
)
from tests.support.inprocess import BASE_URL, InProcessSandbox, with_json


def llm(arize: InProcessSandbox) -> dict[str, Any]:
    """A run configuration as users write it (lowercase enums) on the seeded integration."""
    return {
        "experiment_type": "llm_generation",
        "ai_integration_id": arize.ids()["ai_integration"],
        "messages": [{"role": "user", "content": "{question}"}],
        "input_variable_format": "f_string",
    }


def test_create_evaluation_task_resolves_names_and_sends_uppercase(
    arize: InProcessSandbox,
) -> None:
    ids = arize.ids()
    client = arize.client(space="demo-space")
    task = client.create_evaluation_task(
        name="checks",
        type="template_evaluation",
        project="chatbot-prod",
        evaluators=[
            "hallucination",
            EvaluatorSpec("relevance", query_filter="a = 1", column_mappings={"q": "input"}),
            {"evaluator_id": ids["evaluators"]["json-valid"]},
        ],
        sampling_rate=0.5,
        is_continuous=True,
    )
    body = arize.sent[-1].body
    assert body == {
        "type": "TEMPLATE_EVALUATION",
        "name": "checks",
        "project_id": ids["project"],
        "sampling_rate": 0.5,
        "is_continuous": True,
        "evaluators": [
            {"evaluator_id": ids["evaluators"]["hallucination"]},
            {
                "evaluator_id": ids["evaluators"]["relevance"],
                "query_filter": "a = 1",
                "column_mappings": {"q": "input"},
            },
            {"evaluator_id": ids["evaluators"]["json-valid"]},
        ],
    }
    assert task.type is TaskType.TEMPLATE_EVALUATION
    assert [e.evaluator_name for e in task.evaluators] == [
        "hallucination",
        "relevance",
        "json-valid",
    ]
    assert arize.sent_keys() == [
        "GET /v2/spaces",
        "GET /v2/projects",
        "GET /v2/evaluators",
        "GET /v2/evaluators",
        "POST /v2/tasks",
    ]


def test_create_on_a_dataset_resolves_experiment_names(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    task = arize.client().create_evaluation_task(
        name="offline",
        type=TaskType.CODE_EVALUATION,
        dataset="golden-qa",
        experiment_ids=["baseline"],
        evaluators=["json-valid"],
        space=ids["space"],
    )
    assert task.experiment_ids == [ids["experiment"]]
    assert arize.sent[-1].body["experiment_ids"] == [ids["experiment"]]
    assert arize.count_sent("GET", "/v2/spaces") == 0
    assert arize.sent[0].params == {"space_id": ids["space"], "name": "golden-qa", "limit": "100"}


def test_create_with_ids_only_needs_no_lookup(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    arize.client().create_evaluation_task(
        name="checks",
        type="CODE_EVALUATION",
        project=ids["project"],
        evaluators=[ids["evaluators"]["json-valid"]],
    )
    assert arize.sent_keys() == ["POST /v2/tasks"]


def test_create_run_experiment_task(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    task = arize.client(space="demo-space").create_run_experiment_task(
        name="gen", dataset="golden-qa", run_configuration=llm(arize)
    )
    assert arize.sent[-1].body == {
        "type": "RUN_EXPERIMENT",
        "name": "gen",
        "dataset_id": ids["dataset"],
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": ids["ai_integration"],
            "messages": [{"role": "USER", "content": "{question}"}],
            "input_variable_format": "F_STRING",
        },
    }
    assert isinstance(task.run_configuration, LlmGenerationConfig)


def test_a_duplicate_name_is_a_conflict(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    arize.add_task("checks")
    with pytest.raises(ConflictError) as info:
        arize.client().create_evaluation_task(
            name="checks",
            type="CODE_EVALUATION",
            project=ids["project"],
            evaluators=[ids["evaluators"]["json-valid"]],
        )
    assert str(info.value) == (
        "POST /v2/tasks failed (409 Resource conflict): name: a task named 'checks' already "
        f"exists in space {ids['space']}"
    )
    assert arize.count_sent() == 1


def test_get_by_id_and_by_name(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    arize.add_task("checks-2")
    client = arize.client(space="demo-space")
    assert client.get(task_id).name == "checks"
    assert client.get("checks").id == task_id
    assert arize.sent[-1].params == {
        "space_id": arize.ids()["space"],
        "name": "checks",
        "limit": "100",
    }


def test_get_of_a_missing_task(arize: InProcessSandbox) -> None:
    client = arize.client(space="demo-space")
    with pytest.raises(NotFoundError) as by_id:
        client.get("T25saW5lVGFzazo5OTk6cVJ3WA==")
    assert by_id.value.status == 404
    arize.add_task("Checks")
    with pytest.raises(NameNotFoundError) as by_name:
        client.get("checks")
    assert isinstance(by_name.value, NotFoundError)
    assert by_name.value.seen == ["Checks"]
    assert "'Checks'" in str(by_name.value)


def test_find_is_exact_and_case_sensitive(arize: InProcessSandbox) -> None:
    arize.add_task("checks-nightly")
    arize.add_task("Checks")
    client = arize.client(space="demo-space")
    assert client.find("checks") is None
    exact = arize.add_task("checks")
    found = client.find("checks")
    assert found is not None and found.id == exact


def test_find_in_a_space_that_does_not_exist_raises(arize: InProcessSandbox) -> None:
    with pytest.raises(NameNotFoundError) as info:
        arize.client().find("checks", space="nowhere")
    assert info.value.kind == "space"


def test_list_sends_filters_and_returns_a_cursor(arize: InProcessSandbox) -> None:
    ids = arize.ids()
    for index in range(3):
        arize.add_task(f"t{index}")
    client = arize.client(space="demo-space")
    page = client.list(type="template_evaluation", project="chatbot-prod", limit=2, name="t")
    assert [t.name for t in page.tasks] == ["t0", "t1"]
    assert page.next_cursor is not None
    assert arize.sent[-1].params == {
        "space_id": ids["space"],
        "name": "t",
        "project_id": ids["project"],
        "type": "TEMPLATE_EVALUATION",
        "limit": "2",
    }
    rest = client.list(cursor=page.next_cursor)
    assert arize.sent[-1].params["cursor"] == page.next_cursor
    assert [t.name for t in rest.tasks] == ["t2"]
    assert rest.next_cursor is None


def test_iter_pages_through_everything(arize: InProcessSandbox) -> None:
    names = [f"task-{index:02d}" for index in range(10)]
    for name in names:
        arize.add_task(name)
    assert [t.name for t in arize.client().iter(page_size=3)] == names
    assert arize.count_sent("GET", "/v2/tasks") == 4


def test_update_fetches_the_task_to_learn_its_type(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks", query_filter="a = 1")
    task = arize.client(space="demo-space").update(
        task_id, name="renamed", query_filter=None, evaluators=["relevance"]
    )
    assert arize.sent_keys() == [
        f"GET /v2/tasks/{task_id}",
        "GET /v2/spaces",
        "GET /v2/evaluators",
        f"PATCH /v2/tasks/{task_id}",
    ]
    assert arize.sent[-1].body == {
        "name": "renamed",
        "query_filter": None,
        "evaluators": [{"evaluator_id": arize.ids()["evaluators"]["relevance"]}],
    }
    assert task.query_filter is None


def test_update_with_task_type_skips_the_fetch(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("gen", "RUN_EXPERIMENT")
    arize.client().update(task_id, task_type="run_experiment", run_configuration=llm(arize))
    assert arize.sent_keys() == [f"PATCH /v2/tasks/{task_id}"]
    assert arize.sent[-1].body["run_configuration"]["experiment_type"] == "LLM_GENERATION"


def test_update_by_name(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    arize.client(space="demo-space").update("checks", sampling_rate=0.3)
    assert arize.task(task_id)["sampling_rate"] == 0.3
    assert arize.sent_keys()[-1] == f"PATCH /v2/tasks/{task_id}"


def test_delete_by_id_and_name(arize: InProcessSandbox) -> None:
    first = arize.add_task("one")
    arize.add_task("two")
    client = arize.client(space="demo-space")
    client.delete(first)
    client.delete("two")
    assert arize.task_ids() == []
    with pytest.raises(NotFoundError):
        client.delete(first)


def lowercase_enums(response: httpx.Response) -> httpx.Response:
    """What a server answering enums in lowercase would send."""
    body = response.json()
    for key in ("type", "status"):
        if isinstance(body.get(key), str):
            body[key] = body[key].lower()
    return with_json(response, body)


def test_responses_in_lowercase_are_read(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks", "CODE_EVALUATION")
    run_id = arize.add_run(task_id, "RUNNING")
    client = arize.client(transport=arize.edited(lowercase_enums))
    assert client.get(task_id).type is TaskType.CODE_EVALUATION
    assert client.get_run(run_id).status is RunStatus.RUNNING


def without_id(response: httpx.Response) -> httpx.Response:
    body = response.json()
    del body["id"]
    return with_json(response, body)


def test_a_malformed_success_body_is_reported_naming_the_field(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("checks")
    client = arize.client(transport=arize.edited(without_id))
    with pytest.raises(UnexpectedResponseError, match=f"GET /v2/tasks/{task_id} answered 200") as e:
        client.get(task_id)
    assert "\nid\n" in str(e.value) or "id: Field required" in str(e.value), str(e.value)


def test_requests_carry_auth_and_user_agent(arize: InProcessSandbox) -> None:
    arize.client().list()
    headers = arize.sent[0].headers
    assert headers["authorization"].startswith("Bearer ")
    assert headers["user-agent"].startswith("arize-pulumi/")
    assert " httpx/" in headers["user-agent"]
    assert headers["accept"] == "application/json"


def test_a_server_that_repeats_a_cursor_is_not_followed_forever() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"tasks": [], "pagination": {"has_more": True, "next_cursor": "same"}}
        )

    client = TasksClient("key", BASE_URL, transport=httpx.MockTransport(handle), warn_alpha=False)
    with pytest.raises(UnexpectedResponseError, match="same cursor came back twice"):
        list(client.iter())
