"""Dynamic resources that do nothing, to measure the Pulumi engine's own floor.

The benchmarks compare `Task` against them: their provider classes live in this package, so
they are pickled into state by reference exactly as the real providers are. `Noop` (one input)
is what any dynamic resource costs before a single API call; `Mirror` carries a state as large
as a Task's, which separates the engine's cost of that state from the provider's own work.
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


class MirrorProvider(ResourceProvider):
    """Calls nothing, but keeps its inputs twice in its outputs, as a Task keeps both its live
    values and the declaration they came from."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = {key: value for key, value in props.items() if key != "__provider"}
        return CreateResult(
            id_=f"mirror-{props.get('name', '')}", outs=dict(props) | {"declared": declared}
        )

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in news if key != "__provider" and olds.get(key) != news[key]]
        return DiffResult(changes=bool(changed), replaces=[])


class Mirror(pulumi.dynamic.Resource, module="arize", name="Mirror"):
    """A no-op resource whose state is as large as a Task's: ``payload`` is stored as its
    inputs and twice in its outputs, so the engine's cost of carrying that state is measured
    apart from any provider work."""

    def __init__(
        self,
        resource_name: str,
        payload: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        with pickler_left_as_found():
            super().__init__(
                MirrorProvider(), resource_name, {"name": resource_name, **payload}, opts
            )
