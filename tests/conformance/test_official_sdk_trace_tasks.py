"""Trace/session-granularity evaluation tasks through Arize's official SDK: ``query_filters`` on
the task, ``query_mappings`` on its evaluators, read back as the generated models read them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.official import Official

pytestmark = pytest.mark.conformance


def test_trace_shape_task_life(official: Official, ids: dict[str, Any]) -> None:
    seen = official.sdk(
        "trace_task",
        {
            "space": "demo-space",
            "project": "chatbot-prod",
            "name": "sdk-trace-task",
            "evaluators": ids["evaluators"],
        },
    )
    created = seen["created"]
    assert created["query_filters"] == {
        "filters": [
            {"id": "A", "filter": "span_kind = 'LLM'"},
            {"id": "B", "filter": "status_code = 'ERROR'"},
        ],
        "expression": "A AND NOT B",
    }
    assert "query_filter" not in created  # null beside query_filters
    (evaluator,) = created["evaluators"]
    assert evaluator["query_mappings"] == [
        {"variable_name": "input", "query_ids": ["A"], "attribute_path": "attributes.input.value"},
        {"variable_name": "output", "query_ids": [], "attribute_path": "attributes.output"},
    ]
    assert "column_mappings" not in evaluator
    assert seen["got"] == created
    assert [t["id"] for t in seen["listed"]] == [created["id"]]
    assert seen["listed"][0]["query_filters"]["filters"][0]["id"] == "A"

    updated = seen["updated"]
    assert updated["query_filters"]["filters"] == [{"id": "A", "filter": "span_kind = 'LLM'"}]
    assert updated["evaluators"][0]["query_mappings"] == [
        {"variable_name": "input", "query_ids": ["A"], "attribute_path": "input.value"}
    ]
    assert seen["waited"]["status"] == "COMPLETED"

    cleared = seen["cleared"]  # query_filters: null, back to the span shape
    assert "query_filters" not in cleared
    assert cleared["query_filter"] == "span_kind = 'LLM'"
    assert "query_mappings" not in cleared["evaluators"][0]

    # Arize's TaskQueryFilters: "When a client omits `expression` on a single-filter create,
    # GET echoes a synthesized expression equal to the lone query id".
    single = seen["single_filter"]["query_filters"]
    assert single == {"filters": [{"id": "A", "filter": "span_kind = 'LLM'"}], "expression": "A"}
