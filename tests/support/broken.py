"""A Task whose provider fails with a bug (a plain ``RuntimeError``) at create: the stand-in
for an unexpected exception, whose traceback must reach the CLI.

The provider is pickled by reference to this module, so the provider process needs the
repository on ``PYTHONPATH``."""

from __future__ import annotations

from typing import Any

import pulumi.dynamic

from arize_pulumi._pickling import pickler_left_as_found
from arize_pulumi.resources.task import resource_props
from arize_pulumi.resources.task_provider import TaskProvider

BUG = "a bug stand-in: create raised an exception nobody expected"


class BrokenTaskProvider(TaskProvider):
    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        raise RuntimeError(BUG)


class BrokenTask(pulumi.dynamic.Resource, module="arize", name="BrokenTask"):
    def __init__(self, resource_name: str, **inputs: Any) -> None:
        props, opts = resource_props(
            BrokenTaskProvider, "Task", resource_name, (), inputs, name=resource_name
        )
        with pickler_left_as_found():
            super().__init__(BrokenTaskProvider(), resource_name, props, opts)
