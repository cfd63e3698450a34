"""The control surface's changes to the stored world: seeding, out-of-band deletes, scripted
outcomes, planted tasks. Outside the Arize API, for demos and tests."""

from __future__ import annotations

from typing import Any

from ..clock import SandboxClock
from ..problems import ProblemError, bad_request, conflict, not_found
from ..seed import Seed, SeedResult, apply_seed, world
from ..store import Row, Store, Tx
from .common import SANDBOX_USER_ID, delete_task, require, stamp

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

SPACE_CONTENTS = (
    "project",
    "dataset",
    "evaluator",
    "ai_integration",
    "experiment",
    "evaluator_version",
)
"""What a space holds besides tasks, deleted with it."""


class ControlService:
    """Each operation is one transaction."""

    def __init__(self, store: Store, clock: SandboxClock) -> None:
        self.store = store
        self.clock = clock

    def seed(self, seed: Seed) -> SeedResult:
        with self.store.transaction() as tx:
            return apply_seed(tx, seed, self.clock.now(), SANDBOX_USER_ID)

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
            row = require(tx, kind, entity_id, "id")
            if kind == "task":
                delete_task(tx, row)
                return
            children: list[Row] = []
            doomed_tasks: list[Row] = []
            if kind in ("project", "dataset"):
                doomed_tasks += tx.find("task", parent_id=row.id)
            if kind == "space":
                doomed_tasks += tx.find("task", space_ids=[row.id])
                for child_kind in SPACE_CONTENTS:
                    children += tx.find(child_kind, space_ids=[row.id])
            elif kind == "dataset":
                children += tx.find("experiment", parent_id=row.id)
            elif kind == "evaluator":
                children += tx.find("evaluator_version", parent_id=row.id)
            for task in doomed_tasks:
                delete_task(tx, task)
            for child in children:
                tx.delete(child)
            tx.delete(row)

    def set_outcome(
        self, task_id: str, status: str, failure_reason: str | None, duration: float | None
    ) -> None:
        """Script how the next run of a task ends."""
        with self.store.transaction() as tx:
            require(tx, "task", task_id, "task_id")
            tx.set_outcome(
                task_id,
                {"status": status, "failure_reason": failure_reason, "duration": duration},
            )

    def plant_task(self, space: str, document: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        """Store a task document as given, as the real API may hold one this sandbox would
        never make (a ``type`` or ``experiment_type`` it does not know, keys it does not
        model). ``name`` and ``type`` are required, ``name`` unique in the space; a
        ``project_id`` or ``dataset_id`` must be of the space. Timestamps and the creator are
        filled in when missing. Answers the task's ID, its space's ID and the stored document."""
        name, kind = document.get("name"), document.get("type")
        if not isinstance(name, str) or not name:
            raise bad_request("task.name: a non-empty string is required")
        if not isinstance(kind, str) or not kind:
            raise bad_request("task.type: a non-empty string is required")
        if "id" in document:
            raise bad_request("task.id: the sandbox assigns the ID")
        now = stamp(self.clock.now())
        with self.store.transaction() as tx:
            space_row = _space(tx, space)
            parent_id = None
            for key, parent_kind in (("project_id", "project"), ("dataset_id", "dataset")):
                value = document.get(key)
                if value is None:
                    continue
                parent = tx.get(parent_kind, str(value))
                if parent is None or parent.space_id != space_row.id:
                    raise not_found(f"task.{key}: {parent_kind} {value} not in space {space}")
                parent_id = parent.id
            if tx.find("task", space_ids=[space_row.id], name=name):
                raise conflict(f"task.name: a task named {name!r} already exists in {space}")
            doc = {
                "created_at": now,
                "updated_at": now,
                "last_run_at": None,
                "created_by_user_id": SANDBOX_USER_ID,
                **document,
            }
            row = tx.insert("task", doc, name=name, parent_id=parent_id, space_id=space_row.id)
            return row.id, space_row.id, {"id": row.id, **doc}


def _space(tx: Tx, space: str) -> Row:
    """A space by ID, else by exact name (404 if neither)."""
    row = tx.get("space", space)
    if row is None:
        named = tx.find("space", name=space)
        row = named[0] if named else None
    if row is None:
        raise not_found(f"space: space {space!r} not found")
    return row
