"""The ``arize.TaskRun`` resource: one run of a task, by default waited on until it ends."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired, TypedDict, Unpack, overload

import pulumi
import pulumi.dynamic

from arize_pulumi._pickling import pickler_left_as_found
from arize_pulumi.resources.task import Task, live_output, read_existing, resource_props
from arize_pulumi.resources.task_run_provider import TASK_HINT, TaskRunProvider

__all__ = ["TaskRun", "TaskRunArgs", "TaskRunArgsDict"]


@dataclass(kw_only=True)
class TaskRunArgs:
    """The arguments of a :class:`TaskRun`. A change to ``task``, any trigger field or
    ``triggers`` starts a new run (a replace); the wait settings change in place."""

    task: pulumi.Input[str]
    """The task to run: its ID (usually ``task.task_id``) or its name in the space."""

    space: pulumi.Input[str] | None = None
    """The space (name or ID) a task name is looked up in; defaults to ``arize:space``."""

    data_start_time: pulumi.Input[str | datetime] | None = None
    """Evaluation tasks: start of the data window (RFC 3339 or a datetime; naive is UTC).
    Required on the first run of a project task (refused at preview when it can be known).
    Without it a later run continues where the last ended, or covers the 30 days up to
    ``data_end_time`` when the last run ended longer ago (with a warning)."""

    data_end_time: pulumi.Input[str | datetime] | None = None
    """Evaluation tasks: end of the data window (default: now). At most 30 days after start."""

    max_spans: pulumi.Input[int] | None = None
    """Evaluation tasks: most spans to evaluate (default 10000)."""

    override_evaluations: pulumi.Input[bool] | None = None
    """Evaluation tasks: evaluate again what already has a result."""

    experiment_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Dataset evaluation tasks: the experiments (names or IDs) to evaluate."""

    experiment_name: pulumi.Input[str] | None = None
    """Run-experiment tasks (required): the new experiment's name, unique in the dataset,
    1-255 characters without ``"`` or ``\\``."""

    dataset_version_id: pulumi.Input[str] | None = None
    """Run-experiment tasks: the dataset version to run on (default: the latest)."""

    example_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Run-experiment tasks: only these examples (not with ``max_examples``)."""

    max_examples: pulumi.Input[int] | None = None
    """Run-experiment tasks: at most this many examples (not with ``example_ids``)."""

    query_filter: pulumi.Input[str] | None = None
    """Run-experiment tasks: run only on the dataset examples matching this filter (with
    ``example_ids``: those of them that match)."""

    tracing_metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Run-experiment tasks: metadata on the run's traces; giving it turns tracing on."""

    evaluation_task_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Run-experiment tasks: evaluation tasks (IDs or names) to run once the experiment is
    done."""

    triggers: pulumi.Input[Any] | None = None
    """Any values; a change starts a new run (e.g. a prompt version, a model name, a date)."""

    wait: pulumi.Input[bool] | None = None
    """Wait for the run to end (default true). False: record the run as started and move
    on; ``pulumi refresh`` updates its status."""

    poll_interval: pulumi.Input[float] | None = None
    """Seconds between status polls while waiting (default 5)."""

    timeout: pulumi.Input[float] | None = None
    """Most seconds to wait (default 600; must be > 0). Pulumi's ``customTimeouts`` do not
    reach dynamic providers, so this is the limit."""

    succeed_on: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Statuses that count as success (default ``["COMPLETED"]``); any other final status
    fails ``pulumi up``."""

    on_timeout: pulumi.Input[str] | None = None
    """What to do when ``timeout`` passes: ``cancel`` the run and fail (default), ``fail``
    and leave it running, or ``keep`` it as it is and succeed."""

    on_delete: pulumi.Input[str] | None = None
    """What deleting the resource does: ``detach`` (default; the run and its results stay) or
    ``cancel`` a run that is still going."""

    wait_for_chained: pulumi.Input[bool] | None = None
    """Run-experiment tasks: once the experiment run completes, wait (within what is left of
    ``timeout``) for the runs it chained to ``evaluation_task_ids`` and apply ``succeed_on``
    and ``on_timeout`` to each. Default: true when ``evaluation_task_ids`` is set."""


class TaskRunArgsDict(TypedDict):
    """The arguments of a :class:`TaskRun`, as a dict (see :class:`TaskRunArgs`)."""

    task: pulumi.Input[str]
    space: NotRequired[pulumi.Input[str] | None]
    data_start_time: NotRequired[pulumi.Input[str | datetime] | None]
    data_end_time: NotRequired[pulumi.Input[str | datetime] | None]
    max_spans: NotRequired[pulumi.Input[int] | None]
    override_evaluations: NotRequired[pulumi.Input[bool] | None]
    experiment_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]] | None]
    experiment_name: NotRequired[pulumi.Input[str] | None]
    dataset_version_id: NotRequired[pulumi.Input[str] | None]
    example_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]] | None]
    max_examples: NotRequired[pulumi.Input[int] | None]
    query_filter: NotRequired[pulumi.Input[str] | None]
    tracing_metadata: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]] | None]
    evaluation_task_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]] | None]
    triggers: NotRequired[pulumi.Input[Any] | None]
    wait: NotRequired[pulumi.Input[bool] | None]
    poll_interval: NotRequired[pulumi.Input[float] | None]
    timeout: NotRequired[pulumi.Input[float] | None]
    succeed_on: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]] | None]
    on_timeout: NotRequired[pulumi.Input[str] | None]
    on_delete: NotRequired[pulumi.Input[str] | None]
    wait_for_chained: NotRequired[pulumi.Input[bool] | None]


def _declaration_of(task: pulumi.Output[Any]) -> pulumi.Output[dict[str, str] | None]:
    """The declaration of the ``Task`` of this program that ``task`` comes from (usually
    ``task.task_id``), known at once: while the task is created, a preview knows nothing
    else of it. It carries no dependency of its own."""

    async def find() -> dict[str, str] | None:
        for resource in await task.resources():
            if isinstance(resource, Task):
                return getattr(resource, "declaration", None)  # None: a `Task.get`
        return None

    async def known() -> bool:
        return True

    return pulumi.Output(set(), asyncio.ensure_future(find()), asyncio.ensure_future(known()))


class TaskRun(pulumi.dynamic.Resource, module="arize", name="TaskRun"):
    """A run of an Arize AX task, triggered on create and, by default, waited on until it
    ends: a final status outside ``succeed_on`` fails ``pulumi up``, which makes a run a
    release gate. All runs of a program are waited on at once, each on a worker thread of its
    own, as far as the engine's ``--parallel`` lets their steps start."""

    @property
    @pulumi.getter
    def run_id(self) -> pulumi.Output[str]:
        """The run's ID (also the resource ID)."""
        return self.id

    @property
    @pulumi.getter
    def task_id(self) -> pulumi.Output[str]:
        """The ID of the task that ran."""
        return live_output(self, "task_id", "status")

    @property
    @pulumi.getter
    def status(self) -> pulumi.Output[str]:
        """``PENDING``, ``RUNNING``, ``COMPLETED``, ``FAILED`` or ``CANCELLED``; as of the end of
        the wait, or of the last ``pulumi refresh``."""
        return pulumi.get(self, "status")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def num_successes(self) -> pulumi.Output[int]:
        """Items evaluated (or examples run) successfully."""
        return live_output(self, "num_successes", "status")

    @property
    @pulumi.getter
    def num_errors(self) -> pulumi.Output[int]:
        """Items that failed."""
        return live_output(self, "num_errors", "status")

    @property
    @pulumi.getter
    def num_skipped(self) -> pulumi.Output[int]:
        """Items skipped (e.g. already evaluated)."""
        return live_output(self, "num_skipped", "status")

    @property
    @pulumi.getter
    def run_started_at(self) -> pulumi.Output[str | None]:
        """When the run started (RFC 3339)."""
        return live_output(self, "run_started_at", "status")

    @property
    @pulumi.getter
    def run_finished_at(self) -> pulumi.Output[str | None]:
        """When the run finished (RFC 3339)."""
        return live_output(self, "run_finished_at", "status")

    @property
    @pulumi.getter
    def data_start_time(self) -> pulumi.Output[str | None]:
        """Start of the data window the run actually used."""
        return live_output(self, "data_start_time", "status")

    @property
    @pulumi.getter
    def data_end_time(self) -> pulumi.Output[str | None]:
        """End of the data window the run actually used."""
        return live_output(self, "data_end_time", "status")

    @property
    @pulumi.getter
    def experiment_id(self) -> pulumi.Output[str | None]:
        """The experiment a run-experiment run made."""
        return live_output(self, "experiment_id", "status")

    @property
    @pulumi.getter
    def failure_reason(self) -> pulumi.Output[str | None]:
        """Why the run failed or was cancelled, if the server says."""
        return live_output(self, "failure_reason", "status")

    @property
    @pulumi.getter
    def created_at(self) -> pulumi.Output[str]:
        """When the run was triggered (RFC 3339)."""
        return live_output(self, "created_at", "status")

    @property
    @pulumi.getter
    def chained_runs(self) -> pulumi.Output[list[dict[str, Any]]]:
        """The runs the experiment run chained, when waited on (``wait_for_chained``): one
        ``{task_id, run_id, status, num_successes, num_errors, num_skipped, failure_reason}``
        per evaluation task, in the order of ``evaluation_task_ids``; empty otherwise."""
        return live_output(self, "chained_runs", "status")

    @overload
    def __init__(
        self,
        resource_name: str,
        args: TaskRunArgs | TaskRunArgsDict,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[TaskRunArgsDict],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a run: ``TaskRun(name, TaskRunArgs(...), opts)`` or
        ``TaskRun(name, opts, **args)``.

        :param resource_name: The Pulumi resource name.
        """
        props, opts = resource_props(TaskRunProvider, "TaskRun", resource_name, args, kwargs)
        if isinstance(props.get("task"), pulumi.Output):
            props[TASK_HINT] = _declaration_of(props["task"])
        with pickler_left_as_found():
            super().__init__(TaskRunProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> TaskRun:
        """An existing run, read by ID and not managed by this stack (triggered by hand, by a
        schedule or by another stack): its status and counts as of each ``up``; ``destroy``
        leaves it alone.

        :param resource_name: The Pulumi resource name of the lookup.
        :param id: The run's ID.
        :param opts: Resource options; ``id`` is set from the argument.
        """
        return read_existing(TaskRun, TaskRunProvider, resource_name, id, opts)
