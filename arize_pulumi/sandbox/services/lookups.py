"""Spaces, projects, datasets, evaluators and experiments: the lists name lookups page through."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from arize_pulumi.tasks.models import (
    Dataset,
    DatasetList,
    Evaluator,
    EvaluatorList,
    Experiment,
    ExperimentList,
    Pagination,
    Project,
    ProjectList,
    Space,
    SpaceList,
)

from ..clock import SandboxClock
from ..paging import decode_cursor, page
from ..problems import not_found
from ..store import Row, Store, Tx
from .common import require, visible

T = TypeVar("T")


def space_scope(tx: Tx, space_id: str | None, space_name: str | None) -> list[str] | None:
    """The IDs of the spaces a list is scoped to, ``None`` for all; 404 when none match."""
    if space_id is None and space_name is None:
        return None
    if space_id is not None:
        candidates = [require(tx, "space", space_id, "space_id")]
    else:
        candidates = tx.find("space")
    if space_name is not None:
        candidates = [s for s in candidates if space_name.lower() in str(s.name).lower()]
        if not candidates:
            raise not_found(f"space_name: no space matches {space_name!r}")
    return [s.id for s in candidates]


def _space(r: Row) -> Space:
    return Space(
        id=r.id,
        name=str(r.name),
        description=r.doc.get("description"),
        created_at=r.doc["created_at"],
    )


def _project(r: Row) -> Project:
    return Project(
        id=r.id, name=str(r.name), space_id=str(r.space_id), created_at=r.doc["created_at"]
    )


def _dataset(r: Row) -> Dataset:
    return Dataset(
        id=r.id,
        name=str(r.name),
        space_id=str(r.space_id),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
    )


def _evaluator(r: Row) -> Evaluator:
    return Evaluator(
        id=r.id,
        name=str(r.name),
        space_id=str(r.space_id),
        type=r.doc["type"],
        description=r.doc.get("description"),
        created_by_user_id=r.doc.get("created_by_user_id"),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
    )


def _experiment(r: Row) -> Experiment:
    return Experiment(
        id=r.id,
        name=str(r.name),
        dataset_id=str(r.parent_id),
        dataset_version_id=r.doc.get("dataset_version_id"),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
    )


class LookupService:
    """One page of a lookup list per call, each in one transaction."""

    def __init__(self, store: Store, clock: SandboxClock) -> None:
        self.store = store
        self.clock = clock

    def list_spaces(self, name: str | None, limit: int, cursor: str | None) -> SpaceList:
        after = decode_cursor("space", cursor)
        with self.store.transaction() as tx:
            rows = tx.find("space", name_contains=name, after=after, limit=limit + 1)
        spaces, pagination = page("space", rows, [_space(r) for r in rows], limit)
        return SpaceList(spaces=spaces, pagination=pagination)

    def _in_spaces(
        self,
        kind: str,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
        view: Callable[[Row], T],
    ) -> tuple[list[T], Pagination]:
        """One page of the rows of ``kind`` in the spaces a list is scoped to, shown by ``view``."""
        after = decode_cursor(kind, cursor)
        with self.store.transaction() as tx:
            space_ids = space_scope(tx, space_id, space_name)
            rows = tx.find(
                kind, space_ids=space_ids, name_contains=name, after=after, limit=limit + 1
            )
        return page(kind, rows, [view(r) for r in rows], limit)

    def list_projects(
        self,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> ProjectList:
        projects, pagination = self._in_spaces(
            "project", space_id, space_name, name, limit, cursor, _project
        )
        return ProjectList(projects=projects, pagination=pagination)

    def list_datasets(
        self,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> DatasetList:
        datasets, pagination = self._in_spaces(
            "dataset", space_id, space_name, name, limit, cursor, _dataset
        )
        return DatasetList(datasets=datasets, pagination=pagination)

    def list_evaluators(
        self,
        space_id: str | None,
        space_name: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> EvaluatorList:
        evaluators, pagination = self._in_spaces(
            "evaluator", space_id, space_name, name, limit, cursor, _evaluator
        )
        return EvaluatorList(evaluators=evaluators, pagination=pagination)

    def list_experiments(
        self, dataset_id: str | None, name: str | None, limit: int, cursor: str | None
    ) -> ExperimentList:
        """Experiments made by a run appear once the run is running."""
        after = decode_cursor("experiment", cursor)
        now = self.clock.now()
        with self.store.transaction() as tx:
            if dataset_id is not None:
                require(tx, "dataset", dataset_id, "dataset_id")
            found = tx.find("experiment", parent_id=dataset_id, name_contains=name, after=after)
        rows = [r for r in found if visible(r, now)][: limit + 1]
        experiments, pagination = page("experiment", rows, [_experiment(r) for r in rows], limit)
        return ExperimentList(experiments=experiments, pagination=pagination)
