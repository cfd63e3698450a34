"""The dynamic provider behind :class:`arize_pulumi.TaskRun`.

State layout: the outputs are the run as the server has it (``run_id``, ``task_id``,
``status``, counts, times, the window it used, ``experiment_id``, ``failure_reason``), the
chained runs, and what ``read`` and ``delete`` need of the inputs (which the engine does not
hand them): ``__name`` and, when it is ``cancel``, ``__on_delete``. The inputs are the
program's arguments plus ``__name``, ``__resolved`` (the task's reference text, ID and type)
and, after a change, ``__changed``: ``diff`` sees only the old outputs, so ``check``, which
sees the old inputs, says what changed.

The wait itself is :mod:`._run_wait`; what the service would refuse of a run, said before
the trigger, is :mod:`._run_checks`. A wait holds no lock, and while it lasts the provider
process has one more worker thread (``_workers.spare_worker``), so runs are waited on all at
once and other resources keep the threads they had.
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
from arize_pulumi.resources._run_checks import TriggerChecks, conflict
from arize_pulumi.resources._run_wait import (
    Elapsed,
    RunWait,
    chained_entry,
    setting,
)
from arize_pulumi.resources._workers import spare_worker
from arize_pulumi.resources.fields import TASK_RUN_FIELDS, TASK_RUN_OUTPUTS, Change

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.models import Task as TaskModel
    from arize_pulumi.tasks.models import TaskRun as RunModel

__all__ = ["TaskRunProvider"]

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

    def _checks(self) -> TriggerChecks:
        return TriggerChecks(self.client, self.settings.space, self._now)

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
        if str(setting(_on_delete(inputs), "on_delete")).lower() == "cancel":
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
                for field, reason in self._checks().before_trigger(values, refs, found, hint):
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
                str(setting(_on_delete(state), "on_delete")).lower() == "cancel"
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
            arguments = self._checks().window(client, label, task_id, arguments)
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
                + conflict(client, task_id, arguments, exc)
            ) from None
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: triggering task {task_id} failed: {describe(exc)}"
            ) from None
        if not setting(inputs, "wait"):
            log(
                "info",
                f"{label}: started run {run.id} ({run.status.value}); not waiting (wait=false): "
                "`pulumi refresh` updates its status and counts",
            )
            return CreateResult(run.id, self._outputs(run, inputs))
        wait = RunWait(
            client,
            inputs,
            label,
            Elapsed(self._clock, self._sleep),
            self._clock,
            self.PROGRESS_INTERVAL,
        )
        with spare_worker():
            run = wait.run(run)
            chained: list[dict[str, Any]] = []
            # Only a completed experiment run chains runs (see ``RunWait.chained``).
            wanted = setting(inputs, "wait_for_chained") and inputs.get("evaluation_task_ids")
            if wanted and run.status.value == "COMPLETED":
                chained = wait.chained(run, space)
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
                fresh.append(chained_entry(self.client().get_run(entry["run_id"])))
            except ArizeError:
                fresh.append(dict(entry))
        return fresh

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """``on_delete=detach`` leaves the run be; ``cancel`` cancels it if still going."""
        from arize_pulumi.tasks.errors import ArizeError, NotFoundError

        state = plain(_props)
        if str(setting(_on_delete(state), "on_delete")).lower() != "cancel":
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
