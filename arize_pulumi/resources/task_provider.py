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
from typing import TYPE_CHECKING, Any

import pulumi.dynamic
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult

from arize_pulumi.resources._normalize import (
    canonical_evaluators,
    canonical_run_configuration,
    has_unknown,
    is_unknown,
    known_copy,
    plain,
    same_number,
    stable,
    text_or_none,
    top_level,
    touches_unknown,
    upper_or_none,
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
from arize_pulumi.resources._references import (
    References,
    evaluator_entries,
    evaluator_ref,
)

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.models import Task as TaskModel

__all__ = ["TaskProvider"]

TASK_TYPES = ("TEMPLATE_EVALUATION", "CODE_EVALUATION", "RUN_EXPERIMENT")
_VALIDATED = (
    "name",
    "project",
    "dataset",
    "experiment_ids",
    "sampling_rate",
    "is_continuous",
    "query_filter",
    "evaluators",
    "run_configuration",
)
_LIVE_KEYS = (
    "task_id",
    "name",
    "type",
    "space_id",
    "project_id",
    "dataset_id",
    "evaluators",
    "experiment_ids",
    "sampling_rate",
    "is_continuous",
    "query_filter",
    "run_configuration",
    "created_at",
    "updated_at",
    "last_run_at",
    "created_by_user_id",
)
_FIXED = ("type", "project_id", "dataset_id", "experiment_ids")
"""What the API cannot change on an existing task."""
_UPDATABLE = ("name", "sampling_rate", "is_continuous", "query_filter", "run_configuration")
_EVALUATOR_FIELDS = ("query_filter", "column_mappings", "evaluator_version_id")


def _label(inputs: Mapping[str, Any]) -> str:
    name = inputs.get("resource_name") or inputs.get("name")
    return f"Task '{name}'" if isinstance(name, str) else "Task"


def _evaluator_ids(entries: list[dict[str, Any]], ids: Mapping[str, Any]) -> list[Any]:
    return [ids.get(entry["evaluator"], None) for entry in entries]


class TaskProvider(ProviderBase):
    """Creates, diffs, updates, refreshes and deletes Arize tasks (see the module doc)."""

    INPUTS = frozenset(
        {
            "type",
            "name",
            "space",
            "project",
            "dataset",
            "evaluators",
            "experiment_ids",
            "sampling_rate",
            "is_continuous",
            "query_filter",
            "run_configuration",
            "adopt",
        }
    )
    """The arguments a program may give."""

    STATE_INPUTS = INPUTS | {"resource_name", "resolved"}
    """What the checked inputs hold: the arguments, the resource name and ``resolved``."""

    OUTPUTS = (*_LIVE_KEYS, "declared")

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
        return refs

    def _resolve(self, inputs: Mapping[str, Any], previous: Any) -> dict[str, Any]:
        """Every reference as an ID, or a :class:`ResourceError` naming what failed."""
        refs = self._references(inputs, previous)
        if refs.problems:
            raise ResourceError(
                f"{_label(inputs)}: " + "; ".join(message for _, message in refs.problems)
            )
        return refs.resolved

    def _desired(self, inputs: Mapping[str, Any], resolved: Mapping[str, Any]) -> dict[str, Any]:
        """The task the declaration asks for, in the comparable shape of :meth:`_live`."""
        entries = evaluator_entries(inputs.get("evaluators"))
        ids = resolved.get("evaluator_ids") or {}
        experiments = resolved.get("experiment_ids") or {}
        return {
            "name": inputs.get("name"),
            "type": upper_or_none(inputs.get("type")),
            "project_id": resolved.get("project_id"),
            "dataset_id": resolved.get("dataset_id"),
            "experiment_ids": sorted(
                experiments.get(ref, ref) for ref in inputs.get("experiment_ids") or []
            ),
            "evaluators": canonical_evaluators(entries, lambda e: ids.get(e["evaluator"])),
            "sampling_rate": inputs.get("sampling_rate"),
            "is_continuous": inputs.get("is_continuous"),
            "query_filter": text_or_none(inputs.get("query_filter")),
            "run_configuration": canonical_run_configuration(inputs.get("run_configuration")),
        }

    @staticmethod
    def _live(state: Mapping[str, Any]) -> dict[str, Any]:
        """The server's task, from state or from :meth:`_outputs`, in the comparable shape."""
        evaluators = state.get("evaluators")
        return {
            "name": state.get("name"),
            "type": upper_or_none(state.get("type")),
            "project_id": state.get("project_id"),
            "dataset_id": state.get("dataset_id"),
            "experiment_ids": sorted(state.get("experiment_ids") or []),
            "evaluators": canonical_evaluators(
                evaluators if isinstance(evaluators, list) else [],
                lambda e: e.get("evaluator_id"),
            ),
            "sampling_rate": state.get("sampling_rate"),
            "is_continuous": state.get("is_continuous"),
            "query_filter": text_or_none(state.get("query_filter")),
            "run_configuration": canonical_run_configuration(state.get("run_configuration")),
        }

    @staticmethod
    def _differences(desired: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
        """Fields where the live task differs from the declaration (unset = not managed)."""
        fields = []
        for key, want in desired.items():
            have = live.get(key)
            if key in ("sampling_rate", "is_continuous"):
                if want is not None and not same_number(want, have):
                    fields.append(key)
            elif key == "run_configuration" and want is None:
                continue
            elif stable(want) != stable(have):
                fields.append(key)
        return fields

    @staticmethod
    def _patch(desired: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
        """The ``update`` arguments that bring the live task to the declaration."""
        patch: dict[str, Any] = {}
        for field in fields:
            if field == "evaluators":
                patch[field] = [
                    {"evaluator": e["evaluator_id"]}
                    | {k: e[k] for k in _EVALUATOR_FIELDS if e[k] is not None}
                    for e in desired["evaluators"]
                ]
            elif field in _UPDATABLE:
                patch[field] = desired[field]
        return patch

    @staticmethod
    def _outputs(
        task: TaskModel, declared: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Full state: the task's wire fields, ``space_id``, and the declared inputs.

        Unset evaluator fields are left out: state is re-serialised on every engine step.
        """
        wire = task.model_dump(mode="json")
        live: dict[str, Any] = {
            "task_id": task.id,
            "name": task.name,
            "type": task.type.value,
            "space_id": resolved.get("space_id"),
            "project_id": task.project_id,
            "dataset_id": task.dataset_id,
            "evaluators": [
                {k: v for k, v in entry.items() if v is not None} for entry in wire["evaluators"]
            ],
            "experiment_ids": list(task.experiment_ids),
            "sampling_rate": task.sampling_rate,
            "is_continuous": task.is_continuous,
            "query_filter": task.query_filter,
            "run_configuration": (
                None
                if task.run_configuration is None
                else canonical_run_configuration(wire["run_configuration"])
            ),
            "created_at": wire["created_at"],
            "updated_at": wire["updated_at"],
            "last_run_at": wire["last_run_at"],
            "created_by_user_id": task.created_by_user_id,
        }
        return with_declared(live, declared, resolved)

    # --- check ----------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Refuse locally what the server would refuse, and resolve changed names.

        Unknown values (a preview of something not created yet) are skipped; names whose text
        is unchanged since the last run reuse their IDs, so an unchanged program makes no
        request.
        """
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
            from arize_pulumi.tasks.validation import validate_task

            unknown: list[str] = []
            fields = {k: known_copy(values.get(k), k, unknown) for k in _VALIDATED}
            for problem in validate_task(kind, fields):
                if not touches_unknown(problem.field, unknown):
                    fail(problem.field or "type", problem.reason)
        adopt = values.get("adopt")
        if adopt is not None and not is_unknown(adopt) and not isinstance(adopt, bool):
            fail("adopt", "must be true or false")

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

        if is_unknown(new.get("type")) or upper_or_none(new.get("type")) != upper_or_none(
            old.get("type", olds.get("type"))
        ):
            replaces.append("type")

        new_space, old_space = resolved.get("space_id"), old_resolved.get("space_id")
        moved = new_space is not None and old_space is not None and new_space != old_space
        if is_unknown(new.get("space")) or moved:
            replaces.append("space")

        for kind in ("project", "dataset"):
            ref = new.get(kind)
            before = olds.get(f"{kind}_id", old_resolved.get(f"{kind}_id"))
            if is_unknown(ref):
                replaces.append(kind)
            elif ref is None:
                if before is not None:
                    replaces.append(kind)
            elif resolved.get(f"{kind}_id") != before:
                replaces.append(kind)

        experiments = new.get("experiment_ids")
        if has_unknown(experiments):
            replaces.append("experiment_ids")
        else:
            mapping = resolved.get("experiment_ids") or {}
            wanted = sorted(mapping.get(ref) or "" for ref in experiments or [])
            before_ids = olds.get("experiment_ids")
            if before_ids is None:
                before_ids = list((old_resolved.get("experiment_ids") or {}).values())
            if wanted != sorted(before_ids):
                replaces.append("experiment_ids")

        if is_unknown(new.get("name")) or new.get("name") != old.get("name"):
            changed.append("name")
        new_entries = new.get("evaluators")
        if has_unknown(new_entries):
            changed.append("evaluators")
        else:
            new_ids = resolved.get("evaluator_ids") or {}
            old_ids = old_resolved.get("evaluator_ids") or {}
            after = evaluator_entries(new_entries)
            before_entries = evaluator_entries(old.get("evaluators"))
            if None in _evaluator_ids(after, new_ids) or stable(
                canonical_evaluators(after, lambda e: new_ids.get(e["evaluator"]))
            ) != stable(
                canonical_evaluators(before_entries, lambda e: old_ids.get(e["evaluator"]))
            ):
                changed.append("evaluators")
        for key in ("sampling_rate", "is_continuous"):
            value = new.get(key)
            if is_unknown(value) or (value is not None and not same_number(value, old.get(key))):
                changed.append(key)
        if is_unknown(new.get("query_filter")) or text_or_none(
            new.get("query_filter")
        ) != text_or_none(old.get("query_filter")):
            changed.append("query_filter")
        run_configuration, before_configuration = (
            new.get("run_configuration"),
            old.get("run_configuration"),
        )
        if has_unknown(run_configuration) or (
            stable(run_configuration) != stable(before_configuration)
            and stable(canonical_run_configuration(run_configuration))
            != stable(canonical_run_configuration(before_configuration))
        ):
            changed.append("run_configuration")

        if not replaces:
            return DiffResult(changes=bool(changed), replaces=[])
        same_name = new.get("name") == olds.get("name", old.get("name"))
        return DiffResult(changes=True, replaces=replaces, delete_before_replace=same_name)

    # --- create ---------------------------------------------------------------------------

    def _create(
        self, client: TasksClient, inputs: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> TaskModel:
        desired = self._desired(inputs, resolved)
        space = resolved.get("space_id")
        if desired["type"] == "RUN_EXPERIMENT":
            return client.create_run_experiment_task(
                name=desired["name"],
                dataset=desired["dataset_id"],
                run_configuration=desired["run_configuration"],
                space=space,
            )
        return client.create_evaluation_task(
            name=desired["name"],
            type=desired["type"],
            evaluators=self._patch(desired, ["evaluators"])["evaluators"],
            space=space,
            project=desired["project_id"],
            dataset=desired["dataset_id"],
            experiment_ids=desired["experiment_ids"] if desired["dataset_id"] else None,
            sampling_rate=desired["sampling_rate"],
            is_continuous=desired["is_continuous"],
            query_filter=desired["query_filter"],
        )

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
        fixed = [f for f in differing if f in _FIXED]
        where = f"space '{resolved.get('space_ref')}'"
        if fixed:
            raise ResourceError(
                f"{label}: cannot take over task '{existing.name}' ({existing.id}) in {where}: "
                f"its {', '.join(fixed)} differ from this declaration and cannot be changed in "
                "place; delete that task or give this one another name"
            )
        task = existing
        if differing:
            patch = self._patch(desired, differing)
            with api_errors(label, f"updating task {existing.id}"):
                task = client.update(
                    existing.id, space=resolved.get("space_id"), task_type=existing.type, **patch
                )
        done = f"updated {', '.join(differing)}" if differing else "its settings already match"
        log(
            "warning",
            f"{label}: {why}: took over task '{task.name}' ({task.id}) in {where}; {done}",
        )
        return CreateResult(task.id, self._outputs(task, inputs, resolved))

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the task; with ``adopt``, or on a name conflict with an identical task,
        take over the existing one instead."""
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
            return self._take_over(
                client,
                existing,
                inputs,
                resolved,
                "a task of this name already exists with exactly these settings "
                "(an interrupted `pulumi up` may have made it)",
            )
        raise ResourceError(
            f"{label}: a task named '{name}' already exists in space "
            f"'{resolved.get('space_ref')}' (ID {existing.id}) and differs from this "
            f"declaration in {', '.join(differing)}. Set adopt=True to take it over and update "
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
        fields = [f for f in self._differences(desired, live) if f not in _FIXED]
        if not fields:
            state = {k: olds.get(k) for k in _LIVE_KEYS} | {"space_id": resolved.get("space_id")}
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

    def _drifted(self, declared: dict[str, Any], live: Mapping[str, Any]) -> dict[str, Any]:
        """The declared inputs with every drifted field set to its live value."""
        out = dict(declared)
        resolved = dict(out.get("resolved") or {})
        if live.get("name") != out.get("name"):
            out["name"] = live.get("name")
        if upper_or_none(out.get("type")) != live.get("type"):
            out["type"] = live.get("type")
        for key in ("sampling_rate", "is_continuous"):
            if out.get(key) is not None and not same_number(out[key], live.get(key)):
                out[key] = live.get(key)
        if text_or_none(out.get("query_filter")) != text_or_none(live.get("query_filter")):
            out["query_filter"] = live.get("query_filter")
        ids = resolved.get("evaluator_ids") or {}
        entries = evaluator_entries(out.get("evaluators"))
        live_entries = live.get("evaluators") or []
        if stable(canonical_evaluators(entries, lambda e: ids.get(e["evaluator"]))) != stable(
            canonical_evaluators(live_entries, lambda e: e.get("evaluator_id"))
        ):
            refs = {v: k for k, v in ids.items()}
            new_ids: dict[str, str] = {}
            rebuilt = []
            for entry in live_entries:
                ref = (
                    refs.get(entry["evaluator_id"])
                    or entry.get("evaluator_name")
                    or entry["evaluator_id"]
                )
                new_ids[ref] = entry["evaluator_id"]
                rebuilt.append(
                    {"evaluator": ref}
                    | {k: entry[k] for k in _EVALUATOR_FIELDS if entry.get(k) is not None}
                )
            out["evaluators"] = rebuilt
            resolved["evaluator_ids"] = new_ids
        if stable(canonical_run_configuration(out.get("run_configuration"))) != stable(
            live.get("run_configuration")
        ):
            out["run_configuration"] = live.get("run_configuration")
        experiments = resolved.get("experiment_ids") or {}
        declared_ids = sorted(experiments.get(r, r) for r in out.get("experiment_ids") or [])
        if declared_ids != sorted(live.get("experiment_ids") or []):
            out["experiment_ids"] = list(live.get("experiment_ids") or []) or None
            resolved["experiment_ids"] = {i: i for i in live.get("experiment_ids") or []}
        for kind in ("project", "dataset"):
            live_id = live.get(f"{kind}_id")
            if live_id is not None and resolved.get(f"{kind}_id") != live_id:
                out[kind] = live_id
                resolved[f"{kind}_ref"] = resolved[f"{kind}_id"] = live_id
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
