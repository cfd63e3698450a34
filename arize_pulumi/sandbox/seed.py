"""Seed data: the spaces, projects, datasets, evaluators, experiments and AI integrations
that tasks refer to, added from a file, the control API or the default demo world.

Seeding is idempotent by name, so re-seeding a persisted database adds nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from arize_pulumi.tasks.models import AiIntegrationType, Name

from .lookup_models import EvaluatorTypeName, LlmProvider, ProjectType
from .store import Row, Tx


class SeedModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeedNamed(SeedModel):
    name: Name


class SeedProject(SeedModel):
    name: Name
    project_type: ProjectType | None = None


class SeedDataset(SeedModel):
    name: Name
    experiments: list[SeedNamed] = Field(default_factory=list)


class SeedEvaluator(SeedModel):
    name: Name
    type: EvaluatorTypeName = "TEMPLATE"
    description: str | None = None


class SeedAiIntegration(SeedModel):
    """An LLM integration (listed by ``/v2/ai-integrations`` and ``/v2/integrations``) or an
    agent integration (``/v2/integrations`` only)."""

    name: Name
    type: AiIntegrationType = AiIntegrationType.LLM
    provider: LlmProvider = "OPEN_AI"
    model_names: list[str] = Field(default_factory=list)
    description: str | None = None


class SeedSpace(SeedModel):
    name: Name
    description: str | None = None
    projects: list[SeedProject] = Field(default_factory=list)
    datasets: list[SeedDataset] = Field(default_factory=list)
    evaluators: list[SeedEvaluator] = Field(default_factory=list)
    ai_integrations: list[SeedAiIntegration] = Field(default_factory=list)


class Seed(SeedModel):
    """The body of ``POST /_sandbox/seed`` and the content of a ``--seed`` file."""

    spaces: list[SeedSpace] = Field(default_factory=list)


class Seeded(BaseModel):
    id: str
    name: str


class SeededDataset(Seeded):
    experiments: list[Seeded]


class SeededEvaluator(Seeded):
    type: EvaluatorTypeName
    version_ids: list[str]


class SeededAiIntegration(Seeded):
    type: AiIntegrationType


class SeededSpace(Seeded):
    projects: list[Seeded]
    datasets: list[SeededDataset]
    evaluators: list[SeededEvaluator]
    ai_integrations: list[SeededAiIntegration]


class SeedResult(BaseModel):
    """Seeded entities with their IDs, in the nested shape of the seed."""

    spaces: list[SeededSpace]


DEFAULT_SEED = Seed.model_validate(
    {
        "spaces": [
            {
                "name": "demo-space",
                "description": "The sandbox's demo space",
                "projects": [{"name": "chatbot-prod", "project_type": "APPLICATION"}],
                "datasets": [{"name": "golden-qa", "experiments": [{"name": "baseline"}]}],
                "evaluators": [
                    {"name": "hallucination", "type": "TEMPLATE"},
                    {"name": "relevance", "type": "TEMPLATE"},
                    {"name": "json-valid", "type": "CODE"},
                    {
                        "name": "harness-check",
                        "type": "HARNESS",
                        "description": "A test-harness evaluator",
                    },
                    {
                        "name": "remote-judge",
                        "type": "REMOTE",
                        "description": "An externally hosted evaluator",
                    },
                ],
                "ai_integrations": [
                    {
                        "name": "openai-default",
                        "type": "LLM",
                        "provider": "OPEN_AI",
                        "model_names": ["gpt-4o-mini", "gpt-4o"],
                    },
                    {
                        "name": "agent-default",
                        "type": "AGENT",
                        "description": "The sandbox's agent endpoint",
                    },
                ],
            }
        ]
    }
)


def load_seed_file(path: str) -> Seed:
    """Read a seed from a JSON or YAML file (YAML is a superset of JSON)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"not valid JSON or YAML: {error}") from None
    return Seed.model_validate(data or {})


def _stamp(now: datetime) -> str:
    return now.isoformat()


def _one(tx: Tx, kind: str, name: str, parent_id: str | None) -> Row | None:
    rows = tx.find(kind, parent_id=parent_id, name=name, limit=1)
    return rows[0] if rows else None


def _ensure(
    tx: Tx,
    kind: str,
    name: str,
    doc: dict[str, Any],
    *,
    parent_id: str | None = None,
    space_id: str | None = None,
) -> Row:
    existing = _one(tx, kind, name, parent_id)
    if existing is not None:
        return existing
    return tx.insert(kind, doc, name=name, parent_id=parent_id, space_id=space_id)


def apply_seed(tx: Tx, seed: Seed, now: datetime, user_id: str) -> SeedResult:
    """Add what is missing from ``seed`` and return every entity it names, with IDs."""
    stamp = _stamp(now)
    spaces: list[SeededSpace] = []
    for space_spec in seed.spaces:
        space = _ensure(
            tx,
            "space",
            space_spec.name,
            {"description": space_spec.description, "created_at": stamp},
        )
        projects = [
            _ensure(
                tx,
                "project",
                p.name,
                {"created_at": stamp, "project_type": p.project_type},
                parent_id=space.id,
                space_id=space.id,
            )
            for p in space_spec.projects
        ]
        datasets = [_ensure_dataset(tx, space, d, stamp) for d in space_spec.datasets]
        evaluators = [
            _ensure_evaluator(tx, space, e, stamp, user_id) for e in space_spec.evaluators
        ]
        integrations = [
            _ensure(
                tx,
                "ai_integration",
                i.name,
                {
                    "type": i.type.value,
                    "provider": i.provider,
                    "model_names": i.model_names,
                    "description": i.description,
                    "created_at": stamp,
                },
                parent_id=space.id,
                space_id=space.id,
            )
            for i in space_spec.ai_integrations
        ]
        spaces.append(
            SeededSpace(
                id=space.id,
                name=space_spec.name,
                projects=[Seeded(id=p.id, name=str(p.name)) for p in projects],
                datasets=datasets,
                evaluators=evaluators,
                ai_integrations=[
                    SeededAiIntegration(id=i.id, name=str(i.name), type=i.doc["type"])
                    for i in integrations
                ],
            )
        )
    return SeedResult(spaces=spaces)


def _ensure_dataset(tx: Tx, space: Row, spec: SeedDataset, stamp: str) -> SeededDataset:
    dataset = _one(tx, "dataset", spec.name, space.id)
    if dataset is None:
        doc = {"created_at": stamp, "updated_at": stamp, "version_id": tx.new_id("dataset_version")}
        dataset = tx.insert("dataset", doc, name=spec.name, parent_id=space.id, space_id=space.id)
    experiments = [
        _ensure(
            tx,
            "experiment",
            e.name,
            {
                "dataset_version_id": dataset.doc["version_id"],
                "created_at": stamp,
                "updated_at": stamp,
            },
            parent_id=dataset.id,
            space_id=space.id,
        )
        for e in spec.experiments
    ]
    return SeededDataset(
        id=dataset.id,
        name=spec.name,
        experiments=[Seeded(id=e.id, name=str(e.name)) for e in experiments],
    )


def _ensure_evaluator(
    tx: Tx, space: Row, spec: SeedEvaluator, stamp: str, user_id: str
) -> SeededEvaluator:
    evaluator = _one(tx, "evaluator", spec.name, space.id)
    if evaluator is None:
        doc = {
            "type": spec.type,
            "description": spec.description,
            "created_by_user_id": user_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        evaluator = tx.insert(
            "evaluator", doc, name=spec.name, parent_id=space.id, space_id=space.id
        )
        tx.insert(
            "evaluator_version", {"created_at": stamp}, parent_id=evaluator.id, space_id=space.id
        )
    versions = tx.find("evaluator_version", parent_id=evaluator.id)
    return SeededEvaluator(
        id=evaluator.id,
        name=spec.name,
        type=evaluator.doc["type"],
        version_ids=[v.id for v in versions],
    )


def world(tx: Tx) -> SeedResult:
    """Everything seeded so far (minus what was deleted), in the seed's nested shape."""
    spaces: list[SeededSpace] = []
    for space in tx.find("space"):
        datasets = []
        for dataset in tx.find("dataset", parent_id=space.id):
            experiments = [
                Seeded(id=e.id, name=str(e.name))
                for e in tx.find("experiment", parent_id=dataset.id)
            ]
            datasets.append(
                SeededDataset(id=dataset.id, name=str(dataset.name), experiments=experiments)
            )
        evaluators = [
            SeededEvaluator(
                id=e.id,
                name=str(e.name),
                type=e.doc["type"],
                version_ids=[v.id for v in tx.find("evaluator_version", parent_id=e.id)],
            )
            for e in tx.find("evaluator", parent_id=space.id)
        ]
        spaces.append(
            SeededSpace(
                id=space.id,
                name=str(space.name),
                projects=[
                    Seeded(id=p.id, name=str(p.name))
                    for p in tx.find("project", parent_id=space.id)
                ],
                datasets=datasets,
                evaluators=evaluators,
                ai_integrations=[
                    SeededAiIntegration(id=i.id, name=str(i.name), type=i.doc["type"])
                    for i in tx.find("ai_integration", parent_id=space.id)
                ],
            )
        )
    return SeedResult(spaces=spaces)
