"""Spaces, projects, datasets, evaluators (and their versions) and experiments: the lists name
lookups page through, and each one by ID."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from arize_pulumi.tasks.ids import encode_id
from arize_pulumi.tasks.models import Pagination

from ..clock import SandboxClock
from ..lookup_models import (
    CodeVersion,
    CustomCodeConfig,
    Dataset,
    DatasetList,
    DatasetVersion,
    Evaluator,
    EvaluatorList,
    EvaluatorVersion,
    EvaluatorVersionList,
    EvaluatorWithVersion,
    Experiment,
    ExperimentList,
    HarnessVersion,
    Project,
    ProjectList,
    ProjectType,
    RemoteConfig,
    RemoteVersion,
    Space,
    SpaceList,
    TemplateConfig,
    TemplateVersion,
)
from ..paging import ScopedList, decode_cursor, page
from ..problems import not_found
from ..store import Row, Store, Tx
from .common import require, visible

T = TypeVar("T")

ORGANIZATION_ID = encode_id("Organization", 1, "sBox")
"""The sandbox's one organization, which holds every space."""


def spaces_matching(tx: Tx, space_id: str | None, space_name: str | None) -> list[str] | None:
    """The IDs of the spaces a list is scoped to, ``None`` for all.

    A ``space_id`` that does not exist is a 404; ``space_name`` is a case-insensitive substring
    of the name, and matching no space is an empty scope (an empty page), as Arize answers.
    """
    if space_id is None and space_name is None:
        return None
    if space_id is not None:
        candidates = [require(tx, "space", space_id, "space_id")]
    else:
        candidates = tx.find("space")
    if space_name is not None:
        candidates = [s for s in candidates if space_name.lower() in str(s.name).lower()]
    return [s.id for s in candidates]


def _space(r: Row) -> Space:
    return Space(
        id=r.id,
        organization_id=ORGANIZATION_ID,
        name=str(r.name),
        description=r.doc.get("description"),
        created_at=r.doc["created_at"],
    )


def _project(r: Row) -> Project:
    return Project(
        id=r.id,
        name=str(r.name),
        space_id=str(r.space_id),
        created_at=r.doc["created_at"],
        project_type=r.doc.get("project_type"),
    )


def _dataset(r: Row) -> Dataset:
    versions = []
    if r.doc.get("version_id"):
        versions.append(
            DatasetVersion(
                id=r.doc["version_id"],
                name="v1",
                dataset_id=r.id,
                created_at=r.doc["created_at"],
                updated_at=r.doc["updated_at"],
            )
        )
    return Dataset(
        id=r.id,
        name=str(r.name),
        space_id=str(r.space_id),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
        versions=versions,
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


def _column_name(name: str) -> str:
    """An eval column name as Arize allows them (letters, digits, ``_ -&()`` and spaces)."""
    return "".join(c if c.isalnum() or c in "_ -&()" else "_" for c in name) or "eval"


def _version(evaluator: Row, version: Row) -> EvaluatorVersion:
    """A version in its evaluator type's shape; the configs are the sandbox's stand-ins."""
    common = {
        "id": version.id,
        "evaluator_id": evaluator.id,
        "commit_hash": hashlib.sha1(version.id.encode()).hexdigest()[:12],
        "commit_message": "Initial version",
        "created_at": version.doc["created_at"],
        "created_by_user_id": evaluator.doc.get("created_by_user_id"),
    }
    name = _column_name(str(evaluator.name))
    kind = evaluator.doc["type"]
    if kind == "TEMPLATE":
        return TemplateVersion(
            **common,
            template_config=TemplateConfig(
                name=name,
                template="Is the {output} a good answer to {input}? Answer yes or no.",
                include_explanations=True,
                use_function_calling=False,
                use_structured_output=True,
                classification_choices={"yes": 1.0, "no": 0.0},
                direction="MAXIMIZE",
            ),
        )
    if kind == "CODE":
        return CodeVersion(
            **common,
            code_config=CustomCodeConfig(
                name=name,
                code="class Evaluator:\n    def evaluate(self, output):\n        return 1.0\n",
                variables=["output"],
                static_params=[],
            ),
        )
    if kind == "REMOTE":
        return RemoteVersion(**common, remote_config=RemoteConfig())
    return HarnessVersion(**common)


def _experiment(r: Row) -> Experiment:
    return Experiment(
        id=r.id,
        name=str(r.name),
        space_id=r.space_id,
        dataset_id=r.parent_id,
        dataset_version_id=r.doc.get("dataset_version_id"),
        created_at=r.doc["created_at"],
        updated_at=r.doc["updated_at"],
    )


class LookupService:
    """One page of a lookup list, or one entity, per call, each in one transaction."""

    def __init__(self, store: Store, clock: SandboxClock) -> None:
        self.store = store
        self.clock = clock

    # --- spaces ---------------------------------------------------------------------------

    def list_spaces(self, name: str | None, limit: int, cursor: str | None) -> SpaceList:
        after = decode_cursor("space", cursor)
        with self.store.transaction() as tx:
            rows = tx.find("space", name_contains=name, after=after, limit=limit + 1)
        spaces, pagination = page("space", rows, [_space(r) for r in rows], limit)
        return SpaceList(spaces=spaces, pagination=pagination)

    def get_space(self, space_id: str) -> Space:
        with self.store.transaction() as tx:
            return _space(require(tx, "space", space_id, "space_id"))

    # --- what spaces hold -----------------------------------------------------------------

    def _in_spaces(
        self,
        kind: str,
        query: ScopedList,
        view: Callable[[Row], T],
        doc_equals: dict[str, str] | None = None,
    ) -> tuple[list[T], Pagination]:
        """One page of the rows of ``kind`` in the spaces a list is scoped to, shown by ``view``."""
        after = decode_cursor(kind, query.cursor)
        limit = query.limit
        with self.store.transaction() as tx:
            space_ids = spaces_matching(tx, query.space_id, query.space_name)
            if space_ids == []:
                return [], Pagination(has_more=False)
            rows = tx.find(
                kind,
                space_ids=space_ids,
                name_contains=query.name,
                doc_equals=doc_equals,
                after=after,
                limit=limit + 1,
            )
        return page(kind, rows, [view(r) for r in rows], limit)

    def list_projects(
        self, query: ScopedList, project_type: ProjectType | None = None
    ) -> ProjectList:
        only = {"project_type": project_type.value} if project_type is not None else None
        projects, pagination = self._in_spaces("project", query, _project, only)
        return ProjectList(projects=projects, pagination=pagination)

    def get_project(self, project_id: str) -> Project:
        with self.store.transaction() as tx:
            return _project(require(tx, "project", project_id, "project_id"))

    def list_datasets(self, query: ScopedList) -> DatasetList:
        datasets, pagination = self._in_spaces("dataset", query, _dataset)
        return DatasetList(datasets=datasets, pagination=pagination)

    def get_dataset(self, dataset_id: str) -> Dataset:
        with self.store.transaction() as tx:
            return _dataset(require(tx, "dataset", dataset_id, "dataset_id"))

    # --- evaluators -----------------------------------------------------------------------

    def list_evaluators(self, query: ScopedList) -> EvaluatorList:
        evaluators, pagination = self._in_spaces("evaluator", query, _evaluator)
        return EvaluatorList(evaluators=evaluators, pagination=pagination)

    def get_evaluator(self, evaluator_id: str, version_id: str | None) -> EvaluatorWithVersion:
        """The evaluator with one version: ``version_id``'s (404 unless it is one of this
        evaluator's), else the latest."""
        with self.store.transaction() as tx:
            evaluator = require(tx, "evaluator", evaluator_id, "evaluator_id")
            if version_id is not None:
                version = tx.get("evaluator_version", version_id)
                if version is None or version.parent_id != evaluator.id:
                    raise not_found(
                        f"version_id: {version_id} is not a version of evaluator {evaluator.id}"
                    )
            else:
                latest = tx.find(
                    "evaluator_version", parent_id=evaluator.id, newest_first=True, limit=1
                )
                version = latest[0] if latest else None
        shown = _evaluator(evaluator).model_dump()
        return EvaluatorWithVersion(
            **shown, version=_version(evaluator, version) if version is not None else None
        )

    def list_evaluator_versions(
        self, evaluator_id: str, limit: int, cursor: str | None
    ) -> EvaluatorVersionList:
        """An evaluator's versions, newest first."""
        before = decode_cursor("evaluator_version", cursor)
        with self.store.transaction() as tx:
            evaluator = require(tx, "evaluator", evaluator_id, "evaluator_id")
            rows = tx.find(
                "evaluator_version",
                parent_id=evaluator.id,
                before=before,
                newest_first=True,
                limit=limit + 1,
            )
        versions, pagination = page(
            "evaluator_version", rows, [_version(evaluator, r) for r in rows], limit
        )
        return EvaluatorVersionList(evaluator_versions=versions, pagination=pagination)

    # --- experiments ----------------------------------------------------------------------

    def list_experiments(
        self,
        dataset_id: str | None,
        space_id: str | None,
        name: str | None,
        limit: int,
        cursor: str | None,
    ) -> ExperimentList:
        """A dataset's or a space's experiments (or all); one made by a run appears once the
        run is running."""
        after = decode_cursor("experiment", cursor)
        now = self.clock.now()
        with self.store.transaction() as tx:
            if dataset_id is not None:
                require(tx, "dataset", dataset_id, "dataset_id")
            space_ids = [require(tx, "space", space_id, "space_id").id] if space_id else None
            found = tx.find(
                "experiment",
                parent_id=dataset_id,
                space_ids=space_ids,
                name_contains=name,
                after=after,
            )
        rows = [r for r in found if visible(r, now)][: limit + 1]
        experiments, pagination = page("experiment", rows, [_experiment(r) for r in rows], limit)
        return ExperimentList(experiments=experiments, pagination=pagination)

    def get_experiment(self, experiment_id: str) -> Experiment:
        with self.store.transaction() as tx:
            row = tx.get("experiment", experiment_id)
        if row is None or not visible(row, self.clock.now()):
            raise not_found(f"experiment_id: experiment {experiment_id} not found")
        return _experiment(row)
