"""Properties of the resource providers over generated inputs (hypothesis).

Every example starts over on the module's sandbox app (in process): a fresh world (the
default seed under new IDs, no tasks, nothing recorded) and a provider wired to it, so what
a property observes (requests, created tasks) belongs to that example alone.

The strategies draw the IDs of a template world, seeded once at import as every example's
is; an example puts its own world's IDs in their place (:meth:`Example.fill`).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pulumi.dynamic import CheckResult

from arize_pulumi.resources import TaskProvider, TaskRunProvider
from arize_pulumi.resources._normalize import (
    canonical_evaluators,
    canonical_run_configuration,
    mapping_or_none,
    text_or_none,
    upper_or_none,
)
from arize_pulumi.tasks.ids import encode_id
from tests.support.control import rfc3339
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import declared, wire

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXTRA_EXPERIMENTS = ("candidate", "shadow")
"""Experiments of ``golden-qa`` besides ``baseline``, for runs that name experiments."""
CHAINED_TASKS = ("Chained A", "Chained B")
"""Evaluation tasks a run-experiment run may chain (names no generated name can take)."""


@dataclass(frozen=True)
class World:
    """What a sandbox holds for the properties: the default seed, two more experiments of
    its dataset and two evaluation tasks, by ID."""

    project: str
    dataset: str
    experiments: tuple[str, ...]
    """``baseline`` first."""
    evaluators: dict[str, str]
    ai_integration: str
    agent_integration: str
    chained_tasks: tuple[str, ...]

    @classmethod
    def make(cls, arize: InProcessSandbox) -> World:
        ids = arize.ids()
        extra = tuple(arize.add_experiment(name) for name in EXTRA_EXPERIMENTS)
        return cls(
            project=ids["project"],
            dataset=ids["dataset"],
            experiments=(ids["experiment"], *extra),
            evaluators=dict(sorted(ids["evaluators"].items())),
            ai_integration=ids["ai_integration"],
            agent_integration=ids["agent_integration"],
            chained_tasks=tuple(arize.add_task(name) for name in CHAINED_TASKS),
        )

    def ids(self) -> list[str]:
        return [
            self.project,
            self.dataset,
            *self.experiments,
            *self.evaluators.values(),
            self.ai_integration,
            self.agent_integration,
            *self.chained_tasks,
        ]


with InProcessSandbox() as _template:
    TEMPLATE = World.make(_template)
NOW = datetime.now(UTC).replace(microsecond=0)
"""Where the module's sandbox clock starts (the runs' waits move it on). A window without an
end runs up to now: the sandbox's, or the client's own (it sends both ends), so the clock
starts at the real now."""
LAST_RUN = {"data_start_time": NOW - timedelta(days=2), "data_end_time": NOW - timedelta(days=1)}
"""The window of the run a task on the project made before the example's: a window without a
start picks up where it ended."""
PROJECT_ID = TEMPLATE.project
DATASET_ID = TEMPLATE.dataset
EXPERIMENT_ID = TEMPLATE.experiments[0]
EVALUATOR_IDS = TEMPLATE.evaluators
AI_INTEGRATION = TEMPLATE.ai_integration
AGENT_INTEGRATION = TEMPLATE.agent_integration
WRITES = ("POST", "PATCH", "DELETE")

EXPERIMENT_TYPES = ("LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL")
ROLES = ("SYSTEM", "USER", "ASSISTANT", "TOOL")
VARIABLE_FORMATS = ("F_STRING", "MUSTACHE", "NONE")
RESPONSE_FORMATS = ("TEXT", "JSON_OBJECT")
RUN_STATUSES = ("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")
ON_TIMEOUT = ("cancel", "fail", "keep")
ON_DELETE = ("detach", "cancel")
WAIT_KEYS = ("wait", "poll_interval", "timeout", "succeed_on", "on_timeout", "on_delete")
WAIT_DEFAULTS: dict[str, Any] = {
    "wait": True,
    "poll_interval": 5.0,
    "timeout": 600.0,
    "succeed_on": ["COMPLETED"],
    "on_timeout": "cancel",
    "on_delete": "detach",
}

casings = st.sampled_from([str.upper, str.lower])
resource_names = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 _-.='", max_size=24)
query_filters = st.none() | st.just("") | words
column_mappings = st.dictionaries(
    st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True), words, max_size=3
)


@dataclass
class Example:
    """One example's sandbox, the provider wired to it and its IDs for the template's."""

    provider: Any
    arize: InProcessSandbox
    ids: dict[str, str]

    def fill(self, value: Any) -> Any:
        """``value`` with every template ID replaced by this sandbox's ID of the same thing."""
        if isinstance(value, str):
            return self.ids.get(value, value)
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value

    def writes(self) -> list[str]:
        return [call.key for call in self.arize.sent if call.method in WRITES]


@pytest.fixture(scope="module")
def app() -> Iterator[InProcessSandbox]:
    """One sandbox app for the module: each example starts over on it (:func:`fresh`)
    rather than pay for a new app's first answer."""
    with InProcessSandbox(frozen_at=NOW) as arize:
        yield arize


def fresh(arize: InProcessSandbox, provider_type: type[Any]) -> Example:
    """A fresh world on ``arize`` and a provider whose waits move its clock."""
    arize.renew()
    world = World.make(arize)
    provider = wire(provider_type(), arize)
    provider._sleep = arize.sleep
    arize.sent.clear()
    return Example(provider, arize, dict(zip(TEMPLATE.ids(), world.ids(), strict=True)))


def clean(result: CheckResult) -> dict[str, Any]:
    assert [(f.property, f.reason) for f in result.failures] == []
    return dict(result.inputs)


# --- Task inputs --------------------------------------------------------------------------


@dataclass
class TaskCase:
    resource: str
    values: dict[str, Any]
    variant: dict[str, Any]
    """The same declaration with evaluators reordered, enums re-cased and empty settings
    written another way."""


def recase(config: dict[str, Any], case: Any) -> dict[str, Any]:
    """A run configuration with every enum value passed through ``case``."""
    out = copy.deepcopy(config)
    out["experiment_type"] = case(out["experiment_type"])
    if "input_variable_format" in out:
        out["input_variable_format"] = case(out["input_variable_format"])
    for message in out.get("messages", []):
        message["role"] = case(message["role"])
    response_format = (out.get("invocation_parameters") or {}).get("response_format")
    if response_format:
        response_format["type"] = case(response_format["type"])
    return out


@st.composite
def invocation_parameters(draw: st.DrawFn) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if draw(st.booleans()):
        params["temperature"] = draw(st.floats(0, 2, allow_nan=False))
    if draw(st.booleans()):
        params["max_tokens"] = draw(st.integers(1, 4096))
    if draw(st.booleans()):
        params["response_format"] = {"type": draw(casings)(draw(st.sampled_from(RESPONSE_FORMATS)))}
    return params


@st.composite
def run_configurations(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(EXPERIMENT_TYPES))
    config: dict[str, Any] = {"experiment_type": draw(casings)(kind)}
    if kind == "AGENT_CALL":
        config["integration_id"] = AGENT_INTEGRATION
        config["input_template"] = draw(st.dictionaries(words, words, max_size=3))
        return config
    config["ai_integration_id"] = AI_INTEGRATION
    if draw(st.booleans()):
        config["model_name"] = draw(st.sampled_from(["gpt-4o-mini", "claude-3-5-haiku"]))
    if draw(st.booleans()):
        config["invocation_parameters"] = draw(invocation_parameters())
    if draw(st.booleans()):
        config["provider_parameters"] = draw(st.dictionaries(words, words, max_size=2))
    if kind == "LLM_GENERATION":
        config["input_variable_format"] = draw(casings)(draw(st.sampled_from(VARIABLE_FORMATS)))
        config["messages"] = [
            {"role": draw(casings)(role), "content": draw(words)}
            for role in draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3))
        ]
    else:
        config["template"] = draw(words.filter(bool))
        config["provide_explanation"] = draw(st.booleans())
        if draw(st.booleans()):
            config["classification_choices"] = draw(
                st.dictionaries(words.filter(bool), st.floats(0, 1), min_size=1, max_size=3)
            )
    return config


@st.composite
def evaluator_entry(draw: st.DrawFn, name: str) -> Any:
    ref = name if draw(st.booleans()) else EVALUATOR_IDS[name]
    if draw(st.booleans()):
        return ref
    entry: dict[str, Any] = {"evaluator": ref}
    if draw(st.booleans()):
        entry["query_filter"] = draw(query_filters)
    if draw(st.booleans()):
        entry["column_mappings"] = draw(column_mappings)
    return entry


@st.composite
def unset_written_otherwise(draw: st.DrawFn, entry: Any) -> Any:
    """An evaluator entry with its empty settings written another way (``""``, ``{}``,
    ``None``, left out), and a bare reference as a dict or the other way round."""
    ref = entry if isinstance(entry, str) else entry["evaluator"]
    out: dict[str, Any] = {"evaluator": ref}
    for key, empty in (("query_filter", ""), ("column_mappings", {})):
        value = entry.get(key) if isinstance(entry, dict) else None
        if value:
            out[key] = value
        else:
            out.update(draw(st.sampled_from([{}, {key: None}, {key: empty}])))
    return ref if len(out) == 1 and draw(st.booleans()) else out


@st.composite
def evaluation_values(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    names = draw(
        st.lists(st.sampled_from(sorted(EVALUATOR_IDS)), min_size=1, max_size=3, unique=True)
    )
    values: dict[str, Any] = {
        "type": kind,
        "evaluators": [draw(evaluator_entry(name)) for name in names],
    }
    if draw(st.booleans()):
        values["project"] = draw(st.sampled_from(["chatbot-prod", PROJECT_ID]))
        if draw(st.booleans()):
            values["sampling_rate"] = draw(st.floats(0, 1, allow_nan=False))
        if draw(st.booleans()):
            values["is_continuous"] = draw(st.booleans())
    else:
        values["dataset"] = draw(st.sampled_from(["golden-qa", DATASET_ID]))
        values["experiment_ids"] = [draw(st.sampled_from(["baseline", EXPERIMENT_ID]))]
        if draw(st.booleans()):
            values["is_continuous"] = False
    if draw(st.booleans()):
        values["query_filter"] = draw(query_filters)
    return values


@st.composite
def valid_tasks(draw: st.DrawFn) -> TaskCase:
    kind = draw(st.sampled_from(["template_evaluation", "code_evaluation", "run_experiment"]))
    typed = draw(casings)(kind)
    values: dict[str, Any]
    if kind == "run_experiment":
        values = {
            "type": typed,
            "dataset": draw(st.sampled_from(["golden-qa", DATASET_ID])),
            "run_configuration": draw(run_configurations()),
        }
    else:
        values = draw(evaluation_values(typed))
    if draw(st.booleans()):
        values["name"] = draw(resource_names)
    variant = copy.deepcopy(values)
    variant["type"] = draw(casings)(kind)
    if "query_filter" in variant and not variant["query_filter"]:
        variant.update(draw(st.sampled_from([{}, {"query_filter": None}, {"query_filter": ""}])))
    if "evaluators" in variant:
        entries = [draw(unset_written_otherwise(e)) for e in variant["evaluators"]]
        variant["evaluators"] = draw(st.permutations(entries))
    if "run_configuration" in variant:
        variant["run_configuration"] = recase(variant["run_configuration"], draw(casings))
    return TaskCase(draw(resource_names), values, variant)


@SETTINGS
@given(case=valid_tasks())
def test_a_valid_declaration_checks_clean_and_diffs_clean_against_what_it_created(
    app: InProcessSandbox, case: TaskCase
) -> None:
    """An unchanged program previews as no change, also with evaluators reordered, enums in
    the other casing and empty settings written another way."""
    example = fresh(app, TaskProvider)
    provider = example.provider
    values, variant_values = example.fill(case.values), example.fill(case.variant)
    inputs = clean(provider.check({}, declared(case.resource, values)))
    made = provider.create(dict(inputs))
    assert made.outs is not None
    diff = provider.diff(made.id, made.outs, inputs)
    assert (diff.changes, diff.replaces) == (False, [])

    variant = clean(provider.check(inputs, declared(case.resource, variant_values)))
    diff = provider.diff(made.id, made.outs, variant)
    assert (diff.changes, diff.replaces) == (False, [])
    from_scratch = clean(provider.check({}, declared(case.resource, variant_values)))
    assert provider.diff(made.id, made.outs, from_scratch).changes is False


@SETTINGS
@given(case=valid_tasks())
def test_check_is_idempotent(app: InProcessSandbox, case: TaskCase) -> None:
    """Checking what check returned gives the same inputs, with or without the old ones."""
    example = fresh(app, TaskProvider)
    provider = example.provider
    first = clean(provider.check({}, declared(case.resource, example.fill(case.values))))
    assert clean(provider.check({}, copy.deepcopy(first))) == first
    assert clean(provider.check(first, copy.deepcopy(first))) == first


@SETTINGS
@given(config=run_configurations(), case=casings, entries=st.data())
def test_normalisation_is_idempotent_and_ignores_casing_and_order(
    config: dict[str, Any], case: Any, entries: st.DataObject
) -> None:
    """The canonical forms diff compares are fixed points and do not see enum casing or
    evaluator order."""
    once = canonical_run_configuration(config)
    assert canonical_run_configuration(once) == once
    assert canonical_run_configuration(recase(config, case)) == once

    names = entries.draw(st.lists(st.sampled_from(sorted(EVALUATOR_IDS)), unique=True))
    raw = [
        {
            "evaluator_id": EVALUATOR_IDS[name],
            "query_filter": entries.draw(query_filters),
            "column_mappings": entries.draw(st.none() | column_mappings),
        }
        for name in names
    ]
    canonical = canonical_evaluators(raw, lambda e: e["evaluator_id"])
    assert canonical_evaluators(canonical, lambda e: e["evaluator_id"]) == canonical
    shuffled = entries.draw(st.permutations(raw))
    assert canonical_evaluators(shuffled, lambda e: e["evaluator_id"]) == canonical

    for value in (*(e["query_filter"] for e in raw), *(e["column_mappings"] for e in raw)):
        assert text_or_none(text_or_none(value)) == text_or_none(value)
        assert mapping_or_none(mapping_or_none(value)) == mapping_or_none(value)
        assert upper_or_none(upper_or_none(value)) == upper_or_none(value)


# --- invalid Task inputs ------------------------------------------------------------------


@dataclass
class BrokenCase:
    resource: str
    values: dict[str, Any]
    prop: str
    """The input the failure is reported under."""
    path: str
    """The field the failure's reason names."""


bad_rates = (
    st.floats(max_value=0, exclude_max=True)
    | st.floats(min_value=1, exclude_min=True)
    | st.just(math.nan)
)
EVALUATION_ONLY: dict[str, Any] = {
    "sampling_rate": 0.5,
    "is_continuous": True,
    "query_filter": "metadata.environment = 'production'",
    "evaluators": ["hallucination"],
    "project": "chatbot-prod",
    "experiment_ids": ["baseline"],
}


@st.composite
def broken_tasks(draw: st.DrawFn) -> BrokenCase:
    resource = draw(resource_names)
    rule = draw(
        st.sampled_from(
            [
                "sampling_rate",
                "both_targets",
                "no_target",
                "no_evaluators",
                "duplicate_evaluator",
                "experiments_on_project",
                "evaluation_field_on_run_experiment",
                "experiment_type",
                "message_role",
                "empty_name",
            ]
        )
    )
    kind = draw(casings)(draw(st.sampled_from(["template_evaluation", "code_evaluation"])))
    values = draw(evaluation_values(kind))
    values.pop("sampling_rate", None)
    prop = path = rule
    if rule == "sampling_rate":
        values.update(project="chatbot-prod", sampling_rate=draw(bad_rates))
        values.pop("dataset", None)
        values.pop("experiment_ids", None)
    elif rule in ("both_targets", "no_target"):
        prop = path = "project"
        values.update(project=PROJECT_ID, dataset="golden-qa", experiment_ids=["baseline"])
        if rule == "no_target":
            for key in ("project", "dataset", "experiment_ids"):
                values.pop(key)
    elif rule == "no_evaluators":
        prop = path = "evaluators"
        values["evaluators"] = []
    elif rule == "duplicate_evaluator":
        prop = path = "evaluators"
        name = draw(st.sampled_from(sorted(EVALUATOR_IDS)))
        twin = draw(
            st.sampled_from(
                [(name, name), (name, EVALUATOR_IDS[name]), (name, {"evaluator": name})]
            )
        )
        values["evaluators"] = draw(st.permutations([*twin, *values["evaluators"]]))
    elif rule == "experiments_on_project":
        prop = path = "experiment_ids"
        values.pop("dataset", None)
        values.update(
            project="chatbot-prod",
            experiment_ids=[draw(st.sampled_from(["baseline", EXPERIMENT_ID]))],
        )
    elif rule == "evaluation_field_on_run_experiment":
        prop = path = draw(st.sampled_from(sorted(EVALUATION_ONLY)))
        values = {
            "type": draw(casings)("run_experiment"),
            "dataset": "golden-qa",
            "run_configuration": draw(run_configurations()),
            prop: EVALUATION_ONLY[prop],
        }
    elif rule in ("experiment_type", "message_role"):
        prop = "run_configuration"
        config = draw(run_configurations())
        if rule == "experiment_type":
            path = "run_configuration.experiment_type"
            config["experiment_type"] = draw(
                words.filter(lambda s: s.upper() not in EXPERIMENT_TYPES)
            )
        else:
            index = draw(st.integers(0, 2))
            roles = [draw(casings)(draw(st.sampled_from(ROLES))) for _ in range(3)]
            roles[index] = draw(words.filter(lambda s: s.upper() not in ROLES))
            config = {
                "experiment_type": draw(casings)("llm_generation"),
                "ai_integration_id": AI_INTEGRATION,
                "input_variable_format": draw(casings)("f_string"),
                "messages": [{"role": role, "content": "{question}"} for role in roles],
            }
            path = f"run_configuration.messages[{index}].role"
        values = {"type": draw(casings)("run_experiment"), "dataset": DATASET_ID}
        values["run_configuration"] = config
    elif rule == "empty_name":
        prop = path = "name"
        values["name"] = ""
    return BrokenCase(resource, values, prop, path)


def preview(provider: TaskProvider, news: dict[str, Any]) -> CheckResult:
    """What the engine does with a declaration: check, and create only when check passes."""
    result = provider.check({}, news)
    if not result.failures:
        provider.create(dict(result.inputs))
    return result


@SETTINGS
@given(case=broken_tasks())
def test_an_invalid_declaration_fails_check_naming_resource_and_field_and_writes_nothing(
    app: InProcessSandbox, case: BrokenCase
) -> None:
    """Whatever the server would refuse fails `pulumi preview` with a reason that says which
    resource and which field, before any write and without reaching create."""
    example = fresh(app, TaskProvider)
    provider = example.provider
    created: list[Any] = []
    provider.create = created.append
    failures = preview(provider, declared(case.resource, example.fill(case.values))).failures
    shown = [(f.property, f.reason) for f in failures]
    assert any(
        f.property == case.prop
        and f.reason.startswith(f"Task '{case.resource}': ")
        and case.path in f.reason
        for f in failures
    ), (case.path, shown)
    assert example.writes() == []
    assert created == []


# --- TaskRun ------------------------------------------------------------------------------


def positive_seconds() -> st.SearchStrategy[float | int]:
    return st.integers(1, 3600) | st.floats(0.001, 3600, allow_nan=False)


wait_settings = st.fixed_dictionaries(
    {},
    optional={
        "wait": st.booleans(),
        "poll_interval": positive_seconds(),
        "timeout": positive_seconds(),
        "succeed_on": st.lists(
            st.builds(lambda c, s: c(s), casings, st.sampled_from(RUN_STATUSES)),
            min_size=1,
            max_size=3,
        ),
        "on_timeout": st.builds(lambda c, s: c(s), casings, st.sampled_from(ON_TIMEOUT)),
        "on_delete": st.builds(lambda c, s: c(s), casings, st.sampled_from(ON_DELETE)),
    },
)


def canonical_wait(values: dict[str, Any]) -> tuple[Any, ...]:
    """Wait settings by meaning: defaults filled in, numbers as floats, casing folded."""
    merged = {**WAIT_DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
    return (
        merged["wait"],
        float(merged["poll_interval"]),
        float(merged["timeout"]),
        frozenset(s.upper() for s in merged["succeed_on"]),
        merged["on_timeout"].lower(),
        merged["on_delete"].lower(),
    )


ZONES = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | words,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=6,
)
opaque_ids = st.builds(encode_id, st.just("Experiment"), st.integers(1, 50), st.just("aBcD"))
experiment_ids = st.lists(
    st.sampled_from(TEMPLATE.experiments), min_size=1, max_size=3, unique=True
)
"""Experiments of the task's dataset, each named once: what the sandbox, like Arize, takes."""
chained_task_ids = st.lists(st.sampled_from(TEMPLATE.chained_tasks), min_size=1, max_size=3)
"""Evaluation tasks of the space (a task named twice runs once)."""
new_experiment_names = words.filter(lambda name: name not in ("", "baseline", *EXTRA_EXPERIMENTS))
"""A run-experiment run makes an experiment of this name, so it is not one the dataset has."""


def render(moment: datetime, zone: Any, millis: bool) -> str:
    text = moment.astimezone(zone).isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z") if zone is UTC and millis else text


@st.composite
def rendered(draw: st.DrawFn, moment: datetime) -> str:
    return render(moment, draw(st.sampled_from(ZONES)), draw(st.booleans()))


@st.composite
def windows(draw: st.DrawFn) -> dict[str, Any]:
    """A data window of a task on a project, as the sandbox takes it (at most 30 days): one
    without an end is sent ending now (the real now, as the service's clock is), so it
    starts within the 30 days before it (a day's margin); one without a start starts where
    the task's last run ended."""
    shape = draw(st.sampled_from(["none", "start", "end", "both"]))
    if shape == "start":
        minutes = draw(st.integers(24 * 60, 29 * 24 * 60))
        start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=minutes)
    elif shape == "end":
        start = LAST_RUN["data_end_time"]
    else:
        start = draw(instants)
    end = start + timedelta(minutes=draw(st.integers(1, 30 * 24 * 60)))
    window: dict[str, Any] = {}
    if shape in ("start", "both"):
        window["data_start_time"] = draw(rendered(start))
    if shape in ("end", "both"):
        window["data_end_time"] = draw(rendered(end))
    return window


def optional(
    key: str, strategy: st.SearchStrategy[Any]
) -> st.SearchStrategy[dict[str, Any] | None]:
    return st.none() | strategy.map(lambda v: {key: v})


EVALUATION_GROUPS: dict[str, st.SearchStrategy[dict[str, Any] | None]] = {
    "max_spans": optional("max_spans", st.integers(1, 10_000)),
    "override_evaluations": optional("override_evaluations", st.booleans()),
    "triggers": optional("triggers", json_values),
}
PROJECT_RUN_GROUPS = {"window": windows(), **EVALUATION_GROUPS}
"""A task on a project evaluates a data window."""
DATASET_RUN_GROUPS = {
    "experiment_ids": optional("experiment_ids", experiment_ids),
    **EVALUATION_GROUPS,
}
"""A task on a dataset evaluates experiments (and takes no data window)."""
RUN_EXPERIMENT_GROUPS: dict[str, st.SearchStrategy[dict[str, Any] | None]] = {
    "experiment_name": st.builds(lambda v: {"experiment_name": v}, new_experiment_names),
    "dataset_version_id": optional("dataset_version_id", words.filter(bool)),
    "examples": st.none()
    | st.builds(lambda v: {"max_examples": v}, st.integers(1, 500))
    | st.builds(lambda v: {"example_ids": v}, st.lists(opaque_ids, min_size=1, max_size=3)),
    "tracing_metadata": optional("tracing_metadata", st.dictionaries(words, words, max_size=3)),
    "evaluation_task_ids": optional("evaluation_task_ids", chained_task_ids),
    "triggers": optional("triggers", json_values),
}
TRIGGER_KEYS = (
    "data_start_time",
    "data_end_time",
    "max_spans",
    "override_evaluations",
    "experiment_ids",
    "experiment_name",
    "dataset_version_id",
    "example_ids",
    "max_examples",
    "tracing_metadata",
    "evaluation_task_ids",
    "triggers",
)


def meaning(key: str, value: Any) -> Any:
    """A trigger value by meaning: instants as instants, ID lists as sets, JSON as text."""
    if value is None:
        return None
    if key in ("data_start_time", "data_end_time"):
        return datetime.fromisoformat(value)
    if key in ("experiment_ids", "example_ids", "evaluation_task_ids"):
        return sorted(value)
    if key in ("max_spans", "max_examples"):
        return int(value)
    return json.dumps(value, sort_keys=True)


@st.composite
def same_meaning(draw: st.DrawFn, values: dict[str, Any]) -> dict[str, Any]:
    """The trigger fields written differently: other time zones, reordered ID lists, counts
    as floats after a round trip through state."""
    out = copy.deepcopy(values)
    for key in ("data_start_time", "data_end_time"):
        if key in out:
            out[key] = draw(rendered(datetime.fromisoformat(out[key])))
    for key in ("experiment_ids", "example_ids", "evaluation_task_ids"):
        if key in out:
            out[key] = draw(st.permutations(out[key]))
    for key in ("max_spans", "max_examples"):
        if key in out and draw(st.booleans()):
            out[key] = float(out[key])
    return out


@dataclass
class RunCase:
    task: str
    """One of :data:`RUN_GROUPS`."""
    triggers: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]


@st.composite
def trigger_values(draw: st.DrawFn, groups: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: draw(strategy) or {} for name, strategy in groups.items()}


def flat(groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {k: v for group in groups.values() for k, v in group.items()}


RUN_GROUPS: dict[str, dict[str, st.SearchStrategy[dict[str, Any] | None]]] = {
    "evaluation on the project": PROJECT_RUN_GROUPS,
    "evaluation on the dataset": DATASET_RUN_GROUPS,
    "run experiment": RUN_EXPERIMENT_GROUPS,
}
"""The trigger fields of a run, by the task it runs."""


@st.composite
def run_cases(draw: st.DrawFn, change_triggers: bool) -> RunCase:
    task = draw(st.sampled_from(sorted(RUN_GROUPS)))
    groups = RUN_GROUPS[task]
    base = draw(trigger_values(groups))
    before = flat(base)
    if change_triggers:
        redrawn = draw(st.lists(st.sampled_from(sorted(groups)), min_size=1, unique=True))
        after_groups = dict(base)
        for name in redrawn:
            after_groups[name] = draw(groups[name]) or {}
        after = flat(after_groups)
    else:
        after = dict(before)
    return RunCase(
        task,
        before,
        {**before, **draw(wait_settings)},
        {**draw(same_meaning(after)), **draw(wait_settings)},
    )


def run_states(example: Example, case: RunCase) -> tuple[str, tuple[Any, Any]]:
    """The state of a finished run whose settings are ``case.before``, and the checked
    inputs of ``case.after``. A task on the project ran once before (over
    :data:`LAST_RUN`); a run-experiment run's experiment is gone again."""
    arize, provider = example.arize, example.provider
    if case.task == "run experiment":
        task = arize.add_task("eval", "RUN_EXPERIMENT")
    elif case.task == "evaluation on the dataset":
        dataset, experiment = example.fill([DATASET_ID, EXPERIMENT_ID])
        task = arize.add_task("eval", dataset_id=dataset, experiment_ids=[experiment])
    else:
        task = arize.add_task("eval")
        arize.add_run(task, "COMPLETED", **{key: rfc3339(at) for key, at in LAST_RUN.items()})
    triggers = example.fill(case.triggers)
    settings_before, settings_after = example.fill(case.before), example.fill(case.after)
    first = clean(provider.check({}, {"task": task, **triggers, "__name": "run"}))
    made = provider.create(first)
    assert made.outs is not None and made.outs["status"] == "COMPLETED"
    if made.outs.get("experiment_id"):
        # A new run may not reuse the name of an experiment the dataset has (check refuses
        # it: test_task_run_provider.py); remove the one this run made, so any name will do.
        path = f"/_sandbox/entities/experiment/{made.outs['experiment_id']}"
        arize.control().delete(path).raise_for_status()
    before = clean(provider.check(first, {"task": task, **settings_before, "__name": "run"}))
    state = provider.update(made.id, made.outs, before).outs
    after = clean(provider.check(before, {"task": task, **settings_after, "__name": "run"}))
    return made.id, (state, after)


@SETTINGS
@given(case=run_cases(change_triggers=False))
def test_wait_settings_alone_never_replace_a_run(app: InProcessSandbox, case: RunCase) -> None:
    """Changing how Pulumi waits for a run never starts a new run; a real change is an
    in-place update."""
    example = fresh(app, TaskRunProvider)
    run_id, (state, after) = run_states(example, case)
    diff = example.provider.diff(run_id, state, after)
    assert diff.replaces == []
    if canonical_wait(case.before) != canonical_wait(case.after):
        assert diff.changes is True
    assert example.writes() == ["POST /v2/tasks/" + state["task_id"] + "/trigger"]


@SETTINGS
@given(case=run_cases(change_triggers=True))
def test_any_trigger_change_replaces_the_run(app: InProcessSandbox, case: RunCase) -> None:
    """A new value of a trigger field or of `triggers` is a new run, reported under exactly
    the fields whose meaning changed."""
    changed = {
        key
        for key in TRIGGER_KEYS
        if meaning(key, case.before.get(key)) != meaning(key, case.after.get(key))
    }
    assume(changed)
    example = fresh(app, TaskRunProvider)
    run_id, (state, after) = run_states(example, case)
    diff = example.provider.diff(run_id, state, after)
    assert diff.changes is True
    assert set(diff.replaces) == changed
