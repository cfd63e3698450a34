"""The field tables drive the providers: each row's rules show in behaviour, and the resource
classes, the validators and the README agree with the rows.

Every test here is parametrised by the rows, and each row needs its samples below, so a field
added without them, or a rule dropped from a row, fails a test.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, TypeVar

import pytest

from arize_pulumi.resources import (
    ProviderSettings,
    Task,
    TaskArgs,
    TaskArgsDict,
    TaskProvider,
    TaskRun,
    TaskRunArgs,
    TaskRunArgsDict,
    TaskRunProvider,
)
from arize_pulumi.resources._normalize import stable
from arize_pulumi.resources.fields import (
    TASK_FIELDS,
    TASK_RUN_FIELDS,
    Change,
    Drift,
    Field,
    Form,
)
from arize_pulumi.tasks import RetryPolicy, TasksClient
from arize_pulumi.tasks.models import (
    EVALUATION_TRIGGER_FIELDS,
    EVALUATION_UPDATE_FIELDS,
    RUN_EXPERIMENT_TRIGGER_FIELDS,
    RUN_EXPERIMENT_UPDATE_FIELDS,
)
from arize_pulumi.tasks.validation import TASK_ARGUMENTS
from tests.support.inprocess import API_KEY, BASE_URL, InProcessSandbox

README = Path(__file__).resolve().parents[2] / "README.md"
P = TypeVar("P", TaskProvider, TaskRunProvider)
EXTRA_SEED = {
    "spaces": [
        {
            "name": "demo-space",
            "projects": [{"name": "chatbot-staging"}],
            "datasets": [
                {"name": "golden-qa", "experiments": [{"name": "candidate"}]},
                {"name": "golden-qa-v2", "experiments": [{"name": "baseline-v2"}]},
            ],
        },
        {
            "name": "other-space",
            "projects": [{"name": "chatbot-prod"}],
            "evaluators": [{"name": "hallucination", "type": "TEMPLATE"}],
        },
    ]
}


@dataclasses.dataclass
class Arize:
    """A client on the sandbox app (in this process) and the seeded IDs by name."""

    client: TasksClient
    ids: dict[str, str]

    def wire(self, provider: P) -> P:
        provider._client_factory = lambda _settings: self.client
        provider._settings = ProviderSettings(
            api_key=API_KEY, base_url=BASE_URL, space="demo-space"
        )
        return provider


@pytest.fixture
def world(arize: InProcessSandbox) -> Arize:
    """The default seed plus what the samples need; IDs by name (``other-space/...`` for the
    second space's)."""
    arize.seed(EXTRA_SEED)
    ids: dict[str, str] = {}
    for space in arize.world()["spaces"]:
        prefix = "" if space["name"] == "demo-space" else f"{space['name']}/"
        ids[prefix + space["name"]] = space["id"]
        for kind in ("projects", "evaluators", "ai_integrations"):
            ids.update({prefix + e["name"]: e["id"] for e in space[kind]})
        for dataset in space["datasets"]:
            ids[prefix + dataset["name"]] = dataset["id"]
            ids.update({prefix + e["name"]: e["id"] for e in dataset["experiments"]})
    return Arize(arize.client(space="demo-space", retry=RetryPolicy(max_attempts=1)), ids)


# --- the rows agree with the resource classes, the validators and the README --------------


def _names(fields: tuple[Field, ...]) -> set[str]:
    return {f.name for f in fields}


@pytest.mark.parametrize(
    ("args", "args_dict", "fields"),
    [(TaskArgs, TaskArgsDict, TASK_FIELDS), (TaskRunArgs, TaskRunArgsDict, TASK_RUN_FIELDS)],
)
def test_every_argument_has_exactly_one_row(args: type, args_dict: Any, fields: Any) -> None:
    names = [f.name for f in fields]
    assert len(names) == len(set(names))
    assert {f.name for f in dataclasses.fields(args)} == set(names)
    assert args_dict.__required_keys__ | args_dict.__optional_keys__ == set(names)


@pytest.mark.parametrize(
    ("resource", "provider"), [(Task, TaskProvider), (TaskRun, TaskRunProvider)]
)
def test_every_output_has_a_typed_getter(resource: type, provider: Any) -> None:
    getters = {name for name, value in vars(resource).items() if isinstance(value, property)} - {
        "urn",
        "id",
    }
    assert getters == set(provider.OUTPUTS)


def test_the_validators_and_the_table_know_the_same_fields() -> None:
    task_inputs = _names(TASK_FIELDS)
    assert task_inputs >= TASK_ARGUMENTS
    updatable = {f.name for f in TASK_FIELDS if f.change is Change.UPDATE}
    assert updatable == (EVALUATION_UPDATE_FIELDS | RUN_EXPERIMENT_UPDATE_FIELDS)
    trigger = {f.wire for f in TASK_RUN_FIELDS if f.wire}
    assert trigger == (EVALUATION_TRIGGER_FIELDS | RUN_EXPERIMENT_TRIGGER_FIELDS)


def _readme_table(heading: str, first_column: str) -> dict[str, str]:
    """``{name: last cell}`` of the README table under ``heading`` starting ``| first_column``."""
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0]
    start = section.index(f"| {first_column} |")
    rows: dict[str, str] = {}
    for line in section[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name in re.findall(r"`(\w+)`", cells[0]):
            rows[name] = cells[-1]
    return rows


@pytest.mark.parametrize(
    ("heading", "fields", "provider"),
    [
        ("### `Task`", TASK_FIELDS, TaskProvider),
        ("### `TaskRun`", TASK_RUN_FIELDS, TaskRunProvider),
    ],
)
def test_the_readme_reference_says_what_each_row_does(
    heading: str, fields: tuple[Field, ...], provider: Any
) -> None:
    inputs = _readme_table(heading, "input")
    assert set(inputs) == _names(fields)
    for field in fields:
        assert inputs[field.name].startswith(field.change.value), (field.name, inputs[field.name])
    outputs = _readme_table(heading, "output")
    assert set(outputs) == set(provider.OUTPUTS)


# --- Task: every row's change previews as the row says --------------------------------------

PROJECT_TASK: dict[str, Any] = {
    "type": "template_evaluation",
    "project": "chatbot-prod",
    "evaluators": [{"evaluator": "hallucination"}, "relevance"],
    "sampling_rate": 0.5,
    "is_continuous": True,
    "query_filter": "metadata.environment = 'production'",
}
DATASET_TASK: dict[str, Any] = {
    "type": "code_evaluation",
    "dataset": "golden-qa",
    "experiment_ids": ["baseline"],
    "evaluators": ["json-valid"],
}


def _run_configuration(temperature: float = 0.2, role: str = "user") -> dict[str, Any]:
    return {
        "experiment_type": "llm_generation",
        "ai_integration_id": "{openai-default}",
        "input_variable_format": "f_string",
        "messages": [{"role": role, "content": "Answer: {question}"}],
        "invocation_parameters": {"temperature": temperature},
    }


TRACE_TASK: dict[str, Any] = {
    "type": "template_evaluation",
    "project": "chatbot-prod",
    "query_filters": {
        "filters": [{"id": "A", "filter": "span_kind = 'LLM'"}, {"id": "B", "filter": "x = 1"}],
        "expression": "A AND B",
    },
    "evaluators": [
        {
            "evaluator": "hallucination",
            "query_mappings": [
                {"variable_name": "input", "query_ids": ["A"], "attribute_path": "attributes.input"}
            ],
        }
    ],
}
ONE_QUERY = {"filters": [{"id": "A", "filter": "span_kind = 'TOOL'"}]}

RUN_EXPERIMENT_TASK: dict[str, Any] = {
    "type": "run_experiment",
    "dataset": "golden-qa",
    "run_configuration": _run_configuration(),
}

TASK_CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "type": (PROJECT_TASK, {"type": "code_evaluation", "evaluators": ["json-valid"]}),
    "name": (PROJECT_TASK, {"name": "renamed"}),
    "space": (PROJECT_TASK, {"space": "other-space", "evaluators": ["hallucination"]}),
    "project": (PROJECT_TASK, {"project": "chatbot-staging"}),
    "dataset": (DATASET_TASK, {"dataset": "golden-qa-v2", "experiment_ids": ["baseline-v2"]}),
    "experiment_ids": (DATASET_TASK, {"experiment_ids": ["baseline", "candidate"]}),
    "evaluators": (PROJECT_TASK, {"evaluators": ["relevance"]}),
    "sampling_rate": (PROJECT_TASK, {"sampling_rate": 0.25}),
    "is_continuous": (PROJECT_TASK, {"is_continuous": False}),
    "query_filter": (PROJECT_TASK, {"query_filter": "metadata.environment = 'staging'"}),
    "query_filters": (
        TRACE_TASK,
        {"query_filters": {**TRACE_TASK["query_filters"], "expression": "A OR B"}},
    ),
    "run_configuration": (RUN_EXPERIMENT_TASK, {"run_configuration": _run_configuration(0.9)}),
    "adopt": (PROJECT_TASK, {"adopt": True}),
}
"""For each row: a declaration, and a change of that field (with what it needs to stay valid)."""

TASK_SAME: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "type": (PROJECT_TASK, {"type": "TEMPLATE_EVALUATION"}),
    "name": (PROJECT_TASK, {"name": "eval"}),
    "space": (PROJECT_TASK, {"space": "{demo-space}"}),
    "project": (PROJECT_TASK, {"project": "{chatbot-prod}"}),
    "dataset": (DATASET_TASK, {"dataset": "{golden-qa}"}),
    "experiment_ids": (DATASET_TASK, {"experiment_ids": ["{baseline}"]}),
    "evaluators": (PROJECT_TASK, {"evaluators": ["{relevance}", "hallucination"]}),
    "sampling_rate": ({**PROJECT_TASK, "sampling_rate": 1}, {"sampling_rate": 1.0}),
    "is_continuous": ({**PROJECT_TASK, "is_continuous": None}, {"is_continuous": None}),
    "query_filter": ({**PROJECT_TASK, "query_filter": None}, {"query_filter": ""}),
    "query_filters": (
        TRACE_TASK,
        {
            "query_filters": {
                "filters": list(reversed(TRACE_TASK["query_filters"]["filters"])),
                "expression": "A AND B",
            }
        },
    ),
    "run_configuration": (
        RUN_EXPERIMENT_TASK,
        {"run_configuration": {**_run_configuration(), "experiment_type": "LLM_GENERATION"}},
    ),
    "adopt": (PROJECT_TASK, {"adopt": False}),
}
"""For each row: a declaration, and another spelling of the same value (no change)."""

UNSET_KEEPS_LIVE = {"sampling_rate": 0.3, "is_continuous": False}


def _with_ids(value: Any, ids: dict[str, str]) -> Any:
    """Sample values with ``{name}`` replaced by the seeded ID of that name."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _with_ids(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_ids(v, ids) for v in value]
    return value


def _declare(world: Arize, values: dict[str, Any], name: str = "eval") -> dict[str, Any]:
    """Inputs as the Task constructor sends them (``name`` defaults to the resource name)."""
    inputs = {"name": name, **_with_ids(values, world.ids), "__name": name}
    return {k: v for k, v in inputs.items() if v is not None}


def _create(world: Arize, provider: TaskProvider, values: dict[str, Any]) -> dict[str, Any]:
    checked = provider.check({}, _declare(world, values))
    assert [f.reason for f in checked.failures] == []
    created = provider.create(dict(checked.inputs))
    state: dict[str, Any] = dict(created.outs or {})
    state["id"] = created.id
    state["inputs"] = dict(checked.inputs)
    return state


def _outputs(state: dict[str, Any]) -> dict[str, Any]:
    """The outputs the engine keeps (``_create`` adds the ID and the inputs beside them)."""
    return {k: v for k, v in state.items() if k not in ("id", "inputs")}


def _diff(world: Arize, provider: TaskProvider, state: dict[str, Any], values: dict[str, Any]):  # type: ignore[no-untyped-def]
    checked = provider.check(state["inputs"], _declare(world, values))
    assert [f.reason for f in checked.failures] == []
    return provider.diff(state["id"], _outputs(state), dict(checked.inputs)), checked.inputs


def test_every_task_row_has_samples() -> None:
    names = _names(TASK_FIELDS)
    assert set(TASK_CHANGES) == names
    assert set(TASK_SAME) == names


@pytest.mark.parametrize("field", TASK_FIELDS, ids=lambda f: f.name)
def test_a_change_of_each_task_field_previews_as_its_row_says(world: Arize, field: Field) -> None:
    provider = world.wire(TaskProvider())
    base, change = TASK_CHANGES[field.name]
    state = _create(world, provider, base)
    result, _ = _diff(world, provider, state, {**base, **change})
    if field.change is Change.REPLACE:
        assert field.name in result.replaces
        assert result.changes is True
    elif field.change is Change.UPDATE:
        assert result.replaces == []
        assert result.changes is True
    else:
        assert field.change is Change.NONE
        assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize("field", TASK_FIELDS, ids=lambda f: f.name)
def test_another_spelling_of_each_task_field_is_no_change(world: Arize, field: Field) -> None:
    provider = world.wire(TaskProvider())
    base, same = TASK_SAME[field.name]
    state = _create(world, provider, base)
    result, _ = _diff(world, provider, state, {**base, **same})
    assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize(
    "field", [f for f in TASK_FIELDS if f.unset_keeps_live], ids=lambda f: f.name
)
def test_unsetting_a_field_that_keeps_the_live_value_changes_nothing(
    world: Arize, field: Field
) -> None:
    provider = world.wire(TaskProvider())
    base = TASK_CHANGES[field.name][0]
    state = _create(world, provider, {**base, field.name: UNSET_KEEPS_LIVE[field.name]})
    result, _ = _diff(world, provider, state, {**base, field.name: None})
    assert (result.changes, result.replaces) == (False, [])


def test_only_fields_whose_unset_keeps_the_live_value_have_samples_for_it() -> None:
    assert set(UNSET_KEEPS_LIVE) == {f.name for f in TASK_FIELDS if f.unset_keeps_live}


REFUSED: dict[str, Any] = {
    "adopt": "yes",
    "wait": "yes",
    "poll_interval": 0,
    "timeout": -1,
    "succeed_on": ["DONE"],
    "on_timeout": "explode",
    "on_delete": "drop",
    "wait_for_chained": "yes",
}
"""For each row whose form checks values itself: a value it refuses."""

SELF_CHECKING = [
    f for f in (*TASK_FIELDS, *TASK_RUN_FIELDS) if type(f.form).problems is not Form.problems
]


def test_every_self_checking_row_has_a_refused_sample() -> None:
    assert set(REFUSED) == {f.name for f in SELF_CHECKING}


@pytest.mark.parametrize("field", SELF_CHECKING, ids=lambda f: f.name)
def test_check_refuses_what_each_form_refuses_naming_the_field(
    world: Arize, run_tasks: dict[str, str], field: Field
) -> None:
    bad = {field.name: REFUSED[field.name]}
    if field in TASK_FIELDS:
        result = world.wire(TaskProvider()).check({}, _declare(world, {**PROJECT_TASK, **bad}))
    else:
        result = world.wire(TaskRunProvider()).check({}, _run_inputs(world, {**EVAL_RUN, **bad}))
    assert [f.property for f in result.failures] == [field.name]
    assert f": {field.name}" in result.failures[0].reason


# --- Task: drift of every row that reads it back --------------------------------------------

OUT_OF_BAND: dict[str, tuple[dict[str, Any], dict[str, Any], Any]] = {
    "name": (PROJECT_TASK, {"name": "renamed-by-hand"}, "renamed-by-hand"),
    "evaluators": (
        PROJECT_TASK,
        {"evaluators": [{"evaluator": "{relevance}"}]},
        [{"evaluator": "relevance"}],
    ),
    "sampling_rate": (PROJECT_TASK, {"sampling_rate": 0.1}, 0.1),
    "is_continuous": (PROJECT_TASK, {"is_continuous": False}, False),
    "query_filter": (
        PROJECT_TASK,
        {"query_filter": "metadata.tier = 'gold'"},
        "metadata.tier = 'gold'",
    ),
    "query_filters": (
        TRACE_TASK,
        {"query_filters": ONE_QUERY},
        {"filters": ONE_QUERY["filters"], "expression": "A"},
    ),
    "run_configuration": (
        RUN_EXPERIMENT_TASK,
        {"run_configuration": _run_configuration(0.7, role="system")},
        {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": "{openai-default}",
            "input_variable_format": "F_STRING",
            "messages": [{"role": "SYSTEM", "content": "Answer: {question}"}],
            "invocation_parameters": {"temperature": 0.7},
        },
    ),
}
"""For each updatable row: a declaration, an ``update`` made outside Pulumi, and the input
``refresh`` must report for it."""


def _live_value(task: Any, name: str) -> Any:
    """A field of a task as read from the API, in a shape the samples can state."""
    if name == "evaluators":
        return sorted(e.evaluator_id for e in task.evaluators)
    if name == "run_configuration":
        return task.run_configuration.invocation_parameters.temperature
    if name == "query_filters":
        return task.query_filters.expression
    return getattr(task, name)


RESTORED: dict[str, Any] = {
    "name": "eval",
    "evaluators": sorted(["{hallucination}", "{relevance}"]),
    "sampling_rate": 0.5,
    "is_continuous": True,
    "query_filter": PROJECT_TASK["query_filter"],
    "query_filters": "A AND B",
    "run_configuration": 0.2,
}
"""What the next ``update`` brings each field back to (the declaration's value)."""

DRIFTING = [f for f in TASK_FIELDS if f.drift is not Drift.NOT_READ]


def test_every_row_that_reads_drift_has_samples() -> None:
    updatable = {f.name for f in DRIFTING if f.change is Change.UPDATE}
    assert set(OUT_OF_BAND) == updatable == set(RESTORED)
    assert set(STATE_DRIFT) == {f.name for f in DRIFTING} - updatable
    assert {f.name for f in TASK_FIELDS if f.change is Change.UPDATE} <= updatable


@pytest.mark.parametrize(
    "field", [f for f in DRIFTING if f.change is Change.UPDATE], ids=lambda f: f.name
)
def test_an_out_of_band_change_is_read_back_and_restored_by_the_next_update(
    world: Arize, field: Field
) -> None:
    provider = world.wire(TaskProvider())
    base, by_hand, _ = OUT_OF_BAND[field.name]
    state = _create(world, provider, base)
    world.client.update(state["id"], **_with_ids(by_hand, world.ids))
    wire = field.wire or field.name

    refreshed = provider.read(state["id"], _outputs(state))
    assert refreshed.inputs is None and refreshed.outs is not None
    # Live as declared until then, so the state left it out; now it holds the live value.
    assert wire not in state
    live = world.client.get(state["id"]).model_dump(mode="json")
    assert stable(field.form.live(refreshed.outs[wire])) == stable(field.form.live(live[wire]))
    assert "__resolved" not in refreshed.outs and "declared" not in refreshed.outs

    after_refresh = {**refreshed.outs, "id": state["id"], "inputs": state["inputs"]}
    result, news = _diff(world, provider, after_refresh, base)
    assert (result.changes, result.replaces) == (True, [])
    # Drift, not a change of the program: shown with the live value as the old one.
    assert result.replaces.detail == {field.name: ("UPDATE", False)}
    provider.update(state["id"], refreshed.outs, dict(news))
    live = world.client.get(state["id"])
    assert _live_value(live, field.name) == _with_ids(RESTORED[field.name], world.ids)


STATE_DRIFT: dict[str, tuple[dict[str, Any], Any, Any]] = {
    "type": (PROJECT_TASK, "code_evaluation", "TEMPLATE_EVALUATION"),
    "project": (PROJECT_TASK, "{chatbot-staging}", "{chatbot-prod}"),
    "dataset": (DATASET_TASK, "{golden-qa-v2}", "{golden-qa}"),
    "experiment_ids": (DATASET_TASK, ["{candidate}"], ["{baseline}"]),
}
"""For each row the API cannot change: a declaration, another value the state claims for it,
and the live value ``refresh`` must report instead."""


@pytest.mark.parametrize(
    "field", [f for f in DRIFTING if f.change is not Change.UPDATE], ids=lambda f: f.name
)
def test_refresh_sides_with_the_live_task_on_fields_the_api_cannot_change(
    world: Arize, field: Field
) -> None:
    provider = world.wire(TaskProvider())
    base, claimed, live = STATE_DRIFT[field.name]
    state = _create(world, provider, base)
    wire = field.wire or field.name
    claimed = _with_ids(claimed, world.ids)
    claim = claimed.upper() if field.name == "type" else claimed

    refreshed = provider.read(state["id"], {**_outputs(state), wire: claim})
    assert refreshed.outs is not None
    live = _with_ids(live, world.ids)
    assert refreshed.outs[wire] == live

    result, _ = _diff(
        world, provider, {**refreshed.outs, "id": state["id"], "inputs": state["inputs"]}, base
    )
    assert (result.changes, result.replaces) == (False, [])


# --- TaskRun: every row's change previews as the row says -----------------------------------

EVAL_RUN: dict[str, Any] = {
    "task": "{project-eval}",
    "data_start_time": "2026-11-01T00:00:00Z",
    "data_end_time": "2026-11-02T00:00:00Z",
    "max_spans": 10,
    "override_evaluations": True,
}
DATASET_RUN: dict[str, Any] = {"task": "{dataset-eval}", "experiment_ids": ["a", "b"]}
EXPERIMENT_RUN: dict[str, Any] = {
    "task": "{experiment}",
    "experiment_name": "nightly",
    "dataset_version_id": "v1",
    "example_ids": ["e1", "e2"],
    "tracing_metadata": {"team": "qa", "tier": "gold"},
    "evaluation_task_ids": ["{project-eval}", "{dataset-eval}"],
}

RUN_CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "task": (EVAL_RUN, {"task": "{project-eval-2}"}),
    "space": (EVAL_RUN, {"space": "other-space"}),
    "data_start_time": (EVAL_RUN, {"data_start_time": "2026-10-31T00:00:00Z"}),
    "data_end_time": (EVAL_RUN, {"data_end_time": "2026-11-03T00:00:00Z"}),
    "max_spans": (EVAL_RUN, {"max_spans": 11}),
    "override_evaluations": (EVAL_RUN, {"override_evaluations": False}),
    "experiment_ids": (DATASET_RUN, {"experiment_ids": ["a"]}),
    "experiment_name": (EXPERIMENT_RUN, {"experiment_name": "weekly"}),
    "dataset_version_id": (EXPERIMENT_RUN, {"dataset_version_id": "v2"}),
    "example_ids": (EXPERIMENT_RUN, {"example_ids": ["e1"]}),
    "max_examples": (EXPERIMENT_RUN, {"example_ids": None, "max_examples": 3}),
    "query_filter": (EXPERIMENT_RUN, {"query_filter": "metadata.split = 'test'"}),
    "tracing_metadata": (EXPERIMENT_RUN, {"tracing_metadata": {"team": "ml"}}),
    "evaluation_task_ids": (EXPERIMENT_RUN, {"evaluation_task_ids": ["{project-eval}"]}),
    "triggers": (EVAL_RUN, {"triggers": ["release-2"]}),
    "wait": (EVAL_RUN, {"wait": False}),
    "poll_interval": (EVAL_RUN, {"poll_interval": 1}),
    "timeout": (EVAL_RUN, {"timeout": 60}),
    "succeed_on": (EVAL_RUN, {"succeed_on": ["COMPLETED", "CANCELLED"]}),
    "on_timeout": (EVAL_RUN, {"on_timeout": "keep"}),
    "on_delete": (EVAL_RUN, {"on_delete": "cancel"}),
    "wait_for_chained": (EXPERIMENT_RUN, {"wait_for_chained": False}),
}
"""For each row: a run declaration and a change of that field."""

RUN_SAME: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "task": (EVAL_RUN, {"task": "project-eval"}),
    "space": (EVAL_RUN, {"space": "demo-space"}),
    "data_start_time": (EVAL_RUN, {"data_start_time": "2026-11-01T01:00:00.000+01:00"}),
    "data_end_time": (EVAL_RUN, {"data_end_time": "2026-11-02T00:00:00"}),
    "max_spans": (EVAL_RUN, {"max_spans": 10.0}),
    "override_evaluations": (EVAL_RUN, {"override_evaluations": True}),
    "experiment_ids": (DATASET_RUN, {"experiment_ids": ["b", "a"]}),
    "experiment_name": (EXPERIMENT_RUN, {"experiment_name": "nightly"}),
    "dataset_version_id": (EXPERIMENT_RUN, {"dataset_version_id": "v1"}),
    "example_ids": (EXPERIMENT_RUN, {"example_ids": ["e2", "e1"]}),
    "max_examples": (
        {**EXPERIMENT_RUN, "example_ids": None, "max_examples": 3},
        {"example_ids": None, "max_examples": 3.0},
    ),
    "query_filter": (
        {**EXPERIMENT_RUN, "query_filter": "metadata.split = 'test'"},
        {"query_filter": "metadata.split = 'test'"},
    ),
    "tracing_metadata": (EXPERIMENT_RUN, {"tracing_metadata": {"tier": "gold", "team": "qa"}}),
    "evaluation_task_ids": (
        EXPERIMENT_RUN,
        {"evaluation_task_ids": ["{dataset-eval}", "{project-eval}"]},
    ),
    "triggers": ({**EVAL_RUN, "triggers": ["r1"]}, {"triggers": ["r1"]}),
    "wait": (EVAL_RUN, {"wait": True}),
    "poll_interval": (EVAL_RUN, {"poll_interval": 5}),
    "timeout": (EVAL_RUN, {"timeout": 600}),
    "succeed_on": (EVAL_RUN, {"succeed_on": ["completed"]}),
    "on_timeout": (EVAL_RUN, {"on_timeout": "CANCEL"}),
    "on_delete": (EVAL_RUN, {"on_delete": "Detach"}),
    # The default follows evaluation_task_ids: true with them, false without.
    "wait_for_chained": (EXPERIMENT_RUN, {"wait_for_chained": True}),
}
"""For each row: a run declaration and the same value spelled otherwise (or its default)."""

TRIGGER_BODY: dict[str, tuple[Any, Any]] = {
    "data_start_time": ("2026-11-01T01:00:00+01:00", "2026-11-01T00:00:00+00:00"),
    "data_end_time": ("2026-11-02T00:00:00Z", "2026-11-02T00:00:00+00:00"),
    "max_spans": (10.0, 10),
    "override_evaluations": (True, True),
    "experiment_ids": (["a", "b"], ["a", "b"]),
    "experiment_name": ("nightly", "nightly"),
    "dataset_version_id": ("v1", "v1"),
    "example_ids": (["e1"], ["e1"]),
    "max_examples": (3.0, 3),
    "query_filter": ("metadata.split = 'test'", "metadata.split = 'test'"),
    "tracing_metadata": ({"build": 7}, {"build": "7"}),
    "evaluation_task_ids": (["t1"], ["t1"]),
}
"""For each trigger row: a declared value and what the trigger body carries for it."""


@pytest.fixture
def run_tasks(world: Arize) -> dict[str, str]:
    """Tasks to run, added to ``world.ids`` by name."""
    made = {
        "project-eval": _with_ids(
            {"type": "TEMPLATE_EVALUATION", "project": "{chatbot-prod}"}, world.ids
        ),
        "project-eval-2": _with_ids(
            {"type": "TEMPLATE_EVALUATION", "project": "{chatbot-prod}"}, world.ids
        ),
    }
    for name, task in made.items():
        world.ids[name] = world.client.create_evaluation_task(
            name=name, evaluators=[world.ids["hallucination"]], **task
        ).id
    world.ids["dataset-eval"] = world.client.create_evaluation_task(
        name="dataset-eval",
        type="CODE_EVALUATION",
        dataset=world.ids["golden-qa"],
        experiment_ids=[world.ids["baseline"]],
        evaluators=[world.ids["json-valid"]],
    ).id
    world.ids["experiment"] = world.client.create_run_experiment_task(
        name="experiment",
        dataset=world.ids["golden-qa"],
        run_configuration=_with_ids(_run_configuration(), world.ids),
    ).id
    return world.ids


def _run_inputs(world: Arize, values: dict[str, Any]) -> dict[str, Any]:
    inputs = {**_with_ids(values, world.ids), "__name": "run"}
    return {k: v for k, v in inputs.items() if v is not None}


def _run_diff(world: Arize, base: dict[str, Any], change: dict[str, Any]):  # type: ignore[no-untyped-def]
    provider = world.wire(TaskRunProvider())
    first = provider.check({}, _run_inputs(world, base))
    assert [f.reason for f in first.failures] == []
    second = provider.check(dict(first.inputs), _run_inputs(world, {**base, **change}))
    assert [f.reason for f in second.failures] == []
    outputs = TaskRunProvider._kept(dict(first.inputs))
    return provider.diff("run-id", outputs, dict(second.inputs))


def test_every_task_run_row_has_samples() -> None:
    names = _names(TASK_RUN_FIELDS)
    assert set(RUN_CHANGES) == names == set(RUN_SAME)
    assert set(TRIGGER_BODY) == {f.name for f in TASK_RUN_FIELDS if f.wire}


@pytest.mark.parametrize("field", TASK_RUN_FIELDS, ids=lambda f: f.name)
def test_a_change_of_each_task_run_field_previews_as_its_row_says(
    world: Arize, run_tasks: dict[str, str], field: Field
) -> None:
    base, change = RUN_CHANGES[field.name]
    result = _run_diff(world, base, change)
    if field.change is Change.NEW_RUN:
        assert field.name in result.replaces
    elif field.change is Change.NO_OP:
        assert (result.changes, result.replaces) == (True, [])
    else:
        assert field.change is Change.NONE
        assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize("field", TASK_RUN_FIELDS, ids=lambda f: f.name)
def test_another_spelling_of_each_task_run_field_is_no_change(
    world: Arize, run_tasks: dict[str, str], field: Field
) -> None:
    base, same = RUN_SAME[field.name]
    result = _run_diff(world, base, same)
    assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize("field", [f for f in TASK_RUN_FIELDS if f.wire], ids=lambda f: f.name)
def test_each_trigger_field_travels_in_its_wire_form(field: Field) -> None:
    declared, sent = TRIGGER_BODY[field.name]
    body = TaskRunProvider._trigger_arguments({field.name: declared})
    value = body[field.wire or field.name]
    shown = value.isoformat() if hasattr(value, "isoformat") else value
    assert shown == sent
    assert type(shown) is type(sent)
