"""Run methods: trigger, list and iterate, get, cancel, and wait for a terminal status.

A trigger is not safe to repeat: after an attempt whose outcome is unknown, the task's
newest runs are checked for one that attempt started before any resend.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from arize_pulumi.tasks._core import (
    CLOCK_SKEW,
    TaskRunPage,
    check_limit,
    path_segment,
    raise_first,
)
from arize_pulumi.tasks._lookups import LookupMethods
from arize_pulumi.tasks._transport import WRITE_RETRY_STATUSES
from arize_pulumi.tasks.errors import (
    ArizeError,
    BadRequestError,
    InvalidArgumentError,
    WaitTimeoutError,
)
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import RequestModel, RunStatus, Task, TaskRun, TaskRunList, TaskType
from arize_pulumi.tasks.resolve import PAGE_LIMIT, iter_pages
from arize_pulumi.tasks.retry import RetryBudget
from arize_pulumi.tasks.validation import (
    parse_run_status,
    parse_task_type,
    trigger_body,
    trigger_window,
)

__all__ = ["RunMethods"]

logger = logging.getLogger("arize_pulumi.tasks")

_ACTIVE = frozenset({RunStatus.PENDING, RunStatus.RUNNING})


class RunMethods(LookupMethods):
    """What the client does with task runs."""

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
        query_filter: str | None = None,
        tracing_metadata: Mapping[str, str] | None = None,
        evaluation_task_ids: Sequence[str] | None = None,
    ) -> TaskRun:
        """Start a run of a task; the run comes back ``PENDING``.

        Evaluation tasks take the data window, ``max_spans``, ``override_evaluations`` and
        (dataset tasks) ``experiment_ids`` (names allowed); run-experiment tasks take
        ``experiment_name`` (required) and the example selection. The task is fetched first
        to learn its type unless ``task_type`` is given. ``evaluation_task_ids`` may be
        task names in the space. When the task was fetched, a data window on a dataset task
        is refused and a window without an end on a project task ends now (the service
        needs both ends).
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
            "query_filter": query_filter,
            "tracing_metadata": tracing_metadata,
            "evaluation_task_ids": evaluation_task_ids,
        }
        raise_first(trigger_body(task_type, fields)[1])
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
        raise_first(trigger_body(kind, given)[1])
        if current is not None and kind.is_evaluation:
            given, problems = trigger_window(current.dataset_id is not None, given)
            raise_first(problems)
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
        raise_first(problems)
        assert request is not None
        return self._trigger(task_id, request, budget)

    def _trigger(self, task_id: str, request: RequestModel, budget: RetryBudget) -> TaskRun:
        """POST a trigger; after an unknown outcome, adopt the run an earlier attempt started."""
        since = datetime.now(UTC) - CLOCK_SKEW
        runs_path = f"/v2/tasks/{path_segment(task_id)}/runs"

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
            if run.created_at is None or run.created_at < since:
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
            f"/v2/tasks/{path_segment(task_id)}/trigger",
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
        check_limit(limit, "limit")
        wire_status = None if status is None else parse_run_status(status).value
        self._needs_space(space, task)
        budget = self._budget()
        task_id = self._task_id(task, space, budget)
        response = self._transport.request(
            "GET",
            f"/v2/tasks/{path_segment(task_id)}/runs",
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
        check_limit(page_size, "page_size")
        wire_status = None if status is None else parse_run_status(status).value
        self._needs_space(space, task)
        task_id = self._task_id(task, space, self._budget())
        return iter_pages(
            self._transport,
            f"/v2/tasks/{path_segment(task_id)}/runs",
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
            "GET", f"/v2/task-runs/{path_segment(run_id)}", budget=self._budget()
        )
        return self._transport.parse(TaskRun, response)

    def cancel_run(self, run_id: str) -> TaskRun:
        """Cancel a run that is pending or running; returns the run as the server left it.

        A retry refused with a 400 (the API's answer for a run no longer active; it has no
        409 for cancel) may follow an earlier attempt that landed unseen: the run is read
        then, and returned when it is ``CANCELLED``; otherwise the refusal is raised.
        """
        self._check_run_id(run_id)
        budget = self._budget()
        run_path = f"/v2/task-runs/{path_segment(run_id)}"
        try:
            response = self._transport.request(
                "POST", f"{run_path}/cancel", budget=budget, retry_statuses=WRITE_RETRY_STATUSES
            )
        except BadRequestError as refused:
            if refused.attempts < 2:
                raise
            try:
                run = self._transport.parse(
                    TaskRun, self._transport.request("GET", run_path, budget=budget)
                )
            except ArizeError:
                raise refused from None
            if run.status is not RunStatus.CANCELLED:
                raise
            logger.debug("run %s was cancelled by an earlier attempt of this cancel", run_id)
            return run
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
