"""Opaque cursors and pages: a cursor names the kind it pages and the last row it showed."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Query

from arize_pulumi.tasks.models import Pagination

from .problems import bad_request
from .store import Row

DEFAULT_LIMIT = 50
MAX_LIMIT = 100

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1..100)")]
Cursor = Annotated[str | None, Query(description="The next_cursor of the previous page")]
NameFilter = Annotated[
    str | None, Query(max_length=255, description="Case-insensitive substring of the name")
]
SpaceIdFilter = Annotated[str | None, Query(description="Only what belongs to this space")]
SpaceNameFilter = Annotated[
    str | None,
    Query(max_length=255, description="Only spaces whose name contains this, case-insensitively"),
]


@dataclass(frozen=True)
class ScopedList:
    """The query every list of what spaces hold takes: the spaces, a name, the page. Routes
    take it as one dependency (``Annotated[ScopedList, Depends()]``)."""

    space_id: SpaceIdFilter = None
    space_name: SpaceNameFilter = None
    name: NameFilter = None
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor = None


T = TypeVar("T")


def encode_cursor(kind: str, seq: int) -> str:
    raw = json.dumps({"k": kind, "s": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> int | None:
    """The position a cursor points after; 400 for one this endpoint did not issue."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        data = None
    if not (
        isinstance(data, dict)
        and data.get("k") == kind
        and isinstance(data.get("s"), int)
        and not isinstance(data.get("s"), bool)
    ):
        raise bad_request("cursor: not a cursor issued by this endpoint")
    return int(data["s"])


def page(
    kind: str, rows: Sequence[Row], items: Sequence[T], limit: int
) -> tuple[list[T], Pagination]:
    """The first ``limit`` items (one per row) and the pagination that leads past them."""
    if len(items) <= limit:
        return list(items), Pagination(has_more=False)
    return list(items[:limit]), Pagination(
        has_more=True, next_cursor=encode_cursor(kind, rows[limit - 1].seq)
    )
