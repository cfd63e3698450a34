"""The sandbox's one clock: every "now" it reads comes from here, so a test can move time.

Runs progress by their timestamps, not by background work, so moving this clock is all it
takes to move a run from ``PENDING`` to ``RUNNING`` to its end without waiting. The clock is
real time plus an offset, or frozen at an instant; it never goes backwards.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from arize_pulumi.tasks.models import format_timestamp


def real_time() -> datetime:
    return datetime.now(UTC)


class TimeWentBackwards(ValueError):
    """Asked to set the clock before its current instant."""


class SandboxClock:
    """Thread-safe and monotonic: advancing or setting it freezes it; resuming keeps the
    accumulated offset, so real time carries on from the instant it was frozen at."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at = frozen_at
        self._latest = datetime.min.replace(tzinfo=UTC)

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    def _now(self) -> datetime:
        if self._frozen_at is not None:
            return self._frozen_at
        # Never behind an instant already read, even if the host's clock steps back.
        self._latest = max(self._latest, real_time() + self._offset)
        return self._latest

    def reading(self) -> tuple[datetime, bool]:
        """The current instant and whether the clock is frozen there, read at once."""
        with self._lock:
            return self._now(), self._frozen_at is not None

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds`` and stay frozen there (raises OverflowError past the
        year 9999)."""
        with self._lock:
            self._frozen_at = self._now() + timedelta(seconds=seconds)

    def freeze(self) -> None:
        with self._lock:
            self._frozen_at = self._now()

    def resume(self) -> None:
        """Run on real time again, from the instant the clock was frozen at."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - real_time()
                self._frozen_at = None

    def set(self, instant: datetime) -> None:
        """Freeze at ``instant``; refused when it lies before the clock's now."""
        with self._lock:
            current = self._now()
            if instant < current:
                raise TimeWentBackwards(
                    f"set: {format_timestamp(instant)} is before the sandbox's now "
                    f"({format_timestamp(current)}); its clock never goes backwards"
                )
            self._frozen_at = instant
