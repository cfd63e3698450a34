"""The lookups Arize's official SDK makes, served by a sandbox process: GET by ID of spaces,
projects, datasets, evaluators (with a version, and their version list) and experiments; AI
integrations and integrations; ``space_id`` on experiments, ``project_type`` on projects, and
``space_name`` as a substring filter that may match nothing.

Each answer carries the fields of the official SDK's generated model of it (the conformance
tier reads them with the SDK itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from arize_pulumi.tasks.ids import id_kind
from tests.support.api import assert_problem, run_experiment_task
from tests.support.sandbox import Sandbox, start_sandbox

pytestmark = pytest.mark.integration

MISSING = {
    "space": "U3BhY2U6OTk5OTk5OmFiY2Q=",
    "project": "TW9kZWw6OTk5OTk5OmFiY2Q=",
    "dataset": "RGF0YXNldDo5OTk5OTk6YWJjZA==",
    "evaluator": "RXZhbHVhdG9yOjk5OTk5OTphYmNk",
    "experiment": "RXhwZXJpbWVudDo5OTk5OTk6YWJjZA==",
    "integration": "QWlJbnRlZ3JhdGlvbjo5OTk5OTk6YWJjZA==",
}

OTHER_SPACE = {
    "name": "Other-Space",
    "projects": [
        {"name": "harness-sessions", "project_type": "HARNESS"},
        {"name": "untyped"},
    ],
    "datasets": [{"name": "other-set", "experiments": [{"name": "other-experiment"}]}],
    "evaluators": [{"name": "other-judge", "type": "REMOTE"}],
    "ai_integrations": [
        {"name": "claude", "type": "LLM", "provider": "ANTHROPIC"},
        {"name": "gemini", "type": "LLM", "provider": "GEMINI", "model_names": ["gemini-pro"]},
        {"name": "other-agent", "type": "AGENT"},
    ],
}

KEYS = {
    "space": {"id", "organization_id", "name", "description", "created_at", "is_private"},
    "project": {"id", "name", "space_id", "created_at", "project_type"},
    "dataset": {"id", "name", "space_id", "created_at", "updated_at", "versions"},
    "dataset_version": {"id", "name", "dataset_id", "created_at", "updated_at"},
    "evaluator": {
        "id",
        "name",
        "description",
        "type",
        "space_id",
        "created_at",
        "updated_at",
        "created_by_user_id",
    },
    "version": {
        "id",
        "evaluator_id",
        "commit_hash",
        "commit_message",
        "created_at",
        "created_by_user_id",
        "type",
    },
    "experiment": {
        "id",
        "name",
        "space_id",
        "dataset_id",
        "dataset_version_id",
        "created_at",
        "updated_at",
        "experiment_traces_project_id",
        "integration_id",
    },
    "ai_integration": {
        "id",
        "name",
        "provider",
        "has_api_key",
        "base_url",
        "model_names",
        "headers",
        "enable_default_models",
        "function_calling_enabled",
        "auth_type",
        "provider_metadata",
        "scopings",
        "created_at",
        "updated_at",
        "created_by_user_id",
    },
    "integration": {
        "id",
        "type",
        "name",
        "scopings",
        "created_at",
        "updated_at",
        "created_by_user_id",
        "config",
    },
}
"""The fields of the official generated models (``arize/_generated/api_client/models``) that
the sandbox answers; ``Space`` also has UI settings the sandbox has nothing to say about."""

VERSION_CONFIG = {
    "TEMPLATE": "template_config",
    "CODE": "code_config",
    "REMOTE": "remote_config",
    "HARNESS": None,
}


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    sandbox = start_sandbox()
    try:
        sandbox.seed({"spaces": [OTHER_SPACE]})
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def api(server: Sandbox) -> httpx.Client:
    return server.control()


@pytest.fixture(scope="module")
def world(server: Sandbox) -> dict[str, Any]:
    """Both spaces of the seed, by name, with IDs."""
    return {space["name"]: space for space in server.world()["spaces"]}


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def pages(api: httpx.Client, path: str, key: str, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of a list, following ``next_cursor``."""
    found: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = ok(api.get(path, params=query))
        found.append(body[key])
        if not body["pagination"]["has_more"]:
            assert "next_cursor" not in body["pagination"]
            return found
        cursor = body["pagination"]["next_cursor"]


def test_spaces_by_id_and_by_name(api: httpx.Client, world: dict[str, Any]) -> None:
    demo = world["demo-space"]
    got = ok(api.get(f"/v2/spaces/{demo['id']}"))
    assert set(got) == KEYS["space"]
    assert (got["id"], got["name"], got["is_private"]) == (demo["id"], "demo-space", False)
    assert id_kind(got["organization_id"]) == "Organization"
    listed = ok(api.get("/v2/spaces", params={"name": "SPACE"}))["spaces"]
    assert [s["name"] for s in listed] == ["demo-space", "Other-Space"]
    assert listed[0] == got
    assert [[s["name"] for s in p] for p in pages(api, "/v2/spaces", "spaces", limit=1)] == [
        ["demo-space"],
        ["Other-Space"],
    ]
    assert ok(api.get("/v2/spaces", params={"name": "nothing-like-it"}))["spaces"] == []
    assert_problem(api.get(f"/v2/spaces/{MISSING['space']}"), 404, "space_id")
    assert_problem(api.get(f"/v2/spaces/{demo['projects'][0]['id']}"), 404, "space_id")


def test_projects_by_id_type_and_space_name(api: httpx.Client, world: dict[str, Any]) -> None:
    other = world["Other-Space"]
    harness, untyped = other["projects"]
    got = ok(api.get(f"/v2/projects/{harness['id']}"))
    assert set(got) == KEYS["project"]
    assert (got["name"], got["space_id"], got["project_type"]) == (
        "harness-sessions",
        other["id"],
        "HARNESS",
    )
    assert ok(api.get(f"/v2/projects/{untyped['id']}"))["project_type"] is None
    by_type = ok(api.get("/v2/projects", params={"project_type": "APPLICATION"}))["projects"]
    assert [p["name"] for p in by_type] == ["chatbot-prod"]
    in_other = ok(api.get("/v2/projects", params={"space_name": "other-SPACE"}))["projects"]
    assert [p["name"] for p in in_other] == ["harness-sessions", "untyped"]
    both = ok(api.get("/v2/projects", params={"space_name": "space", "project_type": "HARNESS"}))
    assert [p["id"] for p in both["projects"]] == [harness["id"]]
    nowhere = ok(api.get("/v2/projects", params={"space_name": "no-space-is-named-this"}))
    assert nowhere == {"projects": [], "pagination": {"has_more": False}}
    assert_problem(api.get("/v2/projects", params={"project_type": "LLM"}), 400, "project_type")
    assert_problem(api.get("/v2/projects", params={"space_id": MISSING["space"]}), 404, "space_id")
    assert_problem(api.get(f"/v2/projects/{MISSING['project']}"), 404, "project_id")


def test_datasets_by_id_with_versions(api: httpx.Client, world: dict[str, Any]) -> None:
    dataset = world["demo-space"]["datasets"][0]
    got = ok(api.get(f"/v2/datasets/{dataset['id']}"))
    assert set(got) == KEYS["dataset"]
    (version,) = got["versions"]
    assert set(version) == KEYS["dataset_version"]
    assert version["dataset_id"] == dataset["id"] and id_kind(version["id"]) == "DatasetVersion"
    experiment = ok(api.get(f"/v2/experiments/{dataset['experiments'][0]['id']}"))
    assert experiment["dataset_version_id"] == version["id"]
    listed = ok(api.get("/v2/datasets", params={"space_name": "DEMO"}))["datasets"]
    assert listed == [got]
    for params in ({"space_name": "nope-nope"}, {"space_name": "demo", "name": "other"}):
        assert ok(api.get("/v2/datasets", params=params))["datasets"] == []
    assert_problem(api.get(f"/v2/datasets/{MISSING['dataset']}"), 404, "dataset_id")


def test_evaluators_of_every_type_with_their_versions(
    api: httpx.Client, world: dict[str, Any]
) -> None:
    demo = world["demo-space"]
    listed = ok(api.get("/v2/evaluators", params={"space_id": demo["id"]}))["evaluators"]
    assert {e["name"]: e["type"] for e in listed} == {
        "hallucination": "TEMPLATE",
        "relevance": "TEMPLATE",
        "json-valid": "CODE",
        "harness-check": "HARNESS",
        "remote-judge": "REMOTE",
    }
    seeded_versions = {e["id"]: e["version_ids"] for e in demo["evaluators"]}
    for evaluator in listed:
        assert set(evaluator) == KEYS["evaluator"]
        got = ok(api.get(f"/v2/evaluators/{evaluator['id']}"))
        assert {k: v for k, v in got.items() if k != "version"} == evaluator
        version = got["version"]
        config = VERSION_CONFIG[evaluator["type"]]
        assert set(version) == KEYS["version"] | ({config} if config else set())
        assert version["type"] == evaluator["type"]
        assert version["evaluator_id"] == evaluator["id"]
        assert version["id"] == seeded_versions[evaluator["id"]][-1]
        versions = ok(api.get(f"/v2/evaluators/{evaluator['id']}/versions"))
        assert versions == {"evaluator_versions": [version], "pagination": {"has_more": False}}
        pinned = api.get(f"/v2/evaluators/{evaluator['id']}", params={"version_id": version["id"]})
        assert ok(pinned)["version"] == version
    template = ok(api.get(f"/v2/evaluators/{listed[0]['id']}"))["version"]["template_config"]
    assert template["name"] == "hallucination" and "{output}" in template["template"]
    code = ok(api.get(f"/v2/evaluators/{listed[2]['id']}"))["version"]["code_config"]
    assert code["type"] == "CUSTOM"

    other_version = seeded_versions[listed[1]["id"]][0]
    wrong = api.get(f"/v2/evaluators/{listed[0]['id']}", params={"version_id": other_version})
    assert_problem(wrong, 404, "version_id")
    assert_problem(api.get(f"/v2/evaluators/{MISSING['evaluator']}"), 404, "evaluator_id")
    missing_versions = api.get(f"/v2/evaluators/{MISSING['evaluator']}/versions")
    assert_problem(missing_versions, 404, "evaluator_id")
    assert_problem(api.get(f"/v2/evaluators/{listed[0]['id']}/versions?limit=0"), 400, "limit")
    bad_cursor = api.get(f"/v2/evaluators/{listed[0]['id']}/versions", params={"cursor": "x"})
    assert_problem(bad_cursor, 400, "cursor")
    assert [e["name"] for e in pages(api, "/v2/evaluators", "evaluators", limit=2)[0]] == [
        "hallucination",
        "relevance",
    ]


def test_experiments_by_space_and_by_id(
    server: Sandbox, api: httpx.Client, world: dict[str, Any]
) -> None:
    demo, other = world["demo-space"], world["Other-Space"]
    baseline = demo["datasets"][0]["experiments"][0]
    got = ok(api.get(f"/v2/experiments/{baseline['id']}"))
    assert set(got) == KEYS["experiment"]
    assert (got["name"], got["space_id"], got["dataset_id"]) == (
        "baseline",
        demo["id"],
        demo["datasets"][0]["id"],
    )
    in_other = ok(api.get("/v2/experiments", params={"space_id": other["id"]}))["experiments"]
    assert [e["name"] for e in in_other] == ["other-experiment"]
    mixed = {"space_id": other["id"], "dataset_id": demo["datasets"][0]["id"]}
    assert ok(api.get("/v2/experiments", params=mixed))["experiments"] == []
    everywhere = ok(api.get("/v2/experiments"))["experiments"]
    assert {e["name"] for e in everywhere} == {"baseline", "other-experiment"}
    missing_space = api.get("/v2/experiments", params={"space_id": MISSING["space"]})
    assert_problem(missing_space, 404, "space_id")
    assert_problem(api.get(f"/v2/experiments/{MISSING['experiment']}"), 404, "experiment_id")

    # An experiment a run makes is found by ID once the run is running, not before.
    ids = server.ids()
    task = api.post("/v2/tasks", json=run_experiment_task(ids, "makes-an-experiment")).json()
    server.clock.freeze()
    try:
        run = api.post(f"/v2/tasks/{task['id']}/trigger", json={"experiment_name": "made"}).json()
        assert ok(api.get("/v2/experiments", params={"space_id": demo["id"], "name": "made"})) == {
            "experiments": [],
            "pagination": {"has_more": False},
        }
        server.clock.advance(5)
        made_id = ok(api.get(f"/v2/task-runs/{run['id']}"))["experiment_id"]
        made = ok(api.get(f"/v2/experiments/{made_id}"))
        assert (made["name"], made["space_id"]) == ("made", demo["id"])
    finally:
        server.clock.resume()


def test_ai_integrations(api: httpx.Client, world: dict[str, Any]) -> None:
    demo, other = world["demo-space"], world["Other-Space"]
    listed = ok(api.get("/v2/ai-integrations"))["ai_integrations"]
    assert [i["name"] for i in listed] == ["gemini", "claude", "openai-default"]  # newest first
    for integration in listed:
        assert set(integration) == KEYS["ai_integration"]
        assert integration["has_api_key"] is True and integration["auth_type"] == "DEFAULT"
        assert ok(api.get(f"/v2/ai-integrations/{integration['id']}")) == integration
    assert {i["name"]: i["provider"] for i in listed} == {
        "gemini": "GEMINI",
        "claude": "ANTHROPIC",
        "openai-default": "OPEN_AI",
    }
    in_demo = ok(api.get("/v2/ai-integrations", params={"space_id": demo["id"]}))
    (openai,) = in_demo["ai_integrations"]
    assert openai["model_names"] == ["gpt-4o-mini", "gpt-4o"]
    assert openai["scopings"] == [{"organization_id": openai["scopings"][0]["organization_id"],
                                   "space_id": demo["id"]}]  # fmt: skip
    by_name = ok(api.get("/v2/ai-integrations", params={"space_name": "other", "name": "CLAU"}))
    assert [i["name"] for i in by_name["ai_integrations"]] == ["claude"]
    nowhere = ok(api.get("/v2/ai-integrations", params={"space_name": "no-such-space"}))
    assert nowhere == {"ai_integrations": [], "pagination": {"has_more": False}}
    paged = pages(api, "/v2/ai-integrations", "ai_integrations", space_id=other["id"], limit=1)
    assert [[i["name"] for i in p] for p in paged] == [["gemini"], ["claude"]]
    agent_id = {i["name"]: i["id"] for i in demo["ai_integrations"]}["agent-default"]
    assert_problem(api.get(f"/v2/ai-integrations/{agent_id}"), 404, "integration_id")
    assert_problem(api.get(f"/v2/ai-integrations/{MISSING['integration']}"), 404)
    missing_space = api.get("/v2/ai-integrations", params={"space_id": MISSING["space"]})
    assert_problem(missing_space, 404, "space_id")


def test_integrations(api: httpx.Client, world: dict[str, Any]) -> None:
    demo, other = world["demo-space"], world["Other-Space"]
    listed = ok(api.get("/v2/integrations"))["integrations"]
    assert [(i["name"], i["type"]) for i in listed] == [
        ("other-agent", "AGENT"),
        ("gemini", "LLM"),
        ("claude", "LLM"),
        ("agent-default", "AGENT"),
        ("openai-default", "LLM"),
    ]
    for integration in listed:
        extra = {"description"} if integration["type"] == "AGENT" else set()
        assert set(integration) == KEYS["integration"] | extra
        assert ok(api.get(f"/v2/integrations/{integration['id']}")) == integration
    agents = ok(api.get("/v2/integrations", params={"type": "AGENT", "space_id": demo["id"]}))
    (agent,) = agents["integrations"]
    assert agent["name"] == "agent-default"
    assert set(agent["config"]) == {"endpoint", "has_headers", "input_schema", "request_presets"}
    llms = ok(api.get("/v2/integrations", params={"type": "LLM", "space_name": "OTHER"}))
    assert [(i["name"], i["config"]["provider"]) for i in llms["integrations"]] == [
        ("gemini", "GEMINI"),
        ("claude", "ANTHROPIC"),
    ]
    assert ok(api.get("/v2/integrations", params={"type": "EVALUATOR"}))["integrations"] == []
    by_name = ok(api.get("/v2/integrations", params={"name": "AGENT", "space_id": other["id"]}))
    assert [i["name"] for i in by_name["integrations"]] == ["other-agent"]
    nowhere = ok(api.get("/v2/integrations", params={"space_name": "no-such-space"}))
    assert nowhere == {"integrations": [], "pagination": {"has_more": False}}
    paged = pages(api, "/v2/integrations", "integrations", limit=2)
    assert [len(p) for p in paged] == [2, 2, 1]
    assert [i["id"] for p in paged for i in p] == [i["id"] for i in listed]
    assert_problem(api.get("/v2/integrations", params={"type": "WEBHOOK"}), 400, "type")
    assert_problem(api.get("/v2/integrations", params={"kind": "LLM"}), 400, "kind")
    assert_problem(api.get(f"/v2/integrations/{MISSING['integration']}"), 404, "integration_id")


def test_lookups_need_the_key(server: Sandbox, world: dict[str, Any]) -> None:
    demo = world["demo-space"]
    for path in (
        f"/v2/spaces/{demo['id']}",
        f"/v2/projects/{demo['projects'][0]['id']}",
        "/v2/ai-integrations",
        "/v2/integrations",
    ):
        assert_problem(httpx.get(server.base_url + path), 401, "Authorization")
