"""The dynamic provider behind :class:`arize_pulumi.TaskRun`.

State layout: the outputs are the run as the server has it (``run_id``, ``task_id``,
``status``, counts, times, the window it used, ``experiment_id``, ``failure_reason``), the
chained runs, and what ``read`` and ``delete`` need of the inputs (which the engine does not
hand them): ``__name`` and, when it is ``cancel``, ``__on_delete``. The inputs are the
program's arguments plus ``__name``, ``__resolved`` (the task's reference text, ID and type)
and, after a change, ``__changed``: ``diff`` sees only the old outputs, so ``check``, which
sees the old inputs, says what changed.

A wait holds no lock, and while it lasts the provider process has one more worker thread
(``_workers.spare_worker``), so runs are waited on all at once and other resources keep the
threads they had.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pulumi.dynamic
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult

from arize_pulumi.resources import _replacing as replacing
from arize_pulumi.resources._diff_display import InputChange, detailed_result
from arize_pulumi.resources._normalize import (
    has_unknown,
    is_unknown,
    known_copy,
    parse_time,
    plain,
    top_level,
    touches_unknown,
)
from arize_pulumi.resources._provider import (
    CHANGED,
    RESOLVED,
    RESOURCE_NAME,
    ProviderBase,
    ResourceError,
    describe,
    fetch_live,
    log,
)
from arize_pulumi.resources._references import References, is_id
from arize_pulumi.resources._workers import spare_worker
from arize_pulumi.resources.fields import TASK_RUN_FIELDS, TASK_RUN_OUTPUTS, Change

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.errors import ConflictError
    from arize_pulumi.tasks.models import Task as TaskModel
    from arize_pulumi.tasks.models import TaskRun as RunModel

__all__ = ["TaskRunProvider"]

_BY_NAME = {f.name: f for f in TASK_RUN_FIELDS}
TASK_HINT = "__task_declaration"
"""What the program knows of a ``Task`` of the same program that ``task`` comes from: its
``type``, ``on`` (``project`` or ``dataset``), ``name``, ``space`` and ``dataset`` as
declared. ``check`` reads it while ``task`` is unknown (a preview of a task being created)
and drops it: it is never stored."""
NEW_RUN_FIELDS = tuple(f for f in TASK_RUN_FIELDS if f.change is Change.NEW_RUN)
TRIGGER_FIELDS = tuple(f for f in TASK_RUN_FIELDS if f.wire is not None)
"""What the trigger body carries."""
WAIT_SETTINGS = tuple(f for f in TASK_RUN_FIELDS if f.change is Change.NO_OP)
"""How the provider waits: changed in place, nothing is sent."""
_REPORTED = tuple(f for f in TASK_RUN_FIELDS if f.change in (Change.NEW_RUN, Change.NO_OP))
"""The fields ``diff`` reports: a change of one of the others alone does nothing."""
_RUN_FIELDS = tuple(k for k in TASK_RUN_OUTPUTS[3:] if k != "chained_runs")
"""The run's wire fields that the state holds as they are (after ``run_id``, ``task_id``,
``status``)."""
CHAINED_KEYS = (
    "task_id",
    "run_id",
    "status",
    "num_successes",
    "num_errors",
    "num_skipped",
    "failure_reason",
)
"""What ``chained_runs`` holds of each chained run."""


ON_DELETE = "__on_delete"
"""``on_delete`` among the outputs, when it is ``cancel``: ``delete`` sees only the outputs."""


def _label(inputs: Mapping[str, Any]) -> str:
    name = _label_name(inputs)
    return f"TaskRun '{name}'" if isinstance(name, str) else "TaskRun"


def _label_name(state: Mapping[str, Any]) -> Any:
    """The resource name in inputs or outputs (this version's or an earlier one's)."""
    declared = state.get("declared")
    if isinstance(declared, Mapping):
        return declared.get("resource_name")
    return state.get(RESOURCE_NAME, state.get("resource_name"))


def _on_delete(state: Mapping[str, Any]) -> Mapping[str, Any]:
    """Inputs, or outputs (this version's or an earlier one's), as far as ``on_delete`` goes."""
    declared = state.get("declared")
    if isinstance(declared, Mapping):
        return declared
    if ON_DELETE in state:
        return {"on_delete": state[ON_DELETE]}
    return state


def _setting(inputs: Mapping[str, Any], key: str) -> Any:
    value = inputs.get(key)
    return _BY_NAME[key].default_for(inputs) if value is None else value


def _succeed_on(inputs: Mapping[str, Any]) -> list[str]:
    return [str(s).upper() for s in _setting(inputs, "succeed_on")]


def _counts(run: RunModel) -> str:
    return f"{run.num_successes} succeeded, {run.num_errors} errors, {run.num_skipped} skipped"


def _first_run(why: str, now: datetime) -> tuple[str, str]:
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


class Progress:
    """Prints a progress line when a run's status changes, or its counts change and at
    least ``interval`` seconds passed since the last line. The final status is left to the
    outcome line."""

    def __init__(
        self,
        label: str,
        run_id: str,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._label = label
        self._run_id = run_id
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._last: tuple[str, int, int, int] | None = None
        self._last_at = 0.0

    def __call__(self, run: RunModel) -> None:
        state = (run.status.value, run.num_successes, run.num_errors, run.num_skipped)
        if state == self._last or run.is_terminal:
            return
        now = self._clock()
        new_status = self._last is None or state[0] != self._last[0]
        if not new_status and now - self._last_at < self._interval:
            return
        self._last, self._last_at = state, now
        elapsed = now - self._started
        log(
            "info", f"{self._label}: run {self._run_id} {state[0]}: {_counts(run)} ({elapsed:.0f}s)"
        )


class _Elapsed:
    """Time spent waiting since it was made: the clock's, or the time slept when ``sleep``
    is a fake that does not move the clock, whichever is more."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._clock = clock
        self._sleep = sleep
        self._started = clock()
        self._slept = 0.0

    def sleep(self, seconds: float) -> None:
        self._sleep(seconds)
        self._slept += seconds

    def elapsed(self) -> float:
        return max(self._clock() - self._started, self._slept)


def _chained_run(
    client: TasksClient, task: str, space: str | None, since: datetime | None
) -> RunModel | None:
    """The oldest run of ``task`` created at or after ``since`` (None: not there yet)."""
    page = client.list_runs(task, space=space)
    runs = [
        r
        for r in page.runs
        if since is None or (r.created_at is not None and r.created_at >= since)
    ]
    return runs[-1] if runs else None


def _chained_entry(run: RunModel) -> dict[str, Any]:
    wire = run.model_dump(mode="json")
    entry = {key: wire[key] for key in CHAINED_KEYS if key in wire}
    entry.update(run_id=run.id, status=run.status.value)
    return {key: entry.get(key) for key in CHAINED_KEYS}


class TaskRunProvider(ProviderBase):
    """Triggers a task run, waits for its outcome, refreshes and (optionally) cancels it."""

    INPUTS = frozenset(f.name for f in TASK_RUN_FIELDS)
    """The arguments a program may give."""

    STATE_INPUTS = INPUTS | {RESOURCE_NAME, RESOLVED, CHANGED}

    OUTPUTS = ("run_id", "task_id", "status", *_RUN_FIELDS, "chained_runs")

    PROGRESS_INTERVAL = 5.0
    """Least seconds between two progress lines that only report new counts."""

    _sleep: Callable[[float], None] = staticmethod(time.sleep)
    _clock: Callable[[], float] = staticmethod(time.monotonic)
    _now: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))
    """The instant a window without an end ends at."""

    def _references(
        self, inputs: Mapping[str, Any], previous: Any, found: list[TaskModel] | None = None
    ) -> References:
        """Resolve the task (ID and type); a space is looked up only for a task name. A task
        looked up (not reused from ``previous``) is appended to ``found``."""
        refs = References(self.client, previous, self.settings.space)
        task = inputs.get("task")
        if not isinstance(task, str) or not task or is_unknown(task):
            return refs
        if is_id(task) or refs.space(inputs.get("space")):
            refs.task(task, self._task_with_type(task, [] if found is None else found))
        return refs

    @staticmethod
    def _task_with_type(
        task: str, found: list[TaskModel]
    ) -> Callable[[TasksClient, str], tuple[str, str, str]]:
        def lookup(client: TasksClient, space: str) -> tuple[str, str, str]:
            got = client.get(task, space=space or None)
            found.append(got)
            return got.id, got.type.value, "dataset" if got.dataset_id else "project"

        return lookup

    @staticmethod
    def _kept(inputs: Mapping[str, Any]) -> dict[str, Any]:
        """What the outputs keep of the inputs ``inputs`` (or of the old outputs)."""
        kept = {RESOURCE_NAME: _label_name(inputs)}
        if str(_setting(_on_delete(inputs), "on_delete")).lower() == "cancel":
            kept[ON_DELETE] = "cancel"
        return kept

    @classmethod
    def _outputs(
        cls,
        run: RunModel,
        inputs: Mapping[str, Any],
        chained: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        wire = run.model_dump(mode="json")
        return {
            "task_id": run.task_id,
            "status": run.status.value,
            **{key: wire[key] for key in _RUN_FIELDS},
            "chained_runs": list(chained or []),
            **cls._kept(inputs),
        }

    # --- check ----------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Refuse bad settings and trigger fields that do not fit the task's type.

        The task is looked up (for its type) only when its reference changed; while it is
        unknown (its Task is not created yet) only what the fields alone decide is checked.
        """
        # "__provider": pulumi.dynamic's input holding the pickled provider (a Pulumi internal),
        # checked on pulumi 3.260.0 and 3.272.0 (tests/matrix/versions.mk).
        inputs = {k: v for k, v in news.items() if k != "__provider"}
        hint = plain(inputs.pop(TASK_HINT, None))
        values = self._inputs(inputs)
        label = _label(values)
        failures: list[CheckFailure] = []

        def fail(field: str, reason: str) -> None:
            failures.append(CheckFailure(top_level(field), f"{label}: {field}: {reason}"))

        self._refuse_unknown(inputs, fail)
        task = values.get("task")
        if task is None or (isinstance(task, str) and not task.strip()):
            fail("task", "required: the task's ID (e.g. `task.task_id`) or name")
        elif not is_unknown(task) and not isinstance(task, str):
            fail("task", "must be a task ID or name")
        self._check_forms(TASK_RUN_FIELDS, values, fail)

        found: list[TaskModel] = []
        refs = self._references(values, self._inputs(olds).get(RESOLVED), found)
        for prop, message in refs.problems:
            failures.append(CheckFailure(prop, f"{label}: {message}"))
        if not self._unchanged(olds, inputs):
            from arize_pulumi.tasks.validation import trigger_window, validate_trigger_fields

            unknown: list[str] = []
            fields = {
                f.name: known_copy(values.get(f.name), f.name, unknown) for f in TRIGGER_FIELDS
            }
            problems = validate_trigger_fields(refs.resolved.get("task_type"), fields)
            if refs.resolved.get("task_on") == "dataset":
                problems += trigger_window(True, fields)[1]
            for problem in problems:
                if not touches_unknown(problem.field, unknown):
                    fail(problem.field or "task", problem.reason)
            if not failures and self._new_run(olds, values, refs.resolved):
                for field, reason in self._before_trigger(values, refs, found, hint):
                    fail(field, reason)
        inputs[RESOLVED] = refs.resolved
        changed = self._changed(_REPORTED, olds, values, refs.resolved)
        if changed:
            inputs[CHANGED] = changed
        return CheckResult(inputs, failures)

    def _new_run(
        self, olds: Mapping[str, Any], values: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> bool:
        """Whether these inputs trigger a run: a create, or a change that is a new run."""
        if not self._inputs(olds):
            return True
        return bool(self._changed(NEW_RUN_FIELDS, olds, values, resolved))

    def _before_trigger(
        self,
        values: Mapping[str, Any],
        refs: References,
        found: list[TaskModel],
        hint: Any,
    ) -> list[tuple[str, str]]:
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
                return self._before_trigger_of_declared(values, hint)
            return self._before_trigger_of_known(values, refs.resolved, found)
        except (ArizeError, ResourceError):
            return []

    def _before_trigger_of_known(
        self, values: Mapping[str, Any], resolved: Mapping[str, Any], found: list[TaskModel]
    ) -> list[tuple[str, str]]:
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
        return [_first_run(f"task '{task.name}' ({task.id}) has never run", self._now())]

    def _before_trigger_of_declared(
        self, values: Mapping[str, Any], hint: Any
    ) -> list[tuple[str, str]]:
        if not isinstance(hint, Mapping):
            return []
        declared_type = str(hint.get("type") or "").upper()
        name, on = hint.get("name"), hint.get("on")
        space = hint.get("space") or values.get("space") or self.settings.space or None
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
            return [_first_run(f"task '{name}' is created in this update", self._now())]
        if existing.last_run_at is None:
            return [_first_run(f"task '{name}' ({existing.id}) has never run", self._now())]
        return []

    def _experiment_clash(self, dataset_id: str | None, name: str) -> list[tuple[str, str]]:
        if dataset_id is None:
            return []
        client = self.client()
        existing = client.find_experiment(name, dataset_id=dataset_id)
        if existing is None:
            return []
        return [("experiment_name", _clash(client, dataset_id, name, existing.id))]

    # --- diff -----------------------------------------------------------------------------

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A new task, trigger field or ``triggers`` value is a new run (replace); wait
        settings alone are an in-place no-op. ``check`` found what changed (see the module
        doc)."""
        new = self._inputs(news)
        given_changes = new.get(CHANGED)
        changed: Mapping[str, Any] = given_changes if isinstance(given_changes, Mapping) else {}
        for field in _REPORTED:
            if field.name not in changed and has_unknown(new.get(field.name)):
                changed = {**changed, field.name: "UPDATE"}
        changes = [
            InputChange(
                f.name,
                replaces=f.change is Change.NEW_RUN,
                before=changed[f.name] != "ADD",
                after=changed[f.name] != "DELETE",
            )
            for f in _REPORTED
            if f.name in changed
        ]
        if any(change.replaces for change in changes):
            # The old run is cancelled (on_delete=cancel) only once the new one is accepted:
            # the engine creates first, and a create refused because this run is still going
            # cancels it, which this note tells, then triggers again.
            state = plain(olds)
            given = new.get(RESOLVED)
            task_id = given.get("task_id") if isinstance(given, Mapping) else None
            if (
                str(_setting(_on_delete(state), "on_delete")).lower() == "cancel"
                and isinstance(task_id, str)
                and task_id == state.get("task_id")
            ):
                replacing.note(("run", task_id), _id)
        return detailed_result(changes, delete_before_replace=False)

    # --- create ---------------------------------------------------------------------------

    @staticmethod
    def _trigger_arguments(inputs: Mapping[str, Any]) -> dict[str, Any]:
        return {
            f.name: f.form.to_wire(inputs[f.name])
            for f in TRIGGER_FIELDS
            if inputs.get(f.name) is not None
        }

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Trigger a run and, unless ``wait`` is false, wait for an outcome in ``succeed_on``."""
        from arize_pulumi.tasks.errors import ArizeError, ConflictError
        from arize_pulumi.tasks.validation import trigger_window, validate_trigger_fields

        inputs = self._inputs(props)
        label = _label(inputs)
        refs = self._references(inputs, inputs.get(RESOLVED))
        if refs.problems:
            raise ResourceError(f"{label}: " + "; ".join(m for _, m in refs.problems))
        resolved = refs.resolved
        task_id, task_type = resolved.get("task_id"), resolved.get("task_type")
        if not isinstance(task_id, str) or not isinstance(task_type, str):
            raise ResourceError(f"{label}: task {inputs.get('task')!r} could not be resolved")
        arguments = self._trigger_arguments(inputs)
        problems = validate_trigger_fields(task_type, arguments)
        if resolved.get("task_on") is not None and task_type != "RUN_EXPERIMENT":
            arguments, window = trigger_window(resolved["task_on"] == "dataset", arguments)
            problems += window
        if problems:
            raise ResourceError(
                f"{label}: task {task_id} is {task_type}: "
                + "; ".join(f"{p.field}: {p.reason}" for p in problems)
            )
        client = self.client()
        space = resolved.get("space_id") or inputs.get("space") or None
        if resolved.get("task_on") == "project" and task_type != "RUN_EXPERIMENT":
            arguments = self._window(client, label, task_id, arguments)
        replaced = replacing.take(("run", task_id))
        try:
            try:
                run = client.trigger_run(task_id, space=space, task_type=task_type, **arguments)
            except ConflictError:
                if replaced is None:
                    raise
                self._cancel_replaced(client, replaced, label)
                run = client.trigger_run(task_id, space=space, task_type=task_type, **arguments)
        except ConflictError as exc:
            raise ResourceError(
                f"{label}: task {task_id} refused a new run: "
                + self._conflict(client, task_id, arguments, exc)
            ) from None
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: triggering task {task_id} failed: {describe(exc)}"
            ) from None
        if not _setting(inputs, "wait"):
            log(
                "info",
                f"{label}: started run {run.id} ({run.status.value}); not waiting (wait=false): "
                "`pulumi refresh` updates its status and counts",
            )
            return CreateResult(run.id, self._outputs(run, inputs))
        waited = _Elapsed(self._clock, self._sleep)
        with spare_worker():
            run = self._wait(client, run, inputs, label, waited)
            chained: list[dict[str, Any]] = []
            # Only a completed experiment run chains runs (see ``_wait_chained``).
            wanted = _setting(inputs, "wait_for_chained") and inputs.get("evaluation_task_ids")
            if wanted and run.status.value == "COMPLETED":
                chained = self._wait_chained(client, run, inputs, label, space, waited)
        return CreateResult(run.id, self._outputs(run, inputs, chained))

    @staticmethod
    def _cancel_replaced(client: TasksClient, run_id: str, label: str) -> None:
        """Cancel the run this one replaces (``on_delete=cancel``), which keeps the task from
        starting another."""
        from arize_pulumi.tasks.errors import ArizeError

        try:
            client.cancel_run(run_id)
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: the task is busy with run {run_id}, which this run replaces, and "
                f"cancelling it (on_delete=cancel) failed: {describe(exc)}"
            ) from None
        log("info", f"{label}: cancelled run {run_id} (on_delete=cancel) to start its replacement")

    def _window(
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
            reason = _first_run(f"task {task_id} has never run", self._now())
            raise ResourceError(f"{label}: {reason[0]}: {reason[1]}")
        end = parse_time(arguments.get("data_end_time")) or self._now()
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

    @staticmethod
    def _conflict(
        client: TasksClient, task_id: str, arguments: Mapping[str, Any], exc: ConflictError
    ) -> str:
        """Why a trigger met a conflict, and what to do: an experiment of that name in the
        dataset, or a run of the task still going; else the service's own words."""
        from arize_pulumi.tasks.errors import ArizeError

        name = arguments.get("experiment_name")
        try:
            if isinstance(name, str):
                dataset_id = client.get(task_id).dataset_id
                existing = (
                    client.find_experiment(name, dataset_id=dataset_id) if dataset_id else None
                )
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

    def _wait(
        self,
        client: TasksClient,
        run: RunModel,
        inputs: Mapping[str, Any],
        label: str,
        waited: _Elapsed,
    ) -> RunModel:
        """Wait for a terminal status; act on ``on_timeout``; fail outside ``succeed_on``."""
        from arize_pulumi.tasks.errors import ArizeError, WaitTimeoutError

        timeout = float(_setting(inputs, "timeout"))
        progress = Progress(label, run.id, self.PROGRESS_INTERVAL, self._clock)
        log("info", f"{label}: started run {run.id}; waiting up to {timeout:g}s for it to end")
        try:
            run = client.wait_for_run(
                run.id,
                poll_interval=float(_setting(inputs, "poll_interval")),
                timeout=timeout,
                on_progress=progress,
                sleep=waited.sleep,
            )
        except WaitTimeoutError as exc:
            return self._timed_out(client, exc.run, inputs, label, timeout)
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: waiting for run {run.id} failed: {describe(exc)}. The run goes on; "
                "`pulumi up` again starts another one"
            ) from None
        self._judge(run, inputs, label)
        return run

    def _timed_out(
        self,
        client: TasksClient,
        run: RunModel,
        inputs: Mapping[str, Any],
        label: str,
        timeout: float,
    ) -> RunModel:
        from arize_pulumi.tasks.errors import ArizeError

        action = str(_setting(inputs, "on_timeout")).lower()
        late = (
            f"{label}: run {run.id} is still {run.status.value} after {timeout:g}s ({_counts(run)})"
        )
        if action == "keep":
            log(
                "warning",
                f"{late}; keeping it as it is (on_timeout=keep): `pulumi refresh` updates its "
                "status",
            )
            return run
        if action == "fail":
            raise ResourceError(f"{late}; left it running (on_timeout=fail)")
        try:
            cancelled = client.cancel_run(run.id)
        except ArizeError as exc:
            try:
                latest = client.get_run(run.id)
            except ArizeError:
                raise ResourceError(f"{late}; cancelling it failed: {describe(exc)}") from None
            if latest.is_terminal:
                self._judge(latest, inputs, label)
                return latest
            raise ResourceError(f"{late}; cancelling it failed: {describe(exc)}") from None
        raise ResourceError(f"{late}; cancelled it (now {cancelled.status.value})")

    def _wait_chained(
        self,
        client: TasksClient,
        experiment: RunModel,
        inputs: Mapping[str, Any],
        label: str,
        space: str | None,
        waited: _Elapsed,
    ) -> list[dict[str, Any]]:
        """Wait, within what is left of ``timeout``, for the runs the experiment run chained
        and judge each by ``succeed_on``.

        The API does not link a chained run to its experiment run: a chained run is the
        oldest run of each evaluation task created at or after the experiment run finished.
        """
        from arize_pulumi.tasks.errors import ArizeError

        timeout = float(_setting(inputs, "timeout"))
        poll = float(_setting(inputs, "poll_interval"))
        tasks = list(dict.fromkeys(str(t) for t in inputs.get("evaluation_task_ids") or []))
        since = experiment.run_finished_at
        found: dict[str, RunModel] = {}
        progress: dict[str, Progress] = {}
        log(
            "info",
            f"{label}: run {experiment.id} chained runs of {', '.join(tasks)}; waiting up to "
            f"{max(timeout - waited.elapsed(), 0):g}s more for them to end",
        )
        while True:
            try:
                for task in tasks:
                    run = found.get(task)
                    if run is not None and run.is_terminal:
                        continue
                    if run is None:
                        run = _chained_run(client, task, space, since)
                    else:
                        run = client.get_run(run.id)
                    if run is None:
                        continue
                    found[task] = run
                    if task not in progress:
                        progress[task] = Progress(
                            f"{label}: chained task {run.task_id}",
                            run.id,
                            self.PROGRESS_INTERVAL,
                            self._clock,
                        )
                    progress[task](run)
            except ArizeError as exc:
                raise ResourceError(
                    f"{label}: waiting for the runs chained to run {experiment.id} failed: "
                    f"{describe(exc)}"
                ) from None
            going = [t for t in tasks if t not in found or not found[t].is_terminal]
            if not going:
                break
            remaining = timeout - waited.elapsed()
            if remaining <= 0:
                return self._chained_timed_out(client, found, going, inputs, label, timeout)
            waited.sleep(min(poll, remaining))
        self._judge_chained([found[t] for t in tasks], inputs, label)
        return [_chained_entry(found[t]) for t in tasks]

    def _chained_timed_out(
        self,
        client: TasksClient,
        found: Mapping[str, RunModel],
        going: list[str],
        inputs: Mapping[str, Any],
        label: str,
        timeout: float,
    ) -> list[dict[str, Any]]:
        """``on_timeout`` for the chained runs still going (or not seen yet)."""
        from arize_pulumi.tasks.errors import ArizeError

        action = str(_setting(inputs, "on_timeout")).lower()

        def still(task: str) -> str:
            run = found.get(task)
            if run is None:
                return f"task {task}: no chained run seen yet"
            return f"task {run.task_id}: run {run.id} {run.status.value} ({_counts(run)})"

        late = f"{label}: chained runs still going after {timeout:g}s: " + "; ".join(
            still(t) for t in going
        )
        if action == "keep":
            log("warning", f"{late}; keeping them as they are (on_timeout=keep)")
            self._judge_chained([r for t, r in found.items() if t not in going], inputs, label)
            return [_chained_entry(r) for r in found.values()]
        if action == "fail":
            raise ResourceError(f"{late}; left them running (on_timeout=fail)")
        problems = []
        for task in going:
            run = found.get(task)
            if run is None:
                continue
            try:
                client.cancel_run(run.id)
            except ArizeError as exc:
                problems.append(f"cancelling run {run.id} failed: {describe(exc)}")
        if problems:
            raise ResourceError(f"{late}; " + "; ".join(problems))
        raise ResourceError(f"{late}; cancelled them (on_timeout=cancel)")

    @staticmethod
    def _judge_chained(runs: list[RunModel], inputs: Mapping[str, Any], label: str) -> None:
        """Log each chained run's outcome; raise naming every one outside ``succeed_on``."""
        succeed_on = _succeed_on(inputs)
        failed = []
        for run in runs:
            outcome = (
                f"chained task {run.task_id}: run {run.id} {run.status.value} ({_counts(run)})"
            )
            if run.failure_reason:
                outcome += f": {run.failure_reason}"
            if run.status.value in succeed_on:
                log("info", f"{label}: {outcome}")
            else:
                failed.append(outcome)
        if failed:
            raise ResourceError(
                f"{label}: " + "; ".join(failed) + f"; succeed_on is {', '.join(succeed_on)}"
            )

    @staticmethod
    def _judge(run: RunModel, inputs: Mapping[str, Any], label: str) -> None:
        """Log the outcome; raise when the status is not one that counts as success."""
        succeed_on = _succeed_on(inputs)
        outcome = f"{label}: run {run.id} {run.status.value} ({_counts(run)})"
        if run.failure_reason:
            outcome += f": {run.failure_reason}"
        if run.status.value not in succeed_on:
            raise ResourceError(f"{outcome}; succeed_on is {', '.join(succeed_on)}")
        log("info", outcome)

    # --- update / read / delete -----------------------------------------------------------

    def update(
        self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]
    ) -> pulumi.dynamic.UpdateResult:
        """Only wait settings changed: nothing to do on the server; keep the run's state."""
        olds = plain(_olds)
        state = {k: v for k, v in olds.items() if k in self.OUTPUTS}
        return pulumi.dynamic.UpdateResult(state | self._kept(self._inputs(_news)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh the run's status and counts; a run that is gone leaves the state (for
        ``TaskRun.get``, with no state yet, it is an error)."""
        state = plain(props)
        label = _label(state)
        run = fetch_live(
            label,
            f"run {id_}",
            lambda: self.client().get_run(id_),
            lookup=self._is_lookup(props),
        )
        if run is None:
            return ReadResult("", {})
        chained = self._refresh_chained(state.get("chained_runs"))
        return ReadResult(id_, self._outputs(run, state, chained))

    def _refresh_chained(self, chained: Any) -> list[dict[str, Any]]:
        """The chained runs in the state, with their status and counts as of now (one that
        cannot be read stays as it was)."""
        from arize_pulumi.tasks.errors import ArizeError

        fresh: list[dict[str, Any]] = []
        for entry in chained if isinstance(chained, list) else []:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("run_id"), str):
                continue
            try:
                fresh.append(_chained_entry(self.client().get_run(entry["run_id"])))
            except ArizeError:
                fresh.append(dict(entry))
        return fresh

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """``on_delete=detach`` leaves the run be; ``cancel`` cancels it if still going."""
        from arize_pulumi.tasks.errors import ArizeError, NotFoundError

        state = plain(_props)
        if str(_setting(_on_delete(state), "on_delete")).lower() != "cancel":
            return
        label = _label(state)
        client = self.client()
        try:
            run = client.get_run(_id)
            if not run.is_terminal:
                client.cancel_run(_id)
                log("info", f"{label}: cancelled run {_id} (on_delete=cancel)")
        except NotFoundError:
            return
        except ArizeError as exc:
            try:
                if client.get_run(_id).is_terminal:
                    return
            except ArizeError:
                pass
            raise ResourceError(f"{label}: cancelling run {_id} failed: {describe(exc)}") from None
