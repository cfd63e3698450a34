"""What the service would refuse of a run, said before the trigger where it can be known.

A run without a window on a task on a project starts where the task's last run ended, so a
first run has nowhere to start (refused, at preview when the task is known or declared in the
same program), and after a gap of more than 30 days it covers the last 30 days. An
``experiment_name`` the dataset already has is refused at preview. A trigger the API refuses
with a conflict is explained: that clash, or a run of the task still going.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from arize_pulumi.resources._normalize import is_unknown, parse_time
from arize_pulumi.resources._provider import ResourceError, describe, log

if TYPE_CHECKING:
    from arize_pulumi.resources._references import References
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.errors import ConflictError
    from arize_pulumi.tasks.models import Task as TaskModel

__all__ = ["TriggerChecks", "conflict"]

Problem = tuple[str, str]
"""``(field, reason)``."""


def _first_run(why: str, now: datetime) -> Problem:
    """The refusal of a windowless first run of a task on a project, naming what to set."""
    from arize_pulumi.tasks.validation import example_start

    return (
        "data_start_time",
        f"required on the first run of a task on a project, and {why}: set data_start_time "
        f'(e.g. data_start_time="{example_start(now)}"; data_end_time defaults to now, and a '
        "window is at most 30 days). Later runs without one continue where the last ended",
    )


def _clash(client: TasksClient, dataset_id: str, name: str, experiment_id: str) -> str:
    """An experiment-name clash, naming the dataset by name and ID."""
    from arize_pulumi.tasks.errors import ArizeError

    try:
        dataset = f"dataset '{client.get_dataset(dataset_id).name}' ({dataset_id})"
    except ArizeError:
        dataset = f"dataset {dataset_id}"
    return (
        f"{dataset} already has an experiment named '{name}' ({experiment_id}), and experiment "
        "names are unique in a dataset: give this run another experiment_name"
    )


@dataclass
class TriggerChecks:
    """The checks of one provider: its client (built on first use), the configured space,
    and its clock."""

    client: Callable[[], TasksClient]
    space: str | None
    now: Callable[[], datetime]

    def before_trigger(
        self,
        values: Mapping[str, Any],
        refs: References,
        found: list[TaskModel],
        hint: Any,
    ) -> list[Problem]:
        """What the service would refuse of the run about to be triggered, when the preview
        can know it: the first run of a task on a project without a window, and an
        ``experiment_name`` the dataset already has.

        The task is the one looked up in this check, or while ``task`` is unknown (its
        ``Task`` is created in this update), the one ``hint`` describes. A lookup that fails
        leaves the decision to the service.
        """
        from arize_pulumi.tasks.errors import ArizeError

        try:
            if is_unknown(values.get("task")):
                return self._of_declared(values, hint)
            return self._of_known(values, refs.resolved, found)
        except (ArizeError, ResourceError):
            return []

    def _of_known(
        self, values: Mapping[str, Any], resolved: Mapping[str, Any], found: list[TaskModel]
    ) -> list[Problem]:
        task_type, task_on = resolved.get("task_type"), resolved.get("task_on")
        task = found[0] if found else None
        if task_type == "RUN_EXPERIMENT":
            name = values.get("experiment_name")
            if not isinstance(name, str) or is_unknown(name):
                return []
            if task is None:
                task = self.client().get(str(resolved["task_id"]))
            return self._experiment_clash(task.dataset_id, name)
        if task is None or task_on != "project" or values.get("data_start_time") is not None:
            return []
        if task.last_run_at is not None:
            return []
        return [_first_run(f"task '{task.name}' ({task.id}) has never run", self.now())]

    def _of_declared(self, values: Mapping[str, Any], hint: Any) -> list[Problem]:
        if not isinstance(hint, Mapping):
            return []
        declared_type = str(hint.get("type") or "").upper()
        name, on = hint.get("name"), hint.get("on")
        space = hint.get("space") or values.get("space") or self.space or None
        if declared_type == "RUN_EXPERIMENT":
            experiment = values.get("experiment_name")
            dataset = hint.get("dataset")
            if not isinstance(experiment, str) or not isinstance(dataset, str):
                return []
            client = self.client()
            return self._experiment_clash(
                client.resolve_dataset_id(dataset, space=space), experiment
            )
        if on != "project" or values.get("data_start_time") is not None:
            return []
        if not isinstance(name, str):
            return []
        existing = self.client().find(name, space=space)
        if existing is None:
            return [_first_run(f"task '{name}' is created in this update", self.now())]
        if existing.last_run_at is None:
            return [_first_run(f"task '{name}' ({existing.id}) has never run", self.now())]
        return []

    def _experiment_clash(self, dataset_id: str | None, name: str) -> list[Problem]:
        if dataset_id is None:
            return []
        client = self.client()
        existing = client.find_experiment(name, dataset_id=dataset_id)
        if existing is None:
            return []
        return [("experiment_name", _clash(client, dataset_id, name, existing.id))]

    def window(
        self, client: TasksClient, label: str, task_id: str, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        """The window of a run given no ``data_start_time`` on a task on a project: the
        service starts it where the task's last run ended; a first run has nowhere to start
        (refused), and after a gap of more than 30 days the run covers the last 30 days."""
        from arize_pulumi.tasks.errors import ArizeError
        from arize_pulumi.tasks.models import format_timestamp
        from arize_pulumi.tasks.validation import catch_up_start

        if arguments.get("data_start_time") is not None:
            return arguments
        try:
            ends = (r.data_end_time for r in client.iter_runs(task_id) if r.data_end_time)
            last_end = next(ends, None)
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: reading the runs of task {task_id} failed: {describe(exc)}"
            ) from None
        if last_end is None:
            field, reason = _first_run(f"task {task_id} has never run", self.now())
            raise ResourceError(f"{label}: {field}: {reason}")
        end = parse_time(arguments.get("data_end_time")) or self.now()
        start = catch_up_start(last_end, end)
        if start is None:
            return arguments
        log(
            "warning",
            f"{label}: no data_start_time, and the last run of task {task_id} ended "
            f"{format_timestamp(last_end)}, more than 30 days before {format_timestamp(end)} "
            f"(a window is at most 30 days): this run evaluates the last 30 days, "
            f"{format_timestamp(start)} to {format_timestamp(end)}; set data_start_time to "
            "choose the window",
        )
        return {**arguments, "data_start_time": start, "data_end_time": end}


def conflict(
    client: TasksClient, task_id: str, arguments: Mapping[str, Any], exc: ConflictError
) -> str:
    """Why a trigger met a conflict, and what to do: an experiment of that name in the
    dataset, or a run of the task still going; else the service's own words."""
    from arize_pulumi.tasks.errors import ArizeError

    name = arguments.get("experiment_name")
    try:
        if isinstance(name, str):
            dataset_id = client.get(task_id).dataset_id
            existing = client.find_experiment(name, dataset_id=dataset_id) if dataset_id else None
            if dataset_id and existing is not None:
                return _clash(client, dataset_id, name, existing.id)
        going = [r for r in client.list_runs(task_id).runs if not r.is_terminal]
    except ArizeError:
        going = []
    if going:
        run = going[0]
        return (
            f"run {run.id} is still {run.status.value}: wait for it to end (or cancel it), "
            "then run `pulumi up` again"
        )
    return exc.message
