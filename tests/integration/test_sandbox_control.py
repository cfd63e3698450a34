"""The control surface and the cross-cutting behaviour: auth, lookups, counts, faults, drift."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks.ids import id_kind
from tests.support.api import assert_problem, dataset_task, evaluation_task
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.integration


def test_auth(sandbox_session: Sandbox) -> None:
    url = sandbox_session.base_url
    for headers in (
        {},
        {"Authorization": "test-key"},
        {"Authorization": "Basic dGVzdC1rZXk="},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer other-key"},
    ):
        for path in ("/v2/tasks", "/v2/spaces", "/_sandbox/requests"):
            response = httpx.get(url + path, headers=headers)
            assert_problem(response, 401, "Authorization")
    response = httpx.post(url + "/v2/tasks", json={})
    assert_problem(response, 401)
    assert httpx.get(url + "/_sandbox/health").json() == {"status": "ok"}


def test_any_key_without_api_key_option() -> None:
    server = start_sandbox(api_key="")
    try:
        ok = httpx.get(server.base_url + "/v2/spaces", headers={"Authorization": "Bearer anything"})
        assert ok.status_code == 200
        assert_problem(httpx.get(server.base_url + "/v2/spaces"), 401)
    finally:
        server.stop()


def test_lookups(sandbox_session: Sandbox) -> None:
    api = sandbox_session.control()
    ids = sandbox_session.ids()
    spaces = api.get("/v2/spaces", params={"name": "DEMO"}).json()["spaces"]
    assert [s["name"] for s in spaces] == ["demo-space"]
    assert spaces[0]["id"] == ids["space"] and id_kind(ids["space"]) == "Space"
    projects = api.get("/v2/projects", params={"space_id": ids["space"]}).json()["projects"]
    assert {"id": ids["project"], "name": "chatbot-prod", "space_id": ids["space"]}.items() <= (
        projects[0].items()
    )
    assert id_kind(ids["project"]) == "Model"
    by_name = api.get("/v2/datasets", params={"space_name": "demo", "name": "golden"}).json()
    (dataset,) = by_name["datasets"]
    assert dataset["id"] == ids["dataset"] and dataset["updated_at"].endswith("Z")
    evaluators = api.get("/v2/evaluators", params={"space_id": ids["space"]}).json()
    types = {e["name"]: e["type"] for e in evaluators["evaluators"]}
    assert types["hallucination"] == "TEMPLATE" and types["json-valid"] == "CODE"
    experiments = api.get("/v2/experiments", params={"dataset_id": ids["dataset"]}).json()
    baseline = experiments["experiments"][0]
    assert baseline["id"] == ids["experiment"] and baseline["name"] == "baseline"
    assert baseline["dataset_version_id"]
    nowhere = api.get("/v2/datasets", params={"space_name": "nowhere-at-all"})
    assert nowhere.json() == {"datasets": [], "pagination": {"has_more": False}}
    for path, params, field in [
        ("/v2/projects", {"space_id": "U3BhY2U6OTk5OTk6YWJjZA=="}, "space_id"),
        ("/v2/evaluators", {"space_id": ids["project"]}, "space_id"),
        ("/v2/experiments", {"dataset_id": "RGF0YXNldDo5OTk5OTphYmNk"}, "dataset_id"),
    ]:
        assert_problem(api.get(path, params=params), 404, field)
    assert_problem(api.get("/v2/spaces", params={"limit": 0}), 400, "limit")
    assert_problem(api.get("/v2/projects", params={"cursor": "nope"}), 400, "cursor")


def test_lookup_pagination(sandbox_session: Sandbox) -> None:
    seeded = sandbox_session.seed(
        {"spaces": [{"name": "paged-space", "projects": [{"name": f"p{i}"} for i in range(5)]}]}
    )
    space = seeded["spaces"][0]
    expected = [p["id"] for p in space["projects"]]
    api = sandbox_session.control()
    seen: list[str] = []
    params: dict[str, Any] = {"space_id": space["id"], "limit": 2}
    while True:
        body = api.get("/v2/projects", params=params).json()
        seen += [p["id"] for p in body["projects"]]
        if not body["pagination"]["has_more"]:
            break
        params["cursor"] = body["pagination"]["next_cursor"]
    assert seen == expected
    wrong_kind = {"cursor": params["cursor"]}
    assert_problem(api.get("/v2/datasets", params=wrong_kind), 400, "cursor")


def test_seed_is_idempotent_and_nested(sandbox_session: Sandbox) -> None:
    spec = {
        "spaces": [
            {
                "name": "seeded-space",
                "projects": [{"name": "p"}],
                "datasets": [{"name": "d", "experiments": [{"name": "e"}]}],
                "evaluators": [{"name": "ev", "type": "CODE"}],
                "ai_integrations": [{"name": "ai", "type": "AGENT"}],
            }
        ]
    }
    first = sandbox_session.seed(spec)
    assert sandbox_session.seed(spec) == first
    (space,) = first["spaces"]
    assert space["name"] == "seeded-space"
    assert space["datasets"][0]["experiments"][0]["name"] == "e"
    evaluator = space["evaluators"][0]
    assert evaluator["type"] == "CODE" and len(evaluator["version_ids"]) == 1
    assert space["ai_integrations"][0] == {
        "id": space["ai_integrations"][0]["id"],
        "name": "ai",
        "type": "AGENT",
    }
    api = sandbox_session.control()
    spaces = api.get("/v2/spaces", params={"name": "seeded-space"}).json()["spaces"]
    assert len(spaces) == 1
    bad = api.post(
        "/_sandbox/seed",
        json={"spaces": [{"name": "x", "evaluators": [{"name": "e", "type": "code"}]}]},
    )
    assert_problem(bad, 400, "type")


def test_request_counts_are_exact_under_concurrency(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    sandbox.reset_requests()
    api = sandbox.control()
    task = api.post("/v2/tasks", json=evaluation_task(ids, "counted")).json()
    api.get(f"/v2/tasks/{task['id']}")
    api.patch(f"/v2/tasks/{task['id']}", json={"sampling_rate": 0.5})
    api.get("/v2/tasks/nope/runs")
    api.put("/v2/tasks")

    def hammer(worker: int) -> None:
        with httpx.Client(base_url=sandbox.base_url, headers=sandbox.headers) as client:
            for _ in range(20):
                client.get("/v2/spaces")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(hammer, range(8)))
    assert sandbox.requests() == {
        "POST /v2/tasks": 1,
        "GET /v2/tasks/{task_id}": 1,
        "PATCH /v2/tasks/{task_id}": 1,
        "GET /v2/tasks/{task_id}/runs": 1,
        "PUT /v2/tasks": 1,
        "GET /v2/spaces": 160,
    }
    assert sandbox.total_requests() == 165
    body = api.get("/_sandbox/requests").json()
    assert set(body) == {"total", "counts"}
    sandbox.reset_requests()
    assert sandbox.requests() == {} and sandbox.total_requests() == 0


def test_faults_before_change_nothing(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    api = sandbox.control()
    sandbox.faults(rate=1, statuses=[503], retry_after=2, phase="before")
    response = api.post("/v2/tasks", json=evaluation_task(ids, "faulted-before"))
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "2"
    assert api.get("/_sandbox/health").status_code == 200
    assert sandbox.requests()["POST /v2/tasks"] == 1
    sandbox.clear_faults()
    assert api.get("/v2/tasks", params={"name": "faulted-before"}).json()["tasks"] == []


def test_faults_after_make_the_change(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    api = sandbox.control()
    sandbox.faults(rate=1, statuses=[500], phase="after", methods=["POST"])
    response = api.post("/v2/tasks", json=evaluation_task(ids, "faulted-after"))
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert api.get("/v2/spaces").status_code == 200
    sandbox.faults(rate=0)
    (task,) = api.get("/v2/tasks", params={"name": "faulted-after"}).json()["tasks"]
    assert task["name"] == "faulted-after"


CUT = (httpx.RemoteProtocolError, httpx.ReadError)
"""What a client sees of a cut connection: an unfinished answer, or a reset."""


def test_a_cut_connection_drops_the_answer_but_not_the_change(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    api = sandbox.control()
    sandbox.faults(rate=1, disconnect=True, phase="after", methods=["POST"])
    with pytest.raises(CUT):
        api.post("/v2/tasks", json=evaluation_task(ids, "cut-after"))
    assert api.get("/v2/spaces").status_code == 200  # the server itself is fine
    sandbox.faults(rate=1, disconnect=True, phase="before", methods=["POST"])
    with pytest.raises(CUT):
        api.post("/v2/tasks", json=evaluation_task(ids, "cut-before"))
    sandbox.clear_faults()
    assert sandbox.requests()["POST /v2/tasks"] == 2
    (task,) = api.get("/v2/tasks", params={"name": "cut-after"}).json()["tasks"]
    assert task["name"] == "cut-after"
    assert api.get("/v2/tasks", params={"name": "cut-before"}).json()["tasks"] == []


def test_fault_filters_seed_and_latency(sandbox: Sandbox) -> None:
    api = sandbox.control()
    sandbox.faults(rate=1, statuses=[429], retry_after=3, paths=["/v2/projects"])
    limited = api.get("/v2/projects")
    assert_problem(limited, 429)
    assert limited.headers["retry-after"] == "3"
    assert api.get("/v2/spaces").status_code == 200

    def sequence() -> list[int]:
        sandbox.faults(rate=0.5, statuses=[500, 503], seed=123)
        return [api.get("/v2/spaces").status_code for _ in range(20)]

    first = sequence()
    assert first == sequence()
    assert {200, 500, 503} <= set(first) | {200}
    assert any(status != 200 for status in first) and 200 in first

    sandbox.faults(latency_ms=150)
    started = time.perf_counter()
    assert api.get("/v2/spaces").status_code == 200
    assert time.perf_counter() - started >= 0.15
    started = time.perf_counter()
    api.get("/_sandbox/requests")
    assert time.perf_counter() - started < 0.15
    sandbox.clear_faults()
    bad = api.post("/_sandbox/faults", json={"rate": 2})
    assert_problem(bad, 400, "rate")


def test_out_of_band_deletes(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    api = sandbox.control()
    task = api.post("/v2/tasks", json=evaluation_task(ids, "drifting")).json()
    on_dataset = api.post("/v2/tasks", json=dataset_task(ids, "on-dataset")).json()
    doomed = api.post("/v2/tasks", json=evaluation_task(ids, "doomed")).json()
    sandbox.delete_entity("task", doomed["id"])
    assert api.get(f"/v2/tasks/{doomed['id']}").status_code == 404

    sandbox.delete_entity("project", ids["project"])
    assert api.get(f"/v2/tasks/{task['id']}").status_code == 404  # a project's tasks go with it
    assert_problem(api.get("/v2/tasks", params={"project_id": ids["project"]}), 404, "project_id")
    assert_problem(api.post("/v2/tasks", json=evaluation_task(ids, "x")), 404, "project_id")

    sandbox.delete_entity("evaluators", ids["evaluators"]["relevance"])
    again = api.post("/v2/tasks", json=dataset_task(ids, "y"))
    assert_problem(again, 404, "evaluators[0].evaluator_id")

    sandbox.delete_entity("dataset", ids["dataset"])
    experiments = api.get("/v2/experiments", params={"dataset_id": ids["dataset"]})
    assert_problem(experiments, 404, "dataset_id")
    assert api.get(f"/v2/tasks/{on_dataset['id']}").status_code == 404

    sandbox.delete_entity("space", ids["space"])
    assert_problem(api.get("/v2/projects", params={"space_id": ids["space"]}), 404, "space_id")
    assert api.get("/v2/evaluators").json()["evaluators"] == []

    missing = api.delete(f"/_sandbox/entities/project/{ids['project']}")
    assert_problem(missing, 404)
    assert_problem(api.delete("/_sandbox/entities/widget/abc"), 404, "kind")


def test_openapi_document(sandbox_session: Sandbox) -> None:
    document = httpx.get(sandbox_session.base_url + "/openapi.json").json()
    paths = document["paths"]
    assert not [p for p in paths if p.startswith("/_sandbox")]
    assert set(paths) == {
        "/v2/tasks",
        "/v2/tasks/{task_id}",
        "/v2/tasks/{task_id}/trigger",
        "/v2/tasks/{task_id}/runs",
        "/v2/task-runs/{run_id}",
        "/v2/task-runs/{run_id}/cancel",
        "/v2/spaces",
        "/v2/spaces/{space_id}",
        "/v2/projects",
        "/v2/projects/{project_id}",
        "/v2/datasets",
        "/v2/datasets/{dataset_id}",
        "/v2/evaluators",
        "/v2/evaluators/{evaluator_id}",
        "/v2/evaluators/{evaluator_id}/versions",
        "/v2/experiments",
        "/v2/experiments/{experiment_id}",
        "/v2/ai-integrations",
        "/v2/ai-integrations/{integration_id}",
        "/v2/integrations",
        "/v2/integrations/{integration_id}",
    }
    create = paths["/v2/tasks"]["post"]
    assert "201" in create["responses"]
    assert "application/problem+json" in create["responses"]["409"]["content"]
    assert schema_of(create["requestBody"]) == {
        "oneOf": [
            {"$ref": "#/components/schemas/CreateEvaluationTaskRequest"},
            {"$ref": "#/components/schemas/CreateRunExperimentTaskRequest"},
        ],
        "title": "Body",
    }
    update = paths["/v2/tasks/{task_id}"]["patch"]["requestBody"]
    assert update["required"] is True
    assert schema_of(update) == {"$ref": "#/components/schemas/TaskUpdate"}
    trigger = paths["/v2/tasks/{task_id}/trigger"]["post"]["requestBody"]
    assert not trigger.get("required")
    assert {"$ref": "#/components/schemas/RunTrigger"} in schema_of(trigger)["anyOf"]
    schemas = document["components"]["schemas"]
    assert {"experiment_name", "data_start_time"} <= set(schemas["RunTrigger"]["properties"])
    assert {"run_configuration", "evaluators"} <= set(schemas["TaskUpdate"]["properties"])
    for ref in references(document):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def schema_of(request_body: dict[str, Any]) -> Any:
    return request_body["content"]["application/json"]["schema"]


def references(node: Any) -> list[str]:
    """Every ``$ref`` in a JSON document."""
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in references(value)]
    return []
