"""Shared set-up for the resource tests: providers wired to the in-memory Arize.

The providers get a real ``TasksClient`` on ``httpx.MockTransport`` (the client tests' fake
server), so every request they make is counted and no test touches a network.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from arize_pulumi.resources import ProviderSettings
from arize_pulumi.resources._provider import ProviderBase
from arize_pulumi.tasks import RetryPolicy, TasksClient
from tests.unit.test_client_fakes import API_KEY, BASE_URL, FakeArize

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


def run_experiment(integration: str = "QWlJbnRlZ3JhdGlvbjoxOmFCY0Q=") -> dict[str, Any]:
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


class ResourceFake(FakeArize):
    """The client tests' fake, plus scripted progress for the next runs triggered."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.next_runs: list[list[dict[str, Any]]] = []

    def trigger(self, task_id: str, body: Any) -> httpx.Response:
        response = super().trigger(task_id, body)
        if response.status_code == 201 and self.next_runs:
            self.run_script[response.json()["id"]] = self.next_runs.pop(0)
        return response

    def http_client(self) -> TasksClient:
        return TasksClient(
            API_KEY,
            BASE_URL,
            space="demo-space",
            transport=self.transport,
            retry=RetryPolicy(max_attempts=1),
            warn_alpha=False,
        )


def wire(provider: P, fake: ResourceFake, **settings: Any) -> P:
    """Configure ``provider`` as ``configure`` would, with one client on the fake."""
    client = fake.http_client()
    provider._client_factory = lambda _settings: client
    values: dict[str, Any] = {"api_key": API_KEY, "space": "demo-space", "base_url": BASE_URL}
    values.update(settings)
    provider._settings = ProviderSettings(**values)
    return provider


def declared(resource_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the resource constructor sends them (name defaults to the resource name)."""
    return {"name": resource_name, **values, "resource_name": resource_name}
