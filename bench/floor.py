"""Dynamic resources that do nothing, to measure the Pulumi engine's own floor.

The benchmarks compare `Task` against them. Their provider classes live in an importable module,
`bench.floor`, so they are pickled into state by reference exactly as the real providers are;
the provider process finds the module because the bench's stacks put the repository root on
its PYTHONPATH. `Noop` (one input) is what any dynamic resource costs before a single API
call; `Mirror` has a real Task's shape (the same registered properties and state) and does
nothing, which separates the engine's and the SDK's cost of that shape from the provider's
own work.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
from pulumi.dynamic import ConfigureRequest, CreateResult, DiffResult, ResourceProvider

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


MIRROR_OUTPUTS_KEY = "arizeFloor:mirrorOutputs"
"""Stack configuration holding (as JSON) the outputs every `Mirror` of the stack ends with."""


class MirrorProvider(ResourceProvider):
    """Calls nothing: each resource ends with the outputs recorded in the stack configuration,
    which keeps them out of the resource's own inputs."""

    serialize_as_secret_always = False
    _recorded: dict[str, Any] = {}  # replaced (never mutated) by configure

    def configure(self, req: ConfigureRequest) -> None:
        self._recorded = json.loads(req.config.get(MIRROR_OUTPUTS_KEY) or "{}")

    def create(self, props: dict[str, Any]) -> CreateResult:
        """The recorded outputs, as the Task they were recorded from keeps them."""
        return CreateResult(id_=f"mirror-{props.get('__name', '')}", outs=dict(self._recorded))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """No change: the benchmark previews mirrors only unchanged."""
        return DiffResult(changes=False, replaces=[])


class Mirror(pulumi.dynamic.Resource, module="arize", name="Mirror"):
    """A no-op resource shaped like a recorded Task: it registers the same properties (every
    output, unset until created, and the same checked inputs) and ends with the same outputs
    (set in the stack configuration under `MIRROR_OUTPUTS_KEY`), so the engine's and the SDK's
    cost of that shape is measured apart from any provider work."""

    def __init__(
        self,
        resource_name: str,
        inputs: dict[str, Any],
        output_names: list[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = dict.fromkeys(output_names)
        props.update(inputs)
        with pickler_left_as_found():
            super().__init__(MirrorProvider(), resource_name, props, opts)
