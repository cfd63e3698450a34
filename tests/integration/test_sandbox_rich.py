"""Rich answers (``--rich-answers``, ``/_sandbox/rich-answers``) and planted tasks
(``/_sandbox/raw/tasks``): answers as rich as the real API's, and what the client reads of them."""

from __future__ import annotations

import select
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from arize_pulumi.sandbox.rich import UNKNOWN_KEY, UNKNOWN_VALUE
from arize_pulumi.tasks import TasksClient
from arize_pulumi.tasks.models import AgentCallConfig, TaskType
from tests.support.api import assert_problem, evaluation_task, run_experiment_task
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration

FUTURE = {UNKNOWN_KEY: UNKNOWN_VALUE}
USER_MAPS = ("column_mappings", "provider_parameters", "input_template", "headers")
"""Maps of the user's own keys: never given an unknown key."""


def objects(value: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object of a JSON document except the users' own maps and the unknown values."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            if key not in USER_MAPS and key != UNKNOWN_KEY:
                yield from objects(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from objects(item, f"{path}[{index}]")


def assert_rich(document: Any) -> None:
    for path, obj in objects(document):
        assert obj.get(UNKNOWN_KEY) == UNKNOWN_VALUE, path


def assert_plain(document: Any) -> None:
    for path, obj in objects(document):
        assert UNKNOWN_KEY not in obj, path


def rich(sandbox: Sandbox, enabled: bool) -> None:
    switched = sandbox.call("POST", "/_sandbox/rich-answers", json={"enabled": enabled}).json()
    assert switched == {"enabled": enabled}


def trace_task(ids: dict[str, Any], name: str) -> dict[str, Any]:
    return evaluation_task(
        ids,
        name,
        query_filters={"filters": [{"id": "A", "filter": "span_kind = 'LLM'"}]},
        evaluators=[
            {
                "evaluator_id": ids["evaluators"]["hallucination"],
                "query_mappings": [
                    {"variable_name": "input", "query_ids": [], "attribute_path": "input.value"}
                ],
            }
        ],
    )


def test_rich_answers_are_off_until_switched_on(sandbox: Sandbox) -> None:
    api = sandbox.control()
    ids = sandbox.ids()
    assert sandbox.call("GET", "/_sandbox/rich-answers").json() == {"enabled": False}
    made = api.post("/v2/tasks", json=evaluation_task(ids, "plain")).json()
    assert_plain(made)
    assert_plain(api.get("/v2/tasks").json())

    rich(sandbox, True)
    assert sandbox.call("GET", "/_sandbox/rich-answers").json() == {"enabled": True}
    assert_rich(api.get(f"/v2/tasks/{made['id']}").json())
    assert_rich(api.get("/v2/spaces").json())
    # Control answers are never rewritten.
    assert UNKNOWN_KEY not in sandbox.call("GET", "/_sandbox/requests").json()

    rich(sandbox, False)
    assert_plain(api.get(f"/v2/tasks/{made['id']}").json())


def test_every_object_of_every_answer_is_rich_and_user_maps_are_untouched(
    sandbox: Sandbox,
) -> None:
    api = sandbox.control()
    ids = sandbox.ids()
    rich(sandbox, True)
    span = evaluation_task(
        ids,
        "span",
        evaluators=[
            {
                "evaluator_id": ids["evaluators"]["hallucination"],
                "column_mappings": {"input": "attributes.input.value"},
            }
        ],
    )
    experiment = run_experiment_task(ids, "experiment")
    experiment["run_configuration"]["messages"].append(
        {
            "role": "ASSISTANT",
            "tool_calls": [{"type": "FUNCTION", "function": {"name": "f", "arguments": "{}"}}],
        }
    )
    experiment["run_configuration"]["provider_parameters"] = {"region": "eu"}
    made = {}
    for body in (span, trace_task(ids, "trace"), experiment):
        response = api.post("/v2/tasks", json=body)
        assert response.status_code == 201, response.text
        assert_rich(response.json())
        made[body["name"]] = response.json()

    assert made["span"]["evaluators"][0]["column_mappings"] == {"input": "attributes.input.value"}
    assert made["span"]["experiment_ids"] is None  # empty list -> null
    assert made["span"]["evaluators"][0]["query_mappings"] is None
    assert made["trace"]["evaluators"][0]["query_mappings"][0]["query_ids"] is None
    config = made["experiment"]["run_configuration"]
    assert config["provider_parameters"] == {"region": "eu"}
    assert config["messages"][1]["tool_calls"][0]["id"] is None
    assert config["messages"][1]["content"] is None
    assert config["invocation_parameters"] is None
    for field in ("evaluators", "experiment_ids", "is_continuous", "sampling_rate"):
        assert made["experiment"][field] is None, field

    run = api.post(
        f"/v2/tasks/{made['span']['id']}/trigger",
        json={"data_start_time": "2026-01-01T00:00:00Z", "data_end_time": "2026-01-02T00:00:00Z"},
    )
    assert run.status_code in (200, 201, 202), run.text
    assert run.json()["experiment_id"] is None
    answers = [
        run.json(),
        api.get(f"/v2/task-runs/{run.json()['id']}").json(),
        api.get(f"/v2/tasks/{made['span']['id']}/runs").json(),
        api.get("/v2/tasks", params={"limit": 1}).json(),
        api.get("/v2/tasks", params={"space_id": ids["space"]}).json(),
        api.get("/v2/projects", params={"space_id": ids["space"]}).json(),
        api.get("/v2/datasets", params={"space_id": ids["space"]}).json(),
        api.get("/v2/evaluators", params={"space_id": ids["space"]}).json(),
        api.get("/v2/experiments", params={"dataset_id": ids["dataset"]}).json(),
    ]
    for answer in answers:
        assert_rich(answer)
    assert answers[3]["pagination"]["next_cursor"]  # a value stays a value
    assert answers[4]["pagination"]["next_cursor"] is None  # absent -> null

    problem = api.get("/v2/tasks/T25saW5lVGFzazo5OTk5OTk6YWJjZA==")
    assert_problem(problem, 404, "task_id")
    assert problem.json()[UNKNOWN_KEY] == UNKNOWN_VALUE
    # The rewritten body's length is what the header says (httpx would fail otherwise).
    assert int(problem.headers["content-length"]) == len(problem.content)


def test_the_flag_starts_the_server_with_rich_answers_on() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "arize_pulumi.sandbox", "--port", "0", "--rich-answers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "no banner"
        base_url = process.stdout.readline().split()[-1]
        headers = {"Authorization": "Bearer any"}
        with httpx.Client(base_url=base_url, headers=headers) as api:
            assert api.get("/_sandbox/rich-answers").json() == {"enabled": True}
            assert_rich(api.get("/v2/spaces").json())
            assert api.post("/_sandbox/rich-answers", json={"enabled": False}).is_success
            assert_plain(api.get("/v2/spaces").json())
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_planted_tasks_are_listed_read_and_deleted_with_their_own_keys(
    sandbox: Sandbox,
) -> None:
    api = sandbox.control()
    ids = sandbox.ids()
    future = {
        "name": "future-task",
        "type": "TRACE_REPLAY",
        "project_id": ids["project"],
        "x_replay": {"window": "7d", "sources": [{"kind": "otel"}]},
    }
    planted = api.post("/_sandbox/raw/tasks", json={"space": "demo-space", "task": future})
    assert planted.status_code == 201, planted.text
    body = planted.json()
    assert body["space_id"] == ids["space"]
    assert body["task"]["id"] == body["id"] and body["task"]["type"] == "TRACE_REPLAY"
    assert body["task"]["created_at"] and body["task"]["last_run_at"] is None

    odd_config = {
        "name": "odd-experiment",
        "type": "RUN_EXPERIMENT",
        "dataset_id": ids["dataset"],
        "experiment_ids": None,
        "is_continuous": None,
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": ids["ai_integration"],
            "input_variable_format": "F_STRING",
            "messages": [{"role": "USER", "content": "{q}", "cache_control": {"ttl": 60}}],
            "provider_parameters": None,
            "routing": {"fallbacks": ["gpt-4o"]},
        },
    }
    new_kind = {
        "name": "new-kind-experiment",
        "type": "RUN_EXPERIMENT",
        "dataset_id": ids["dataset"],
        "run_configuration": {"experiment_type": "WORKFLOW_CALL", "workflow_id": "wf-1"},
    }
    for document in (odd_config, new_kind):
        response = api.post("/_sandbox/raw/tasks", json={"space": ids["space"], "task": document})
        assert response.status_code == 201, response.text

    listed = {
        t["name"]: t for t in api.get("/v2/tasks", params={"space_name": "demo"}).json()["tasks"]
    }
    assert listed["future-task"]["x_replay"] == future["x_replay"]
    assert listed["future-task"]["type"] == "TRACE_REPLAY"
    config = listed["odd-experiment"]["run_configuration"]
    assert config["routing"] == {"fallbacks": ["gpt-4o"]}
    assert config["messages"][0]["cache_control"] == {"ttl": 60}
    assert listed["new-kind-experiment"]["run_configuration"] == new_kind["run_configuration"]
    assert api.get(f"/v2/tasks/{body['id']}").json()["x_replay"] == future["x_replay"]
    by_type = api.get("/v2/tasks", params={"project_id": ids["project"]}).json()["tasks"]
    assert [t["name"] for t in by_type] == ["future-task"]

    # The client reads them all, rich or not: lists, lookups by name and single reads.
    for enabled in (False, True):
        rich(sandbox, enabled)
        with TasksClient(
            sandbox.api_key, sandbox.base_url, space="demo-space", warn_alpha=False
        ) as client:
            tasks = {t.name: t for t in client.iter()}
            assert tasks["future-task"].type == "TRACE_REPLAY"
            assert tasks["odd-experiment"].type is TaskType.RUN_EXPERIMENT
            assert tasks["odd-experiment"].experiment_ids == []
            assert isinstance(tasks["new-kind-experiment"].run_configuration, dict)
            found = client.find("odd-experiment")
            assert found is not None and found.id == tasks["odd-experiment"].id
            assert client.get("future-task").id == body["id"]

    assert api.delete(f"/v2/tasks/{body['id']}").status_code == 204
    assert api.get(f"/v2/tasks/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"space": "demo-space", "task": {"type": "X"}}, 400, "task.name"),
        ({"space": "demo-space", "task": {"name": "t"}}, 400, "task.type"),
        ({"space": "demo-space", "task": {"name": "t", "type": "X", "id": "x"}}, 400, "task.id"),
        ({"space": "nowhere", "task": {"name": "t", "type": "X"}}, 404, "space"),
        (
            {"space": "demo-space", "task": {"name": "t", "type": "X", "project_id": "p"}},
            404,
            "task.project_id",
        ),
        ({"space": "demo-space", "task": {"name": "t", "type": "X"}, "more": 1}, 400, "more"),
    ],
)
def test_planting_refuses_what_cannot_be_stored(
    sandbox_session: Sandbox, body: dict[str, Any], status: int, field: str
) -> None:
    response = sandbox_session.control().post("/_sandbox/raw/tasks", json=body)
    assert response.status_code == status, response.text
    assert field in response.text


def test_a_planted_name_is_taken(sandbox: Sandbox) -> None:
    api = sandbox.control()
    api.post("/v2/tasks", json=evaluation_task(sandbox.ids(), "taken"))
    clash = api.post(
        "/_sandbox/raw/tasks", json={"space": "demo-space", "task": {"name": "taken", "type": "X"}}
    )
    assert_problem(clash, 409, "task.name")


def test_control_calls_are_not_counted(sandbox: Sandbox) -> None:
    sandbox.reset_requests()
    rich(sandbox, True)
    sandbox.call(
        "POST",
        "/_sandbox/raw/tasks",
        json={"space": "demo-space", "task": {"name": "n", "type": "X"}},
    )
    assert sandbox.total_requests() == 0
    started = time.monotonic()
    sandbox.control().get("/v2/tasks")
    assert sandbox.requests() == {"GET /v2/tasks": 1}
    assert time.monotonic() - started < 5


def test_a_write_through_the_api_ends_what_shows_through(sandbox: Sandbox) -> None:
    api = sandbox.control()
    ids = sandbox.ids()
    document = run_experiment_task(ids, "tuned")
    document["run_configuration"]["routing"] = {"fallbacks": ["gpt-4o"]}
    document["x_owner"] = "team-a"
    planted = api.post("/_sandbox/raw/tasks", json={"space": "demo-space", "task": document})
    task_id = planted.json()["id"]
    assert api.get(f"/v2/tasks/{task_id}").json()["run_configuration"]["routing"]

    renamed = api.patch(f"/v2/tasks/{task_id}", json={"name": "tuned-2"}).json()
    assert renamed["name"] == "tuned-2" and renamed["x_owner"] == "team-a"
    assert renamed["run_configuration"]["routing"] == {"fallbacks": ["gpt-4o"]}

    config = run_experiment_task(ids, "x")["run_configuration"]
    replaced = api.patch(f"/v2/tasks/{task_id}", json={"run_configuration": config}).json()
    assert "routing" not in replaced["run_configuration"]
    assert replaced["x_owner"] == "team-a"

    assert api.delete(f"/v2/tasks/{task_id}").status_code == 204
    assert api.get(f"/v2/tasks/{task_id}").status_code == 404


def test_the_client_reads_rich_trace_tasks_runs_and_lookups(sandbox: Sandbox) -> None:
    api = sandbox.control()
    ids = sandbox.ids()
    sandbox.seed(
        {"spaces": [{"name": "demo-space", "evaluators": [{"name": "judge", "type": "REMOTE"}]}]}
    )
    body = trace_task(ids, "trace")
    body["evaluators"][0]["query_mappings"][0]["query_ids"] = ["A"]
    task_id = api.post("/v2/tasks", json=body).json()["id"]
    rich(sandbox, True)
    with TasksClient(sandbox.api_key, sandbox.base_url, space="demo-space", warn_alpha=False) as c:
        task = c.get(task_id)
        assert task.query_filters is not None and task.query_filters.ids == {"A"}
        (evaluator,) = task.evaluators
        assert evaluator.query_mappings is not None
        assert evaluator.query_mappings[0].query_ids == ["A"]
        assert c.resolve_evaluator("judge").type == "REMOTE"
        assert c.resolve_project_id("chatbot-prod") == ids["project"]
        run = c.trigger_run(
            task_id,
            data_start_time=datetime(2026, 1, 1, tzinfo=UTC),
            data_end_time=datetime(2026, 1, 2, tzinfo=UTC),
        )
        assert c.get_run(run.id).task_id == task_id
        assert [r.id for r in c.iter_runs(task_id)] == [run.id]


def test_the_client_reads_an_empty_page_answered_as_null(sandbox: Sandbox) -> None:
    rich(sandbox, True)
    with TasksClient(sandbox.api_key, sandbox.base_url, space="demo-space", warn_alpha=False) as c:
        assert c.find("no-such-task") is None


def test_the_client_reads_query_ids_answered_as_null(sandbox: Sandbox) -> None:
    task_id = sandbox.control().post("/v2/tasks", json=trace_task(sandbox.ids(), "any")).json()
    rich(sandbox, True)
    with TasksClient(sandbox.api_key, sandbox.base_url, warn_alpha=False) as c:
        (evaluator,) = c.get(task_id["id"]).evaluators
        assert evaluator.query_mappings is not None
        assert evaluator.query_mappings[0].query_ids == []


def test_the_client_reads_an_empty_input_template_answered_as_null(sandbox: Sandbox) -> None:
    ids = sandbox.ids()
    config = {
        "experiment_type": "AGENT_CALL",
        "integration_id": ids["agent_integration"],
        "input_template": {},
    }
    body = run_experiment_task(ids, "agent", run_configuration=config)
    task_id = sandbox.control().post("/v2/tasks", json=body).json()["id"]
    rich(sandbox, True)
    with TasksClient(sandbox.api_key, sandbox.base_url, warn_alpha=False) as c:
        assert isinstance(c.get(task_id).run_configuration, AgentCallConfig)
