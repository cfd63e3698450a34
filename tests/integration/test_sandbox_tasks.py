"""Tasks over real HTTP: create, get, list, update, delete, and every rule the server enforces."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks.ids import id_kind
from tests.support.api import assert_problem, dataset_task, evaluation_task, run_experiment_task
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

EXTRA_SEED = {
    "spaces": [
        {
            "name": "demo-space",
            "evaluators": [{"name": "regex-match", "type": "CODE"}],
            "datasets": [{"name": "other-qa", "experiments": [{"name": "other-baseline"}]}],
        },
        {
            "name": "second-space",
            "projects": [{"name": "chatbot-prod"}],
            "evaluators": [{"name": "hallucination", "type": "TEMPLATE"}],
        },
    ]
}


@pytest.fixture(scope="module")
def api(sandbox_session: Sandbox) -> httpx.Client:
    return sandbox_session.control()


@pytest.fixture(scope="module")
def ids(sandbox_session: Sandbox) -> dict[str, Any]:
    return sandbox_session.ids()


@pytest.fixture(scope="module")
def extra(sandbox_session: Sandbox) -> dict[str, Any]:
    """IDs of a second dataset, a second CODE evaluator and a second space."""
    seeded = sandbox_session.seed(EXTRA_SEED)
    demo, second = seeded["spaces"]
    return {
        "code_evaluator": demo["evaluators"][0]["id"],
        "other_dataset": demo["datasets"][0]["id"],
        "other_experiment": demo["datasets"][0]["experiments"][0]["id"],
        "second_space": second["id"],
        "second_project": second["projects"][0]["id"],
        "second_evaluator": second["evaluators"][0]["id"],
    }


def unique(prefix: str = "task") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v2/tasks", json=body)
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task


def names_in_space(api: httpx.Client, name: str) -> list[str]:
    return [t["name"] for t in api.get("/v2/tasks", params={"name": name}).json()["tasks"]]


def test_create_evaluation_task_on_a_project(api: httpx.Client, ids: dict[str, Any]) -> None:
    name = unique()
    body = evaluation_task(
        ids,
        name,
        sampling_rate=0.5,
        is_continuous=True,
        query_filter="metadata.environment = 'production'",
        evaluators=[
            {
                "evaluator_id": ids["evaluators"]["hallucination"],
                "column_mappings": {"input": "attributes.input.value"},
                "evaluator_version_id": ids["evaluator_versions"]["hallucination"],
            }
        ],
    )
    task = create(api, body)
    assert id_kind(task["id"]) == "OnlineTask"
    assert task["name"] == name
    assert task["type"] == "TEMPLATE_EVALUATION"
    assert task["project_id"] == ids["project"]
    assert task["dataset_id"] is None
    assert task["sampling_rate"] == 0.5
    assert task["is_continuous"] is True
    assert task["experiment_ids"] == []
    assert task["last_run_at"] is None
    assert id_kind(task["created_by_user_id"]) == "User"
    assert TIMESTAMP.match(task["created_at"]) and TIMESTAMP.match(task["updated_at"])
    (evaluator,) = task["evaluators"]
    assert evaluator["evaluator_name"] == "hallucination"
    assert evaluator["column_mappings"] == {"input": "attributes.input.value"}
    assert evaluator["query_filter"] is None
    assert api.get(f"/v2/tasks/{task['id']}").json() == task


def test_create_evaluation_task_on_a_dataset(api: httpx.Client, ids: dict[str, Any]) -> None:
    task = create(api, dataset_task(ids, unique(), query_filter="x = 1"))
    assert task["dataset_id"] == ids["dataset"]
    assert task["experiment_ids"] == [ids["experiment"]]
    assert task["project_id"] is None
    assert task["is_continuous"] is False
    assert task["query_filter"] == "x = 1"


@pytest.mark.parametrize(
    "configuration",
    [
        {
            "experiment_type": "LLM_GENERATION",
            "messages": [
                {"role": "SYSTEM", "content": "Be brief."},
                {
                    "role": "ASSISTANT",
                    "tool_calls": [
                        {
                            "id": "c1",
                            "type": "FUNCTION",
                            "function": {"name": "f", "arguments": "{}"},
                        }
                    ],
                },
            ],
            "input_variable_format": "MUSTACHE",
            "model_name": "gpt-4o-mini",
            "invocation_parameters": {
                "temperature": 0.2,
                "response_format": {"type": "JSON_OBJECT"},
                "top_k": 3,
            },
        },
        {
            "experiment_type": "TEMPLATE_EVALUATION",
            "template": "Is {{output}} correct?",
            "provide_explanation": True,
            "classification_choices": {"correct": 1, "incorrect": 0},
            "column_mapping": {"output": "attributes.output.value"},
        },
        {"experiment_type": "AGENT_CALL", "input_template": {"question": "{{question}}"}},
    ],
    ids=["llm", "template", "agent"],
)
def test_create_run_experiment_task(
    api: httpx.Client, ids: dict[str, Any], configuration: dict[str, Any]
) -> None:
    configuration = dict(configuration)
    if configuration["experiment_type"] == "AGENT_CALL":
        configuration["integration_id"] = ids["agent_integration"]
    else:
        configuration["ai_integration_id"] = ids["ai_integration"]
    task = create(api, run_experiment_task(ids, unique(), run_configuration=configuration))
    assert task["type"] == "RUN_EXPERIMENT"
    assert task["evaluators"] == [] and task["experiment_ids"] == []
    stored = task["run_configuration"]
    assert stored["experiment_type"] == configuration["experiment_type"]
    for key, value in configuration.items():
        if key != "invocation_parameters":
            assert stored[key] == value or (key == "messages" and len(stored[key]) == 2)
    if "invocation_parameters" in configuration:
        assert stored["invocation_parameters"]["top_k"] == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"invocation_parameters": {"custom_knob": 3}}, "invocation_parameters.custom_knob"),
        (
            {"messages": [{"role": "ASSISTANT", "tool_calls": [{"function": {"name": "f"}}]}]},
            "messages[0].tool_calls[0].type",
        ),
        (
            {
                "messages": [
                    {
                        "role": "ASSISTANT",
                        "tool_calls": [{"type": "FUNCTION", "function": {"name": "f"}}],
                    }
                ]
            },
            "messages[0].tool_calls[0].function.arguments",
        ),
    ],
    ids=["unknown-invocation-parameter", "tool-call-without-type", "function-without-arguments"],
)
def test_run_configuration_requests_are_as_strict_as_the_official_models(
    api: httpx.Client, ids: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    configuration = {
        "experiment_type": "LLM_GENERATION",
        "ai_integration_id": ids["ai_integration"],
        "messages": [{"role": "USER", "content": "{question}"}],
        "input_variable_format": "F_STRING",
        **change,
    }
    response = api.post(
        "/v2/tasks", json=run_experiment_task(ids, unique(), run_configuration=configuration)
    )
    assert_problem(response, 400, f"run_configuration.{field}")


def test_get_unknown_task_is_404(api: httpx.Client, ids: dict[str, Any]) -> None:
    assert_problem(api.get("/v2/tasks/T25saW5lVGFzazo5OTk5OTk6YWJjZA=="), 404, "task_id")
    assert_problem(api.get("/v2/tasks/not-an-id"), 404, "task_id")
    assert_problem(api.get(f"/v2/tasks/{ids['project']}"), 404, "task_id")


def test_list_filters(api: httpx.Client, ids: dict[str, Any], extra: dict[str, Any]) -> None:
    tag = unique("filter")
    on_project = create(api, evaluation_task(ids, f"{tag}-p"))
    on_dataset = create(api, dataset_task(ids, f"{tag}-d"))
    run_task = create(api, run_experiment_task(ids, f"{tag}-r"))
    elsewhere = create(
        api,
        evaluation_task(
            ids,
            f"{tag}-s",
            project_id=extra["second_project"],
            evaluators=[{"evaluator_id": extra["second_evaluator"]}],
        ),
    )

    def listed(**params: Any) -> set[str]:
        response = api.get("/v2/tasks", params={"name": tag.upper(), **params})
        assert response.status_code == 200, response.text
        return {t["id"] for t in response.json()["tasks"]}

    everything = {on_project["id"], on_dataset["id"], run_task["id"], elsewhere["id"]}
    assert listed() == everything
    assert listed(space_id=ids["space"]) == everything - {elsewhere["id"]}
    assert listed(space_name="SECOND") == {elsewhere["id"]}
    assert listed(space_name="space") == everything
    assert listed(space_name="no-such-space-anywhere") == set()
    assert listed(project_id=ids["project"]) == {on_project["id"]}
    assert listed(dataset_id=ids["dataset"]) == {on_dataset["id"], run_task["id"]}
    assert listed(type="RUN_EXPERIMENT") == {run_task["id"]}
    assert listed(type="TEMPLATE_EVALUATION", space_id=extra["second_space"]) == {elsewhere["id"]}


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"space_id": "U3BhY2U6OTk5OTk6YWJjZA=="}, 404, "space_id"),
        ({"project_id": "TW9kZWw6OTk5OTk6YWJjZA=="}, 404, "project_id"),
        ({"dataset_id": "RGF0YXNldDo5OTk5OTphYmNk"}, 404, "dataset_id"),
        ({"type": "template_evaluation"}, 400, "type"),
        ({"limit": 0}, 400, "limit"),
        ({"limit": 101}, 400, "limit"),
        ({"limit": "ten"}, 400, "limit"),
        ({"cursor": "garbage!"}, 400, "cursor"),
        ({"name": "x" * 256}, 400, "name"),
        ({"projet_id": "x"}, 400, "projet_id"),
    ],
)
def test_list_refusals(api: httpx.Client, params: dict[str, Any], status: int, field: str) -> None:
    assert_problem(api.get("/v2/tasks", params=params), status, field)


def test_pagination_across_pages(api: httpx.Client, ids: dict[str, Any]) -> None:
    tag = unique("page")
    created = [create(api, evaluation_task(ids, f"{tag}-{i}"))["id"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"name": tag, "limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = api.get("/v2/tasks", params=params).json()
        pages += 1
        seen += [t["id"] for t in body["tasks"]]
        if not body["pagination"]["has_more"]:
            assert "next_cursor" not in body["pagination"]
            break
        cursor = body["pagination"]["next_cursor"]
        assert len(body["tasks"]) == 3
    assert pages == 3
    assert seen == created
    runs_cursor = api.get("/v2/spaces", params={"limit": 1})
    assert runs_cursor.status_code == 200
    foreign = {"name": tag, "cursor": "eyJrIjoic3BhY2UiLCJzIjoxfQ"}
    assert_problem(api.get("/v2/tasks", params=foreign), 400, "cursor")


def _without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


CREATE_REFUSALS: list[tuple[str, Any, int, str]] = [
    ("lowercase type", lambda i, n: evaluation_task(i, n, type="template_evaluation"), 400, "type"),
    ("unknown type", lambda i, n: evaluation_task(i, n, type="SUMMARY"), 400, "type"),
    ("no type", lambda i, n: _without(evaluation_task(i, n), "type"), 400, "type"),
    (
        "project and dataset",
        lambda i, n: evaluation_task(i, n, dataset_id=i["dataset"], experiment_ids=[]),
        400,
        "project_id",
    ),
    ("no target", lambda i, n: _without(evaluation_task(i, n), "project_id"), 400, "dataset_id"),
    (
        "no evaluators",
        lambda i, n: _without(evaluation_task(i, n), "evaluators"),
        400,
        "evaluators",
    ),
    ("empty evaluators", lambda i, n: evaluation_task(i, n, evaluators=[]), 400, "evaluators"),
    (
        "duplicate evaluators",
        lambda i, n: evaluation_task(
            i, n, evaluators=[{"evaluator_id": i["evaluators"]["relevance"]}] * 2
        ),
        400,
        "evaluators",
    ),
    (
        "dataset without experiments",
        lambda i, n: _without(dataset_task(i, n), "experiment_ids"),
        400,
        "experiment_ids",
    ),
    (
        "sampling rate above 1",
        lambda i, n: evaluation_task(i, n, sampling_rate=1.5),
        400,
        "sampling_rate",
    ),
    (
        "sampling rate below 0",
        lambda i, n: evaluation_task(i, n, sampling_rate=-0.1),
        400,
        "sampling_rate",
    ),
    (
        "sampling rate on dataset",
        lambda i, n: dataset_task(i, n, sampling_rate=0.5),
        400,
        "sampling_rate",
    ),
    (
        "continuous on dataset",
        lambda i, n: dataset_task(i, n, is_continuous=True),
        400,
        "is_continuous",
    ),
    (
        "experiments on project",
        lambda i, n: evaluation_task(i, n, experiment_ids=[i["experiment"]]),
        400,
        "experiment_ids",
    ),
    ("id on input", lambda i, n: evaluation_task(i, n, id="T25saW5lVGFzazoxOmFiY2Q="), 400, "id"),
    (
        "created_at on input",
        lambda i, n: evaluation_task(i, n, created_at="2026-01-01T00:00:00Z"),
        400,
        "created_at",
    ),
    ("unknown field", lambda i, n: evaluation_task(i, n, colour="blue"), 400, "colour"),
    ("empty name", lambda i, n: evaluation_task(i, ""), 400, "name"),
    ("name not a string", lambda i, n: {**evaluation_task(i, n), "name": 42}, 400, "name"),
    (
        "sampling rate not a number",
        lambda i, n: evaluation_task(i, n, sampling_rate="half"),
        400,
        "sampling_rate",
    ),
    (
        "evaluator field on run task",
        lambda i, n: run_experiment_task(i, n, evaluators=[{"evaluator_id": "x"}]),
        400,
        "evaluators",
    ),
    (
        "project on run task",
        lambda i, n: run_experiment_task(i, n, project_id=i["project"]),
        400,
        "project_id",
    ),
    (
        "run task without configuration",
        lambda i, n: _without(run_experiment_task(i, n), "run_configuration"),
        400,
        "run_configuration",
    ),
    (
        "bad experiment type",
        lambda i, n: run_experiment_task(
            i, n, run_configuration={"experiment_type": "llm_chat", "ai_integration_id": "x"}
        ),
        400,
        "experiment_type",
    ),
    (
        "configuration without messages",
        lambda i, n: run_experiment_task(
            i,
            n,
            run_configuration={
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": i["ai_integration"],
                "input_variable_format": "F_STRING",
            },
        ),
        400,
        "run_configuration.messages",
    ),
    (
        "lowercase role",
        lambda i, n: run_experiment_task(
            i,
            n,
            run_configuration={
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": i["ai_integration"],
                "input_variable_format": "F_STRING",
                "messages": [{"role": "user", "content": "hi"}],
            },
        ),
        400,
        "run_configuration.messages[0].role",
    ),
    (
        "unknown project",
        lambda i, n: evaluation_task(i, n, project_id="TW9kZWw6OTk5OTk6YWJjZA=="),
        404,
        "project_id",
    ),
    (
        "project given by name",
        lambda i, n: evaluation_task(i, n, project_id="chatbot-prod"),
        404,
        "project_id",
    ),
    (
        "unknown dataset",
        lambda i, n: dataset_task(i, n, dataset_id="RGF0YXNldDo5OTk5OTphYmNk"),
        404,
        "dataset_id",
    ),
    (
        "unknown evaluator",
        lambda i, n: evaluation_task(
            i, n, evaluators=[{"evaluator_id": "RXZhbHVhdG9yOjk5OTk5OmFiY2Q="}]
        ),
        404,
        "evaluators[0].evaluator_id",
    ),
    (
        "unknown experiment",
        lambda i, n: dataset_task(i, n, experiment_ids=["RXhwZXJpbWVudDo5OTk5OTphYmNk"]),
        404,
        "experiment_ids[0]",
    ),
    (
        "version of another evaluator",
        lambda i, n: evaluation_task(
            i,
            n,
            evaluators=[
                {
                    "evaluator_id": i["evaluators"]["hallucination"],
                    "evaluator_version_id": i["evaluator_versions"]["relevance"],
                }
            ],
        ),
        422,
        "evaluators[0].evaluator_version_id",
    ),
    (
        "unknown ai integration",
        lambda i, n: run_experiment_task(
            i,
            n,
            run_configuration={
                "experiment_type": "TEMPLATE_EVALUATION",
                "ai_integration_id": "QWlJbnRlZ3JhdGlvbjo5OTk5OTphYmNk",
                "template": "{{x}}",
                "provide_explanation": False,
            },
        ),
        422,
        "run_configuration.ai_integration_id",
    ),
    (
        "agent call with an llm integration",
        lambda i, n: run_experiment_task(
            i,
            n,
            run_configuration={
                "experiment_type": "AGENT_CALL",
                "integration_id": i["ai_integration"],
                "input_template": {},
            },
        ),
        422,
        "run_configuration.integration_id",
    ),
]


@pytest.mark.parametrize(
    ("case", "make", "status", "field"), CREATE_REFUSALS, ids=[c[0] for c in CREATE_REFUSALS]
)
def test_create_refusals(
    api: httpx.Client, ids: dict[str, Any], case: str, make: Any, status: int, field: str
) -> None:
    name = unique("refused")
    assert_problem(api.post("/v2/tasks", json=make(ids, name)), status, field)
    assert names_in_space(api, name) == []


def test_semantic_refusals_across_spaces_and_datasets(
    api: httpx.Client, ids: dict[str, Any], extra: dict[str, Any]
) -> None:
    name = unique("refused")
    other_experiment = dataset_task(ids, name, experiment_ids=[extra["other_experiment"]])
    assert_problem(api.post("/v2/tasks", json=other_experiment), 422, "experiment_ids[0]")
    foreign_evaluator = evaluation_task(
        ids, name, evaluators=[{"evaluator_id": extra["second_evaluator"]}]
    )
    assert_problem(api.post("/v2/tasks", json=foreign_evaluator), 422, "evaluators[0]")
    two_code = evaluation_task(
        ids,
        name,
        type="CODE_EVALUATION",
        evaluators=[
            {"evaluator_id": ids["evaluators"]["json-valid"]},
            {"evaluator_id": extra["code_evaluator"]},
        ],
    )
    detail = assert_problem(api.post("/v2/tasks", json=two_code), 422, "evaluators")
    assert "Only one custom code evaluator runs per task" in detail
    assert names_in_space(api, name) == []
    one_code = dict(two_code, evaluators=two_code["evaluators"][:1])
    assert create(api, one_code)["type"] == "CODE_EVALUATION"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b'{"type": "TEMPLATE_EVALUATION", "name": ', "body"),
        (b"[1, 2]", "body"),
        (b"", "body"),
        (b"\xff\xfe", "body"),
        (b'{"type": "TEMPLATE_EVALUATION", "sampling_rate": NaN}', "body"),
        (b'{"type": "RUN_EXPERIMENT", "run_configuration": {"x": Infinity}}', "body"),
    ],
    ids=["truncated", "array", "empty", "not utf-8", "NaN", "Infinity"],
)
def test_malformed_create_bodies(api: httpx.Client, content: bytes, field: str) -> None:
    response = api.post("/v2/tasks", content=content, headers={"Content-Type": "application/json"})
    assert_problem(response, 400, field)


def test_names_are_unique_per_space(
    api: httpx.Client, ids: dict[str, Any], extra: dict[str, Any]
) -> None:
    name = unique("dup")
    create(api, evaluation_task(ids, name))
    assert_problem(api.post("/v2/tasks", json=dataset_task(ids, name)), 409, "name")
    elsewhere = evaluation_task(
        ids,
        name,
        project_id=extra["second_project"],
        evaluators=[{"evaluator_id": extra["second_evaluator"]}],
    )
    create(api, elsewhere)
    assert len(names_in_space(api, name)) == 2


def test_update_evaluation_task(api: httpx.Client, ids: dict[str, Any]) -> None:
    task = create(api, evaluation_task(ids, unique(), query_filter="a = 1", sampling_rate=0.1))
    new_name = unique("renamed")
    response = api.patch(
        f"/v2/tasks/{task['id']}",
        json={
            "name": new_name,
            "sampling_rate": 1,
            "is_continuous": True,
            "query_filter": None,
            "evaluators": [
                {"evaluator_id": ids["evaluators"]["relevance"], "query_filter": "b = 2"}
            ],
        },
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["name"] == new_name
    assert updated["sampling_rate"] == 1
    assert updated["is_continuous"] is True
    assert updated["query_filter"] is None
    assert [e["evaluator_name"] for e in updated["evaluators"]] == ["relevance"]
    assert updated["evaluators"][0]["query_filter"] == "b = 2"
    assert updated["created_at"] == task["created_at"]
    assert updated["updated_at"] >= task["updated_at"]
    assert api.get(f"/v2/tasks/{task['id']}").json() == updated
    partial = api.patch(f"/v2/tasks/{task['id']}", json={"query_filter": "c = 3"}).json()
    assert partial["query_filter"] == "c = 3" and partial["name"] == new_name


def test_update_run_experiment_task(api: httpx.Client, ids: dict[str, Any]) -> None:
    task = create(api, run_experiment_task(ids, unique()))
    configuration = {
        "experiment_type": "AGENT_CALL",
        "integration_id": ids["agent_integration"],
        "input_template": {"q": "{{question}}"},
    }
    response = api.patch(f"/v2/tasks/{task['id']}", json={"run_configuration": configuration})
    assert response.status_code == 200, response.text
    assert response.json()["run_configuration"] == configuration


UPDATE_REFUSALS: list[tuple[str, str, Any, int, str]] = [
    ("empty", "project", {}, 400, "no fields"),
    (
        "run configuration on evaluation task",
        "project",
        {"run_configuration": {}},
        400,
        "run_configuration",
    ),
    ("sampling rate on run task", "run", {"sampling_rate": 0.5}, 400, "sampling_rate"),
    ("evaluators on run task", "run", {"evaluators": []}, 400, "evaluators"),
    ("type", "project", {"type": "CODE_EVALUATION"}, 400, "type"),
    ("project", "project", {"project_id": "x"}, 400, "project_id"),
    ("experiment ids", "dataset", {"experiment_ids": []}, 400, "experiment_ids"),
    ("id", "project", {"id": "x"}, 400, "id"),
    ("updated_at", "run", {"updated_at": "2026-01-01T00:00:00Z"}, 400, "updated_at"),
    ("null name", "project", {"name": None}, 400, "name"),
    ("null evaluators", "project", {"evaluators": None}, 400, "evaluators"),
    ("empty evaluators", "project", {"evaluators": []}, 400, "evaluators"),
    ("sampling rate on dataset task", "dataset", {"sampling_rate": 0.5}, 400, "sampling_rate"),
    ("continuous dataset task", "dataset", {"is_continuous": True}, 400, "is_continuous"),
    ("sampling rate out of range", "project", {"sampling_rate": 2}, 400, "sampling_rate"),
    ("unknown field", "project", {"colour": "blue"}, 400, "colour"),
    ("not an object", "project", [], 400, "body"),
    (
        "unknown evaluator",
        "project",
        {"evaluators": [{"evaluator_id": "RXZhbHVhdG9yOjk5OTk5OmFiY2Q="}]},
        404,
        "evaluators[0]",
    ),
    (
        "run configuration of bad shape",
        "run",
        {"run_configuration": {"experiment_type": "AGENT_CALL"}},
        400,
        "run_configuration",
    ),
]


@pytest.mark.parametrize(
    ("case", "kind", "body", "status", "field"),
    UPDATE_REFUSALS,
    ids=[c[0] for c in UPDATE_REFUSALS],
)
def test_update_refusals(
    api: httpx.Client,
    ids: dict[str, Any],
    case: str,
    kind: str,
    body: Any,
    status: int,
    field: str,
) -> None:
    make = {"project": evaluation_task, "dataset": dataset_task, "run": run_experiment_task}[kind]
    task = create(api, make(ids, unique()))
    assert_problem(api.patch(f"/v2/tasks/{task['id']}", json=body), status, field)
    assert api.get(f"/v2/tasks/{task['id']}").json() == task


def test_update_conflicts_and_unknown(api: httpx.Client, ids: dict[str, Any]) -> None:
    first = create(api, evaluation_task(ids, unique()))
    second = create(api, evaluation_task(ids, unique()))
    response = api.patch(f"/v2/tasks/{second['id']}", json={"name": first["name"]})
    assert_problem(response, 409, "name")
    same = api.patch(f"/v2/tasks/{second['id']}", json={"name": second["name"]})
    assert same.status_code == 200
    missing = api.patch("/v2/tasks/T25saW5lVGFzazo5OTk5OTk6YWJjZA==", json={"name": "x"})
    assert_problem(missing, 404, "task_id")


def test_delete_task(api: httpx.Client, ids: dict[str, Any]) -> None:
    task = create(api, evaluation_task(ids, unique()))
    response = api.delete(f"/v2/tasks/{task['id']}")
    assert response.status_code == 204 and response.content == b""
    assert_problem(api.get(f"/v2/tasks/{task['id']}"), 404, "task_id")
    assert_problem(api.delete(f"/v2/tasks/{task['id']}"), 404, "task_id")
    assert_problem(api.get(f"/v2/tasks/{task['id']}/runs"), 404, "task_id")
    assert create(api, evaluation_task(ids, task["name"]))["id"] != task["id"]
