"""Task methods: list and iterate, get and find, create, update and delete.

A create is not safe to repeat: after an attempt whose outcome is unknown, the task of that
name is looked up before any resend, so a flaky network never makes a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from arize_pulumi.tasks._core import (
    CLOCK_SKEW,
    UNSET,
    TaskPage,
    UnsetType,
    check_limit,
    path_segment,
    raise_first,
    revalidate,
)
from arize_pulumi.tasks._lookups import LookupMethods
from arize_pulumi.tasks._transport import WRITE_RETRY_STATUSES
from arize_pulumi.tasks.errors import NameNotFoundError
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import (
    CreateEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    RequestModel,
    RunConfiguration,
    Task,
    TaskList,
    TaskQueryFilters,
    TaskType,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
)
from arize_pulumi.tasks.resolve import PAGE_LIMIT, iter_pages, space_label, space_required
from arize_pulumi.tasks.retry import RetryBudget
from arize_pulumi.tasks.validation import (
    EVALUATION_TASK_FIELDS,
    EvaluatorSpec,
    evaluation_task_body,
    parse_task_type,
    run_configuration_input,
    update_body,
    validate_evaluation_task,
    validate_run_experiment_task,
)

__all__ = ["TaskMethods"]

logger = logging.getLogger("arize_pulumi.tasks")


class TaskMethods(LookupMethods):
    """What the client does with tasks."""

    def _list_params(
        self,
        space: str | None,
        name: str | None,
        project: str | None,
        dataset: str | None,
        type: TaskType | str | None,
        budget: RetryBudget,
    ) -> dict[str, Any]:
        task_type = None if type is None else parse_task_type(type).value
        self._needs_space(space, project, dataset)
        chosen, resolver = self._space(space), self._resolver
        space_id = self._space_id(space, budget)
        project_id = None if project is None else resolver.project_id(project, chosen, budget)
        dataset_id = None if dataset is None else resolver.dataset_id(dataset, chosen, budget)
        return {
            "space_id": space_id,
            "name": name,
            "project_id": project_id,
            "dataset_id": dataset_id,
            "type": task_type,
        }

    def list(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        type: TaskType | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> TaskPage:
        """One page of tasks, filtered (``name`` is the server's case-insensitive substring
        filter; use :meth:`find` for an exact name). Scoped to the client's space if set."""
        check_limit(limit, "limit")
        budget = self._budget()
        params = self._list_params(space, name, project, dataset, type, budget)
        response = self._transport.request(
            "GET", "/v2/tasks", params={**params, "limit": limit, "cursor": cursor}, budget=budget
        )
        page = self._transport.parse(TaskList, response)
        more = page.pagination.has_more
        return TaskPage(page.tasks, page.pagination.next_cursor if more else None)

    def iter(
        self,
        *,
        space: str | None = None,
        name: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        type: TaskType | str | None = None,
        page_size: int = PAGE_LIMIT,
    ) -> Iterator[Task]:
        """Every task that :meth:`list` would page through, fetched page by page.

        Arguments are checked and names resolved at the call; pages are fetched as the
        iteration reaches them.
        """
        check_limit(page_size, "page_size")
        params = self._list_params(space, name, project, dataset, type, self._budget())
        return iter_pages(
            self._transport,
            "/v2/tasks",
            params,
            TaskList,
            lambda page: (page.tasks, page.pagination),
            None,
            page_size=page_size,
        )

    def get(self, task: str, *, space: str | None = None) -> Task:
        """A task by ID, or by exact name in the space (:class:`NameNotFoundError` if none)."""
        self._needs_space(space, task)
        return self._task(task, space, self._budget())

    def find(self, name: str, *, space: str | None = None) -> Task | None:
        """The task named exactly ``name`` (case-sensitive) in the space, or ``None``."""
        chosen = self._space(space)
        if chosen is None:
            raise space_required(f"task {name!r}")
        budget = self._budget()
        space_id = self._resolver.space_id(chosen, budget)
        try:
            return self._task_named(
                name, {"space_id": space_id}, space_label(chosen), budget, suggest=False
            )
        except NameNotFoundError:
            return None

    def create_evaluation_task(
        self,
        *,
        name: str,
        type: TaskType | str,
        evaluators: Sequence[EvaluatorSpec | Mapping[str, Any] | str],
        space: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        experiment_ids: Sequence[str] | None = None,
        sampling_rate: float | None = None,
        is_continuous: bool | None = None,
        query_filter: str | None = None,
        query_filters: TaskQueryFilters | Mapping[str, Any] | None = None,
    ) -> Task:
        """Create a template or code evaluation task on a project or on a dataset.

        Evaluators are names or IDs (or :class:`EvaluatorSpec` / mappings with
        ``evaluator``, ``query_filter``, ``column_mappings``, ``evaluator_version_id``, or
        ``query_mappings`` for a trace/session task with ``query_filters``);
        ``experiment_ids`` may be experiment names of the dataset.
        """
        given = locals()
        fields: dict[str, Any] = {k: given[k] for k in sorted(EVALUATION_TASK_FIELDS)}
        raise_first(validate_evaluation_task(type=type, name=name, **fields))
        body, _ = evaluation_task_body(fields)
        inputs = body["evaluators"]
        self._needs_space(space, project, dataset, *(e["evaluator_id"] for e in inputs))
        budget = self._budget()
        chosen = self._space(space)
        scope: dict[str, str] = {}
        if project is not None:
            body["project_id"] = scope["project_id"] = self._resolver.project_id(
                project, chosen, budget
            )
        if dataset is not None:
            dataset_id = self._resolver.dataset_id(dataset, chosen, budget)
            body["dataset_id"] = scope["dataset_id"] = dataset_id
            body["experiment_ids"] = [
                self._resolver.experiment_id(e, dataset_id, budget)
                for e in body.get("experiment_ids", [])
            ]
        body["evaluators"] = self._evaluator_inputs(inputs, space, budget)
        wire = {"type": parse_task_type(type).value, "name": name, **body}
        request = revalidate(CreateEvaluationTaskRequest, wire)
        return self._create(request, name, scope, budget)

    def create_run_experiment_task(
        self,
        *,
        name: str,
        dataset: str,
        run_configuration: RunConfiguration | Mapping[str, Any],
        space: str | None = None,
    ) -> Task:
        """Create a task that runs an experiment on a dataset with ``run_configuration``.

        The configuration's integration may be named by ``ai_integration`` (an LLM AI
        integration) or, for ``AGENT_CALL``, ``integration`` (an agent integration): a name
        (looked up in ``space``) or an ID, in place of ``ai_integration_id`` /
        ``integration_id``.
        """
        raise_first(
            validate_run_experiment_task(
                name=name, dataset=dataset, run_configuration=run_configuration
            )
        )
        config, named, _ = run_configuration_input(run_configuration)
        self._needs_space(space, dataset, *(str(config[key]) for key in named))
        budget = self._budget()
        dataset_id = self._resolver.dataset_id(dataset, self._space(space), budget)
        if named:
            config = self._integration_ids(config, named, space, budget)
        wire = {
            "type": TaskType.RUN_EXPERIMENT.value,
            "name": name,
            "dataset_id": dataset_id,
            "run_configuration": config,
        }
        request = revalidate(CreateRunExperimentTaskRequest, wire)
        return self._create(request, name, {"dataset_id": dataset_id}, budget)

    def _create(
        self, request: RequestModel, name: str, scope: Mapping[str, str], budget: RetryBudget
    ) -> Task:
        """POST a task; after an unknown outcome, adopt the task an earlier attempt made."""
        since = datetime.now(UTC) - CLOCK_SKEW
        wanted = request.model_dump()["type"]

        def recover() -> Task | None:
            label = ", ".join(f"{k} {v}" for k, v in scope.items())
            try:
                task = self._task_named(name, scope, label, budget, suggest=False)
            except NameNotFoundError:
                return None
            if task.type != wanted or task.created_at is None or task.created_at < since:
                return None
            logger.debug("found task %s made by an earlier attempt of this create", task.id)
            return task

        return self._post_once(
            "/v2/tasks",
            Task,
            request,
            recover,
            budget,
            "the last attempt may have created the task; a re-run is safe (it is refused "
            "with a name conflict rather than creating a duplicate)",
        )

    def update(
        self,
        task: str,
        *,
        space: str | None = None,
        task_type: TaskType | str | None = None,
        name: str | UnsetType = UNSET,
        sampling_rate: float | UnsetType = UNSET,
        is_continuous: bool | UnsetType = UNSET,
        query_filter: str | UnsetType | None = UNSET,
        query_filters: TaskQueryFilters | Mapping[str, Any] | UnsetType | None = UNSET,
        evaluators: Sequence[EvaluatorSpec | Mapping[str, Any] | str] | UnsetType = UNSET,
        run_configuration: RunConfiguration | Mapping[str, Any] | UnsetType = UNSET,
    ) -> Task:
        """Change the given fields of a task (``query_filter=None`` clears the filter,
        ``query_filters=None`` the trace/session queries).

        The task is fetched first to learn its type, and fields of the other type are
        refused, unless ``task_type`` is given (which saves that request). ``evaluators``
        and ``run_configuration`` replace the current value whole; the configuration's
        integration may be a name or ID given as ``ai_integration`` / ``integration``.
        """
        given: dict[str, Any] = {
            key: value
            for key, value in {
                "name": name,
                "sampling_rate": sampling_rate,
                "is_continuous": is_continuous,
                "query_filter": query_filter,
                "query_filters": query_filters,
                "evaluators": evaluators,
                "run_configuration": run_configuration,
            }.items()
            if value is not UNSET
        }
        model, problems = update_body(task_type, given)
        raise_first(problems)
        assert model is not None
        body = model.model_dump(exclude_unset=True)
        named = run_configuration_input(given.get("run_configuration"))[1]
        references = [e["evaluator_id"] for e in body.get("evaluators") or []]
        references += [str(body["run_configuration"][key]) for key in named]
        self._needs_space(space, task, *references)
        budget = self._budget()
        if task_type is None or not is_id(task):
            current = self._task(task, space, budget)
            task_id, kind = current.id, current.type
            raise_first(update_body(kind, given)[1])
        else:
            task_id, kind = task, parse_task_type(task_type, "task_type")
        if "evaluators" in body:
            body["evaluators"] = self._evaluator_inputs(body["evaluators"], space, budget)
        if named:
            body["run_configuration"] = self._integration_ids(
                body["run_configuration"], named, space, budget
            )
        model_type = (
            UpdateEvaluationTaskRequest if kind.is_evaluation else UpdateRunExperimentTaskRequest
        )
        request = revalidate(model_type, body)
        response = self._transport.request(
            "PATCH",
            f"/v2/tasks/{path_segment(task_id)}",
            budget=budget,
            body=request.to_wire(),
            retry_statuses=WRITE_RETRY_STATUSES,
        )
        return self._transport.parse(Task, response)

    def delete(self, task: str, *, space: str | None = None) -> None:
        """Delete a task; a missing one raises :class:`NotFoundError` (callers decide).

        A retried delete that finds the task gone after an attempt with an unknown outcome
        counts as done.
        """
        self._needs_space(space, task)
        budget = self._budget()
        task_id = self._task_id(task, space, budget)
        self._transport.request(
            "DELETE",
            f"/v2/tasks/{path_segment(task_id)}",
            budget=budget,
            retry_statuses=WRITE_RETRY_STATUSES,
            landed_status=404,
        )
