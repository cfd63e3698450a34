"""Tasks: list, create, get, update and delete, with Arize's rules on names and references."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from arize_pulumi.tasks.models import (
    READING,
    CreateEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    Task,
    TaskEvaluator,
    TaskList,
    TaskQueryFilters,
    TaskType,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
    check_query_shape,
)

from ..bodies import TaskUpdate, update_for
from ..clock import SandboxClock
from ..paging import ScopedList, decode_cursor, page
from ..problems import bad_request, conflict
from ..store import Row, Store, Tx
from .common import CHAINED_RUNS, SANDBOX_USER_ID, delete_task, require, stamp
from .lookups import spaces_matching
from .references import check_evaluators, check_experiments, check_run_configuration


def task_view(row: Row, now: datetime) -> Task:
    """A task as the API shows it at ``now``: ``last_run_at`` counts runs chained to an
    experiment from the moment they appear. The stored document is read as an answer is
    (``READING``), so a task planted as the real API may hold it (a ``type`` this package does
    not know, nulls, unknown keys) is listed and read like any other."""
    doc = {**row.doc, "id": row.id}
    runs_at = [datetime.fromisoformat(at) for at in (doc.pop(CHAINED_RUNS, None) or {}).values()]
    if doc["last_run_at"] is not None:
        runs_at.append(datetime.fromisoformat(doc["last_run_at"]))
    doc["last_run_at"] = stamp(max((at for at in runs_at if at <= now), default=None))
    return Task.model_validate(doc, context=READING)


def _check_name_free(tx: Tx, space_id: str, name: str, task_id: str | None) -> None:
    for other in tx.find("task", space_ids=[space_id], name=name):
        if other.id != task_id:
            raise conflict(f"name: a task named {name!r} already exists in space {space_id}")


def _stored_filters(filters: TaskQueryFilters | None) -> dict[str, Any] | None:
    """Trace/session queries as Arize keeps them: a lone filter without an expression gets
    one, its own id (what a read echoes)."""
    if filters is None:
        return None
    stored = filters.to_wire()
    if not filters.expression and len(filters.filters) == 1:
        stored["expression"] = filters.filters[0].id
    return stored


def _check_shape(doc: dict[str, Any]) -> None:
    """The task as updated still has one shape: span or trace/session (400 otherwise)."""
    filters = doc.get("query_filters")
    try:
        check_query_shape(
            doc.get("query_filter"),
            None if filters is None else TaskQueryFilters.model_validate(filters),
            [TaskEvaluator.model_validate(e) for e in doc["evaluators"]],
        )
    except ValueError as error:
        raise bad_request(str(error)) from None


class TaskService:
    """Each operation is one transaction that checks everything before it writes."""

    def __init__(self, store: Store, clock: SandboxClock) -> None:
        self.store = store
        self.clock = clock

    def list_tasks(
        self,
        query: ScopedList,
        *,
        project_id: str | None,
        dataset_id: str | None,
        task_type: TaskType | None,
    ) -> TaskList:
        after = decode_cursor("task", query.cursor)
        limit = query.limit
        if project_id is not None and dataset_id is not None:
            raise bad_request("project_id, dataset_id: filter by one of them, not both")
        with self.store.transaction() as tx:
            space_ids = spaces_matching(tx, query.space_id, query.space_name)
            parent_id = None
            if project_id is not None:
                parent_id = require(tx, "project", project_id, "project_id").id
            if dataset_id is not None:
                parent_id = require(tx, "dataset", dataset_id, "dataset_id").id
            rows = tx.find(
                "task",
                parent_id=parent_id,
                space_ids=space_ids,
                name_contains=query.name,
                doc_equals={"type": task_type.value} if task_type else None,
                after=after,
                limit=limit + 1,
            )
        now = self.clock.now()
        tasks, pagination = page("task", rows, [task_view(r, now) for r in rows], limit)
        return TaskList(tasks=tasks, pagination=pagination)

    def get_task(self, task_id: str) -> Task:
        with self.store.transaction() as tx:
            return task_view(require(tx, "task", task_id, "task_id"), self.clock.now())

    def create_task(
        self, request: CreateEvaluationTaskRequest | CreateRunExperimentTaskRequest
    ) -> Task:
        now = self.clock.now()
        with self.store.transaction() as tx:
            doc: dict[str, Any] = {
                "name": request.name,
                "type": request.type,
                "created_at": stamp(now),
                "updated_at": stamp(now),
                "last_run_at": None,
                "created_by_user_id": SANDBOX_USER_ID,
                "query_filter": None,
                "query_filters": None,
                "is_continuous": False,
                "evaluators": [],
                "experiment_ids": [],
                "project_id": None,
                "dataset_id": None,
                "sampling_rate": None,
                "run_configuration": None,
            }
            if isinstance(request, CreateEvaluationTaskRequest):
                if request.project_id is not None:
                    target = require(tx, "project", request.project_id, "project_id")
                    doc["project_id"] = target.id
                    doc["sampling_rate"] = request.sampling_rate
                    doc["is_continuous"] = bool(request.is_continuous)
                else:
                    target = require(tx, "dataset", str(request.dataset_id), "dataset_id")
                    doc["dataset_id"] = target.id
                    doc["experiment_ids"] = check_experiments(
                        tx, request.experiment_ids or [], target, now
                    )
                doc["query_filter"] = request.query_filter
                doc["query_filters"] = _stored_filters(request.query_filters)
                doc["evaluators"] = check_evaluators(
                    tx, request.evaluators, str(target.space_id), TaskType(request.type)
                )
            else:
                target = require(tx, "dataset", request.dataset_id, "dataset_id")
                doc["dataset_id"] = target.id
                check_run_configuration(tx, request.run_configuration)
                doc["run_configuration"] = request.run_configuration.to_wire()
            _check_name_free(tx, str(target.space_id), request.name, None)
            row = tx.insert(
                "task", doc, name=request.name, parent_id=target.id, space_id=target.space_id
            )
            return task_view(row, now)

    def update_task(self, task_id: str, body: TaskUpdate) -> Task:
        """Change the fields of the stored task's type; a field of the other type is a 400."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            row = require(tx, "task", task_id, "task_id")
            update = update_for(TaskType(row.doc["type"]), body)
            if isinstance(update, UpdateEvaluationTaskRequest):
                self._update_evaluation(tx, row, update)
            else:
                self._update_run_experiment(tx, row, update)
            row.doc["updated_at"] = stamp(now)
            tx.save(row)
            return task_view(row, now)

    @staticmethod
    def _rename(tx: Tx, row: Row, name: str | None) -> None:
        if name is not None and name != row.name:
            _check_name_free(tx, str(row.space_id), name, row.id)
            row.name = name
            row.doc["name"] = name

    def _update_evaluation(self, tx: Tx, row: Row, update: UpdateEvaluationTaskRequest) -> None:
        fields = update.model_fields_set
        on_dataset = row.doc.get("dataset_id") is not None
        if on_dataset and "sampling_rate" in fields:
            raise bad_request("sampling_rate: only allowed for tasks on a project")
        if on_dataset and update.is_continuous:
            raise bad_request("is_continuous: only allowed for tasks on a project")
        if update.evaluators is not None:
            row.doc["evaluators"] = check_evaluators(
                tx, update.evaluators, str(row.space_id), TaskType(row.doc["type"])
            )
        self._rename(tx, row, update.name)
        if "sampling_rate" in fields:
            row.doc["sampling_rate"] = update.sampling_rate
        if "is_continuous" in fields:
            row.doc["is_continuous"] = update.is_continuous
        if "query_filter" in fields:
            row.doc["query_filter"] = update.query_filter
        if "query_filters" in fields:
            row.doc["query_filters"] = _stored_filters(update.query_filters)
        _check_shape(row.doc)

    def _update_run_experiment(
        self, tx: Tx, row: Row, update: UpdateRunExperimentTaskRequest
    ) -> None:
        if update.run_configuration is not None:
            check_run_configuration(tx, update.run_configuration)
        self._rename(tx, row, update.name)
        if update.run_configuration is not None:
            row.doc["run_configuration"] = update.run_configuration.to_wire()

    def delete_task(self, task_id: str) -> None:
        with self.store.transaction() as tx:
            delete_task(tx, require(tx, "task", task_id, "task_id"))
