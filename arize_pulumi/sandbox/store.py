"""The sandbox's SQLite store: one JSON document per entity, one connection behind a lock.

Every request runs in one transaction under the lock and is committed before the answer is
sent; with WAL and ``synchronous=FULL`` a write that was acknowledged survives a SIGKILL.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import string
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from arize_pulumi.tasks.ids import encode_id

ID_KINDS: dict[str, str] = {
    "space": "Space",
    "project": "Model",
    "dataset": "Dataset",
    "dataset_version": "DatasetVersion",
    "evaluator": "Evaluator",
    "evaluator_version": "EvaluatorVersion",
    "experiment": "Experiment",
    "ai_integration": "AiIntegration",
    "task": "OnlineTask",
    "run": "TaskRun",
    "user": "User",
}
"""Our entity kinds and the kind each one's Arize ID carries."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    parent_id TEXT,
    space_id TEXT,
    name TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_parent ON entities (kind, parent_id, seq);
CREATE INDEX IF NOT EXISTS entities_space ON entities (kind, space_id, seq);
CREATE INDEX IF NOT EXISTS entities_name ON entities (kind, name);
CREATE TABLE IF NOT EXISTS outcomes (task_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
"""

_SUFFIX_ALPHABET = string.ascii_letters + string.digits


@dataclass
class Row:
    """One stored entity; ``doc`` holds everything but the indexed columns."""

    seq: int
    kind: str
    id: str
    parent_id: str | None
    space_id: str | None
    name: str | None
    doc: dict[str, Any]


def _row(values: sqlite3.Row) -> Row:
    return Row(
        seq=values["seq"],
        kind=values["kind"],
        id=values["id"],
        parent_id=values["parent_id"],
        space_id=values["space_id"],
        name=values["name"],
        doc=json.loads(values["doc"]),
    )


class Tx:
    """The operations of one transaction; only valid inside ``Store.transaction()``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def new_id(self, kind: str) -> str:
        """A fresh ID of Arize's form; numbers are never reused, even after a delete."""
        cursor = self._db.execute(
            "INSERT INTO counters (name, value) VALUES ('ids', 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
        )
        number = int(cursor.fetchone()[0])
        suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(4))
        return encode_id(ID_KINDS[kind], number, suffix)

    def insert(
        self,
        kind: str,
        doc: dict[str, Any],
        *,
        name: str | None = None,
        parent_id: str | None = None,
        space_id: str | None = None,
        entity_id: str | None = None,
    ) -> Row:
        new_id = entity_id or self.new_id(kind)
        cursor = self._db.execute(
            "INSERT INTO entities (kind, id, parent_id, space_id, name, doc) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (kind, new_id, parent_id, space_id, name, json.dumps(doc)),
        )
        seq = cursor.lastrowid
        assert seq is not None
        return Row(seq, kind, new_id, parent_id, space_id, name, doc)

    def save(self, row: Row) -> None:
        self._db.execute(
            "UPDATE entities SET name = ?, doc = ? WHERE seq = ?",
            (row.name, json.dumps(row.doc), row.seq),
        )

    def get(self, kind: str, entity_id: str) -> Row | None:
        found = self._db.execute(
            "SELECT * FROM entities WHERE id = ? AND kind = ?", (entity_id, kind)
        ).fetchone()
        return _row(found) if found else None

    def delete(self, row: Row) -> None:
        self._db.execute("DELETE FROM entities WHERE seq = ?", (row.seq,))

    def find(
        self,
        kind: str,
        *,
        parent_id: str | None = None,
        space_ids: Sequence[str] | None = None,
        name: str | None = None,
        name_contains: str | None = None,
        doc_equals: dict[str, str] | None = None,
        after: int | None = None,
        before: int | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Row]:
        """Entities of one kind, in creation order, filtered on the indexed columns."""
        clauses = ["kind = ?"]
        params: list[Any] = [kind]
        if parent_id is not None:
            clauses.append("parent_id = ?")
            params.append(parent_id)
        if space_ids is not None:
            clauses.append(f"space_id IN ({', '.join('?' for _ in space_ids)})")
            params.extend(space_ids)
        if name is not None:
            clauses.append("name = ?")
            params.append(name)
        if name_contains:
            clauses.append("instr(lower(name), lower(?)) > 0")
            params.append(name_contains)
        for key, value in (doc_equals or {}).items():
            clauses.append("json_extract(doc, ?) = ?")
            params.extend((f"$.{key}", value))
        if after is not None:
            clauses.append("seq > ?")
            params.append(after)
        if before is not None:
            clauses.append("seq < ?")
            params.append(before)
        sql = f"SELECT * FROM entities WHERE {' AND '.join(clauses)}"
        sql += " ORDER BY seq DESC" if newest_first else " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_row(values) for values in self._db.execute(sql, params)]

    def set_outcome(self, task_id: str, doc: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO outcomes (task_id, doc) VALUES (?, ?) "
            "ON CONFLICT (task_id) DO UPDATE SET doc = excluded.doc",
            (task_id, json.dumps(doc)),
        )

    def take_outcome(self, task_id: str) -> dict[str, Any] | None:
        found = self._db.execute(
            "DELETE FROM outcomes WHERE task_id = ? RETURNING doc", (task_id,)
        ).fetchone()
        return json.loads(found[0]) if found else None


class Store:
    """A SQLite database file (or ``:memory:``) shared by all request threads."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Run a block atomically; committed (durably) when it ends without an exception."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
