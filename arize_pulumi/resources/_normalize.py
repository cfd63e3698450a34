"""Turning program inputs into plain values, and values into forms that compare cleanly.

Two directions meet here. In the program, typed ``...Args`` dataclasses and datetimes become
plain dicts and RFC 3339 strings before Pulumi serialises them. In the provider process, the
values Pulumi hands over (with unknowns during preview and, defensively, secret wrappers) are
made plain, and the parts the API treats loosely (enum casing, list order, ``""`` versus no
value) are brought to one canonical form so that ``diff`` reports only real changes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import rpc

# pulumi.runtime.rpc (the wire forms of unknowns and secrets) and pulumi.output.Unknown are
# Pulumi internals, checked on pulumi 3.260.0 and 3.272.0 (tests/matrix/versions.mk).
_UNKNOWN_TEXT = rpc.UNKNOWN


def is_unknown(value: Any) -> bool:
    """True for a value Pulumi does not know yet (a preview of something not created)."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == _UNKNOWN_TEXT)


def has_unknown(value: Any) -> bool:
    """True when ``value`` or anything nested in it is unknown."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(has_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(has_unknown(item) for item in value)
    return False


def known_copy(value: Any, path: str, unknown: list[str]) -> Any:
    """``value`` with unknowns replaced by a placeholder text; their paths go to ``unknown``.

    Validation then runs on the copy, and :func:`touches_unknown` drops what it says about
    the placeholders.
    """
    if is_unknown(value):
        unknown.append(path)
        return "unknown-during-preview"
    if isinstance(value, Mapping):
        return {k: known_copy(v, f"{path}.{k}", unknown) for k, v in value.items()}
    if isinstance(value, list):
        return [known_copy(v, f"{path}[{i}]", unknown) for i, v in enumerate(value)]
    return value


def touches_unknown(field: str, unknown: list[str]) -> bool:
    """True when a validation error's field (``a, b`` for several) lies within an unknown
    value or contains one."""
    for name in field.split(", "):
        for path in unknown:
            if name == path or name.startswith((f"{path}.", f"{path}[")):
                return True
            if path.startswith((f"{name}.", f"{name}[")):
                return True
    return False


def top_level(field: str) -> str:
    """The input a field path belongs to: ``evaluators[0].evaluator`` -> ``evaluators``,
    ``project, dataset`` -> ``project``."""
    return field.split(",", 1)[0].split("[", 1)[0].split(".", 1)[0]


def plain(value: Any) -> Any:
    """``value`` with secret markers removed at every level (the values stay as they are)."""
    if rpc.is_rpc_secret(value):
        return plain(rpc.unwrap_rpc_secret(value))
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def format_time(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as Arize writes timestamps (naive means UTC)."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(value: Any) -> datetime | None:
    """A timestamp input as an aware UTC datetime, or ``None`` when it is not one."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_inputs(value: Any) -> Any:
    """Program-side: ``...Args`` dataclasses to dicts without ``None`` fields, datetimes to
    RFC 3339, recursively, also inside Outputs, so Pulumi can serialise what it gets."""
    if isinstance(value, pulumi.Output):
        return value.apply(to_inputs)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            field_value = getattr(value, item.name)
            if field_value is not None:
                out[item.name] = to_inputs(field_value)
        return out
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, Mapping):
        return {key: to_inputs(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_inputs(item) for item in value]
    return value


def text_or_none(value: Any) -> Any:
    """``""`` and ``None`` both mean "no value" for optional text such as a query filter."""
    return None if value is None or value == "" else value


def mapping_or_none(value: Any) -> Any:
    """An empty map and ``None`` both mean "no mapping"."""
    return None if value is None or (isinstance(value, Mapping) and not value) else value


def upper_or_none(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def stable(value: Any) -> str:
    """A deterministic text of a JSON-like value, to compare or sort nested values."""
    return json.dumps(value, sort_keys=True, default=str)


def canonical_evaluators(
    entries: Sequence[Mapping[str, Any]], evaluator_id: Callable[[Mapping[str, Any]], Any]
) -> list[dict[str, Any]]:
    """Evaluators as the API stores them, ordered by ID (the API does not care about order)."""
    out = [
        {
            "evaluator_id": evaluator_id(entry),
            "query_filter": text_or_none(entry.get("query_filter")),
            "column_mappings": mapping_or_none(entry.get("column_mappings")),
            "evaluator_version_id": text_or_none(entry.get("evaluator_version_id")),
            "query_mappings": canonical_query_mappings(entry.get("query_mappings")),
        }
        for entry in entries
    ]
    return sorted(out, key=stable)


def canonical_query_mappings(value: Any) -> Any:
    """Query mappings in any order, each with its query ids in any order; none is ``None``."""
    if not isinstance(value, list) or not value:
        return value or None
    mappings = [
        {**m, "query_ids": sorted(m.get("query_ids") or [])} if isinstance(m, Mapping) else m
        for m in value
    ]
    return sorted(mappings, key=stable)


def canonical_query_filters(value: Any) -> Any:
    """Trace/session queries ordered by id; a lone filter without an expression has its own
    id as one (what Arize echoes), and ``""`` is no expression."""
    if not isinstance(value, Mapping):
        return value
    filters = value.get("filters")
    expression = text_or_none(value.get("expression"))
    if isinstance(filters, list):
        filters = sorted(filters, key=stable)
        if expression is None and len(filters) == 1 and isinstance(filters[0], Mapping):
            expression = filters[0].get("id")
    return {"filters": filters, "expression": expression}


def canonical_run_configuration(value: Any) -> Any:
    """A run configuration with enums uppercased, unset and empty defaults dropped."""
    if not isinstance(value, Mapping):
        return value
    from pydantic import ValidationError

    from arize_pulumi.tasks.models import LENIENT
    from arize_pulumi.tasks.validation import run_configuration_adapter

    try:
        model = run_configuration_adapter().validate_python(dict(value), context=LENIENT)
    except ValidationError:
        return dict(value)
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_none=True, by_alias=True)
    if dumped.get("provider_parameters") == {}:
        del dumped["provider_parameters"]
    return dumped
