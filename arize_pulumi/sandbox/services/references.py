"""Checks of what a request refers to against the stored world: evaluators and their
versions, experiments, AI integrations. Each refusal names the request field at fault."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from arize_pulumi.tasks.models import (
    AgentCallConfig,
    LlmGenerationConfig,
    TaskEvaluator,
    TaskEvaluatorInput,
    TaskType,
    TemplateEvaluationConfig,
)

from ..problems import bad_request, not_found, unprocessable
from ..store import Row, Tx
from .common import require, visible


def check_evaluators(
    tx: Tx, inputs: Sequence[TaskEvaluatorInput], space_id: str, task_type: TaskType
) -> list[dict[str, Any]]:
    """Check each evaluator against the stored world; returns them as the task stores them."""
    result: list[dict[str, Any]] = []
    code_evaluators = 0
    for index, given in enumerate(inputs):
        field = f"evaluators[{index}]"
        evaluator = require(tx, "evaluator", given.evaluator_id, f"{field}.evaluator_id")
        if evaluator.space_id != space_id:
            raise unprocessable(
                f"{field}.evaluator_id: evaluator {evaluator.id} belongs to another space "
                f"than the task's ({space_id})"
            )
        version_id = given.evaluator_version_id
        if version_id is not None:
            version = tx.get("evaluator_version", version_id)
            if version is None or version.parent_id != evaluator.id:
                raise unprocessable(
                    f"{field}.evaluator_version_id: {version_id} is not a version of "
                    f"evaluator {evaluator.id}"
                )
        if evaluator.doc["type"] == "CODE":
            code_evaluators += 1
        stored = TaskEvaluator(
            evaluator_id=evaluator.id,
            evaluator_name=str(evaluator.name),
            query_filter=given.query_filter,
            column_mappings=given.column_mappings,
            evaluator_version_id=version_id,
            query_mappings=given.query_mappings,
        )
        result.append(stored.model_dump(mode="json"))
    if task_type is TaskType.CODE_EVALUATION and code_evaluators > 1:
        raise unprocessable("evaluators: Only one custom code evaluator runs per task")
    return result


def check_experiments(
    tx: Tx, experiment_ids: Sequence[str], dataset: Row, now: datetime
) -> list[str]:
    """Each experiment exists by ``now``, once, and belongs to ``dataset``."""
    seen: set[str] = set()
    for index, experiment_id in enumerate(experiment_ids):
        field = f"experiment_ids[{index}]"
        if experiment_id in seen:
            raise bad_request(f"{field}: experiment {experiment_id} is listed twice")
        seen.add(experiment_id)
        experiment = tx.get("experiment", experiment_id)
        if experiment is None or not visible(experiment, now):
            raise not_found(f"{field}: experiment {experiment_id} not found")
        if experiment.parent_id != dataset.id:
            raise unprocessable(
                f"{field}: experiment {experiment_id} does not belong to dataset {dataset.id}"
            )
    return list(experiment_ids)


def check_run_configuration(
    tx: Tx, config: LlmGenerationConfig | TemplateEvaluationConfig | AgentCallConfig
) -> None:
    """The integration a run configuration names must exist and be of the right type."""
    if isinstance(config, AgentCallConfig):
        field, wanted, integration_id = "integration_id", "AGENT", config.integration_id
    else:
        field, wanted, integration_id = "ai_integration_id", "LLM", config.ai_integration_id
    path = f"run_configuration.{field}"
    integration = tx.get("ai_integration", integration_id)
    if integration is None:
        raise unprocessable(f"{path}: AI integration {integration_id} not found")
    if integration.doc["type"] != wanted:
        raise unprocessable(
            f"{path}: {integration_id} is an {integration.doc['type']} integration; "
            f"this experiment type needs an {wanted} integration"
        )
    if isinstance(config, TemplateEvaluationConfig) and config.evaluator_version_id:
        version_id = config.evaluator_version_id
        if tx.get("evaluator_version", version_id) is None:
            raise unprocessable(
                f"run_configuration.evaluator_version_id: evaluator version {version_id} not found"
            )
