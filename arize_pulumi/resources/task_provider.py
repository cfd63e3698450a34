"""The dynamic provider behind :class:`arize_pulumi.Task`.

State layout: the inputs are the program's arguments plus ``__name`` (the resource name),
``__resolved`` (reference texts and the IDs they stood for) and, after a change, ``__changed``
(what ``check`` found changed). The outputs (what ``create``/``update``/``read`` return) hold,
under the API's names, only what the program cannot tell from its declaration: what the
server made (``created_at``, ...), the IDs its names resolved to (``space_id``,
``project_id``, ...), and a field's live value where it is not what the declaration says
(see :class:`~arize_pulumi.resources.fields.Shown`); plus ``__written``, a digest of the live
task as ``create`` or ``update`` left it. A field the outputs leave out is live as declared.

The engine hands ``diff``, ``update``, ``read`` and ``delete`` only the old outputs. ``diff``
learns from ``__changed`` which inputs the user changed (shown old and new); ``refresh``
compares the live task with ``__written`` and, when it moved, keeps the whole live task and
marks the fields that may have drifted (``__drifted``), which ``diff`` shows live and
declared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
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
    stable,
    top_level,
    touches_unknown,
)
from arize_pulumi.resources._provider import (
    CHANGED,
    RESOLVED,
    RESOURCE_NAME,
    ProviderBase,
    ResourceError,
    api_errors,
    describe,
    fetch_live,
    log,
)
from arize_pulumi.resources._references import References, evaluator_ref
from arize_pulumi.resources.fields import TASK_FIELDS, TASK_OUTPUTS, Change, Field, Shown

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.models import Task as TaskModel

__all__ = ["TaskProvider"]

TASK_TYPES = ("TEMPLATE_EVALUATION", "CODE_EVALUATION", "RUN_EXPERIMENT")
_LIVE_FIELDS = tuple(f for f in TASK_FIELDS if f.wire is not None)
"""The fields compared against the live task."""
DRIFTED = "__drifted"
"""Among the outputs after a ``refresh`` that found the task moved: the wire fields that may
have drifted. ``create`` and ``update`` leave the task as declared, so only these and the
inputs ``check`` found changed can differ from the declaration; ``diff`` compares just those
(an unchanged program is not even brought to its canonical form)."""
WRITTEN = "__written"
"""Among the outputs: a digest of the live task as ``create`` or ``update`` left it, so that
``refresh`` can tell whether it moved without the state holding every field."""
_DIGESTED = tuple(f for f in _LIVE_FIELDS if f.name != "space")
"""The fields of the task on the wire (``space_id`` is where its references were resolved)."""
_FROM_DECLARATION = frozenset(str(f.wire) for f in _LIVE_FIELDS if f.shown is not Shown.LIVE)
"""Outputs the state keeps only where the live value is not what the declaration says."""
_COMPARED = tuple(f for f in TASK_FIELDS if f.change in (Change.REPLACE, Change.UPDATE))
"""The fields ``diff`` reports."""
_COMPARED_WIRE = tuple(f.wire or f.name for f in _COMPARED)
EVALUATOR_IDS = "evaluator_ids"
"""The IDs of the task's evaluators, as the server lists them: the evaluators output is the
declaration as written, and these are what its names stood for."""
_READ_ONLY = tuple(
    key for key in TASK_OUTPUTS if key not in {f.wire for f in _LIVE_FIELDS} | {EVALUATOR_IDS}
)
"""Outputs the server sets and no input declares."""

RECOVERY_WINDOW = timedelta(minutes=15)
"""How recently a task must have been created for a create that meets it by name, with the
same settings, to take it over without ``adopt``: long enough to re-run an interrupted
``pulumi up``, short enough that a task someone made by hand earlier is never taken over (and
later deleted by ``destroy``) silently."""

DESTROY_NOTE = "`pulumi destroy`, or removing this resource, deletes it"


def _label(inputs: Mapping[str, Any]) -> str:
    name = inputs.get(RESOURCE_NAME) or inputs.get("name")
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


def _digest(outputs: Mapping[str, Any]) -> str:
    """:data:`WRITTEN` of a live task given as :meth:`TaskProvider._outputs`: its fields in
    their comparable form (so the server's order of evaluators or experiments is no move)."""
    values = {str(f.wire): f.form.live(outputs.get(str(f.wire))) for f in _DIGESTED}
    return hashlib.sha256(stable(values).encode()).hexdigest()[:16]


def _given(value: Any) -> bool:
    return value is not None and value != [] and value != {}


class TaskProvider(ProviderBase):
    """Creates, diffs, updates, refreshes and deletes Arize tasks (see the module doc)."""

    INPUTS = frozenset(f.name for f in TASK_FIELDS)
    """The arguments a program may give."""

    STATE_INPUTS = INPUTS | {RESOURCE_NAME, RESOLVED, CHANGED}

    OUTPUTS = TASK_OUTPUTS

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
        """The task the declaration asks for, by input name, in the comparable shape."""
        return {f.name: f.canonical(inputs, resolved) for f in _LIVE_FIELDS}

    @staticmethod
    def _moved(
        fields: tuple[Field, ...] | list[Field],
        state: Mapping[str, Any],
        desired: Mapping[str, Any],
        changed: Mapping[str, Any],
    ) -> list[Field]:
        """Those of ``fields`` whose live value differs from ``desired`` (given the whole live
        task, as :meth:`_outputs` makes it, every field is compared). The state holds a
        field's live value where it was not as declared, or after a refresh found the task
        moved; a field it leaves out is live as the old declaration, so it differs only when
        ``check`` found the declaration changed (``changed``)."""
        return [
            f
            for f in fields
            if (
                not f.same(desired[f.name], f.form.live(state[str(f.wire)]))
                if str(f.wire) in state
                else f.name in changed
            )
        ]

    @staticmethod
    def _patch(desired: Mapping[str, Any], fields: list[Field]) -> dict[str, Any]:
        """The ``update`` arguments that bring the live task to the declaration."""
        return {
            f.name: f.form.to_wire(desired[f.name]) for f in fields if f.change is Change.UPDATE
        }

    @staticmethod
    def _outputs(task: TaskModel, space_id: Any) -> dict[str, Any]:
        """The outputs: the task's wire fields and ``space_id``, the space its references
        were resolved in (not a field of the task on the wire). ``task_id`` is the resource
        ID, which the engine keeps."""
        wire = task.model_dump(mode="json")
        live: dict[str, Any] = {
            f.wire: f.form.output(wire.get(f.wire)) for f in _LIVE_FIELDS if f.wire
        }
        live["space_id"] = space_id
        live[EVALUATOR_IDS] = [entry["evaluator_id"] for entry in wire.get("evaluators") or []]
        live |= {key: wire.get(key) for key in _READ_ONLY if key != "task_id"}
        return live

    def _kept(
        self, task: TaskModel, inputs: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The outputs to store for ``task``, made or updated from ``inputs``: what the
        program cannot tell from its declaration (the module doc), and :data:`WRITTEN`."""
        full = self._outputs(task, resolved.get("space_id"))
        kept = {key: value for key, value in full.items() if key not in _FROM_DECLARATION}
        for f in _LIVE_FIELDS:
            wire = str(f.wire)
            if wire in _FROM_DECLARATION and not f.form.same(
                f.canonical(inputs, resolved), f.form.live(full.get(wire))
            ):
                kept[wire] = full.get(wire)
        kept[WRITTEN] = _digest(full)
        return kept

    # --- check ----------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Refuse locally what the server would refuse, and resolve changed names.

        Unknown values (a preview of something not created yet) are skipped; names whose text
        is unchanged since the last run reuse their IDs, so an unchanged program makes no
        request.
        """
        # "__provider": pulumi.dynamic's input holding the pickled provider (a Pulumi internal),
        # checked on pulumi 3.260.0 and 3.272.0 (tests/matrix/versions.mk).
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

        refs = self._references(values, self._inputs(olds).get(RESOLVED))
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
        inputs[RESOLVED] = refs.resolved
        changed = self._changed(_COMPARED, olds, values, refs.resolved)
        if changed:
            inputs[CHANGED] = changed
        return CheckResult(inputs, failures)

    # --- diff -----------------------------------------------------------------------------

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare the declaration against the live task in the state, by resolved ID.

        An input ``check`` found changed is shown old and new; one that differs only because
        the task drifted (as ``refresh`` read it) is shown live and declared.
        """
        state = plain(olds)
        new = self._inputs(news)
        given = new.get(RESOLVED)
        resolved = self._references(
            new, given if isinstance(given, Mapping) and given else {}
        ).resolved
        given_changes = new.get(CHANGED)
        changed: Mapping[str, Any] = given_changes if isinstance(given_changes, Mapping) else {}
        drifted = set(state.get(DRIFTED) or [])
        compared = [
            f
            for f in _COMPARED
            if f.name in changed or (f.wire or f.name) in drifted or has_unknown(new.get(f.name))
        ]
        unknown = {f.name: "UNKNOWN" for f in compared if has_unknown(new.get(f.name))}
        differing = self._moved(
            compared,
            state,
            {f.name: f.canonical(new, resolved) for f in compared},
            {**unknown, **changed},
        )
        changes = []
        for field in differing:
            kind = changed.get(field.name)
            had = state.get(field.wire or field.name) is not None
            has = new.get(field.name) is not None
            changes.append(
                InputChange(
                    field.name,
                    replaces=field.change is Change.REPLACE,
                    before=kind != "ADD" if kind else had,
                    after=kind != "DELETE" if kind else has,
                    from_inputs=kind is not None,
                )
            )
        # The old task stays live until its replacement exists; one that keeps its name (unique
        # in its space) is moved aside by the replacement's create, which this note tells.
        space_id = resolved.get("space_id")
        name = new.get("name")
        same_name = state.get("name") == name if "name" in state else "name" not in changed
        if (
            any(change.replaces for change in changes)
            and isinstance(space_id, str)
            and isinstance(name, str)
            and space_id == state.get("space_id")
            and same_name
        ):
            replacing.note(("task", space_id, name), _id)
        return detailed_result(changes, delete_before_replace=False)

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
        current = self._outputs(existing, resolved.get("space_id"))
        differing = self._moved(_LIVE_FIELDS, current, desired, {})
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
        return CreateResult(task.id, self._kept(task, inputs, resolved))

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the task; with ``adopt``, or on a name conflict with an identical task
        created within :data:`RECOVERY_WINDOW` (what an interrupted ``up`` leaves), take over
        the existing one instead. An older identical task is refused, saying what it is.

        The replacement of a task that keeps its name moves the live task aside first (see
        :meth:`_replace`)."""
        from arize_pulumi.tasks.errors import ArizeError, ConflictError

        inputs = self._inputs(props)
        label = _label(inputs)
        resolved = self._resolve(inputs, inputs.get(RESOLVED))
        client = self.client()
        name = str(inputs.get("name"))
        replaced = replacing.take(("task", str(resolved.get("space_id")), name))
        if replaced is not None:
            return self._replace(client, replaced, inputs, resolved)
        if inputs.get("adopt"):
            existing = self._find(client, label, name, resolved)
            if existing is not None:
                return self._take_over(client, existing, inputs, resolved, "adopt is set")
        try:
            task = self._create(client, inputs, resolved)
        except ConflictError as exc:
            return self._on_conflict(client, inputs, resolved, exc)
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: creating task '{name}' failed: {describe(exc)}"
            ) from None
        return CreateResult(task.id, self._kept(task, inputs, resolved))

    def _on_conflict(
        self,
        client: TasksClient,
        inputs: Mapping[str, Any],
        resolved: Mapping[str, Any],
        conflict: Exception,
    ) -> CreateResult:
        """A create refused because the name is taken: take the task over when that is safe
        (``adopt``, or what an interrupted ``up`` left), else say what holds the name."""
        label = _label(inputs)
        name = str(inputs.get("name"))
        if resolved.get("space_id") is None:
            raise ResourceError(f"{label}: creating task '{name}' failed: {conflict}") from None
        existing = self._find(client, label, name, resolved)
        if existing is None:
            raise ResourceError(f"{label}: creating task '{name}' failed: {conflict}") from None
        if inputs.get("adopt"):
            return self._take_over(client, existing, inputs, resolved, "adopt is set")
        current = self._outputs(existing, resolved.get("space_id"))
        differing = self._moved(_LIVE_FIELDS, current, self._desired(inputs, resolved), {})
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

    # --- a replace that keeps the name ------------------------------------------------------

    def _replace(
        self,
        client: TasksClient,
        old_id: str,
        inputs: Mapping[str, Any],
        resolved: Mapping[str, Any],
    ) -> CreateResult:
        """Create the replacement of live task ``old_id``, which has the same name.

        The live task is renamed aside (``<name> (replaced <tag>)``), the new one created, and
        the engine deletes the old one afterwards. If the create fails, the old task gets its
        name back, so a failed replace leaves the live task as it was. A crash between the
        steps leaves the old task aside: the next ``up`` finds it there (its tag comes from its
        ID) and goes on from the create; ``refresh`` shows the name as drift.
        """
        from arize_pulumi.tasks.errors import ArizeError, ConflictError, NotFoundError

        label = _label(inputs)
        name = str(inputs.get("name"))
        try:
            old = client.get(old_id)
        except NotFoundError:
            old = None
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: replacing task {old_id}: reading it failed: {describe(exc)}. "
                "Nothing was changed; run `pulumi up` again"
            ) from None
        space = resolved.get("space_id")
        aside: str | None = None
        if old is not None and old.name == name:
            aside = self._move_aside(client, old, label, name, space)
        elif old is not None and replacing.is_aside_name(old.name, name, old.id):
            aside = old.name  # moved aside by an earlier, interrupted replace
        try:
            task = self._create(client, inputs, resolved)
        except ConflictError as exc:
            try:
                return self._on_conflict(client, inputs, resolved, exc)
            except ResourceError as refused:
                raise ResourceError(
                    f"{refused} {self._put_back(client, old, aside, name, space)}"
                ) from None
        except ArizeError as exc:
            raise ResourceError(
                f"{label}: creating task '{name}' (to replace task {old_id}) failed: "
                f"{describe(exc)}. {self._put_back(client, old, aside, name, space)}"
            ) from None
        return CreateResult(task.id, self._kept(task, inputs, resolved))

    @staticmethod
    def _move_aside(
        client: TasksClient, old: TaskModel, label: str, name: str, space: str | None
    ) -> str:
        """Rename the live task out of its replacement's way; the new name, or a clear error
        that nothing was deleted."""
        from arize_pulumi.tasks.errors import ArizeError, ConflictError

        tried: list[str] = []
        for attempt in range(1, 4):
            aside = replacing.aside_name(name, old.id, attempt)
            tried.append(f"'{aside}'")
            try:
                client.update(old.id, space=space, task_type=old.type, name=aside)
            except ConflictError:
                continue
            except ArizeError as exc:
                raise ResourceError(
                    f"{label}: replacing task '{name}' ({old.id}): the live task keeps running "
                    "until its replacement exists, so it is renamed out of the way first, and "
                    f"renaming it to '{aside}' failed: {describe(exc)}. It was not deleted; "
                    "run `pulumi up` again"
                ) from None
            return aside
        raise ResourceError(
            f"{label}: replacing task '{name}' ({old.id}): the live task is renamed out of "
            f"the way first, and tasks named {', '.join(tried)} already exist in its space. "
            "It was not changed; rename or delete those tasks, then run `pulumi up` again"
        )

    @staticmethod
    def _put_back(
        client: TasksClient, old: TaskModel | None, aside: str | None, name: str, space: str | None
    ) -> str:
        """Give a task moved aside its name back; what to tell the user about it."""
        from arize_pulumi.tasks.errors import ArizeError

        if old is None:
            return "The task it replaces was already gone."
        if aside is None:
            return f"The live task {old.id} was not changed."
        try:
            client.update(old.id, space=space, task_type=old.type, name=name)
        except ArizeError as exc:
            return (
                f"The live task {old.id} is still there but keeps the name '{aside}': giving "
                f"it its name back failed ({describe(exc)}). Run `pulumi refresh`, then "
                "`pulumi up`"
            )
        return f"The live task {old.id} was not changed: it keeps its name and settings."

    # --- update ---------------------------------------------------------------------------

    def update(
        self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]
    ) -> pulumi.dynamic.UpdateResult:
        """PATCH the fields whose live value differs from the declaration; full state back."""
        from arize_pulumi.tasks.errors import ArizeError, NotFoundError

        olds = plain(_olds)
        inputs = self._inputs(_news)
        label = _label(inputs)
        resolved = self._resolve(inputs, inputs.get(RESOLVED))
        desired = self._desired(inputs, resolved)
        given_changes = inputs.get(CHANGED)
        changed: Mapping[str, Any] = given_changes if isinstance(given_changes, Mapping) else {}
        fields = [
            f
            for f in self._moved(_LIVE_FIELDS, olds, desired, changed)
            if f.change is Change.UPDATE
        ]
        if not fields:
            kept = (*TASK_OUTPUTS, WRITTEN)
            state = {k: olds[k] for k in kept if k in olds} | {"space_id": resolved.get("space_id")}
            return pulumi.dynamic.UpdateResult(state)
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
        return pulumi.dynamic.UpdateResult(self._kept(task, inputs, resolved))

    # --- read -----------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: drop a task that is gone; keep the outputs' layout while the task is as
        written (:data:`WRITTEN`); otherwise the whole live task becomes the outputs and the
        next ``diff`` shows what drifted, live and declared. The inputs stay as declared.

        For ``Task.get`` (no state yet) the outputs are the whole live task, and a task that
        is gone is an error.
        """
        state = plain(props)
        label = _label(state)
        client = self.client()
        task = fetch_live(
            label, f"task {id_}", lambda: client.get(id_), lookup=self._is_lookup(props)
        )
        if task is None:
            return ReadResult("", {})
        outputs = self._outputs(task, state.get("space_id"))
        if self._is_lookup(props):
            return ReadResult(id_, outputs)
        written = state.get(WRITTEN)
        if written is not None and written == _digest(outputs):
            kept = {k: v for k, v in outputs.items() if k not in _FROM_DECLARATION or k in state}
            return ReadResult(id_, kept | {WRITTEN: written})
        # Moved (or a state of the earlier layout, which held every field): a field the state
        # left out was as declared, so it may be what moved.
        now = {
            key
            for key in _COMPARED_WIRE
            if stable(outputs.get(key)) != stable(state.get(key))
            or (written is not None and key in _FROM_DECLARATION and key not in state)
        }
        drifted = sorted(set(state.get(DRIFTED) or []) | now)
        if drifted:
            outputs[DRIFTED] = drifted
        if written is not None:
            outputs[WRITTEN] = written
        return ReadResult(id_, outputs)

    # --- delete ---------------------------------------------------------------------------

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Delete the task; one already gone counts as deleted."""
        from arize_pulumi.tasks.errors import ArizeError, NotFoundError

        label = _label(plain(_props))
        try:
            self.client().delete(_id)
        except NotFoundError:
            return
        except ArizeError as exc:
            raise ResourceError(f"{label}: deleting task {_id} failed: {describe(exc)}") from None
