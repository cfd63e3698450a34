"""Replaces that keep what the API holds unique, noted by ``diff`` for the ``create`` after it.

A replace keeps the live resource until its replacement exists (the engine creates the new one
first, then deletes the old one). When the two would clash (a task keeping its name, which is
unique in its space; a run of the same task, which refuses a new run while one is going),
``create`` must know which resource it replaces to move it out of the way, and the engine
hands ``create`` only the new inputs. ``diff`` sees both, so it notes the old ID here.

The engine diffs a resource and then creates its replacement in the same provider process
(the step generator diffs before it issues the replacement's create), so a process-wide table
is enough; a ``create`` that finds no note behaves as a plain create.
"""

from __future__ import annotations

import hashlib
import threading

__all__ = ["ASIDE_MARK", "aside_name", "is_aside_name", "note", "take"]

ASIDE_MARK = " (replaced "
"""What a live task's name gets while its replacement is made: ``<name> (replaced <tag>)``."""

_lock = threading.Lock()
_pending: dict[tuple[str, ...], str] = {}


def note(key: tuple[str, ...], old_id: str) -> None:
    """Remember that the resource ``old_id`` is being replaced by the one ``key`` names."""
    with _lock:
        _pending[key] = old_id


def take(key: tuple[str, ...]) -> str | None:
    """The ID of the resource the create of ``key`` replaces, if ``diff`` noted one."""
    with _lock:
        return _pending.pop(key, None)


def aside_name(name: str, old_id: str, attempt: int = 1) -> str:
    """The name a live task is moved to while its same-name replacement is created.

    The tag is derived from the task's ID, so a retried replace after a crash picks the same
    name, and a person reading the task list sees which task it was.
    """
    tag = hashlib.sha256(old_id.encode()).hexdigest()[:8]
    suffix = "" if attempt == 1 else f"-{attempt}"
    return f"{name}{ASIDE_MARK}{tag}{suffix})"


def is_aside_name(live_name: str, name: str, old_id: str) -> bool:
    """True when ``live_name`` is a name :func:`aside_name` gives ``old_id``'s task."""
    first = aside_name(name, old_id)
    return live_name == first or live_name.startswith(first[:-1] + "-")
