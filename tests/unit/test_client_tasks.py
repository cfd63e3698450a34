"""Task operations against the in-memory Arize: what is sent and what comes back."""

from __future__ import annotations

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
from tests.unit.test_client_fakes import BASE_URL, FakeArize

LLM = {
    "experiment_type": "llm_generation",
    "ai_integration_id": "QWlJbnRlZ3JhdGlvbjox",
    "messages": [{"role": "user", "content": "{question}"}],
    "input_variable_format": "f_string",
}


@pytest.fixture
def fake() -> FakeArize:
    return FakeArize()


def test_create_evaluation_task_resolves_names_and_sends_uppercase(fake: FakeArize) -> None:
    client = fake.client(space="demo-space")
    task = client.create_evaluation_task(
        name="checks",
        type="template_evaluation",
        project="chatbot-prod",
        evaluators=[
            "hallucination",
            EvaluatorSpec("relevance", query_filter="a = 1", column_mappings={"q": "input"}),
            {"evaluator_id": fake.evaluator_ids["json-valid"]},
        ],
        sampling_rate=0.5,
        is_continuous=True,
    )
    body = fake.calls[-1].body
    assert body == {
        "type": "TEMPLATE_EVALUATION",
        "name": "checks",
        "project_id": fake.project_id,
        "sampling_rate": 0.5,
        "is_continuous": True,
        "evaluators": [
            {"evaluator_id": fake.evaluator_ids["hallucination"]},
            {
                "evaluator_id": fake.evaluator_ids["relevance"],
                "query_filter": "a = 1",
                "column_mappings": {"q": "input"},
            },
            {"evaluator_id": fake.evaluator_ids["json-valid"]},
        ],
    }
    assert task.type is TaskType.TEMPLATE_EVALUATION
    assert [e.evaluator_name for e in task.evaluators] == [
        "hallucination",
        "relevance",
        "json-valid",
    ]
    assert fake.keys() == [
        "GET /v2/spaces",
        "GET /v2/projects",
        "GET /v2/evaluators",
        "GET /v2/evaluators",
        "POST /v2/tasks",
    ]


def test_create_on_a_dataset_resolves_experiment_names(fake: FakeArize) -> None:
    task = fake.client().create_evaluation_task(
        name="offline",
        type=TaskType.CODE_EVALUATION,
        dataset="golden-qa",
        experiment_ids=["baseline"],
        evaluators=["json-valid"],
        space=fake.space_id,
    )
    assert task.experiment_ids == [fake.experiment_id]
    assert fake.calls[-1].body["experiment_ids"] == [fake.experiment_id]
    assert fake.count("GET", "/v2/spaces") == 0
    assert fake.calls[0].params == {"space_id": fake.space_id, "name": "golden-qa", "limit": "100"}


def test_create_with_ids_only_needs_no_lookup(fake: FakeArize) -> None:
    fake.client().create_evaluation_task(
        name="checks",
        type="CODE_EVALUATION",
        project=fake.project_id,
        evaluators=[fake.evaluator_ids["json-valid"]],
    )
    assert fake.keys() == ["POST /v2/tasks"]


def test_create_run_experiment_task(fake: FakeArize) -> None:
    task = fake.client(space="demo-space").create_run_experiment_task(
        name="gen", dataset="golden-qa", run_configuration=LLM
    )
    assert fake.calls[-1].body == {
        "type": "RUN_EXPERIMENT",
        "name": "gen",
        "dataset_id": fake.dataset_id,
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": "QWlJbnRlZ3JhdGlvbjox",
            "messages": [{"role": "USER", "content": "{question}"}],
            "input_variable_format": "F_STRING",
        },
    }
    assert isinstance(task.run_configuration, LlmGenerationConfig)


def test_a_duplicate_name_is_a_conflict(fake: FakeArize) -> None:
    fake.add_task("checks")
    with pytest.raises(ConflictError) as info:
        fake.client().create_evaluation_task(
            name="checks",
            type="CODE_EVALUATION",
            project=fake.project_id,
            evaluators=[fake.evaluator_ids["json-valid"]],
        )
    assert str(info.value) == (
        "POST /v2/tasks failed (409 Resource conflict): a task named 'checks' exists in this space"
    )
    assert fake.count() == 1


def test_get_by_id_and_by_name(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.add_task("checks-2")
    client = fake.client(space="demo-space")
    assert client.get(task_id).name == "checks"
    assert client.get("checks").id == task_id
    assert fake.calls[-1].params == {"space_id": fake.space_id, "name": "checks", "limit": "100"}


def test_get_of_a_missing_task(fake: FakeArize) -> None:
    client = fake.client(space="demo-space")
    with pytest.raises(NotFoundError) as by_id:
        client.get("T25saW5lVGFzazo5OTk6cVJ3WA==")
    assert by_id.value.status == 404
    fake.add_task("Checks")
    with pytest.raises(NameNotFoundError) as by_name:
        client.get("checks")
    assert isinstance(by_name.value, NotFoundError)
    assert by_name.value.seen == ["Checks"]
    assert "'Checks'" in str(by_name.value)


def test_find_is_exact_and_case_sensitive(fake: FakeArize) -> None:
    fake.add_task("checks-nightly")
    fake.add_task("Checks")
    client = fake.client(space="demo-space")
    assert client.find("checks") is None
    exact = fake.add_task("checks")
    found = client.find("checks")
    assert found is not None and found.id == exact


def test_find_in_a_space_that_does_not_exist_raises(fake: FakeArize) -> None:
    with pytest.raises(NameNotFoundError) as info:
        fake.client().find("checks", space="nowhere")
    assert info.value.kind == "space"


def test_list_sends_filters_and_returns_a_cursor(fake: FakeArize) -> None:
    for index in range(3):
        fake.add_task(f"t{index}")
    client = fake.client(space="demo-space")
    page = client.list(type="template_evaluation", project="chatbot-prod", limit=2, name="t")
    assert [t.name for t in page.tasks] == ["t0", "t1"]
    assert page.next_cursor == "2"
    assert fake.calls[-1].params == {
        "space_id": fake.space_id,
        "name": "t",
        "project_id": fake.project_id,
        "type": "TEMPLATE_EVALUATION",
        "limit": "2",
    }
    rest = client.list(cursor=page.next_cursor)
    assert [t.name for t in rest.tasks] == ["t2"]
    assert rest.next_cursor is None


def test_iter_pages_through_everything() -> None:
    fake = FakeArize(page_size=3)
    names = [f"task-{index:02d}" for index in range(10)]
    for name in names:
        fake.add_task(name)
    assert [t.name for t in fake.client().iter(page_size=50)] == names
    assert fake.count("GET", "/v2/tasks") == 4


def test_update_fetches_the_task_to_learn_its_type(fake: FakeArize) -> None:
    task_id = fake.add_task("checks", query_filter="a = 1")
    task = fake.client(space="demo-space").update(
        task_id, name="renamed", query_filter=None, evaluators=["relevance"]
    )
    assert fake.keys() == [
        f"GET /v2/tasks/{task_id}",
        "GET /v2/spaces",
        "GET /v2/evaluators",
        f"PATCH /v2/tasks/{task_id}",
    ]
    assert fake.calls[-1].body == {
        "name": "renamed",
        "query_filter": None,
        "evaluators": [{"evaluator_id": fake.evaluator_ids["relevance"]}],
    }
    assert task.query_filter is None


def test_update_with_task_type_skips_the_fetch(fake: FakeArize) -> None:
    task_id = fake.add_task("gen", "RUN_EXPERIMENT", dataset_id=fake.dataset_id)
    fake.client().update(task_id, task_type="run_experiment", run_configuration=LLM)
    assert fake.keys() == [f"PATCH /v2/tasks/{task_id}"]
    assert fake.calls[-1].body["run_configuration"]["experiment_type"] == "LLM_GENERATION"


def test_update_by_name(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    fake.client(space="demo-space").update("checks", sampling_rate=0.3)
    assert fake.tasks[task_id]["sampling_rate"] == 0.3
    assert fake.keys()[-1] == f"PATCH /v2/tasks/{task_id}"


def test_delete_by_id_and_name(fake: FakeArize) -> None:
    first = fake.add_task("one")
    fake.add_task("two")
    client = fake.client(space="demo-space")
    client.delete(first)
    client.delete("two")
    assert fake.tasks == {}
    with pytest.raises(NotFoundError):
        client.delete(first)


def test_responses_in_lowercase_are_read() -> None:
    fake = FakeArize(lowercase=True)
    task_id = fake.add_task("checks", "CODE_EVALUATION")
    run_id = fake.add_run(task_id, "RUNNING")
    client = fake.client()
    assert client.get(task_id).type is TaskType.CODE_EVALUATION
    assert client.get_run(run_id).status is RunStatus.RUNNING


def test_a_malformed_success_body_is_reported(fake: FakeArize) -> None:
    task_id = fake.add_task("checks")
    del fake.tasks[task_id]["created_at"]
    with pytest.raises(UnexpectedResponseError, match=f"GET /v2/tasks/{task_id} answered 200"):
        fake.client().get(task_id)


def test_requests_carry_auth_and_user_agent(fake: FakeArize) -> None:
    fake.client().list()
    headers = fake.calls[0].headers
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
