"""Shared set-up for the resource tests: providers wired to the sandbox app in this process.

The providers get a real ``TasksClient`` on the sandbox app in process (the ``arize``
fixture), so every request they make is recorded and no test touches a network.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from arize_pulumi.resources import ProviderSettings
from arize_pulumi.resources._provider import ProviderBase
from arize_pulumi.tasks import RetryPolicy, TasksClient
from tests.support.inprocess import API_KEY

P = TypeVar("P", bound=ProviderBase)

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


def run_experiment(integration: str) -> dict[str, Any]:
    """A run-experiment declaration on the default dataset; ``integration`` is the ID of an
    LLM integration (the sandbox's: ``arize.ids()["ai_integration"]``)."""
    return {
        "type": "run_experiment",
        "dataset": "golden-qa",
        "run_configuration": {
            "experiment_type": "llm_generation",
            "ai_integration_id": integration,
            "model_name": "gpt-4o-mini",
            "input_variable_format": "f_string",
            "messages": [
                {"role": "system", "content": "You answer questions about our product."},
                {"role": "user", "content": "{question}"},
            ],
            "invocation_parameters": {"temperature": 0.2},
        },
    }


class ClientSource(Protocol):
    """A server in this process that hands out clients wired to it."""

    base_url: str

    def client(self, **kwargs: Any) -> TasksClient: ...


def wire(provider: P, server: ClientSource, **settings: Any) -> P:
    """Configure ``provider`` as ``configure`` would, with one client on ``server`` that
    looks names up in ``demo-space`` and never retries."""
    client = server.client(space="demo-space", retry=RetryPolicy(max_attempts=1))
    provider._client_factory = lambda _settings: client
    values: dict[str, Any] = {
        "api_key": API_KEY,
        "space": "demo-space",
        "base_url": server.base_url,
    }
    values.update(settings)
    provider._settings = ProviderSettings(**values)
    return provider


def declared(resource_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the resource constructor sends them (name defaults to the resource name)."""
    return {"name": resource_name, **values, "__name": resource_name}
