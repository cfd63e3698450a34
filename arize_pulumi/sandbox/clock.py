"""The sandbox's one clock: every "now" it reads comes from here.

Runs progress by their timestamps, not by background work, so what the clock says is all
that moves a run from ``PENDING`` to ``RUNNING`` to its end.
"""

from __future__ import annotations

from datetime import UTC, datetime


class SandboxClock:
    """Real time, read through the one object every service shares."""

    def now(self) -> datetime:
        return datetime.now(UTC)
