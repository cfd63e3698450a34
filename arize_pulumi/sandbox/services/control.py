"""The control surface's changes to the stored world: seeding, out-of-band deletes, scripted
outcomes. Outside the Arize API, for demos and tests."""

from __future__ import annotations

from ..clock import SandboxClock
from ..problems import ProblemError
from ..seed import Seed, SeedResult, apply_seed, world
from ..store import Row, Store
from .common import SANDBOX_USER_ID, delete_task, require

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
