"""The dynamic provider behind :class:`arize_pulumi.TaskRun`.

State layout: the run as the server has it (``run_id``, ``task_id``, ``status``, counts,
times, ``experiment_id``, ``failure_reason``) and ``declared``: the checked inputs, including
``resolved`` (the task's reference text, ID and type) and ``resource_name``. ``data_start_time``
and ``data_end_time`` at the top level are the run's actual window; the declared ones are in
``declared``.

Waiting happens on one of the provider process's four worker threads and holds no lock, so
up to four runs are waited on at once while other resources proceed on what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pulumi.dynamic
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult

from arize_pulumi.resources._normalize import (
    is_unknown,
    known_copy,
    plain,
    top_level,
    touches_unknown,
)
from arize_pulumi.resources._provider import (
    ProviderBase,
    ResourceError,
    describe,
    fetch_live,
    log,
    with_declared,
)
from arize_pulumi.resources._references import References, is_id
from arize_pulumi.resources.fields import TASK_RUN_FIELDS, TASK_RUN_OUTPUTS, Change

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.models import TaskRun as RunModel

__all__ = ["TaskRunProvider"]

_BY_NAME = {f.name: f for f in TASK_RUN_FIELDS}
TRIGGER_FIELDS = tuple(f for f in TASK_RUN_FIELDS if f.wire is not None)
"""What the trigger body carries."""
WAIT_SETTINGS = tuple(f for f in TASK_RUN_FIELDS if f.change is Change.NO_OP)
"""How the provider waits: changed in place, nothing is sent."""
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


def _label(inputs: Mapping[str, Any]) -> str:
    name = inputs.get("resource_name")
    return f"TaskRun '{name}'" if isinstance(name, str) else "TaskRun"


def _setting(inputs: Mapping[str, Any], key: str) -> Any:
    value = inputs.get(key)
    return _BY_NAME[key].default_for(inputs) if value is None else value


def _succeed_on(inputs: Mapping[str, Any]) -> list[str]:
    return [str(s).upper() for s in _setting(inputs, "succeed_on")]


def _counts(run: RunModel) -> str:
    return f"{run.num_successes} succeeded, {run.num_errors} errors, {run.num_skipped} skipped"


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

    STATE_INPUTS = INPUTS | {"resource_name", "resolved"}

    OUTPUTS = ("run_id", "task_id", "status", *_RUN_FIELDS, "chained_runs", "declared")

    PROGRESS_INTERVAL = 5.0
    """Least seconds between two progress lines that only report new counts."""

    _sleep: Callable[[float], None] = staticmethod(time.sleep)
    _clock: Callable[[], float] = staticmethod(time.monotonic)

    def _references(self, inputs: Mapping[str, Any], previous: Any) -> References:
        """Resolve the task (ID and type); a space is looked up only for a task name."""
        refs = References(self.client, previous, self.settings.space)
        task = inputs.get("task")
        if not isinstance(task, str) or not task or is_unknown(task):
            return refs
        if is_id(task) or refs.space(inputs.get("space")):
            refs.task(task, self._task_with_type(task))
        return refs

    @staticmethod
    def _task_with_type(task: str) -> Callable[[TasksClient, str], tuple[str, str, str]]:
        def lookup(client: TasksClient, space: str) -> tuple[str, str, str]:
            found = client.get(task, space=space or None)
            return found.id, found.type.value, "dataset" if found.dataset_id else "project"

        return lookup

    @staticmethod
    def _outputs(
        run: RunModel,
        declared: Mapping[str, Any],
        resolved: Mapping[str, Any],
        chained: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        wire = run.model_dump(mode="json")
        live = {
            "run_id": run.id,
            "task_id": run.task_id,
            "status": run.status.value,
            **{key: wire[key] for key in _RUN_FIELDS},
            "chained_runs": list(chained or []),
        }
        return with_declared(live, declared, resolved)

    # --- check ----------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Refuse bad settings and trigger fields that do not fit the task's type.

        The task is looked up (for its type) only when its reference changed; while it is
        unknown (its Task is not created yet) only what the fields alone decide is checked.
        """
        # "__provider": pulumi.dynamic's input holding the pickled provider (a Pulumi internal),
        # checked on pulumi 3.216.0 and 3.272.0 (tests/matrix/versions.mk).
        inputs = {k: v for k, v in news.items() if k != "__provider"}
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

        refs = self._references(values, plain(olds).get("resolved"))
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
        inputs["resolved"] = refs.resolved
        return CheckResult(inputs, failures)

    # --- diff -----------------------------------------------------------------------------

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A new task, trigger field or ``triggers`` value is a new run (replace); wait
        settings alone are an in-place no-op."""
        old = self._declared(olds)
        new = self._inputs(news)
        new_resolved = new.get("resolved")
        old_resolved = old.get("resolved")
        old_refs: Mapping[str, Any] = old_resolved if isinstance(old_resolved, Mapping) else {}
        resolved: Mapping[str, Any] = {}
        if not is_unknown(new.get("task")):
            resolved = self._references(
                new, new_resolved if isinstance(new_resolved, Mapping) else old_refs
            ).resolved
        replaces = [
            f.name
            for f in TASK_RUN_FIELDS
            if f.change is Change.NEW_RUN and f.changed(new, resolved, old, old_refs)
        ]
        changes = [f.name for f in WAIT_SETTINGS if f.changed(new, resolved, old, old_refs)]
        if replaces:
            cancel_first = str(_setting(old, "on_delete")).lower() == "cancel"
            return DiffResult(changes=True, replaces=replaces, delete_before_replace=cancel_first)
        return DiffResult(changes=bool(changes), replaces=[])

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
        refs = self._references(inputs, inputs.get("resolved"))
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
        try:
            run = client.trigger_run(task_id, space=space, task_type=task_type, **arguments)
        except ConflictError as exc:
            raise ResourceError(
                f"{label}: task {task_id} refused a new run: {exc.message}. Wait for the run in "
                "progress to finish (or cancel it), then run `pulumi up` again"
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
            return CreateResult(run.id, self._outputs(run, inputs, resolved))
        waited = _Elapsed(self._clock, self._sleep)
        run = self._wait(client, run, inputs, label, waited)
        chained: list[dict[str, Any]] = []
        # Only a completed experiment run chains runs (see ``_wait_chained``).
        wanted = _setting(inputs, "wait_for_chained") and inputs.get("evaluation_task_ids")
        if wanted and run.status.value == "COMPLETED":
            chained = self._wait_chained(client, run, inputs, label, space, waited)
        return CreateResult(run.id, self._outputs(run, inputs, resolved, chained))

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
        inputs = self._inputs(_news)
        resolved = inputs.get("resolved") or self._declared(olds).get("resolved") or {}
        # "__provider": pulumi.dynamic's input holding the pickled provider (a Pulumi internal),
        # checked on pulumi 3.216.0 and 3.272.0 (tests/matrix/versions.mk).
        state = {k: v for k, v in olds.items() if k not in ("declared", "__provider")}
        return pulumi.dynamic.UpdateResult(with_declared(state, inputs, resolved))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh the run's status and counts; a run that is gone leaves the state (for
        ``TaskRun.get``, with no state yet, it is an error)."""
        declared = self._declared(plain(props))
        label = _label(declared)
        run = fetch_live(
            label,
            f"run {id_}",
            lambda: self.client().get_run(id_),
            lookup=self._is_lookup(props),
        )
        if run is None:
            return ReadResult("", {})
        resolved = declared.get("resolved")
        chained = self._refresh_chained(plain(props).get("chained_runs"))
        return ReadResult(
            id_,
            self._outputs(
                run, declared, resolved if isinstance(resolved, Mapping) else {}, chained
            ),
        )

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

        declared = self._declared(plain(_props))
        if str(_setting(declared, "on_delete")).lower() != "cancel":
            return
        label = _label(declared)
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
