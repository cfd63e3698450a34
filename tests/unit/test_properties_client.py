"""Properties of the wire models and the client, over generated inputs (hypothesis)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arize_pulumi.tasks import InvalidArgumentError, TasksClient
from arize_pulumi.tasks.ids import encode_id
from arize_pulumi.tasks.models import LENIENT, Task, TaskRun

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40
)
ids = st.builds(
    encode_id,
    st.sampled_from(["Model", "Dataset", "Evaluator", "OnlineTask", "TaskRun"]),
    st.integers(min_value=1, max_value=10**6),
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4
    ),
)
timestamps = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=(moment.microsecond // 1000) * 1000))
casing = st.sampled_from([str.upper, str.lower, str.title])


@st.composite
def task_bodies(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["TEMPLATE_EVALUATION", "CODE_EVALUATION"]))
    on_project = draw(st.booleans())
    body: dict[str, Any] = {
        "id": draw(ids),
        "name": draw(names),
        "type": draw(casing)(kind),
        "is_continuous": draw(st.booleans()) if on_project else False,
        "evaluators": [
            {
                "evaluator_id": evaluator,
                "evaluator_name": draw(names),
                "query_filter": draw(st.none() | names),
                "column_mappings": draw(st.none() | st.dictionaries(names, names, max_size=3)),
                "evaluator_version_id": draw(st.none() | ids),
            }
            for evaluator in draw(st.lists(ids, min_size=1, max_size=3, unique=True))
        ],
        "experiment_ids": [] if on_project else draw(st.lists(ids, min_size=1, max_size=3)),
        "created_at": draw(timestamps).isoformat(),
        "updated_at": draw(timestamps).isoformat(),
        "query_filter": draw(st.none() | names),
        "last_run_at": draw(st.none() | timestamps.map(datetime.isoformat)),
        "project_id": draw(ids) if on_project else None,
        "dataset_id": None if on_project else draw(ids),
        "sampling_rate": draw(st.floats(0, 1)) if on_project else None,
        "an_unknown_key": draw(st.integers()),
    }
    return body


@SETTINGS
@given(task_bodies())
def test_tasks_round_trip_through_json(body: dict[str, Any]) -> None:
    task = Task.model_validate(body, context=LENIENT)
    again = Task.model_validate_json(task.model_dump_json())
    assert again == task
    assert again.type == body["type"].upper()
    assert "an_unknown_key" not in task.model_dump()


@SETTINGS
@given(
    status=st.sampled_from(["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]),
    case=casing,
    counts=st.tuples(*(st.integers(min_value=0, max_value=10**6),) * 3),
    created=timestamps,
    reason=st.none() | names,
)
def test_runs_round_trip_through_json(
    status: str, case: Any, counts: tuple[int, int, int], created: datetime, reason: str | None
) -> None:
    run = TaskRun.model_validate(
        {
            "id": encode_id("TaskRun", 1, "abcd"),
            "task_id": encode_id("OnlineTask", 1, "abcd"),
            "status": case(status),
            "num_successes": counts[0],
            "num_errors": counts[1],
            "num_skipped": counts[2],
            "created_at": created.isoformat(),
            "failure_reason": reason,
        },
        context=LENIENT,
    )
    assert TaskRun.model_validate_json(run.model_dump_json()) == run
    assert run.is_terminal == (status in {"COMPLETED", "FAILED", "CANCELLED"})


def _recording_client() -> tuple[TasksClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500)

    client = TasksClient(
        api_key="property-key",
        base_url="http://arize.invalid",
        space="demo-space",
        transport=httpx.MockTransport(handler),
        warn_alpha=False,
    )
    return client, seen


bad_rates = st.floats(allow_nan=True, allow_infinity=True).filter(
    lambda rate: math.isnan(rate) or rate < 0 or rate > 1
)


@st.composite
def invalid_evaluation_calls(draw: st.DrawFn) -> dict[str, Any]:
    """Arguments of create_evaluation_task with at least one rule broken."""
    arguments: dict[str, Any] = {
        "name": draw(names),
        "type": draw(st.sampled_from(["template_evaluation", "CODE_EVALUATION"])),
        "evaluators": ["hallucination"],
        "project": "chatbot-prod",
    }
    broken = draw(
        st.sampled_from(
            ["rate", "both", "neither", "no_evaluators", "experiments", "type", "name", "dup"]
        )
    )
    if broken == "rate":
        arguments["sampling_rate"] = draw(bad_rates)
    elif broken == "both":
        arguments["dataset"] = draw(names)
    elif broken == "neither":
        del arguments["project"]
    elif broken == "no_evaluators":
        arguments["evaluators"] = []
    elif broken == "experiments":
        arguments["experiment_ids"] = draw(st.lists(names, min_size=1, max_size=2))
    elif broken == "type":
        arguments["type"] = draw(
            names.filter(
                lambda t: (
                    t.upper() not in {"TEMPLATE_EVALUATION", "CODE_EVALUATION", "RUN_EXPERIMENT"}
                )
            )
        )
    elif broken == "name":
        arguments["name"] = ""
    else:
        evaluator = draw(names)
        arguments["evaluators"] = [evaluator, evaluator]
    return arguments


@SETTINGS
@given(invalid_evaluation_calls())
def test_invalid_creates_never_reach_the_transport(arguments: dict[str, Any]) -> None:
    client, seen = _recording_client()
    with client, pytest.raises(InvalidArgumentError) as failed:
        client.create_evaluation_task(**arguments)
    assert seen == []
    assert failed.value.field
    assert "property-key" not in str(failed.value)


@SETTINGS
@given(
    start=timestamps,
    span=st.timedeltas(min_value=timedelta(days=30, seconds=1), max_value=timedelta(days=400))
    | st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(0)),
)
def test_invalid_trigger_windows_never_reach_the_transport(
    start: datetime, span: timedelta
) -> None:
    client, seen = _recording_client()
    with client, pytest.raises(InvalidArgumentError) as failed:
        client.trigger_run(
            encode_id("OnlineTask", 1, "abcd"),
            task_type="template_evaluation",
            data_start_time=start,
            data_end_time=start + span,
        )
    assert seen == []
    assert "data_start_time" in failed.value.field or "data_start_time" in str(failed.value)
