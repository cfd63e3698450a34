"""The field tables of ``Task`` and ``TaskRun``: every rule that belongs to one input.

A row says what an input is called on the API, the form its values compare in (casing,
numbers, sets, references resolved to IDs), what a change to it does, whether an unset value
leaves the server's value alone, and how ``refresh`` reads drift back. The providers' ``check``,
``diff``, ``update``, ``read``, the PATCH and trigger bodies and the outputs all come from
these rows, and tests check the README's reference tables against them, so adding a field is
one row here plus its validation in :mod:`arize_pulumi.tasks`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from arize_pulumi.resources._normalize import (
    canonical_evaluators,
    canonical_query_filters,
    canonical_run_configuration,
    has_unknown,
    is_unknown,
    parse_time,
    stable,
    text_or_none,
    upper_or_none,
)
from arize_pulumi.resources._references import evaluator_entries

__all__ = [
    "TASK_FIELDS",
    "TASK_OUTPUTS",
    "TASK_RUN_FIELDS",
    "TASK_RUN_OUTPUTS",
    "Change",
    "Depends",
    "Drift",
    "Field",
    "Form",
    "Shown",
]

Problem = tuple[str, str]
"""``(field path, reason)`` for a value a form refuses."""


class Change(enum.Enum):
    """What changing an input does (the words of the README's "what a change does")."""

    UPDATE = "update"
    """PATCHed in place."""
    REPLACE = "replace"
    """A new task: the API cannot change it."""
    NEW_RUN = "new run"
    """A new run of the task (the TaskRun is replaced)."""
    NO_OP = "in-place no-op"
    """Recorded in the state; nothing is sent."""
    NONE = "none"
    """Nothing by itself (it only steers how other inputs are resolved or applied)."""


class Drift(enum.Enum):
    """What ``refresh`` reads of an out-of-band change: the output takes the live value, and
    the next ``diff`` compares the declaration with it (showing the live value as the old)."""

    LIVE = "the output takes the live value"
    LIVE_ID = "the output takes the live ID"
    NOT_READ = "not read back"


class Shown(enum.Enum):
    """What a ``Task``'s output of the field gives, and so what its state keeps of the live
    task: only what the program cannot tell from its own declaration."""

    LIVE = "the server's value, always kept in the state"
    """IDs the declaration's names resolved to, which the program cannot know."""
    DECLARED = "the declared value in the API's form (the server's where they differ)"
    """The state keeps the server's value only where it is not what the declaration says
    (a setting left to the server's default, or one a refresh found changed)."""
    AS_WRITTEN = "the value as the program wrote it"
    """Its API form holds IDs the program cannot know; the state keeps the server's value
    only where it differs from the declaration, for ``diff`` and ``refresh``."""


class Form:
    """How values of one kind compare and travel: the canonical form of an input.

    ``canonical`` brings a declared value into the shape of the live one (references become
    the IDs they resolved to); ``live`` does the same for a value read from the state.
    """

    resolving = False
    """Whether the value names other objects, so the same text can stand for another ID."""

    def same_meaning(
        self, new_resolved: Mapping[str, Any], old_resolved: Mapping[str, Any]
    ) -> bool:
        """Whether the same declared text means the same under both resolutions."""
        return not self.resolving

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return value

    def live(self, value: Any) -> Any:
        return self.canonical(value, {})

    def same(self, want: Any, have: Any) -> bool:
        return stable(want) == stable(have)

    def to_wire(self, value: Any) -> Any:
        """The canonical value as a request body carries it."""
        return value

    def output(self, value: Any) -> Any:
        """A wire value as the resource's output keeps it."""
        return value

    def written(self, value: Any) -> Any:
        """A declared value as the output shows it when the field is :data:`Shown.AS_WRITTEN`."""
        return value

    def problems(self, path: str, value: Any) -> list[Problem]:
        """What is wrong with a known declared value that only this form can tell."""
        return []


class Exact(Form):
    """Compared as given (text, booleans, any value)."""


class Upper(Form):
    """An enum the API spells in uppercase and users in either case."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return upper_or_none(value)


class OptionalText(Form):
    """Text where ``""`` and unset both mean "no value"."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return text_or_none(value)


class Number(Form):
    """A number: ``1`` and ``1.0`` (as a round trip through state may give) are the same."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return float(value)


class Flag(Exact):
    """A boolean setting."""

    def problems(self, path: str, value: Any) -> list[Problem]:
        return [] if isinstance(value, bool) else [(path, "must be true or false")]


class Whole(Form):
    """A whole number that may come back from the state as ``10.0``."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def to_wire(self, value: Any) -> Any:
        return self.canonical(value, {})


class Seconds(Number):
    """A duration in seconds, greater than 0."""

    def problems(self, path: str, value: Any) -> list[Problem]:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            return [(path, f"must be a number of seconds greater than 0, got {value!r}")]
        return []


class Instant(Form):
    """A timestamp: the same instant in another spelling or time zone is the same value."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        moment = parse_time(value)
        return moment.isoformat() if moment is not None else value

    def to_wire(self, value: Any) -> Any:
        return parse_time(value) or value


class TextSet(Form):
    """IDs or names whose order does not matter."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return sorted(str(v) for v in value) if isinstance(value, list) else value

    def to_wire(self, value: Any) -> Any:
        return [str(v) for v in value] if isinstance(value, list) else value


class TextMap(Form):
    """A map of strings (the key order does not matter)."""

    def to_wire(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
        return value


class Choice(Form):
    """One of a few lowercase words, in either case."""

    def __init__(self, *choices: str) -> None:
        self.choices = choices

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return value.lower() if isinstance(value, str) else value

    def problems(self, path: str, value: Any) -> list[Problem]:
        if isinstance(value, str) and value.lower() in self.choices:
            return []
        return [(path, f"{value!r} is not one of {', '.join(self.choices)}")]


class Statuses(Form):
    """A set of run statuses, in either case."""

    def __init__(self, *statuses: str) -> None:
        self.statuses = statuses

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        if not isinstance(value, list):
            return value
        return sorted({str(status).upper() for status in value})

    def problems(self, path: str, value: Any) -> list[Problem]:
        if not isinstance(value, list) or not value:
            return [(path, "must be a non-empty list of run statuses")]
        return [
            (f"{path}[{index}]", f"{status!r} is not a run status; use {', '.join(self.statuses)}")
            for index, status in enumerate(value)
            if not is_unknown(status)
            and (not isinstance(status, str) or status.upper() not in self.statuses)
        ]


class Reference(Form):
    """A name or ID of another object, compared by the ID it resolved to.

    ``resolved`` holds ``<kind>_ref`` (the text) and ``<kind>_id``; a refresh that finds
    another live ID rewrites both.
    """

    resolving = True

    def __init__(self, kind: str, *, unresolved_matches: bool = False) -> None:
        self.kind = kind
        self.unresolved_matches = unresolved_matches

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return resolved.get(f"{self.kind}_id")

    def live(self, value: Any) -> Any:
        return value

    def same(self, want: Any, have: Any) -> bool:
        if self.unresolved_matches and (want is None or have is None):
            return True
        return bool(want == have)


class ReferenceSet(Form):
    """Names or IDs, compared as the set of IDs they resolved to (``resolved[key]`` maps
    each text to its ID)."""

    resolving = True

    def __init__(self, key: str) -> None:
        self.key = key

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        mapping = resolved.get(self.key) or {}
        return sorted(str(mapping.get(ref, ref)) for ref in value or [])

    def live(self, value: Any) -> Any:
        return sorted(value or [])

    def output(self, value: Any) -> Any:
        return list(value or [])


_EVALUATOR_FIELDS = ("query_filter", "column_mappings", "evaluator_version_id", "query_mappings")


class Evaluators(Form):
    """Evaluator entries (a name, an ID, or a dict), compared by evaluator ID in any order."""

    resolving = True

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        ids = resolved.get("evaluator_ids") or {}
        return canonical_evaluators(evaluator_entries(value), lambda e: ids.get(e["evaluator"]))

    def live(self, value: Any) -> Any:
        entries = value if isinstance(value, list) else []
        return canonical_evaluators(entries, lambda e: e.get("evaluator_id"))

    def to_wire(self, value: Any) -> Any:
        return [
            {"evaluator": entry["evaluator_id"]}
            | {k: entry[k] for k in _EVALUATOR_FIELDS if entry.get(k) is not None}
            for entry in value
        ]

    def output(self, value: Any) -> Any:
        return [{k: v for k, v in entry.items() if v is not None} for entry in value or []]

    def written(self, value: Any) -> Any:
        return evaluator_entries(value) if isinstance(value, list) else value


class QueryFilters(Form):
    """A trace/session task's named queries: compared by id, in any order."""

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return canonical_query_filters(value)

    def output(self, value: Any) -> Any:
        return None if value is None else canonical_query_filters(value)


_INTEGRATIONS = (
    ("ai_integration", "ai_integration_id", "ai_integration"),
    ("integration", "integration_id", "agent_integration"),
)
"""Run-configuration integrations given by name or ID: the argument, the wire key it fills,
and the ``resolved`` key of its text and ID."""


def _integration_ids(value: Any, resolved: Mapping[str, Any]) -> Any:
    """A run configuration with an integration given by name or ID as the ID it resolved to
    (the text itself while it is not resolved)."""
    if not isinstance(value, Mapping) or not any(arg in value for arg, _, _ in _INTEGRATIONS):
        return value
    config = dict(value)
    for argument, wire, key in _INTEGRATIONS:
        if argument in config:
            given = config.pop(argument)
            if given is not None and config.get(wire) is None:
                config[wire] = resolved.get(f"{key}_id") or given
    return config


class RunConfiguration(Form):
    """A run configuration, typed or a dict: enums uppercased, empty defaults dropped, and
    the integration (``ai_integration``, or ``integration`` of an agent call: a name or an
    ID) compared by the ID it resolved to."""

    resolving = True

    def same_meaning(
        self, new_resolved: Mapping[str, Any], old_resolved: Mapping[str, Any]
    ) -> bool:
        keys = [f"{key}_id" for _, _, key in _INTEGRATIONS]
        return all(new_resolved.get(k) == old_resolved.get(k) for k in keys)

    def canonical(self, value: Any, resolved: Mapping[str, Any]) -> Any:
        return canonical_run_configuration(_integration_ids(value, resolved))

    def output(self, value: Any) -> Any:
        return None if value is None else canonical_run_configuration(value)


@dataclass(frozen=True)
class Depends:
    """A default that follows from the other inputs: ``rule(inputs)`` gives it."""

    rule: Callable[[Mapping[str, Any]], Any]
    says: str
    """The rule in words, for messages and the reference."""


@dataclass(frozen=True)
class Field:
    """One input of a resource and every rule that belongs to it."""

    name: str
    """The input's name in the program."""
    form: Form
    """How its values compare, travel and are checked."""
    change: Change
    """What a change to it does."""
    drift: Drift = Drift.NOT_READ
    """How ``refresh`` reads a live value that differs back into the inputs."""
    wire: str | None = ""
    """Its name on the API (a Task's state key for the live value, a trigger body key):
    ``""`` means the input's own name, ``None`` that the API has no such field."""
    unset_keeps_live: bool = False
    """Unset means "leave the server's value", so it never differs from the live one."""
    default: Any = None
    """The value an unset input behaves as (TaskRun's wait settings); a :class:`Depends`
    when it follows from the other inputs."""
    shown: Shown = Shown.DECLARED
    """What a ``Task``'s output of it gives (and so whether its state keeps the live value)."""

    def __post_init__(self) -> None:
        if self.wire == "":
            object.__setattr__(self, "wire", self.name)

    def default_for(self, inputs: Mapping[str, Any]) -> Any:
        """The value an unset input behaves as, given the other inputs."""
        if isinstance(self.default, Depends):
            return self.default.rule(inputs)
        return self.default

    def canonical(self, inputs: Mapping[str, Any], resolved: Mapping[str, Any]) -> Any:
        value = inputs.get(self.name)
        if value is None:
            value = self.default_for(inputs)
        return self.form.canonical(value, resolved)

    def same(self, want: Any, have: Any) -> bool:
        """Whether a declared (canonical) value asks for nothing beyond ``have``."""
        if want is None and self.unset_keeps_live:
            return True
        return self.form.same(want, have)

    def changed(
        self,
        new: Mapping[str, Any],
        new_resolved: Mapping[str, Any],
        old: Mapping[str, Any],
        old_resolved: Mapping[str, Any],
    ) -> bool:
        """Whether declaration ``new`` asks for something else than ``old`` in this field;
        a value not known yet (a preview) may be anything, so it counts as a change."""
        after = new.get(self.name)
        if has_unknown(after):
            return True
        if stable(after) == stable(old.get(self.name)) and self.form.same_meaning(
            new_resolved, old_resolved
        ):
            return False
        return not self.same(self.canonical(new, new_resolved), self.canonical(old, old_resolved))


TASK_FIELDS: tuple[Field, ...] = (
    Field("type", Upper(), Change.REPLACE, Drift.LIVE),
    Field("name", Exact(), Change.UPDATE, Drift.LIVE),
    Field(
        "space",
        Reference("space", unresolved_matches=True),
        Change.REPLACE,
        wire="space_id",
        shown=Shown.LIVE,
    ),
    Field(
        "project",
        Reference("project"),
        Change.REPLACE,
        Drift.LIVE_ID,
        wire="project_id",
        shown=Shown.LIVE,
    ),
    Field(
        "dataset",
        Reference("dataset"),
        Change.REPLACE,
        Drift.LIVE_ID,
        wire="dataset_id",
        shown=Shown.LIVE,
    ),
    Field(
        "experiment_ids",
        ReferenceSet("experiment_ids"),
        Change.REPLACE,
        Drift.LIVE_ID,
        shown=Shown.LIVE,
    ),
    Field("evaluators", Evaluators(), Change.UPDATE, Drift.LIVE, shown=Shown.AS_WRITTEN),
    Field("sampling_rate", Number(), Change.UPDATE, Drift.LIVE, unset_keeps_live=True),
    Field("is_continuous", Exact(), Change.UPDATE, Drift.LIVE, unset_keeps_live=True),
    Field("query_filter", OptionalText(), Change.UPDATE, Drift.LIVE),
    Field("query_filters", QueryFilters(), Change.UPDATE, Drift.LIVE),
    Field(
        "run_configuration",
        RunConfiguration(),
        Change.UPDATE,
        Drift.LIVE,
        shown=Shown.AS_WRITTEN,
    ),
    Field("adopt", Flag(), Change.NONE, wire=None),
)
"""The inputs of ``Task``. A ``wire`` name is also the state key of the live value."""

TASK_OUTPUTS: tuple[str, ...] = (
    "task_id",
    *(f.wire for f in TASK_FIELDS if f.wire is not None),
    "evaluator_ids",
    "created_at",
    "updated_at",
    "last_run_at",
    "created_by_user_id",
)
"""The outputs of ``Task``: the live task under its wire names."""

RUN_STATUSES = ("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")

TASK_RUN_FIELDS: tuple[Field, ...] = (
    Field("task", Reference("task"), Change.NEW_RUN, wire=None),
    Field("space", Exact(), Change.NONE, wire=None),
    Field("data_start_time", Instant(), Change.NEW_RUN),
    Field("data_end_time", Instant(), Change.NEW_RUN),
    Field("max_spans", Whole(), Change.NEW_RUN),
    Field("override_evaluations", Exact(), Change.NEW_RUN),
    Field("experiment_ids", TextSet(), Change.NEW_RUN),
    Field("experiment_name", Exact(), Change.NEW_RUN),
    Field("dataset_version_id", Exact(), Change.NEW_RUN),
    Field("example_ids", TextSet(), Change.NEW_RUN),
    Field("max_examples", Whole(), Change.NEW_RUN),
    Field("query_filter", Exact(), Change.NEW_RUN),
    Field("tracing_metadata", TextMap(), Change.NEW_RUN),
    Field("evaluation_task_ids", TextSet(), Change.NEW_RUN),
    Field("triggers", Exact(), Change.NEW_RUN, wire=None),
    Field("wait", Flag(), Change.NO_OP, wire=None, default=True),
    Field("poll_interval", Seconds(), Change.NO_OP, wire=None, default=5.0),
    Field("timeout", Seconds(), Change.NO_OP, wire=None, default=600.0),
    Field("succeed_on", Statuses(*RUN_STATUSES), Change.NO_OP, wire=None, default=["COMPLETED"]),
    Field(
        "on_timeout", Choice("cancel", "fail", "keep"), Change.NO_OP, wire=None, default="cancel"
    ),
    Field("on_delete", Choice("detach", "cancel"), Change.NO_OP, wire=None, default="detach"),
    Field(
        "wait_for_chained",
        Flag(),
        Change.NO_OP,
        wire=None,
        default=Depends(
            lambda inputs: bool(inputs.get("evaluation_task_ids")),
            "true when evaluation_task_ids is set",
        ),
    ),
)
"""The inputs of ``TaskRun``. A ``wire`` name is the trigger body's key."""

TASK_RUN_OUTPUTS: tuple[str, ...] = (
    "run_id",
    "task_id",
    "status",
    "num_successes",
    "num_errors",
    "num_skipped",
    "run_started_at",
    "run_finished_at",
    "data_start_time",
    "data_end_time",
    "experiment_id",
    "failure_reason",
    "created_at",
    "chained_runs",
)
"""The outputs of ``TaskRun``: the run under its wire names, then the runs its experiment
chained (``chained_runs``)."""
