"""The dynamic provider behind :class:`arize_pulumi.Task`.

State layout (what ``create``/``update``/``read`` return): the task as the server has it
under its wire names (``task_id``, ``name``, ``type``, ``evaluators``, ``sampling_rate``, ...,
plus ``space_id``), and ``declared``: the checked inputs it was made from, including
``resolved`` (reference texts and the IDs they stood for) and ``resource_name``. The engine
hands ``diff``, ``update``, ``read`` and ``delete`` only that state, so ``declared`` is what
new inputs are compared against.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
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
    api_errors,
    describe,
    fetch_live,
    log,
    with_declared,
)
from arize_pulumi.resources._references import References, evaluator_ref
from arize_pulumi.resources.fields import TASK_FIELDS, TASK_OUTPUTS, Change, Drift, Field

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.models import Task as TaskModel

__all__ = ["TaskProvider"]

TASK_TYPES = ("TEMPLATE_EVALUATION", "CODE_EVALUATION", "RUN_EXPERIMENT")
_LIVE_FIELDS = tuple(f for f in TASK_FIELDS if f.wire is not None)
"""The fields compared against the live task."""
_READ_ONLY = tuple(key for key in TASK_OUTPUTS if key not in {f.wire for f in _LIVE_FIELDS})
"""Outputs the server sets and no input declares."""

RECOVERY_WINDOW = timedelta(minutes=15)
"""How recently a task must have been created for a create that meets it by name, with the
same settings, to take it over without ``adopt``: long enough to re-run an interrupted
``pulumi up``, short enough that a task someone made by hand earlier is never taken over (and
later deleted by ``destroy``) silently."""

DESTROY_NOTE = "`pulumi destroy`, or removing this resource, deletes it"


def _label(inputs: Mapping[str, Any]) -> str:
    name = inputs.get("resource_name") or inputs.get("name")
    return f"Task '{name}'" if isinstance(name, str) else "Task"


def _names(fields: list[Field]) -> str:
    return ", ".join(f.name for f in fields)


def _minutes(window: timedelta) -> int:
    return int(window.total_seconds() // 60)


def _recent(task: TaskModel, now: datetime | None = None) -> bool:
    """Whether ``task`` was created within :data:`RECOVERY_WINDOW` (a creation time ahead of
    this machine's clock counts as recent; one the API does not give, as not)."""
    created = task.created_at
    if created is None:
        return False
    return created >= (now or datetime.now(UTC)) - RECOVERY_WINDOW


def _origin(task: TaskModel) -> str:
    """When and by whom ``task`` was created, as far as the API says."""
    when = task.created_at.strftime("%Y-%m-%d %H:%M:%S UTC") if task.created_at else "unknown"
    who = f"user {task.created_by_user_id}" if task.created_by_user_id else "an unknown user"
    return f"created {when} by {who}"


def _given(value: Any) -> bool:
    return value is not None and value != [] and value != {}


class TaskProvider(ProviderBase):
    """Creates, diffs, updates, refreshes and deletes Arize tasks (see the module doc)."""

    INPUTS = frozenset(f.name for f in TASK_FIELDS)
    """The arguments a program may give."""

    STATE_INPUTS = INPUTS | {"resource_name", "resolved"}
    """What the checked inputs hold: the arguments, the resource name and ``resolved``."""

    OUTPUTS = (*TASK_OUTPUTS, "declared")

    # --- helpers --------------------------------------------------------------------------

    def _references(self, inputs: Mapping[str, Any], previous: Any) -> References:
        refs = References(self.client, previous, self.settings.space)
        if refs.space(inputs.get("space")):
            refs.named(
                "project",
                inputs.get("project"),
                lambda c, r, s: str(c.resolve_project_id(r, space=s)),
            )
            refs.named(
                "dataset",
                inputs.get("dataset"),
                lambda c, r, s: str(c.resolve_dataset_id(r, space=s)),
            )
            refs.evaluators(inputs.get("evaluators"))
            refs.experiments(inputs.get("experiment_ids"))
            refs.integration(inputs.get("run_configuration"))
        return refs

    def _resolve(self, inputs: Mapping[str, Any], previous: Any) -> dict[str, Any]:
        """Every reference as an ID, or a :class:`ResourceError` naming what failed."""
        refs = self._references(inputs, previous)
        if refs.problems:
            raise ResourceError(
                f"{_label(inputs)}: " + "; ".join(message for _, message in refs.problems)
            )
        return refs.resolved

    @staticmethod
    def _desired(inputs: Mapping[str, Any], resolved: Mapping[str, Any]) -> dict[str, Any]:
        """The task the declaration asks for, by input name, in the shape of :meth:`_live`."""
        return {f.name: f.canonical(inputs, resolved) for f in _LIVE_FIELDS}

    @staticmethod
    def _live(state: Mapping[str, Any]) -> dict[str, Any]:
        """The server's task, from state or from :meth:`_outputs`, in the comparable shape."""
        return {f.name: f.form.live(state.get(f.wire or f.name)) for f in _LIVE_FIELDS}

    @staticmethod
    def _differences(desired: Mapping[str, Any], live: Mapping[str, Any]) -> list[Field]:
        """Fields where the live task differs from the declaration."""
        return [f for f in _LIVE_FIELDS if not f.same(desired[f.name], live[f.name])]

    @staticmethod
    def _patch(desired: Mapping[str, Any], fields: list[Field]) -> dict[str, Any]:
        """The ``update`` arguments that bring the live task to the declaration."""
        return {
            f.name: f.form.to_wire(desired[f.name]) for f in fields if f.change is Change.UPDATE
        }

    @staticmethod
    def _outputs(
        task: TaskModel, declared: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Full state: the task's wire fields, ``space_id``, and the declared inputs.

        The space is not a field of the task on the wire: ``space_id`` is the one its
        references were resolved in.
        """
        wire = task.model_dump(mode="json")
        live: dict[str, Any] = {"task_id": task.id}
        live |= {f.wire: f.form.output(wire.get(f.wire)) for f in _LIVE_FIELDS if f.wire}
        live["space_id"] = resolved.get("space_id")
        live |= {key: wire.get(key) for key in _READ_ONLY if key != "task_id"}
        return with_declared(live, declared, resolved)

    # --- check ----------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Refuse locally what the server would refuse, and resolve changed names.

        Unknown values (a preview of something not created yet) are skipped; names whose text
        is unchanged since the last run reuse their IDs, so an unchanged program makes no
        request.
        """
        # "__provider": pulumi.dynamic's input holding the pickled provider (a Pulumi internal),
        # checked on pulumi 3.216.0 and 3.272.0 (tests/matrix/versions.mk).
        inputs = {k: v for k, v in news.items() if k != "__provider"}
        if inputs.get("name") is None and isinstance(inputs.get("resource_name"), str):
            inputs["name"] = inputs["resource_name"]
        values = self._inputs(inputs)
        label = _label(values)
        failures: list[CheckFailure] = []

        def fail(field: str, reason: str) -> None:
            failures.append(CheckFailure(top_level(field), f"{label}: {field}: {reason}"))

        self._refuse_unknown(inputs, fail)
        kind = values.get("type")
        if kind is None:
            fail("type", f"required; one of {', '.join(t.lower() for t in TASK_TYPES)}")
        elif not is_unknown(kind) and not self._unchanged(olds, inputs):
            from arize_pulumi.tasks.validation import TASK_ARGUMENTS, validate_task

            unknown: list[str] = []
            fields = {k: known_copy(values.get(k), k, unknown) for k in TASK_ARGUMENTS}
            for problem in validate_task(kind, fields):
                if not touches_unknown(problem.field, unknown):
                    fail(problem.field or "type", problem.reason)
        self._check_forms(TASK_FIELDS, values, fail)

        refs = self._references(values, plain(olds).get("resolved"))
        for prop, message in refs.problems:
            failures.append(CheckFailure(prop, f"{label}: {message}"))
        entries = values.get("evaluators")
        if isinstance(entries, list):
            resolved_ids = refs.resolved.get("evaluator_ids", {})
            seen: dict[str, str] = {}
            for entry in entries:
                ref = evaluator_ref(entry)
                found = resolved_ids.get(ref) if isinstance(ref, str) else None
                if found is None:
                    continue
                if found in seen and seen[found] != ref:
                    fail(
                        "evaluators",
                        f"'{seen[found]}' and '{ref}' are the same evaluator ({found}); "
                        "list it once",
                    )
                seen.setdefault(found, ref)
        inputs["resolved"] = refs.resolved
        return CheckResult(inputs, failures)

    # --- diff -----------------------------------------------------------------------------

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare the declaration against the one the state was made from, by resolved ID."""
        old = self._declared(olds)
        new = self._inputs(news)
        before_refs, after_refs = old.get("resolved"), new.get("resolved")
        old_resolved: Mapping[str, Any] = before_refs if isinstance(before_refs, Mapping) else {}
        resolved = self._references(
            new, after_refs if isinstance(after_refs, Mapping) and after_refs else old_resolved
        ).resolved
        replaces: list[str] = []
        changed: list[str] = []
        for field in TASK_FIELDS:
            if field.change in (Change.REPLACE, Change.UPDATE) and field.changed(
                new, resolved, old, old_resolved
            ):
                (replaces if field.change is Change.REPLACE else changed).append(field.name)

        if not replaces:
            return DiffResult(changes=bool(changed), replaces=[])
        same_name = new.get("name") == olds.get("name", old.get("name"))
        return DiffResult(changes=True, replaces=replaces, delete_before_replace=same_name)

    # --- create ---------------------------------------------------------------------------

    def _create(
        self, client: TasksClient, inputs: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> TaskModel:
        desired = self._desired(inputs, resolved)
        arguments = {
            f.name: f.form.to_wire(desired[f.name])
            for f in _LIVE_FIELDS
            if f.name not in ("type", "space") and _given(desired[f.name])
        }
        space = resolved.get("space_id")
        if desired["type"] == "RUN_EXPERIMENT":
            return client.create_run_experiment_task(space=space, **arguments)
        return client.create_evaluation_task(type=desired["type"], space=space, **arguments)

    def _find(
        self, client: TasksClient, label: str, name: str, resolved: Mapping[str, Any]
    ) -> TaskModel | None:
        space = resolved.get("space_id")
        if space is None:
            raise ResourceError(
                f"{label}: finding an existing task named '{name}' needs a space: set `space` "
                "on the resource or run `pulumi config set arize:space <space>`"
            )
        with api_errors(label, f"looking up task '{name}'"):
            return client.find(name, space=space)

    def _take_over(
        self,
        client: TasksClient,
        existing: TaskModel,
        inputs: Mapping[str, Any],
        resolved: Mapping[str, Any],
        why: str,
    ) -> CreateResult:
        """Make an existing task this resource, updating only the fields that differ."""
        label = _label(inputs)
        desired = self._desired(inputs, resolved)
        current = self._outputs(existing, inputs, resolved)
        differing = self._differences(desired, self._live(current))
        fixed = [f.name for f in differing if f.change is Change.REPLACE]
        where = f"space '{resolved.get('space_ref')}'"
        if fixed:
            raise ResourceError(
                f"{label}: cannot take over task '{existing.name}' ({existing.id}) in {where}: "
                f"its {', '.join(fixed)} {'differs' if len(fixed) == 1 else 'differ'} from this "
                "declaration and cannot be changed in "
                "place; delete that task or give this one another name"
            )
        task = existing
        if differing:
            patch = self._patch(desired, differing)
            with api_errors(label, f"updating task {existing.id}"):
                task = client.update(
                    existing.id, space=resolved.get("space_id"), task_type=existing.type, **patch
                )
        done = f"updated {_names(differing)}" if differing else "its settings already match"
        log(
            "warning",
            f"{label}: {why}: took over task '{task.name}' ({task.id}) in {where}; {done}; "
            f"this stack now manages it: {DESTROY_NOTE}",
        )
        return CreateResult(task.id, self._outputs(task, inputs, resolved))

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the task; with ``adopt``, or on a name conflict with an identical task
        created within :data:`RECOVERY_WINDOW` (what an interrupted ``up`` leaves), take over
        the existing one instead. An older identical task is refused, saying what it is."""
        from arize_pulumi.tasks.errors import ArizeError, ConflictError

        inputs = self._inputs(props)
        label = _label(inputs)
        resolved = self._resolve(inputs, inputs.get("resolved"))
        client = self.client()
        name = str(inputs.get("name"))
        if inputs.get("adopt"):
            existing = self._find(client, label, name, resolved)
            if existing is not None:
                return self._take_over(client, existing, inputs, resolved, "adopt is set")
        try:
            task = self._create(client, inputs, resolved)
        except ConflictError as exc:
            conflict = exc
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: creating task '{name}' failed: {describe(exc)}"
            ) from None
        else:
            return CreateResult(task.id, self._outputs(task, inputs, resolved))

        if resolved.get("space_id") is None:
            raise ResourceError(f"{label}: creating task '{name}' failed: {conflict}") from None
        existing = self._find(client, label, name, resolved)
        if existing is None:
            raise ResourceError(f"{label}: creating task '{name}' failed: {conflict}") from None
        if inputs.get("adopt"):
            return self._take_over(client, existing, inputs, resolved, "adopt is set")
        current = self._live(self._outputs(existing, inputs, resolved))
        differing = self._differences(self._desired(inputs, resolved), current)
        if not differing:
            if not _recent(existing):
                raise ResourceError(
                    f"{label}: a task named '{name}' already exists in space "
                    f"'{resolved.get('space_ref')}' (ID {existing.id}, {_origin(existing)}) "
                    "with these settings. It is not taken over without adopt: only a task "
                    f"created in the last {_minutes(RECOVERY_WINDOW)} minutes is (what an "
                    "interrupted `pulumi up` leaves behind). To manage it from this stack, set "
                    f"adopt=True (then {DESTROY_NOTE}); to leave it alone, give this task "
                    "another name."
                )
            return self._take_over(
                client,
                existing,
                inputs,
                resolved,
                "a task of this name with exactly these settings was "
                f"{_origin(existing)}, most likely by an interrupted `pulumi up`",
            )
        raise ResourceError(
            f"{label}: a task named '{name}' already exists in space "
            f"'{resolved.get('space_ref')}' (ID {existing.id}) and differs from this "
            f"declaration in {_names(differing)}. Set adopt=True to take it over and update "
            "it to this declaration, or give this task another name."
        )

    # --- update ---------------------------------------------------------------------------

    def update(
        self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]
    ) -> pulumi.dynamic.UpdateResult:
        """PATCH the fields whose live value differs from the declaration; full state back."""
        from arize_pulumi.tasks.errors import ArizeError, NotFoundError

        olds = plain(_olds)
        inputs = self._inputs(_news)
        label = _label(inputs)
        old = self._declared(olds)
        resolved = self._resolve(inputs, inputs.get("resolved") or old.get("resolved"))
        desired = self._desired(inputs, resolved)
        live = self._live(olds)
        fields = [f for f in self._differences(desired, live) if f.change is Change.UPDATE]
        if not fields:
            state = {k: olds.get(k) for k in TASK_OUTPUTS} | {"space_id": resolved.get("space_id")}
            return pulumi.dynamic.UpdateResult(with_declared(state, inputs, resolved))
        client = self.client()
        try:
            task = client.update(
                _id,
                space=resolved.get("space_id"),
                task_type=desired["type"],
                **self._patch(desired, fields),
            )
        except NotFoundError:
            raise ResourceError(
                f"{label}: task {_id} no longer exists (deleted outside Pulumi); run "
                "`pulumi refresh` to drop it from the state, and `pulumi up` creates it again"
            ) from None
        except ArizeError as exc:
            raise ResourceError(f"{label}: updating task {_id} failed: {describe(exc)}") from None
        return pulumi.dynamic.UpdateResult(self._outputs(task, inputs, resolved))

    # --- read -----------------------------------------------------------------------------

    @staticmethod
    def _drifted(declared: dict[str, Any], live: Mapping[str, Any]) -> dict[str, Any]:
        """The declared inputs with every drifted field set to its live value."""
        out = dict(declared)
        resolved = dict(out.get("resolved") or {})
        for field in _LIVE_FIELDS:
            if field.drift is Drift.NOT_READ:
                continue
            have = live.get(field.wire or field.name)
            if not field.same(field.canonical(out, resolved), field.form.live(have)):
                field.form.restore(field, out, resolved, have)
        out["resolved"] = resolved
        return {k: v for k, v in out.items() if v is not None}

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: drop a task that is gone; report drift as live values and as inputs.

        For ``Task.get`` (no state yet) a task that is gone is an error.
        """
        declared = self._declared(plain(props))
        label = _label(declared)
        client = self.client()
        task = fetch_live(
            label, f"task {id_}", lambda: client.get(id_), lookup=self._is_lookup(props)
        )
        if task is None:
            return ReadResult("", {})
        resolved = declared.get("resolved")
        outputs = self._outputs(task, declared, resolved if isinstance(resolved, Mapping) else {})
        drifted = self._drifted(outputs["declared"], outputs)
        outputs["declared"] = drifted
        return ReadResult(id_, outputs, inputs=drifted)

    # --- delete ---------------------------------------------------------------------------

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Delete the task; one already gone counts as deleted."""
        from arize_pulumi.tasks.errors import ArizeError, NotFoundError

        label = _label(self._declared(plain(_props)))
        try:
            self.client().delete(_id)
        except NotFoundError:
            return
        except ArizeError as exc:
            raise ResourceError(f"{label}: deleting task {_id} failed: {describe(exc)}") from None
