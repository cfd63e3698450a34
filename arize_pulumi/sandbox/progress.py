"""How a run looks at a given moment, derived from its timestamps (no background work).

A run is ``PENDING`` for the first fifth of its duration, then ``RUNNING`` with counts that
grow with time, then ends as scripted (``COMPLETED`` unless an outcome said otherwise). A
cancel stores the moment; a ``HANG`` outcome never ends by itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from arize_pulumi.tasks.models import RunStatus, TaskRun

PENDING_SHARE = 0.2
HANG = "HANG"
DEFAULT_FAILURE = "The run failed: the sandbox was told to fail it"
DEFAULT_CANCELLED = (
    "All data in the window was already evaluated; re-trigger with override_evaluations"
)
CANCELLED_ON_REQUEST = "Cancelled on request"


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def started_at(doc: dict[str, Any]) -> datetime:
    created = datetime.fromisoformat(doc["created_at"])
    return created + timedelta(seconds=doc["duration"] * PENDING_SHARE)


def finished_at(doc: dict[str, Any]) -> datetime | None:
    """When the run ends by itself; ``None`` for a run that hangs."""
    if doc["outcome"] == HANG:
        return None
    return datetime.fromisoformat(doc["created_at"]) + timedelta(seconds=doc["duration"])


def _processed(doc: dict[str, Any], at: datetime) -> int:
    total = int(doc["total"])
    start = started_at(doc)
    elapsed = max((at - start).total_seconds(), 0.0)
    span = max(doc["duration"] * (1 - PENDING_SHARE), 1e-6)
    if doc["outcome"] == HANG:
        return min(total - 1, int(total * elapsed / (elapsed + span)))
    return min(total, int(total * elapsed / span))


def _counts(processed: int, failed: bool = False) -> dict[str, int]:
    errors = max(1, processed // 2) if failed else processed // 20
    skipped = 0 if failed else processed // 25
    return {
        "num_successes": max(processed - errors - skipped, 0),
        "num_errors": errors,
        "num_skipped": skipped,
    }


def view(doc: dict[str, Any], run_id: str, now: datetime) -> TaskRun:
    """The run as the API shows it at ``now``."""
    start = started_at(doc)
    finish = finished_at(doc)
    cancelled = _at(doc.get("cancelled_at"))
    fields: dict[str, Any] = {
        "id": run_id,
        "task_id": doc["task_id"],
        "created_at": doc["created_at"],
        "data_start_time": doc.get("data_start_time"),
        "data_end_time": doc.get("data_end_time"),
        "created_by_user_id": doc.get("created_by_user_id"),
    }
    running_since: datetime | None = start
    if cancelled is not None:
        running_since = start if cancelled >= start else None
        fields.update(
            status=RunStatus.CANCELLED,
            run_finished_at=cancelled,
            failure_reason=CANCELLED_ON_REQUEST,
            **_counts(_processed(doc, cancelled) if running_since else 0),
        )
    elif now < start:
        running_since = None
        fields.update(status=RunStatus.PENDING, **_counts(0))
    elif finish is None or now < finish:
        fields.update(status=RunStatus.RUNNING, **_counts(_processed(doc, now)))
    else:
        outcome = RunStatus(doc["outcome"])
        fields.update(status=outcome, run_finished_at=finish)
        if outcome is RunStatus.COMPLETED:
            fields.update(_counts(int(doc["total"])))
        elif outcome is RunStatus.FAILED:
            reason = doc.get("failure_reason") or DEFAULT_FAILURE
            fields.update(failure_reason=reason, **_counts(int(doc["total"]) // 2, failed=True))
        else:
            reason = doc.get("failure_reason") or DEFAULT_CANCELLED
            fields.update(failure_reason=reason, **_counts(0))
    fields["run_started_at"] = running_since
    if running_since is not None:
        fields["experiment_id"] = doc.get("experiment_id")
    return TaskRun.model_validate(fields)
