"""Task runs: trigger, list, get and cancel; a run's state at any moment comes from
``progress``, so reading a run never writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from arize_pulumi.tasks.models import (
    MAX_TRIGGER_WINDOW,
    RunStatus,
    TaskRun,
    TaskRunList,
    TaskType,
    TriggerEvaluationRunRequest,
    TriggerRunExperimentRequest,
)

from .. import progress
from ..bodies import RunTrigger, trigger_for
from ..clock import SandboxClock
from ..paging import decode_cursor, page
from ..problems import bad_request, conflict, not_found, unprocessable
from ..store import Row, Store, Tx
from .common import CHAINED_RUNS, SANDBOX_USER_ID, require, stamp, visible
from .references import check_experiments

MAX_RUN_ITEMS = 100
"""Runs count at most this many spans or examples, so they finish in their duration."""
DEFAULT_EXAMPLES = 25


def _view(row: Row, now: datetime) -> TaskRun:
    return progress.view(row.doc, row.id, now)


class RunService:
    """Runs last ``run_duration`` seconds of the sandbox clock unless an outcome says else."""

    def __init__(self, store: Store, clock: SandboxClock, run_duration: float) -> None:
        self.store = store
        self.clock = clock
        self.run_duration = run_duration

    def trigger(self, task_id: str, body: RunTrigger | None) -> TaskRun:
        """Start a run (``PENDING``); 409 while the task has a run that is not finished."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            task = require(tx, "task", task_id, "task_id")
            request = trigger_for(TaskType(task.doc["type"]), body)
            run_id = tx.new_id("run")
            previous = [
                r for r in tx.find("run", parent_id=task.id, newest_first=True) if visible(r, now)
            ]
            if isinstance(request, TriggerEvaluationRunRequest):
                fields = self._evaluation_run(tx, task, request, previous, now)
            else:
                fields = self._experiment_run(tx, task, request)
            if previous:
                latest = _view(previous[0], now)
                if not latest.status.is_terminal:
                    raise conflict(
                        f"task_id: task {task.id} already has a run in progress "
                        f"({latest.id}, {latest.status.value}); wait for it or cancel it"
                    )
            outcome = tx.take_outcome(task.id) or {}
            doc: dict[str, Any] = {
                "task_id": task.id,
                "created_at": stamp(now),
                "duration": outcome.get("duration") or self.run_duration,
                "outcome": outcome.get("status") or RunStatus.COMPLETED.value,
                "failure_reason": outcome.get("failure_reason"),
                "cancelled_at": None,
                "created_by_user_id": SANDBOX_USER_ID,
                **fields,
            }
            if doc.get("experiment_name") is not None:
                started = stamp(progress.started_at(doc))
                experiment = tx.insert(
                    "experiment",
                    {
                        "run_id": run_id,
                        "visible_at": started,
                        "dataset_version_id": doc.pop("dataset_version_id"),
                        "created_at": started,
                        "updated_at": started,
                    },
                    name=doc["experiment_name"],
                    parent_id=str(task.doc["dataset_id"]),
                    space_id=task.space_id,
                )
                doc["experiment_id"] = experiment.id
            doc["chained_run_ids"] = self._schedule_chained_runs(tx, run_id, doc)
            row = tx.insert("run", doc, parent_id=task.id, space_id=task.space_id, entity_id=run_id)
            task.doc["last_run_at"] = stamp(now)
            tx.save(task)
            return _view(row, now)

    def _schedule_chained_runs(self, tx: Tx, run_id: str, doc: dict[str, Any]) -> list[str]:
        """Store runs of the ``evaluation_task_ids`` that start when the experiment completes.

        They are stored now, to be seen from the moment the experiment run ends (runs move
        by time, with no background work); a run that will not complete chains nothing, and
        cancelling it drops what it had scheduled. An outcome scripted for an evaluation task
        applies to its chained run as to any other run of that task.
        """
        finish = progress.finished_at(doc)
        if finish is None or doc["outcome"] != RunStatus.COMPLETED.value:
            return []
        scheduled = []
        for task_id in doc.get("evaluation_task_ids") or []:
            task = require(tx, "task", task_id, "evaluation_task_ids")
            outcome = tx.take_outcome(task.id) or {}
            chained = {
                "task_id": task.id,
                "created_at": stamp(finish),
                "visible_at": stamp(finish),
                "duration": outcome.get("duration") or self.run_duration,
                "outcome": outcome.get("status") or RunStatus.COMPLETED.value,
                "failure_reason": outcome.get("failure_reason"),
                "cancelled_at": None,
                "created_by_user_id": SANDBOX_USER_ID,
                "data_start_time": None,
                "data_end_time": None,
                "total": doc["total"],
                "chained_from": run_id,
            }
            row = tx.insert("run", chained, parent_id=task.id, space_id=task.space_id)
            task.doc.setdefault(CHAINED_RUNS, {})[row.id] = chained["created_at"]
            tx.save(task)
            scheduled.append(row.id)
        return scheduled

    @staticmethod
    def _evaluation_run(
        tx: Tx,
        task: Row,
        request: TriggerEvaluationRunRequest,
        previous: Sequence[Row],
        now: datetime,
    ) -> dict[str, Any]:
        """The data window (from the last run's end, up to now) and how much to evaluate."""
        start, end = request.data_start_time, request.data_end_time
        if task.doc.get("project_id") is not None:
            require(tx, "project", task.doc["project_id"], "project_id")
            if request.experiment_ids is not None:
                raise bad_request("experiment_ids: only allowed for tasks on a dataset")
            if start is None:
                ends = [r.doc["data_end_time"] for r in previous if r.doc.get("data_end_time")]
                if not ends:
                    raise bad_request(
                        "data_start_time: required on the first run of a task on a project"
                    )
                start = datetime.fromisoformat(ends[0])
        else:
            dataset = require(tx, "dataset", task.doc["dataset_id"], "dataset_id")
            # A window does not apply to a task on a dataset: Arize ignores one (Arize's CLI
            # sends it and warns so); the client and the provider refuse it before sending.
            start = end = None
            if request.experiment_ids is not None:
                check_experiments(tx, request.experiment_ids, dataset, now)
        if end is None and start is not None:
            end = now
        if start is not None and end is not None:
            if start >= end:
                raise bad_request("data_start_time: must be before data_end_time")
            if end - start > MAX_TRIGGER_WINDOW:
                raise bad_request("data_start_time, data_end_time: the window is at most 30 days")
        return {
            "data_start_time": stamp(start),
            "data_end_time": stamp(end),
            "total": min(request.max_spans or 10_000, MAX_RUN_ITEMS),
        }

    @staticmethod
    def _experiment_run(tx: Tx, task: Row, request: TriggerRunExperimentRequest) -> dict[str, Any]:
        """The experiment the run will make, and the evaluation tasks it chains to."""
        dataset = require(tx, "dataset", task.doc["dataset_id"], "dataset_id")
        if tx.find("experiment", parent_id=dataset.id, name=request.experiment_name, limit=1):
            raise conflict(
                f"experiment_name: dataset {dataset.id} already has an experiment named "
                f"{request.experiment_name!r}"
            )
        chained: list[str] = []
        for index, other_id in enumerate(request.evaluation_task_ids or []):
            other = require(tx, "task", other_id, f"evaluation_task_ids[{index}]")
            if not TaskType(other.doc["type"]).is_evaluation:
                raise unprocessable(
                    f"evaluation_task_ids[{index}]: task {other_id} is not an evaluation task"
                )
            if other.id not in chained:
                chained.append(other.id)
        examples = request.max_examples or len(request.example_ids or []) or DEFAULT_EXAMPLES
        return {
            "data_start_time": None,
            "data_end_time": None,
            "total": min(examples, MAX_RUN_ITEMS),
            "experiment_name": request.experiment_name,
            "dataset_version_id": request.dataset_version_id or dataset.doc.get("version_id"),
            "evaluation_task_ids": chained,
        }

    def list_runs(
        self, task_id: str, status: RunStatus | None, limit: int, cursor: str | None
    ) -> TaskRunList:
        """A task's runs that exist by now, newest first."""
        before = decode_cursor("run", cursor)
        now = self.clock.now()
        with self.store.transaction() as tx:
            require(tx, "task", task_id, "task_id")
            rows = tx.find("run", parent_id=task_id, before=before, newest_first=True)
        pairs = [(r, _view(r, now)) for r in rows if visible(r, now)]
        if status is not None:
            pairs = [(r, v) for r, v in pairs if v.status is status]
        task_runs, pagination = page("run", [r for r, _ in pairs], [v for _, v in pairs], limit)
        return TaskRunList(task_runs=task_runs, pagination=pagination)

    def get_run(self, run_id: str) -> TaskRun:
        now = self.clock.now()
        with self.store.transaction() as tx:
            return _view(_require_run(tx, run_id, now), now)

    def cancel_run(self, run_id: str) -> TaskRun:
        """Cancel a ``PENDING`` or ``RUNNING`` run, with the experiment it had not yet made
        and the runs it had chained; 400 for a run that already ended."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            row = _require_run(tx, run_id, now)
            current = _view(row, now)
            if current.status.is_terminal:
                raise bad_request(
                    f"run_id: run {run_id} is already {current.status.value}; only PENDING "
                    "or RUNNING runs can be cancelled"
                )
            row.doc["cancelled_at"] = stamp(now)
            experiment_id = row.doc.get("experiment_id")
            if current.status is RunStatus.PENDING and experiment_id:
                experiment = tx.get("experiment", experiment_id)
                if experiment is not None:
                    tx.delete(experiment)
            for chained_id in row.doc.get("chained_run_ids") or []:
                chained = tx.get("run", chained_id)
                if chained is not None:
                    tx.delete(chained)
                    task = tx.get("task", str(chained.parent_id))
                    if task is not None and task.doc.get(CHAINED_RUNS, {}).pop(chained_id, None):
                        tx.save(task)
            tx.save(row)
            return _view(row, now)


def _require_run(tx: Tx, run_id: str, now: datetime) -> Row:
    """A run that exists by ``now`` (a chained run does once its experiment completes)."""
    row = require(tx, "run", run_id, "run_id")
    if not visible(row, now):
        raise not_found(f"run_id: task run {run_id} not found")
    return row
