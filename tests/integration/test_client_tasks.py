"""The client against a real sandbox: tasks, lookups, paging and the lookup cache."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from arize_pulumi.tasks import (
    EvaluatorSpec,
    LlmGenerationConfig,
    NameNotFoundError,
    RetryPolicy,
    TasksClient,
    TaskType,
    TemplateEvaluationConfig,
)
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration


@pytest.fixture
def shared(sandbox_session: Sandbox) -> Iterator[Sandbox]:
    """The session's sandbox with no faults and zeroed counts, and no faults left behind."""
    sandbox_session.clear_faults()
    sandbox_session.reset_requests()
    yield sandbox_session
    sandbox_session.clear_faults()


def make_client(sandbox: Sandbox, **kwargs: Any) -> TasksClient:
    kwargs.setdefault("space", "demo-space")
    kwargs.setdefault("retry", RetryPolicy(base_delay=0.01, max_delay=0.05))
    return TasksClient(sandbox.api_key, sandbox.base_url, warn_alpha=False, **kwargs)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def llm_config(sandbox: Sandbox, content: str = "Answer {question}") -> dict[str, Any]:
    return {
        "experiment_type": "llm_generation",
        "ai_integration_id": sandbox.ids()["ai_integration"],
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": content},
        ],
        "input_variable_format": "f_string",
        "model_name": "gpt-4o-mini",
        "invocation_parameters": {"temperature": 0.2},
    }


def test_evaluation_task_lifecycle_by_names(sandbox_session: Sandbox) -> None:
    ids = sandbox_session.ids()
    name = unique("hallucination-check")
    with make_client(sandbox_session) as client:
        task = client.create_evaluation_task(
            name=name,
            type="template_evaluation",
            project="chatbot-prod",
            evaluators=[
                "hallucination",
                EvaluatorSpec(
                    "relevance",
                    query_filter="attributes.llm.model_name = 'gpt-4o'",
                    column_mappings={"input": "attributes.input.value"},
                ),
            ],
            sampling_rate=0.25,
            is_continuous=True,
            query_filter="metadata.environment = 'production'",
        )
        assert task.type is TaskType.TEMPLATE_EVALUATION
        assert task.project_id == ids["project"]
        assert [e.evaluator_id for e in task.evaluators] == [
            ids["evaluators"]["hallucination"],
            ids["evaluators"]["relevance"],
        ]
        assert [e.evaluator_name for e in task.evaluators] == ["hallucination", "relevance"]
        assert task.evaluators[1].column_mappings == {"input": "attributes.input.value"}

        assert client.get(task.id) == task
        assert client.get(name) == task
        assert client.find(name) == task
        assert client.find(name.upper()) is None

        updated = client.update(
            name, sampling_rate=0.5, query_filter=None, evaluators=["hallucination"]
        )
        assert updated.sampling_rate == 0.5
        assert updated.query_filter is None
        assert [e.evaluator_name for e in updated.evaluators] == ["hallucination"]
        renamed = client.update(task.id, task_type=TaskType.TEMPLATE_EVALUATION, name=name + "-v2")
        assert renamed.name == name + "-v2"

        client.delete(renamed.name)
        assert client.find(renamed.name) is None


def test_dataset_task_with_experiment_names(sandbox_session: Sandbox) -> None:
    ids = sandbox_session.ids()
    with make_client(sandbox_session) as client:
        task = client.create_evaluation_task(
            name=unique("offline-json"),
            type=TaskType.CODE_EVALUATION,
            dataset="golden-qa",
            experiment_ids=["baseline"],
            evaluators=[{"evaluator": "json-valid"}],
        )
        assert task.dataset_id == ids["dataset"]
        assert task.experiment_ids == [ids["experiment"]]
        assert task.project_id is None and not task.is_continuous
        client.delete(task.id)


def test_run_experiment_task_lifecycle(sandbox_session: Sandbox) -> None:
    with make_client(sandbox_session) as client:
        task = client.create_run_experiment_task(
            name=unique("generate"),
            dataset="golden-qa",
            run_configuration=llm_config(sandbox_session),
        )
        assert task.type is TaskType.RUN_EXPERIMENT
        assert isinstance(task.run_configuration, LlmGenerationConfig)
        assert task.run_configuration.messages[1].content == "Answer {question}"

        template = TemplateEvaluationConfig.model_validate(
            {
                "experiment_type": "TEMPLATE_EVALUATION",
                "ai_integration_id": sandbox_session.ids()["ai_integration"],
                "template": "Is {{output}} a good answer to {{input}}?",
                "provide_explanation": True,
                "classification_choices": {"good": 1, "bad": 0},
            }
        )
        updated = client.update(task.name, run_configuration=template)
        assert isinstance(updated.run_configuration, TemplateEvaluationConfig)
        assert updated.run_configuration.classification_choices == {"good": 1, "bad": 0}
        client.delete(task.id)


def test_list_and_iter_page_through_several_pages(sandbox_session: Sandbox) -> None:
    prefix = unique("paged")
    with make_client(sandbox_session) as client:
        created = [
            client.create_evaluation_task(
                name=f"{prefix}-{index}",
                type="CODE_EVALUATION",
                project="chatbot-prod",
                evaluators=["json-valid"],
            )
            for index in range(7)
        ]
        pages = []
        cursor = None
        while True:
            page = client.list(name=prefix, limit=3, cursor=cursor)
            pages.append([t.id for t in page.tasks])
            cursor = page.next_cursor
            if cursor is None:
                break
        assert [len(p) for p in pages] == [3, 3, 1]
        assert sorted(i for p in pages for i in p) == sorted(t.id for t in created)

        listed = list(client.iter(name=prefix, type="code_evaluation", page_size=2))
        assert sorted(t.id for t in listed) == sorted(t.id for t in created)
        assert list(client.iter(name=prefix, type=TaskType.TEMPLATE_EVALUATION)) == []
        on_project = {t.id for t in client.iter(project="chatbot-prod", name=prefix)}
        assert on_project == {t.id for t in created}
        for task in created:
            client.delete(task.id)


def test_lookups_page_past_the_first_page(sandbox: Sandbox) -> None:
    projects = [{"name": f"service-{index:03d}"} for index in range(120)] + [{"name": "service"}]
    world = sandbox.seed({"spaces": [{"name": "demo-space", "projects": projects}]})
    wanted = next(p["id"] for p in world["spaces"][0]["projects"] if p["name"] == "service")
    sandbox.reset_requests()
    with make_client(sandbox) as client:
        assert client.resolve_project_id("service") == wanted
        assert client.resolve_project_id("service") == wanted
        with pytest.raises(NameNotFoundError) as info:
            client.resolve_project_id("service-")
    assert info.value.seen[:2] == ["service-000", "service-001"]
    assert len(info.value.seen) == 120
    counts = sandbox.requests()
    assert counts["GET /v2/spaces"] == 1
    assert counts["GET /v2/projects"] == 2 + 2


def test_n_tasks_cost_one_lookup_per_name(shared: Sandbox) -> None:
    shared.reset_requests()
    with make_client(shared) as client:
        for index in range(5):
            client.create_evaluation_task(
                name=unique(f"checks-{index}"),
                type="template_evaluation",
                project="chatbot-prod",
                evaluators=["hallucination", "relevance"],
            )
    counts = shared.requests()
    assert counts["GET /v2/spaces"] == 1
    assert counts["GET /v2/projects"] == 1
    assert counts["GET /v2/evaluators"] == 2
    assert counts["POST /v2/tasks"] == 5
    assert sum(counts.values()) == 9


def test_eight_threads_share_one_lookup(shared: Sandbox) -> None:
    shared.reset_requests()
    client = make_client(shared)
    barrier = threading.Barrier(8)
    results: list[str] = []

    def resolve() -> None:
        barrier.wait()
        results.append(client.resolve_dataset_id("golden-qa"))

    threads = [threading.Thread(target=resolve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    client.close()
    assert results == [shared.ids()["dataset"]] * 8
    counts = shared.requests()
    assert (counts["GET /v2/spaces"], counts["GET /v2/datasets"]) == (1, 1)


def test_four_threads_share_one_client(shared: Sandbox) -> None:
    client = make_client(shared)
    prefix = unique("threads")
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for index in range(3):
                task = client.create_evaluation_task(
                    name=f"{prefix}-w{worker}-{index}",
                    type="CODE_EVALUATION",
                    project="chatbot-prod",
                    evaluators=["json-valid"],
                )
                client.update(task.id, task_type="CODE_EVALUATION", sampling_rate=0.1)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    names = sorted(t.name for t in client.iter(name=prefix))
    client.close()
    assert names == sorted(f"{prefix}-w{w}-{i}" for w in range(4) for i in range(3))


def test_evaluator_by_id_is_described_from_the_space(sandbox_session: Sandbox) -> None:
    ids = sandbox_session.ids()
    with make_client(sandbox_session) as client:
        evaluator = client.resolve_evaluator(ids["evaluators"]["json-valid"])
        assert (evaluator.name, evaluator.space_id) == ("json-valid", ids["space"])
        assert client.resolve_space_id() == ids["space"]
        assert client.resolve_space_id(ids["space"]) == ids["space"]


def test_experiment_lookup_and_clearing_the_cache(shared: Sandbox) -> None:
    ids = shared.ids()
    with make_client(shared) as client:
        for _ in range(2):
            assert (
                client.resolve_experiment_id("baseline", dataset_id=ids["dataset"])
                == (ids["experiment"])
            )
        client.clear_cache()
        client.resolve_experiment_id("baseline", dataset_id=ids["dataset"])
        with pytest.raises(NameNotFoundError) as info:
            client.resolve_experiment_id("Baseline", dataset_id=ids["dataset"])
    assert info.value.seen == ["baseline"]
    assert shared.requests() == {"GET /v2/experiments": 3}
