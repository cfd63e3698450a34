"""A dynamic resource that does nothing, to measure the Pulumi engine's own floor.

The benchmarks compare `Task` against it: its provider class lives in this package, so it is
pickled into state by reference exactly as the real providers are, and its timings are what
any dynamic resource costs before a single API call.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider

from arize_pulumi._pickling import pickler_left_as_found


class NoopProvider(ResourceProvider):
    """Creates, diffs and deletes nothing; echoes its inputs as outputs."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=f"noop-{props.get('name', '')}", outs=dict(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in news if key != "__provider" and olds.get(key) != news[key]]
        return DiffResult(changes=bool(changed), replaces=[])


class Noop(pulumi.dynamic.Resource, module="arize", name="Noop"):
    """A no-op resource with one input, ``name``."""

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        with pickler_left_as_found():
            super().__init__(NoopProvider(), resource_name, {"name": resource_name}, opts)
