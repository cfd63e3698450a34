"""``TasksClient``: Arize AX evaluation tasks and task runs over the v2 REST API.

A Pythonic mirror of the Go SDK's tasks client. Tasks, spaces, projects, datasets,
evaluators and experiments may be named by ID or by name (a name is looked up in a space and
cached); arguments the server would refuse raise :class:`InvalidArgumentError` before any
request; failures are retried within a :class:`RetryPolicy`, and the two requests that are
not safe to repeat (create a task, trigger a run) are resent only after checking that an
earlier attempt whose outcome is unknown did not land, so a flaky network never makes a
duplicate.

One client holds one connection pool and may be shared by threads.
"""

from __future__ import annotations

import builtins
import dataclasses
import enum
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from arize_pulumi.tasks._transport import (
    UNSAFE_RETRY_STATUSES,
    WRITE_RETRY_STATUSES,
    Transport,
)
from arize_pulumi.tasks.errors import (
    InvalidArgumentError,
    MissingAPIKeyError,
    NameNotFoundError,
    WaitTimeoutError,
)
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import (
    LENIENT,
    CreateEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
    Evaluator,
    RequestModel,
    RunConfiguration,
    RunStatus,
    Task,
    TaskList,
    TaskRun,
    TaskRunList,
    TaskType,
    UpdateEvaluationTaskRequest,
    UpdateRunExperimentTaskRequest,
)
from arize_pulumi.tasks.resolve import (
    PAGE_LIMIT,
    Resolver,
    find_named,
    iter_pages,
    space_label,
    space_required,
)
from arize_pulumi.tasks.retry import RetryBudget, RetryPolicy
from arize_pulumi.tasks.validation import (
    EvaluatorSpec,
    errors_from_validation,
    evaluation_task_body,
    parse_run_status,
    parse_task_type,
    trigger_body,
    update_body,
    validate_evaluation_task,
    validate_run_experiment_task,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "REGIONS",
    "UNSET",
    "EvaluatorSpec",
    "RetryPolicy",
    "TaskPage",
    "TaskRunPage",
    "TasksClient",
    "UnsetType",
]

logger = logging.getLogger("arize_pulumi.tasks")

DEFAULT_BASE_URL = "https://api.arize.com"
REGIONS = frozenset({"us-central-1a", "eu-west-1a", "ca-central-1a", "us-east-1b"})

CLOCK_SKEW = timedelta(seconds=60)
"""How far the server's clock may run behind ours when deciding that a task or run was made
by an earlier attempt of the same call."""

_ACTIVE = frozenset({RunStatus.PENDING, RunStatus.RUNNING})


R = TypeVar("R", bound=RequestModel)
M = TypeVar("M", bound=BaseModel)


class UnsetType(enum.Enum):
    """The type of :data:`UNSET`."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = UnsetType.UNSET
"""Marks an ``update`` argument as not given, so ``None`` can mean "clear it"."""


@dataclass
class TaskPage:
    """One page of tasks; pass ``next_cursor`` back as ``cursor`` for the next one."""

    tasks: list[Task]
    next_cursor: str | None


@dataclass
class TaskRunPage:
    """One page of runs, newest first; pass ``next_cursor`` back as ``cursor``."""

    runs: list[TaskRun]
    next_cursor: str | None


def _region_url(region: str, field: str) -> str:
    if region not in REGIONS:
        allowed = ", ".join(sorted(REGIONS))
        raise InvalidArgumentError(field, f"unknown region {region!r}; use one of {allowed}")
    return f"https://api.{region}.arize.com"


def _choose_base_url(base_url: str | None, region: str | None) -> str:
    """Explicit arguments first, then the environment, then Arize's default host."""
    if region is not None:
        regional = _region_url(region, "region")
    if base_url:
        url, field = base_url, "base_url"
    elif region is not None:
        url, field = regional, "region"
    elif os.environ.get("ARIZE_BASE_URL"):
        url, field = os.environ["ARIZE_BASE_URL"], "ARIZE_BASE_URL"
    elif os.environ.get("ARIZE_REGION"):
        url, field = _region_url(os.environ["ARIZE_REGION"], "ARIZE_REGION"), "ARIZE_REGION"
    else:
        url, field = DEFAULT_BASE_URL, "base_url"
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidArgumentError(field, f"{url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidArgumentError(field, f"{url!r} is not an http(s) URL with a host")
    return url.rstrip("/")


def _segment(value: str) -> str:
    return quote(value, safe="=")


def _first(problems: Sequence[InvalidArgumentError]) -> None:
    if problems:
        raise problems[0]


def _check_limit(limit: int | None, field: str) -> None:
    if limit is not None and not 1 <= limit <= PAGE_LIMIT:
        raise InvalidArgumentError(field, f"must be between 1 and {PAGE_LIMIT}")


def _revalidate(model: type[R], data: Mapping[str, Any]) -> R:
    """Validate a body again after names became IDs (two names may be one evaluator)."""
    try:
        return model.model_validate(dict(data), context=LENIENT)
    except ValidationError as exc:
        raise errors_from_validation(exc)[0] from None


class TasksClient:
    """A client for Arize AX evaluation tasks and task runs.

    ``api_key`` falls back to ``ARIZE_API_KEY``; without either, construction raises
    :class:`MissingAPIKeyError` (an error at the first request would come later and further
    from its cause). The host is ``base_url``, else the ``region``'s host, else
    ``ARIZE_BASE_URL``, else ``ARIZE_REGION``'s host, else ``https://api.arize.com``.
    ``space`` (else ``ARIZE_SPACE``) is the space names are looked up in when a call gives
    none. ``max_retries`` overrides ``retry.max_attempts`` (``max_retries + 1`` attempts).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        region: str | None = None,
        space: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        transport: httpx.BaseTransport | None = None,
        warn_alpha: bool = True,
    ) -> None:
        key = (api_key if api_key is not None else os.environ.get("ARIZE_API_KEY", "")).strip()
        if not key:
            raise MissingAPIKeyError()
        if timeout <= 0:
            raise InvalidArgumentError("timeout", "must be greater than 0 seconds")
        policy = retry or RetryPolicy()
        if max_retries is not None:
            if max_retries < 0:
                raise InvalidArgumentError("max_retries", "must not be negative")
            policy = dataclasses.replace(policy, max_attempts=max_retries + 1)
        self._base_url = _choose_base_url(base_url, region)
        self.default_space: str | None = space or os.environ.get("ARIZE_SPACE") or None
        self._transport = Transport(
            api_key=key,
            base_url=self._base_url,
            timeout=timeout,
            policy=policy,
            transport=transport,
            warn_alpha=warn_alpha,
        )
        self._resolver = Resolver(self._transport)

    @property
    def base_url(self) -> str:
        """The API host every path is sent to."""
        return self._base_url

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry budget each call gets."""
        return self._transport.policy

    def close(self) -> None:
        """Close the connection pool; the client can't be used afterwards."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TasksClient(base_url={self._base_url!r}, space={self.default_space!r})"

    def __reduce__(self) -> Any:
        raise TypeError(
            "TasksClient holds a connection pool and an API key and is not picklable; "
            "build one where it is used"
        )

    # --- lookups ------------------------------------------------------------------------

    def _space(self, space: str | None) -> str | None:
        return space or self.default_space

    def _needs_space(self, space: str | None, *refs: str | None) -> None:
        """Refuse, before any request, a name that has no space to be looked up in."""
        if self._space(space) is None:
            for ref in refs:
                if ref is not None and not is_id(ref):
                    raise space_required(repr(ref))

    def _space_id(self, space: str | None, budget: RetryBudget) -> str | None:
        chosen = self._space(space)
        return None if chosen is None else self._resolver.space_id(chosen, budget)

    def resolve_space_id(self, space: str | None = None) -> str:
        """The ID of a space given by name or ID (default: the client's space)."""
        chosen = self._space(space)
        if chosen is None:
            raise space_required()
        return self._resolver.space_id(chosen, self._budget())

    def resolve_project_id(self, project: str, *, space: str | None = None) -> str:
        """The ID of a project given by name (in ``space``) or ID."""
        self._needs_space(space, project)
        return self._resolver.project_id(project, self._space(space), self._budget())

    def resolve_dataset_id(self, dataset: str, *, space: str | None = None) -> str:
        """The ID of a dataset given by name (in ``space``) or ID."""
        self._needs_space(space, dataset)
        return self._resolver.dataset_id(dataset, self._space(space), self._budget())

    def resolve_evaluator(self, evaluator: str, *, space: str | None = None) -> Evaluator:
        """An evaluator by name (in ``space``) or by ID.

        By ID, the space's evaluators are listed once (cached) to return its name and type;
        without any space, a minimal ``Evaluator(id=..., name="", space_id="")`` is returned
        without a request.
        """
        self._needs_space(space, evaluator)
        return self._resolver.evaluator(evaluator, self._space(space), self._budget())

    def resolve_experiment_id(self, experiment: str, *, dataset_id: str) -> str:
        """The ID of an experiment given by name (in the dataset) or ID."""
        return self._resolver.experiment_id(experiment, dataset_id, self._budget())

    def clear_cache(self) -> None:
        """Forget every looked-up name (after renaming spaces, projects, ... out of band)."""
        self._resolver.clear()

    def _budget(self) -> RetryBudget:
        return self._transport.budget()

    # --- tasks --------------------------------------------------------------------------

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
        _check_limit(limit, "limit")
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
        _check_limit(page_size, "page_size")
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

    def _task_named(
        self, name: str, params: Mapping[str, Any], scope: str, budget: RetryBudget
    ) -> Task:
        return find_named(
            self._transport,
            "task",
            name,
            "/v2/tasks",
            params,
            TaskList,
            lambda page: (page.tasks, page.pagination),
            scope,
            budget,
        )

    def _task(self, task: str, space: str | None, budget: RetryBudget) -> Task:
        if is_id(task):
            response = self._transport.request("GET", f"/v2/tasks/{_segment(task)}", budget=budget)
            return self._transport.parse(Task, response)
        chosen = self._space(space)
        if chosen is None:
            raise space_required(f"task {task!r}")
        space_id = self._resolver.space_id(chosen, budget)
        return self._task_named(task, {"space_id": space_id}, space_label(chosen), budget)

    def _task_id(self, task: str, space: str | None, budget: RetryBudget) -> str:
        return task if is_id(task) else self._task(task, space, budget).id

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
            return self._task_named(name, {"space_id": space_id}, space_label(chosen), budget)
        except NameNotFoundError:
            return None

    def _evaluator_inputs(
        self, inputs: Sequence[Mapping[str, Any]], space: str | None, budget: RetryBudget
    ) -> builtins.list[dict[str, Any]]:
        chosen = self._space(space)
        return [
            {
                **item,
                "evaluator_id": self._resolver.evaluator_id(item["evaluator_id"], chosen, budget),
            }
            for item in inputs
        ]

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
    ) -> Task:
        """Create a template or code evaluation task on a project or on a dataset.

        Evaluators are names or IDs (or :class:`EvaluatorSpec` / mappings with
        ``evaluator``, ``query_filter``, ``column_mappings``, ``evaluator_version_id``);
        ``experiment_ids`` may be experiment names of the dataset.
        """
        _first(
            validate_evaluation_task(
                type=type,
                name=name,
                evaluators=evaluators,
                project=project,
                dataset=dataset,
                experiment_ids=experiment_ids,
                sampling_rate=sampling_rate,
                is_continuous=is_continuous,
                query_filter=query_filter,
            )
        )
        fields = {
            "project": project,
            "dataset": dataset,
            "experiment_ids": experiment_ids,
            "sampling_rate": sampling_rate,
            "is_continuous": is_continuous,
            "query_filter": query_filter,
            "evaluators": evaluators,
        }
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
        request = _revalidate(CreateEvaluationTaskRequest, wire)
        return self._create(request, name, scope, budget)

    def create_run_experiment_task(
        self,
        *,
        name: str,
        dataset: str,
        run_configuration: RunConfiguration | Mapping[str, Any],
        space: str | None = None,
    ) -> Task:
        """Create a task that runs an experiment on a dataset with ``run_configuration``."""
        _first(
            validate_run_experiment_task(
                name=name, dataset=dataset, run_configuration=run_configuration
            )
        )
        self._needs_space(space, dataset)
        budget = self._budget()
        dataset_id = self._resolver.dataset_id(dataset, self._space(space), budget)
        wire = {
            "type": TaskType.RUN_EXPERIMENT.value,
            "name": name,
            "dataset_id": dataset_id,
            "run_configuration": run_configuration,
        }
        request = _revalidate(CreateRunExperimentTaskRequest, wire)
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
                task = self._task_named(name, scope, label, budget)
            except NameNotFoundError:
                return None
            if task.type != wanted or task.created_at < since:
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

    def _post_once(
        self,
        path: str,
        model: type[M],
        request: RequestModel,
        recover: Callable[[], M | None],
        budget: RetryBudget,
        unknown_note: str,
    ) -> M:
        """POST what must not be made twice: a 409 after an unknown outcome asks ``recover``."""
        result = self._transport.request_or_recover(
            "POST",
            path,
            budget=budget,
            body=request.to_wire(),
            recover=recover,
            retry_statuses=UNSAFE_RETRY_STATUSES,
            landed_status=409,
            unknown_note=unknown_note,
        )
        if isinstance(result, httpx.Response):
            return self._transport.parse(model, result)
        return result

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
        evaluators: Sequence[EvaluatorSpec | Mapping[str, Any] | str] | UnsetType = UNSET,
        run_configuration: RunConfiguration | Mapping[str, Any] | UnsetType = UNSET,
    ) -> Task:
        """Change the given fields of a task (``query_filter=None`` clears the filter).

        The task is fetched first to learn its type, and fields of the other type are
        refused, unless ``task_type`` is given (which saves that request). ``evaluators``
        and ``run_configuration`` replace the current value whole.
        """
        given: dict[str, Any] = {
            key: value
            for key, value in {
                "name": name,
                "sampling_rate": sampling_rate,
                "is_continuous": is_continuous,
                "query_filter": query_filter,
                "evaluators": evaluators,
                "run_configuration": run_configuration,
            }.items()
            if value is not UNSET
        }
        model, problems = update_body(task_type, given)
        _first(problems)
        assert model is not None
        body = model.model_dump(exclude_unset=True)
        references = [e["evaluator_id"] for e in body.get("evaluators") or []]
        self._needs_space(space, task, *references)
        budget = self._budget()
        if task_type is None or not is_id(task):
            current = self._task(task, space, budget)
            task_id, kind = current.id, current.type
            _first(update_body(kind, given)[1])
        else:
            task_id, kind = task, parse_task_type(task_type, "task_type")
        if "evaluators" in body:
            body["evaluators"] = self._evaluator_inputs(body["evaluators"], space, budget)
        model_type = (
            UpdateEvaluationTaskRequest if kind.is_evaluation else UpdateRunExperimentTaskRequest
        )
        request = _revalidate(model_type, body)
        response = self._transport.request(
            "PATCH",
            f"/v2/tasks/{_segment(task_id)}",
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
            f"/v2/tasks/{_segment(task_id)}",
            budget=budget,
            retry_statuses=WRITE_RETRY_STATUSES,
            landed_status=404,
        )

    # --- runs ---------------------------------------------------------------------------

    def trigger_run(
        self,
        task: str,
        *,
        space: str | None = None,
        task_type: TaskType | str | None = None,
        data_start_time: datetime | None = None,
        data_end_time: datetime | None = None,
        max_spans: int | None = None,
        override_evaluations: bool | None = None,
        experiment_ids: Sequence[str] | None = None,
        experiment_name: str | None = None,
        dataset_version_id: str | None = None,
        example_ids: Sequence[str] | None = None,
        max_examples: int | None = None,
        tracing_metadata: Mapping[str, str] | None = None,
        evaluation_task_ids: Sequence[str] | None = None,
    ) -> TaskRun:
        """Start a run of a task; the run comes back ``PENDING``.

        Evaluation tasks take the data window, ``max_spans``, ``override_evaluations`` and
        (dataset tasks) ``experiment_ids`` (names allowed); run-experiment tasks take
        ``experiment_name`` (required) and the example selection. The task is fetched first
        to learn its type unless ``task_type`` is given. ``evaluation_task_ids`` may be
        task names in the space.
        """
        fields: dict[str, Any] = {
            "data_start_time": data_start_time,
            "data_end_time": data_end_time,
            "max_spans": max_spans,
            "override_evaluations": override_evaluations,
            "experiment_ids": experiment_ids,
            "experiment_name": experiment_name,
            "dataset_version_id": dataset_version_id,
            "example_ids": example_ids,
            "max_examples": max_examples,
            "tracing_metadata": tracing_metadata,
            "evaluation_task_ids": evaluation_task_ids,
        }
        _first(trigger_body(task_type, fields)[1])
        self._needs_space(space, task, *(evaluation_task_ids or ()))
        experiment_names = [e for e in experiment_ids or () if not is_id(e)]
        budget = self._budget()
        current: Task | None = None
        if task_type is None or not is_id(task) or experiment_names:
            current = self._task(task, space, budget)
            task_id, kind = current.id, current.type
        else:
            task_id, kind = task, parse_task_type(task_type, "task_type")
        given = {k: v for k, v in fields.items() if v is not None}
        _first(trigger_body(kind, given)[1])
        if current is not None and experiment_ids is not None:
            if current.dataset_id is None:
                raise InvalidArgumentError("experiment_ids", "only for tasks on a dataset")
            given["experiment_ids"] = [
                self._resolver.experiment_id(e, current.dataset_id, budget) for e in experiment_ids
            ]
        if evaluation_task_ids is not None:
            given["evaluation_task_ids"] = [
                self._task_id(t, space, budget) for t in evaluation_task_ids
            ]
        request, problems = trigger_body(kind, given)
        _first(problems)
        assert request is not None
        return self._trigger(task_id, request, budget)

    def _trigger(self, task_id: str, request: RequestModel, budget: RetryBudget) -> TaskRun:
        """POST a trigger; after an unknown outcome, adopt the run an earlier attempt started."""
        since = datetime.now(UTC) - CLOCK_SKEW
        runs_path = f"/v2/tasks/{_segment(task_id)}/runs"

        asked_window = {
            name: getattr(request, name, None) for name in ("data_start_time", "data_end_time")
        }

        def started_by_us(run: TaskRun) -> bool:
            """A run made since the first attempt that can only be ours.

            A live run is ours: the server refuses a trigger while one is going. A finished
            one (a short run may end while the client waits out a retry delay) is ours only
            when it covers the explicit data window we asked for; otherwise it could be an
            earlier run, and a second run is the lesser harm.
            """
            if run.created_at < since:
                return False
            if run.status in _ACTIVE:
                return True
            if all(value is None for value in asked_window.values()):
                return False
            return all(
                value is None or getattr(run, name) == value for name, value in asked_window.items()
            )

        def recover() -> TaskRun | None:
            response = self._transport.request(
                "GET", runs_path, params={"limit": 10}, budget=budget
            )
            for run in self._transport.parse(TaskRunList, response).task_runs:
                if started_by_us(run):
                    logger.debug(
                        "found run %s started by an earlier attempt of this trigger", run.id
                    )
                    return run
            return None

        return self._post_once(
            f"/v2/tasks/{_segment(task_id)}/trigger",
            TaskRun,
            request,
            recover,
            budget,
            "the last attempt may have started a run; check list_runs before re-running",
        )

    def list_runs(
        self,
        task: str,
        *,
        space: str | None = None,
        status: RunStatus | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> TaskRunPage:
        """One page of a task's runs, newest first, optionally of one status."""
        _check_limit(limit, "limit")
        wire_status = None if status is None else parse_run_status(status).value
        self._needs_space(space, task)
        budget = self._budget()
        task_id = self._task_id(task, space, budget)
        response = self._transport.request(
            "GET",
            f"/v2/tasks/{_segment(task_id)}/runs",
            params={"status": wire_status, "limit": limit, "cursor": cursor},
            budget=budget,
        )
        page = self._transport.parse(TaskRunList, response)
        more = page.pagination.has_more
        return TaskRunPage(page.task_runs, page.pagination.next_cursor if more else None)

    def iter_runs(
        self,
        task: str,
        *,
        space: str | None = None,
        status: RunStatus | str | None = None,
        page_size: int = PAGE_LIMIT,
    ) -> Iterator[TaskRun]:
        """Every run of a task, newest first, fetched page by page as the iteration goes."""
        _check_limit(page_size, "page_size")
        wire_status = None if status is None else parse_run_status(status).value
        self._needs_space(space, task)
        task_id = self._task_id(task, space, self._budget())
        return iter_pages(
            self._transport,
            f"/v2/tasks/{_segment(task_id)}/runs",
            {"status": wire_status},
            TaskRunList,
            lambda page: (page.task_runs, page.pagination),
            None,
            page_size=page_size,
        )

    def get_run(self, run_id: str) -> TaskRun:
        """A task run by ID."""
        self._check_run_id(run_id)
        response = self._transport.request(
            "GET", f"/v2/task-runs/{_segment(run_id)}", budget=self._budget()
        )
        return self._transport.parse(TaskRun, response)

    def cancel_run(self, run_id: str) -> TaskRun:
        """Cancel a run that is pending or running; returns the run as the server left it."""
        self._check_run_id(run_id)
        response = self._transport.request(
            "POST",
            f"/v2/task-runs/{_segment(run_id)}/cancel",
            budget=self._budget(),
            retry_statuses=WRITE_RETRY_STATUSES,
        )
        return self._transport.parse(TaskRun, response)

    @staticmethod
    def _check_run_id(run_id: str) -> None:
        if not isinstance(run_id, str) or not run_id.strip():
            raise InvalidArgumentError("run_id", "must be a task run ID")

    def wait_for_run(
        self,
        run_id: str,
        *,
        poll_interval: float = 5.0,
        timeout: float = 600.0,
        on_progress: Callable[[TaskRun], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> TaskRun:
        """Poll a run until ``COMPLETED``, ``FAILED`` or ``CANCELLED`` and return it.

        ``on_progress`` sees every polled state. The deadline is kept: the last sleep is cut
        short so the final poll happens at ``timeout``, after which :class:`WaitTimeoutError`
        carries the last state seen. Time slept counts even when ``sleep`` is a fake.
        """
        self._check_run_id(run_id)
        if poll_interval <= 0:
            raise InvalidArgumentError("poll_interval", "must be greater than 0 seconds")
        if timeout < 0:
            raise InvalidArgumentError("timeout", "must not be negative")
        started = time.monotonic()
        slept = 0.0
        while True:
            run = self.get_run(run_id)
            if on_progress is not None:
                on_progress(run)
            if run.is_terminal:
                return run
            remaining = timeout - max(time.monotonic() - started, slept)
            if remaining <= 0:
                raise WaitTimeoutError(run, timeout)
            delay = min(poll_interval, remaining)
            sleep(delay)
            slept += delay
