"""The sandbox's behaviour: Arize's rules for tasks, runs and lookups on top of the store.

Bodies are validated with the shared wire models (their structure), then against the stored
world (references, names, run state), all before anything is written, so a refused request
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from arize_pulumi.tasks.ids import encode_id
from arize_pulumi.tasks.models import (
    EVALUATION_TRIGGER_FIELDS,
    EVALUATION_UPDATE_FIELDS,
    MAX_TRIGGER_WINDOW,
    RUN_EXPERIMENT_TRIGGER_FIELDS,
    RUN_EXPERIMENT_UPDATE_FIELDS,
    AgentCallConfig,
    CreateEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    CreateTaskRequest,
    Dataset,
    DatasetList,
    Evaluator,
    EvaluatorList,
    Experiment,
    ExperimentList,
    Pagination,
    Project,
    ProjectList,
    RunStatus,
    Space,
    SpaceList,
    Task,
    TaskEvaluator,
    TaskEvaluatorInput,
    TaskList,
    TaskRun,
    TaskRunList,
    TaskType,
    TriggerEvaluationRunRequest,
    TriggerRunExperimentRequest,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
)

from . import runs
from .paging import decode_cursor, page
from .problems import (
    SYSTEM_FIELDS,
    ProblemError,
    bad_request,
    conflict,
    from_validation_error,
    not_found,
    unprocessable,
)
from .seed import Seed, SeedResult, apply_seed, world
from .store import Row, Store, Tx

SANDBOX_USER_ID = encode_id("User", 1, "sBox")
IMMUTABLE_FIELDS = frozenset({"type", "project_id", "dataset_id", "experiment_ids"})
EVALUATION_ONLY_UPDATE = EVALUATION_UPDATE_FIELDS - RUN_EXPERIMENT_UPDATE_FIELDS
RUN_EXPERIMENT_ONLY_UPDATE = RUN_EXPERIMENT_UPDATE_FIELDS - EVALUATION_UPDATE_FIELDS
EVALUATION_ONLY_TRIGGER = EVALUATION_TRIGGER_FIELDS - RUN_EXPERIMENT_TRIGGER_FIELDS
RUN_EXPERIMENT_ONLY_TRIGGER = RUN_EXPERIMENT_TRIGGER_FIELDS - EVALUATION_TRIGGER_FIELDS
CREATE_TASK = TypeAdapter[CreateEvaluationTaskRequest | CreateRunExperimentTaskRequest](
    CreateTaskRequest
)
MAX_RUN_ITEMS = 100
CHAINED_RUNS = "chained_runs_at"
"""Key of a task's stored document: when each run chained to an experiment appears, by run."""
DEFAULT_EXAMPLES = 25

ENTITY_KINDS: dict[str, str] = {
    "space": "space",
    "spaces": "space",
    "project": "project",
    "projects": "project",
    "dataset": "dataset",
    "datasets": "dataset",
    "evaluator": "evaluator",
    "evaluators": "evaluator",
    "experiment": "experiment",
    "experiments": "experiment",
    "ai_integration": "ai_integration",
    "ai_integrations": "ai_integration",
    "ai-integrations": "ai_integration",
    "task": "task",
    "tasks": "task",
    "run": "run",
    "runs": "run",
    "task-runs": "run",
}
"""Names accepted by the out-of-band delete, singular or plural."""

_LABELS = {"ai_integration": "AI integration", "run": "task run"}

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse(model: type[M] | TypeAdapter[M], body: Any) -> M:
    """Validate a body against a wire model, turning its errors into a 400 naming fields."""
    if not isinstance(body, dict):
        raise bad_request("body: a JSON object is required")
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(body)
        return model.model_validate(body)
    except ValidationError as error:
        raise from_validation_error(error) from None


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _require(tx: Tx, kind: str, entity_id: str, field: str) -> Row:
    row = tx.get(kind, entity_id)
    if row is None:
        label = _LABELS.get(kind, kind)
        raise not_found(f"{field}: {label} {entity_id} not found")
    return row


def _project(r: Row) -> Project:
    return Project(
        id=r.id, name=str(r.name), space_id=str(r.space_id), created_at=r.doc["created_at"]
    )


def _dataset(r: Row) -> Dataset:
    return Dataset(
        id=r.id,
        name=str(r.name),
        space_id=str(r.space_id),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
    )


def _evaluator(r: Row) -> Evaluator:
    return Evaluator(
        id=r.id,
        name=str(r.name),
        space_id=str(r.space_id),
        type=r.doc["type"],
        description=r.doc.get("description"),
        created_by_user_id=r.doc.get("created_by_user_id"),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
    )


class SandboxService:
    """All operations of the API and of the control surface, one transaction each."""

    def __init__(
        self,
        store: Store,
        run_duration: float = 3.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.run_duration = run_duration
        self.clock = clock

    # --- lookups ------------------------------------------------------------------------

    def _spaces(self, tx: Tx, space_id: str | None, space_name: str | None) -> list[str] | None:
        """The IDs of the spaces a list is scoped to, ``None`` for all; 404 when none match."""
        if space_id is None and space_name is None:
            return None
        if space_id is not None:
            candidates = [_require(tx, "space", space_id, "space_id")]
        else:
            candidates = tx.find("space")
        if space_name is not None:
            candidates = [s for s in candidates if space_name.lower() in str(s.name).lower()]
            if not candidates:
                raise not_found(f"space_name: no space matches {space_name!r}")
        return [s.id for s in candidates]

    def list_spaces(self, name: str | None, limit: int, cursor: str | None) -> SpaceList:
        after = decode_cursor("space", cursor)
        with self.store.transaction() as tx:
            rows = tx.find("space", name_contains=name, after=after, limit=limit + 1)
        items = [
            Space(
                id=r.id,
                name=str(r.name),
                description=r.doc.get("description"),
                created_at=r.doc["created_at"],
            )
            for r in rows
        ]
        spaces, pagination = page("space", rows, items, limit)
        return SpaceList(spaces=spaces, pagination=pagination)

    def _in_spaces(
        self,
        kind: str,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
        view: Callable[[Row], T],
    ) -> tuple[list[T], Pagination]:
        """One page of the rows of ``kind`` in the spaces a list is scoped to, shown by ``view``."""
        after = decode_cursor(kind, cursor)
        with self.store.transaction() as tx:
            space_ids = self._spaces(tx, space_id, space_name)
            rows = tx.find(
                kind, space_ids=space_ids, name_contains=name, after=after, limit=limit + 1
            )
        return page(kind, rows, [view(r) for r in rows], limit)

    def list_projects(
        self,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> ProjectList:
        projects, pagination = self._in_spaces(
            "project", space_id, space_name, name, limit, cursor, _project
        )
        return ProjectList(projects=projects, pagination=pagination)

    def list_datasets(
        self,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> DatasetList:
        datasets, pagination = self._in_spaces(
            "dataset", space_id, space_name, name, limit, cursor, _dataset
        )
        return DatasetList(datasets=datasets, pagination=pagination)

    def list_evaluators(
        self,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> EvaluatorList:
        evaluators, pagination = self._in_spaces(
            "evaluator", space_id, space_name, name, limit, cursor, _evaluator
        )
        return EvaluatorList(evaluators=evaluators, pagination=pagination)

    def list_experiments(
        self, dataset_id: str | None, name: str | None, limit: int, cursor: str | None
    ) -> ExperimentList:
        after = decode_cursor("experiment", cursor)
        now = self.clock()
        with self.store.transaction() as tx:
            if dataset_id is not None:
                _require(tx, "dataset", dataset_id, "dataset_id")
            rows = [
                r
                for r in tx.find(
                    "experiment", parent_id=dataset_id, name_contains=name, after=after
                )
                if self._visible(r, now)
            ][: limit + 1]
        items = [
            Experiment(
                id=r.id,
                name=str(r.name),
                dataset_id=str(r.parent_id),
                dataset_version_id=r.doc.get("dataset_version_id"),
                created_at=r.doc["created_at"],
                updated_at=r.doc["updated_at"],
            )
            for r in rows
        ]
        experiments, pagination = page("experiment", rows, items, limit)
        return ExperimentList(experiments=experiments, pagination=pagination)

    @staticmethod
    def _visible(row: Row, now: datetime) -> bool:
        """Whether a row stored ahead of time exists yet: an experiment made by a run exists
        once the run is running, a run chained to an experiment once the experiment completes."""
        visible_at = row.doc.get("visible_at")
        return visible_at is None or datetime.fromisoformat(visible_at) <= now

    # --- tasks --------------------------------------------------------------------------

    @staticmethod
    def _task(row: Row, now: datetime) -> Task:
        """A task as the API shows it: ``last_run_at`` counts runs chained to an experiment
        from the moment they appear."""
        doc = {**row.doc, "id": row.id}
        runs_at = [
            datetime.fromisoformat(at) for at in (doc.pop(CHAINED_RUNS, None) or {}).values()
        ]
        if doc["last_run_at"] is not None:
            runs_at.append(datetime.fromisoformat(doc["last_run_at"]))
        doc["last_run_at"] = _stamp(max((at for at in runs_at if at <= now), default=None))
        return Task.model_validate(doc)

    def list_tasks(
        self,
        *,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        project_id: str | None,
        dataset_id: str | None,
        task_type: TaskType | None,
        limit: int,
        cursor: str | None,
    ) -> TaskList:
        after = decode_cursor("task", cursor)
        if project_id is not None and dataset_id is not None:
            raise bad_request("project_id, dataset_id: filter by one of them, not both")
        with self.store.transaction() as tx:
            space_ids = self._spaces(tx, space_id, space_name)
            parent_id = None
            if project_id is not None:
                parent_id = _require(tx, "project", project_id, "project_id").id
            if dataset_id is not None:
                parent_id = _require(tx, "dataset", dataset_id, "dataset_id").id
            rows = tx.find(
                "task",
                parent_id=parent_id,
                space_ids=space_ids,
                name_contains=name,
                doc_equals={"type": task_type.value} if task_type else None,
                after=after,
                limit=limit + 1,
            )
        now = self.clock()
        tasks, pagination = page("task", rows, [self._task(r, now) for r in rows], limit)
        return TaskList(tasks=tasks, pagination=pagination)

    def get_task(self, task_id: str) -> Task:
        with self.store.transaction() as tx:
            return self._task(_require(tx, "task", task_id, "task_id"), self.clock())

    def _check_name_free(self, tx: Tx, space_id: str, name: str, task_id: str | None) -> None:
        for other in tx.find("task", space_ids=[space_id], name=name):
            if other.id != task_id:
                raise conflict(f"name: a task named {name!r} already exists in space {space_id}")

    def _evaluators(
        self,
        tx: Tx,
        inputs: Sequence[TaskEvaluatorInput],
        space_id: str,
        task_type: TaskType,
    ) -> list[dict[str, Any]]:
        """Check each evaluator against the stored world; returns them as the task stores them."""
        result: list[dict[str, Any]] = []
        code_evaluators = 0
        for index, given in enumerate(inputs):
            field = f"evaluators[{index}]"
            evaluator = _require(tx, "evaluator", given.evaluator_id, f"{field}.evaluator_id")
            if evaluator.space_id != space_id:
                raise unprocessable(
                    f"{field}.evaluator_id: evaluator {evaluator.id} belongs to another space "
                    f"than the task's ({space_id})"
                )
            version_id = given.evaluator_version_id
            if version_id is not None:
                version = tx.get("evaluator_version", version_id)
                if version is None or version.parent_id != evaluator.id:
                    raise unprocessable(
                        f"{field}.evaluator_version_id: {version_id} is not a version of "
                        f"evaluator {evaluator.id}"
                    )
            if evaluator.doc["type"] == "CODE":
                code_evaluators += 1
            stored = TaskEvaluator(
                evaluator_id=evaluator.id,
                evaluator_name=str(evaluator.name),
                query_filter=given.query_filter,
                column_mappings=given.column_mappings,
                evaluator_version_id=version_id,
            )
            result.append(stored.model_dump(mode="json"))
        if task_type is TaskType.CODE_EVALUATION and code_evaluators > 1:
            raise unprocessable("evaluators: Only one custom code evaluator runs per task")
        return result

    def _experiments(
        self, tx: Tx, experiment_ids: Sequence[str], dataset: Row, now: datetime
    ) -> list[str]:
        seen: set[str] = set()
        for index, experiment_id in enumerate(experiment_ids):
            field = f"experiment_ids[{index}]"
            if experiment_id in seen:
                raise bad_request(f"{field}: experiment {experiment_id} is listed twice")
            seen.add(experiment_id)
            experiment = tx.get("experiment", experiment_id)
            if experiment is None or not self._visible(experiment, now):
                raise not_found(f"{field}: experiment {experiment_id} not found")
            if experiment.parent_id != dataset.id:
                raise unprocessable(
                    f"{field}: experiment {experiment_id} does not belong to dataset {dataset.id}"
                )
        return list(experiment_ids)

    def _check_run_configuration(self, tx: Tx, config: BaseModel) -> None:
        """The integration a run configuration names must exist and be of the right type."""
        if isinstance(config, AgentCallConfig):
            field, wanted, integration_id = "integration_id", "AGENT", config.integration_id
        else:
            field, wanted = "ai_integration_id", "LLM"
            integration_id = getattr(config, "ai_integration_id", "")
        path = f"run_configuration.{field}"
        integration = tx.get("ai_integration", integration_id)
        if integration is None:
            raise unprocessable(f"{path}: AI integration {integration_id} not found")
        if integration.doc["type"] != wanted:
            raise unprocessable(
                f"{path}: {integration_id} is an {integration.doc['type']} integration; "
                f"this experiment type needs an {wanted} integration"
            )
        version_id = getattr(config, "evaluator_version_id", None)
        if version_id and tx.get("evaluator_version", version_id) is None:
            raise unprocessable(
                f"run_configuration.evaluator_version_id: evaluator version {version_id} not found"
            )

    def create_task(self, body: Any) -> Task:
        request = parse(CREATE_TASK, body)
        now = self.clock()
        stamp = _stamp(now)
        with self.store.transaction() as tx:
            doc: dict[str, Any] = {
                "name": request.name,
                "type": request.type,
                "created_at": stamp,
                "updated_at": stamp,
                "last_run_at": None,
                "created_by_user_id": SANDBOX_USER_ID,
                "query_filter": None,
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
                    target = _require(tx, "project", request.project_id, "project_id")
                    doc["project_id"] = target.id
                    doc["sampling_rate"] = request.sampling_rate
                    doc["is_continuous"] = bool(request.is_continuous)
                else:
                    target = _require(tx, "dataset", str(request.dataset_id), "dataset_id")
                    doc["dataset_id"] = target.id
                    doc["experiment_ids"] = self._experiments(
                        tx, request.experiment_ids or [], target, now
                    )
                doc["query_filter"] = request.query_filter
                doc["evaluators"] = self._evaluators(
                    tx, request.evaluators, str(target.space_id), TaskType(request.type)
                )
            else:
                target = _require(tx, "dataset", request.dataset_id, "dataset_id")
                doc["dataset_id"] = target.id
                self._check_run_configuration(tx, request.run_configuration)
                doc["run_configuration"] = request.run_configuration.to_wire()
            self._check_name_free(tx, str(target.space_id), request.name, None)
            row = tx.insert(
                "task", doc, name=request.name, parent_id=target.id, space_id=target.space_id
            )
            return self._task(row, now)

    @staticmethod
    def _refuse_fields(
        body: dict[str, Any], task_type: TaskType, other_type_fields: frozenset[str], what: str
    ) -> None:
        for key in body:
            if key in SYSTEM_FIELDS:
                raise bad_request(f"{key}: set by the server; not allowed on input")
            if key in other_type_fields:
                raise bad_request(f"{key}: not a {what} field of a {task_type.value} task")

    def update_task(self, task_id: str, body: Any) -> Task:
        if not isinstance(body, dict):
            raise bad_request("body: a JSON object is required")
        now = self.clock()
        with self.store.transaction() as tx:
            row = _require(tx, "task", task_id, "task_id")
            task_type = TaskType(row.doc["type"])
            for key in body:
                if key in IMMUTABLE_FIELDS:
                    raise bad_request(f"{key}: cannot be changed; replace the task instead")
            if task_type.is_evaluation:
                self._refuse_fields(body, task_type, RUN_EXPERIMENT_ONLY_UPDATE, "update")
                self._update_evaluation(tx, row, parse(UpdateEvaluationTaskRequest, body))
            else:
                self._refuse_fields(body, task_type, EVALUATION_ONLY_UPDATE, "update")
                self._update_run_experiment(tx, row, parse(UpdateRunExperimentTaskRequest, body))
            row.doc["updated_at"] = _stamp(now)
            tx.save(row)
            return self._task(row, now)

    def _rename(self, tx: Tx, row: Row, name: str | None) -> None:
        if name is not None and name != row.name:
            self._check_name_free(tx, str(row.space_id), name, row.id)
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
            row.doc["evaluators"] = self._evaluators(
                tx, update.evaluators, str(row.space_id), TaskType(row.doc["type"])
            )
        self._rename(tx, row, update.name)
        if "sampling_rate" in fields:
            row.doc["sampling_rate"] = update.sampling_rate
        if "is_continuous" in fields:
            row.doc["is_continuous"] = update.is_continuous
        if "query_filter" in fields:
            row.doc["query_filter"] = update.query_filter

    def _update_run_experiment(
        self, tx: Tx, row: Row, update: UpdateRunExperimentTaskRequest
    ) -> None:
        if update.run_configuration is not None:
            self._check_run_configuration(tx, update.run_configuration)
        self._rename(tx, row, update.name)
        if update.run_configuration is not None:
            row.doc["run_configuration"] = update.run_configuration.to_wire()

    def delete_task(self, task_id: str) -> None:
        with self.store.transaction() as tx:
            self._delete_task(tx, _require(tx, "task", task_id, "task_id"))

    @staticmethod
    def _delete_task(tx: Tx, row: Row) -> None:
        for run in tx.find("run", parent_id=row.id):
            tx.delete(run)
        tx.take_outcome(row.id)
        tx.delete(row)

    # --- runs ---------------------------------------------------------------------------

    def _run(self, row: Row, now: datetime) -> TaskRun:
        return runs.view(row.doc, row.id, now)

    def trigger(self, task_id: str, body: Any) -> TaskRun:
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise bad_request("body: a JSON object is required")
        now = self.clock()
        with self.store.transaction() as tx:
            task = _require(tx, "task", task_id, "task_id")
            task_type = TaskType(task.doc["type"])
            run_id = tx.new_id("run")
            previous = [
                r
                for r in tx.find("run", parent_id=task.id, newest_first=True)
                if self._visible(r, now)
            ]
            if task_type.is_evaluation:
                self._refuse_fields(body, task_type, RUN_EXPERIMENT_ONLY_TRIGGER, "trigger")
                request = parse(TriggerEvaluationRunRequest, body)
                fields = self._evaluation_run(tx, task, request, previous, now)
            else:
                self._refuse_fields(body, task_type, EVALUATION_ONLY_TRIGGER, "trigger")
                fields = self._experiment_run(tx, task, parse(TriggerRunExperimentRequest, body))
            if previous:
                latest = self._run(previous[0], now)
                if not latest.status.is_terminal:
                    raise conflict(
                        f"task_id: task {task.id} already has a run in progress "
                        f"({latest.id}, {latest.status.value}); wait for it or cancel it"
                    )
            outcome = tx.take_outcome(task.id) or {}
            doc: dict[str, Any] = {
                "task_id": task.id,
                "created_at": _stamp(now),
                "duration": outcome.get("duration") or self.run_duration,
                "outcome": outcome.get("status") or RunStatus.COMPLETED.value,
                "failure_reason": outcome.get("failure_reason"),
                "cancelled_at": None,
                "created_by_user_id": SANDBOX_USER_ID,
                **fields,
            }
            if doc.get("experiment_name") is not None:
                dataset_id = str(task.doc["dataset_id"])
                experiment = tx.insert(
                    "experiment",
                    {
                        "run_id": run_id,
                        "visible_at": _stamp(runs.started_at(doc)),
                        "dataset_version_id": doc.pop("dataset_version_id"),
                        "created_at": _stamp(runs.started_at(doc)),
                        "updated_at": _stamp(runs.started_at(doc)),
                    },
                    name=doc["experiment_name"],
                    parent_id=dataset_id,
                    space_id=task.space_id,
                )
                doc["experiment_id"] = experiment.id
            doc["chained_run_ids"] = self._schedule_chained_runs(tx, run_id, doc)
            row = tx.insert("run", doc, parent_id=task.id, space_id=task.space_id, entity_id=run_id)
            task.doc["last_run_at"] = _stamp(now)
            tx.save(task)
            return self._run(row, now)

    def _schedule_chained_runs(self, tx: Tx, run_id: str, doc: dict[str, Any]) -> list[str]:
        """Store runs of the ``evaluation_task_ids`` that start when the experiment completes.

        They are stored now, to be seen from the moment the experiment run ends (runs move
        by time, with no background work); a run that will not complete chains nothing, and
        cancelling it drops what it had scheduled.
        """
        finish = runs.finished_at(doc)
        if finish is None or doc["outcome"] != RunStatus.COMPLETED.value:
            return []
        scheduled = []
        for task_id in doc.get("evaluation_task_ids") or []:
            task = _require(tx, "task", task_id, "evaluation_task_ids")
            chained = {
                "task_id": task.id,
                "created_at": _stamp(finish),
                "visible_at": _stamp(finish),
                "duration": self.run_duration,
                "outcome": RunStatus.COMPLETED.value,
                "failure_reason": None,
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

    def _require_run(self, tx: Tx, run_id: str, now: datetime) -> Row:
        row = _require(tx, "run", run_id, "run_id")
        if not self._visible(row, now):
            raise not_found(f"run_id: task run {run_id} not found")
        return row

    def _evaluation_run(
        self,
        tx: Tx,
        task: Row,
        request: TriggerEvaluationRunRequest,
        previous: Sequence[Row],
        now: datetime,
    ) -> dict[str, Any]:
        start, end = request.data_start_time, request.data_end_time
        if task.doc.get("project_id") is not None:
            _require(tx, "project", task.doc["project_id"], "project_id")
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
            dataset = _require(tx, "dataset", task.doc["dataset_id"], "dataset_id")
            if request.experiment_ids is not None:
                self._experiments(tx, request.experiment_ids, dataset, now)
        if end is None and start is not None:
            end = now
        if start is not None and end is not None:
            if start >= end:
                raise bad_request("data_start_time: must be before data_end_time")
            if end - start > MAX_TRIGGER_WINDOW:
                raise bad_request("data_start_time, data_end_time: the window is at most 30 days")
        return {
            "data_start_time": _stamp(start),
            "data_end_time": _stamp(end),
            "total": min(request.max_spans or 10_000, MAX_RUN_ITEMS),
        }

    def _experiment_run(
        self, tx: Tx, task: Row, request: TriggerRunExperimentRequest
    ) -> dict[str, Any]:
        dataset = _require(tx, "dataset", task.doc["dataset_id"], "dataset_id")
        if tx.find("experiment", parent_id=dataset.id, name=request.experiment_name, limit=1):
            raise conflict(
                f"experiment_name: dataset {dataset.id} already has an experiment named "
                f"{request.experiment_name!r}"
            )
        chained: list[str] = []
        for index, other_id in enumerate(request.evaluation_task_ids or []):
            other = _require(tx, "task", other_id, f"evaluation_task_ids[{index}]")
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
        before = decode_cursor("run", cursor)
        now = self.clock()
        with self.store.transaction() as tx:
            _require(tx, "task", task_id, "task_id")
            rows = tx.find("run", parent_id=task_id, before=before, newest_first=True)
        pairs = [(r, self._run(r, now)) for r in rows if self._visible(r, now)]
        if status is not None:
            pairs = [(r, v) for r, v in pairs if v.status is status]
        task_runs, pagination = page("run", [r for r, _ in pairs], [v for _, v in pairs], limit)
        return TaskRunList(task_runs=task_runs, pagination=pagination)

    def get_run(self, run_id: str) -> TaskRun:
        now = self.clock()
        with self.store.transaction() as tx:
            return self._run(self._require_run(tx, run_id, now), now)

    def cancel_run(self, run_id: str) -> TaskRun:
        now = self.clock()
        with self.store.transaction() as tx:
            row = self._require_run(tx, run_id, now)
            current = self._run(row, now)
            if current.status.is_terminal:
                raise bad_request(
                    f"run_id: run {run_id} is already {current.status.value}; only PENDING "
                    "or RUNNING runs can be cancelled"
                )
            row.doc["cancelled_at"] = _stamp(now)
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
            return self._run(row, now)

    # --- control ------------------------------------------------------------------------

    def seed(self, seed: Seed) -> SeedResult:
        with self.store.transaction() as tx:
            return apply_seed(tx, seed, self.clock(), SANDBOX_USER_ID)

    def world(self) -> SeedResult:
        with self.store.transaction() as tx:
            return world(tx)

    def delete_entity(self, kind_name: str, entity_id: str) -> None:
        """Delete out of band, with everything inside it, including the tasks of a deleted
        project or dataset (and their runs): a task cannot outlive what it evaluates."""
        kind = ENTITY_KINDS.get(kind_name)
        if kind is None:
            raise ProblemError(
                404, f"kind: unknown kind {kind_name!r}; one of {', '.join(sorted(ENTITY_KINDS))}"
            )
        with self.store.transaction() as tx:
            row = _require(tx, kind, entity_id, "id")
            if kind == "task":
                self._delete_task(tx, row)
                return
            children: list[Row] = []
            doomed_tasks: list[Row] = []
            if kind in ("project", "dataset"):
                doomed_tasks += tx.find("task", parent_id=row.id)
            if kind == "space":
                doomed_tasks += tx.find("task", space_ids=[row.id])
                for child_kind in (
                    "project",
                    "dataset",
                    "evaluator",
                    "ai_integration",
                    "experiment",
                    "evaluator_version",
                ):
                    children += tx.find(child_kind, space_ids=[row.id])
            elif kind == "dataset":
                children += tx.find("experiment", parent_id=row.id)
            elif kind == "evaluator":
                children += tx.find("evaluator_version", parent_id=row.id)
            for task in doomed_tasks:
                self._delete_task(tx, task)
            for child in children:
                tx.delete(child)
            tx.delete(row)

    def set_outcome(
        self, task_id: str, status: str, failure_reason: str | None, duration: float | None
    ) -> None:
        with self.store.transaction() as tx:
            _require(tx, "task", task_id, "task_id")
            tx.set_outcome(
                task_id,
                {"status": status, "failure_reason": failure_reason, "duration": duration},
            )
