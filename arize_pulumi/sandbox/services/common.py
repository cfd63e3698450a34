"""What every domain's service needs: finding rows, stamping them, and when they exist."""

from __future__ import annotations

from datetime import datetime

from arize_pulumi.tasks.ids import encode_id

from ..problems import not_found
from ..store import Row, Tx

SANDBOX_USER_ID = encode_id("User", 1, "sBox")
"""The user every task and run is created by."""

CHAINED_RUNS = "chained_runs_at"
"""Key of a task's stored document: when each run chained to an experiment appears, by run."""

_LABELS = {"ai_integration": "AI integration", "run": "task run"}


def stamp(value: datetime | None) -> str | None:
    """How a moment is kept in a stored document."""
    return value.isoformat() if value is not None else None


def require(tx: Tx, kind: str, entity_id: str, field: str) -> Row:
    """The row of ``kind`` with that ID, else a 404 naming the request field it came from."""
    row = tx.get(kind, entity_id)
    if row is None:
        label = _LABELS.get(kind, kind)
        raise not_found(f"{field}: {label} {entity_id} not found")
    return row


def visible(row: Row, now: datetime) -> bool:
    """Whether a row stored ahead of time exists yet: an experiment made by a run exists
    once the run is running, a run chained to an experiment once the experiment completes."""
    visible_at = row.doc.get("visible_at")
    return visible_at is None or datetime.fromisoformat(visible_at) <= now


def delete_task(tx: Tx, row: Row) -> None:
    """A task goes with its runs and its scripted outcome."""
    for run in tx.find("run", parent_id=row.id):
        tx.delete(run)
    tx.take_outcome(row.id)
    tx.delete(row)
