"""Describe pydantic models as their wire contract: fields, required, enum values and limits.

Run by ``tests/conformance/test_model_parity.py`` with ``.venv-official/bin/python`` to describe
Arize's official generated models (``arize._generated.api_client.models``); the test imports
this file too, to describe our own models the same way, so both sides go through one
description. Only the standard library and pydantic are imported at the top: the official SDK
is imported by :func:`main` alone.

``python model_shapes.py`` reads one JSON object on stdin::

    {"models": {"LABEL": ["OfficialModel", ...]}, "enums": {"LABEL": ["OfficialEnum" or
     "OfficialModel.field", ...]}}

and prints one JSON line: ``{"models": {LABEL: description}, "enums": {LABEL: [values]}}``.
Several official names under one label are merged (one of several request bodies, or a oneOf
of inputs): the union of their fields, a field required only where every variant requires it.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import sys
from enum import Enum
from typing import Any

from pydantic import BaseModel

Description = dict[str, dict[str, Any]]
"""``{wire name: {"required": bool, "types": [...], "enum": [...] | None, "limits": {...}}}``"""

LIMITS = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "pattern": "pattern",
    "minItems": "min_items",
    "maxItems": "max_items",
}
"""JSON Schema keywords of a limit, and the name the description gives each."""


def _walk(
    schema: dict[str, Any], defs: dict[str, Any], facts: dict[str, Any], prefix: str = ""
) -> None:
    """Collect the types, enum values and limits of one field's schema into ``facts``."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = defs.get(ref.rsplit("/", 1)[-1], {})
        if "enum" in target:
            _walk(target, defs, facts, prefix)
        elif not prefix:
            facts["types"].add("object")
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key, []):
            _walk(branch, defs, facts, prefix)
    if "const" in schema:
        facts["enum"].add(schema["const"])
    for value in schema.get("enum", []):
        if value is not None:
            facts["enum"].add(value)
    kind = schema.get("type")
    for name in kind if isinstance(kind, list) else [kind] if kind else []:
        if name != "null" and not prefix:
            facts["types"].add(name)
    for keyword, name in LIMITS.items():
        if keyword in schema and not (name.startswith("min_") and schema[keyword] == 0):
            facts["limits"][prefix + name] = schema[keyword]  # a minimum of 0 limits nothing
    items = schema.get("items")
    if isinstance(items, dict):
        _walk(items, defs, facts, prefix + "items.")


def _validator_facts(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """Enum values and patterns the generated code checks in ``field_validator``s (the
    generator writes ``set([...])`` and ``re.match(r"...", value)`` there, not in the schema)."""
    found: dict[str, dict[str, Any]] = {}
    for decorator in model.__pydantic_decorators__.field_validators.values():
        try:
            source = inspect.getsource(decorator.func)
        except (OSError, TypeError):
            continue
        facts: dict[str, Any] = {}
        values = re.search(r"not in set\((\[.*?\])\)", source)
        if values:
            facts["enum"] = ast.literal_eval(values.group(1))
        pattern = re.search(r"re\.match\((r\".*?\"), value", source)
        if pattern:  # ``\"`` in a raw string is a quote to ``re``: written plainly, as ours are
            facts["pattern"] = ast.literal_eval(pattern.group(1)).replace('\\"', '"')
        for field in decorator.info.fields:
            found[field] = facts
    return found


def describe(model: type[BaseModel]) -> Description:
    """The wire description of one model (field names as sent, i.e. aliases)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    defs = schema.get("$defs", {})
    listed = getattr(model, f"_{model.__name__}__properties", None)
    extra = _validator_facts(model)
    aliases = {name: info.alias or name for name, info in model.model_fields.items()}
    required = set(schema.get("required", []))
    described: Description = {}
    for wire, prop in schema.get("properties", {}).items():
        if listed is not None and wire not in listed:
            continue  # the generator's own ``additional_properties`` holder
        facts: dict[str, Any] = {"types": set(), "enum": set(), "limits": {}}
        _walk(prop, defs, facts)
        for name, checks in extra.items():
            if aliases.get(name) == wire:
                facts["enum"].update(checks.get("enum", []))
                if "pattern" in checks:
                    facts["limits"]["pattern"] = checks["pattern"]
        types = set(facts["types"])
        if "number" in types:
            types.discard("integer")
        described[wire] = {
            "required": wire in required,
            "types": sorted(types),
            "enum": sorted(facts["enum"]) or None,
            "limits": facts["limits"],
        }
    return described


def merge(descriptions: list[Description]) -> Description:
    """One description of several variants: every field of any of them, required where all
    variants require it, enum values of all; a limit is kept when the variants agree on it."""
    merged: Description = {}
    for description in descriptions:
        for wire, field in description.items():
            if wire not in merged:
                merged[wire] = {
                    "required": field["required"]
                    and all(wire in d and d[wire]["required"] for d in descriptions),
                    "types": list(field["types"]),
                    "enum": list(field["enum"]) if field["enum"] else None,
                    "limits": dict(field["limits"]),
                }
                continue
            into = merged[wire]
            into["types"] = sorted(set(into["types"]) | set(field["types"]))
            if field["enum"] or into["enum"]:
                into["enum"] = sorted(set(into["enum"] or []) | set(field["enum"] or []))
            into["limits"] = {
                k: v for k, v in into["limits"].items() if field["limits"].get(k) == v
            }
    return merged


def enum_values(enum: type[Enum]) -> list[str]:
    return sorted(str(member.value) for member in enum)


def main() -> None:
    from arize._generated.api_client import models as generated

    wanted = json.load(sys.stdin)
    out: dict[str, Any] = {"models": {}, "enums": {}}
    for label, names in wanted["models"].items():
        out["models"][label] = merge([describe(getattr(generated, name)) for name in names])
    for label, names in wanted["enums"].items():
        values: set[str] = set()
        for name in names:
            model_name, _, field = name.partition(".")
            target = getattr(generated, model_name)
            if field:
                values.update(describe(target)[field]["enum"] or [])
            else:
                values.update(enum_values(target))
        out["enums"][label] = sorted(values)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
