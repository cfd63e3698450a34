"""Small Pulumi programs for the e2e tests, built from plain dictionaries of inputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pulumi

import arize_pulumi

Program = Callable[[], None]


def tasks(declared: Mapping[str, Mapping[str, Any]]) -> Program:
    """One `Task` per entry (resource name -> inputs); exports each task's ID and name."""

    def program() -> None:
        for resource_name, inputs in declared.items():
            task = arize_pulumi.Task(resource_name, **inputs)
            pulumi.export(f"{resource_name}.task_id", task.task_id)
            pulumi.export(f"{resource_name}.name", task.name)

    return program


def task_with_runs(
    task_inputs: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]]
) -> Program:
    """One task named "gated" and `TaskRun`s of it; exports every run's outputs."""

    def program() -> None:
        task = arize_pulumi.Task("gated", **task_inputs)
        pulumi.export("task_id", task.task_id)
        for resource_name, inputs in runs.items():
            run = arize_pulumi.TaskRun(resource_name, task=task.task_id, **inputs)
            pulumi.export(
                resource_name,
                pulumi.Output.all(
                    run_id=run.run_id,
                    status=run.status,
                    num_successes=run.num_successes,
                    num_errors=run.num_errors,
                    num_skipped=run.num_skipped,
                    failure_reason=run.failure_reason,
                ),
            )

    return program


PROJECT_EVAL: dict[str, Any] = {
    "type": "template_evaluation",
    "project": "chatbot-prod",
    "evaluators": [{"evaluator": "hallucination"}],
    "sampling_rate": 0.5,
    "is_continuous": True,
    "query_filter": "metadata.environment = 'production'",
}

DATASET_EVAL: dict[str, Any] = {
    "type": "code_evaluation",
    "dataset": "golden-qa",
    "experiment_ids": ["baseline"],
    "evaluators": [{"evaluator": "json-valid"}],
}


def run_experiment(ai_integration_id: str, temperature: float = 0.2) -> dict[str, Any]:
    """Inputs of an LLM-generation run-experiment task (the integration is given by ID)."""
    return {
        "type": "run_experiment",
        "dataset": "golden-qa",
        "run_configuration": {
            "experiment_type": "llm_generation",
            "ai_integration_id": ai_integration_id,
            "model_name": "gpt-4o-mini",
            "input_variable_format": "f_string",
            "messages": [
                {"role": "system", "content": "You answer questions about our product."},
                {"role": "user", "content": "{question}"},
            ],
            "invocation_parameters": {"temperature": temperature},
        },
    }


TRACE_EVAL: dict[str, Any] = {
    "type": "template_evaluation",
    "project": "chatbot-prod",
    "sampling_rate": 0.5,
    "query_filters": {
        "filters": [
            {"id": "A", "filter": "attributes.openinference.span.kind = 'LLM'"},
            {"id": "B", "filter": "attributes.openinference.span.kind = 'RETRIEVER'"},
        ],
        "expression": "A AND B",
    },
    "evaluators": [
        {
            "evaluator": "hallucination",
            "query_mappings": [
                {
                    "variable_name": "input",
                    "query_ids": ["A"],
                    "attribute_path": "attributes.input.value",
                },
                {
                    "variable_name": "reference",
                    "query_ids": ["B"],
                    "attribute_path": "attributes.retrieval.documents",
                },
            ],
        }
    ],
}
"""A trace-granularity evaluation task: two named queries, one evaluator mapping from each."""
