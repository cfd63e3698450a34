"""Trace/session evaluation tasks with the real CLI: a task with named queries
(``query_filters``) and evaluators with ``query_mappings`` round-trips through up, an
unchanged preview, an update in place, drift found by refresh, a switch back to the span shape
and destroy; bad trace input is refused at preview, naming the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pulumi import automation as auto

from tests.e2e import programs
from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.e2e

WRITES = ("POST ", "PATCH ", "DELETE ")


def server_task(sandbox: Sandbox, task_id: str) -> dict[str, Any]:
    response = sandbox.control().get(f"/v2/tasks/{task_id}")
    response.raise_for_status()
    return dict(response.json())


def server_tasks(sandbox: Sandbox) -> list[dict[str, Any]]:
    response = sandbox.control().get("/v2/tasks", params={"space_name": "demo-space"})
    response.raise_for_status()
    return list(response.json()["tasks"])


def ops(preview: auto.PreviewResult) -> dict[str, int]:
    """The change summary without the untouched stack resource."""
    return {str(op): n for op, n in preview.change_summary.items() if op != "same"}


def mappings(task: dict[str, Any]) -> list[tuple[str, list[str], str]]:
    """The one evaluator's query mappings, comparable whatever their order."""
    (evaluator,) = task["evaluators"]
    return sorted(
        (m["variable_name"], sorted(m["query_ids"]), m["attribute_path"])
        for m in evaluator["query_mappings"] or []
    )


def filters(task: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["filter"] for f in task["query_filters"]["filters"]}


CHANGED: dict[str, Any] = copy.deepcopy(programs.TRACE_EVAL)
CHANGED["query_filters"] = {
    "filters": [
        {"id": "A", "filter": "attributes.openinference.span.kind = 'LLM'"},
        {"id": "B", "filter": "attributes.openinference.span.kind = 'RETRIEVER'"},
        {"id": "C", "filter": "attributes.openinference.span.kind = 'TOOL'"},
    ],
    "expression": "A AND (B OR C)",
}
CHANGED["evaluators"][0]["query_mappings"] = [
    {"variable_name": "input", "query_ids": ["A"], "attribute_path": "attributes.input.value"},
    {"variable_name": "output", "query_ids": [], "attribute_path": "attributes.output.value"},
    {
        "variable_name": "reference",
        "query_ids": ["B", "C"],
        "attribute_path": "attributes.retrieval.documents",
    },
]

SPAN: dict[str, Any] = {
    "type": "template_evaluation",
    "project": "chatbot-prod",
    "sampling_rate": 0.5,
    "query_filter": "metadata.environment = 'production'",
    "evaluators": [
        {"evaluator": "hallucination", "column_mappings": {"input": "attributes.input.value"}}
    ],
}


def test_a_trace_task_round_trips(make_stack: MakeStack, sandbox: Sandbox) -> None:
    stack = make_stack(programs.tasks({"trace": programs.TRACE_EVAL}))
    stack.up()
    task_id = stack.outputs()["trace.task_id"]
    live = server_task(sandbox, task_id)
    assert live["query_filter"] is None
    assert live["query_filters"]["expression"] == "A AND B"
    assert set(filters(live)) == {"A", "B"}
    assert mappings(live) == [
        ("input", ["A"], "attributes.input.value"),
        ("reference", ["B"], "attributes.retrieval.documents"),
    ]

    # Unchanged: no change and not one API request.
    sandbox.reset_requests()
    stack.preview(expect_no_changes=True)
    assert sandbox.total_requests() == 0

    # A new query, a new expression and new mappings: one PATCH, in place.
    stack.program = programs.tasks({"trace": CHANGED})
    assert ops(stack.preview()) == {"update": 1}
    sandbox.reset_requests()
    stack.up()
    counts = sandbox.requests()
    assert {k: n for k, n in counts.items() if k.startswith(WRITES)} == {
        "PATCH /v2/tasks/{task_id}": 1
    }
    assert stack.outputs()["trace.task_id"] == task_id
    live = server_task(sandbox, task_id)
    assert live["query_filters"]["expression"] == "A AND (B OR C)"
    assert set(filters(live)) == {"A", "B", "C"}
    assert mappings(live) == [
        ("input", ["A"], "attributes.input.value"),
        ("output", [], "attributes.output.value"),
        ("reference", ["B", "C"], "attributes.retrieval.documents"),
    ]
    # The same declaration with its filters and mappings in another order is no change.
    reordered = copy.deepcopy(CHANGED)
    reordered["query_filters"]["filters"].reverse()
    reordered["evaluators"][0]["query_mappings"].reverse()
    reordered["evaluators"][0]["query_mappings"][0]["query_ids"].reverse()
    stack.program = programs.tasks({"trace": reordered})
    stack.preview(expect_no_changes=True)

    # Someone narrows the task by hand; refresh finds it and up puts the declaration back.
    (evaluator,) = live["evaluators"]
    patched = sandbox.control().patch(
        f"/v2/tasks/{task_id}",
        json={
            "query_filters": {"filters": [{"id": "A", "filter": "attributes.llm.model = 'x'"}]},
            "evaluators": [
                {
                    "evaluator_id": evaluator["evaluator_id"],
                    "query_mappings": [
                        {
                            "variable_name": "input",
                            "query_ids": ["A"],
                            "attribute_path": "attributes.llm.input",
                        }
                    ],
                }
            ],
        },
    )
    assert patched.status_code == 200, patched.text
    refreshed = stack.refresh()
    assert (refreshed.summary.resource_changes or {}).get(auto.OpType.UPDATE) == 1
    assert ops(stack.preview()) == {"update": 1}
    stack.up()
    live = server_task(sandbox, task_id)
    assert live["query_filters"]["expression"] == "A AND (B OR C)"
    assert set(filters(live)) == {"A", "B", "C"}
    assert len(mappings(live)) == 3
    stack.preview(expect_no_changes=True)

    # Back to a span task: still the same task, updated in place.
    stack.program = programs.tasks({"trace": SPAN})
    assert ops(stack.preview()) == {"update": 1}
    stack.up()
    assert stack.outputs()["trace.task_id"] == task_id
    live = server_task(sandbox, task_id)
    assert live["query_filters"] is None
    assert live["query_filter"] == SPAN["query_filter"]
    (evaluator,) = live["evaluators"]
    assert evaluator["column_mappings"] == {"input": "attributes.input.value"}
    assert not evaluator.get("query_mappings")
    stack.preview(expect_no_changes=True)

    # And a span task becomes a trace task the same way.
    stack.program = programs.tasks({"trace": programs.TRACE_EVAL})
    assert ops(stack.preview()) == {"update": 1}
    stack.up()
    assert stack.outputs()["trace.task_id"] == task_id
    live = server_task(sandbox, task_id)
    assert live["query_filter"] is None
    assert set(filters(live)) == {"A", "B"}

    stack.destroy()
    assert server_tasks(sandbox) == []


def _two_filters_without_expression() -> dict[str, Any]:
    inputs = copy.deepcopy(programs.TRACE_EVAL)
    del inputs["query_filters"]["expression"]
    return inputs


def _undeclared_query_id() -> dict[str, Any]:
    inputs = copy.deepcopy(programs.TRACE_EVAL)
    inputs["evaluators"][0]["query_mappings"][0]["query_ids"] = ["D"]
    return inputs


BAD_TRACE_INPUT: list[tuple[str, dict[str, Any], str]] = [
    (
        "two filters without expression",
        _two_filters_without_expression(),
        "query_filters.expression",
    ),
    (
        "mapping names an undeclared id",
        _undeclared_query_id(),
        "evaluators[0].query_mappings[0].query_ids",
    ),
    (
        "query_filter with query_filters",
        {**programs.TRACE_EVAL, "query_filter": "metadata.environment = 'production'"},
        "query_filter, query_filters",
    ),
]


def test_bad_trace_input_is_refused_at_preview(make_stack: MakeStack, sandbox: Sandbox) -> None:
    """One stack, one preview per bad program: each fails naming the resource and the field,
    and nothing is written."""
    stack = make_stack(programs.tasks({}))
    for case, inputs, field in BAD_TRACE_INPUT:
        stack.program = programs.tasks({"bad-trace": inputs})
        sandbox.reset_requests()
        with pytest.raises(auto.CommandError) as failed:
            stack.preview()
        message = str(failed.value)
        assert "bad-trace" in message, (case, message)
        assert field in message, (case, message)
        writes = {k: n for k, n in sandbox.requests().items() if k.startswith(WRITES)}
        assert writes == {}, case
