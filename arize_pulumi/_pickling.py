"""Keep pulumi's provider serialisation from growing with every dynamic resource.

``pulumi.dynamic.serialize_provider`` wraps ``pickle._Pickler._batch_setitems`` in a sorting
wrapper on every call and never unwraps it (a Pulumi internal, checked on pulumi 3.260.0 and
3.272.0 (tests/matrix/versions.mk)). Each dynamic resource constructed in a process adds a
layer: pickling slows down linearly with the number of resources already made, and near a
thousand layers it fails with ``RecursionError`` (about 985 Tasks in one program).
Constructing our resources inside :func:`pickler_left_as_found` keeps the chain at the depth
it had before; ``test_a_thousand_tasks_and_runs_in_one_program`` fails when it does not.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def pickler_left_as_found() -> Iterator[None]:
    """Restore ``pickle._Pickler._batch_setitems`` after the block, however it ends."""
    pickler: type = pickle._Pickler
    original = pickler.__dict__["_batch_setitems"]
    try:
        yield
    finally:
        setattr(pickler, "_batch_setitems", original)  # noqa: B010 (a private attribute)
