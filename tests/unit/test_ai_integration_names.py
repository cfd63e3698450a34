"""AI integrations by name: ``run_configuration.ai_integration`` (and an agent call's
``integration``) in the client and in the Task resource, on the in-process sandbox."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pulumi.dynamic import CheckResult, CreateResult

from arize_pulumi.resources import TaskProvider
from arize_pulumi.resources._normalize import to_inputs
from arize_pulumi.resources.args import (
    AgentCallConfigArgs,
    LlmGenerationConfigArgs,
    MessageArgs,
    TemplateEvaluationConfigArgs,
)
from arize_pulumi.tasks.client import TasksClient
from arize_pulumi.tasks.errors import InvalidArgumentError, NameNotFoundError
from arize_pulumi.tasks.retry import RetryPolicy
from tests.support.inprocess import InProcessSandbox
from tests.unit.test_resources_support import declared, wire

LLM = "openai-default"
AGENT = "agent-default"


def llm_config(integration: str | None = LLM, **fields: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "experiment_type": "llm_generation",
        "input_variable_format": "f_string",
        "messages": [{"role": "user", "content": "Answer: {question}"}],
    }
    if integration is not None:
        config["ai_integration"] = integration
    return config | fields


def agent_config(integration: str = AGENT) -> dict[str, Any]:
    return {
        "experiment_type": "agent_call",
        "integration": integration,
        "input_template": {"question": "{{question}}"},
    }


@pytest.fixture
def ids(arize: InProcessSandbox) -> dict[str, Any]:
    return arize.ids()


@pytest.fixture
def client(arize: InProcessSandbox) -> TasksClient:
    return arize.client(space="demo-space", retry=RetryPolicy(max_attempts=1))


def add_ai_integration(arize: InProcessSandbox, name: str, space: str = "demo-space") -> str:
    seeded = arize.seed({"spaces": [{"name": space, "ai_integrations": [{"name": name}]}]})
    (found,) = [i for i in seeded["spaces"][0]["ai_integrations"] if i["name"] == name]
    integration_id: str = found["id"]
    return integration_id


# --- the client ---------------------------------------------------------------------------


def test_create_resolves_the_ai_integration_by_name_once_per_client(
    client: TasksClient, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    task = client.create_run_experiment_task(
        name="a", dataset="golden-qa", run_configuration=llm_config()
    )
    assert arize.sent_keys() == [
        "GET /v2/spaces",
        "GET /v2/datasets",
        "GET /v2/ai-integrations",
        "POST /v2/tasks",
    ]
    lookup = arize.sent[2]
    assert lookup.params["space_id"] == ids["space"] and lookup.params["name"] == LLM
    post = arize.sent[-1].body["run_configuration"]
    assert post["ai_integration_id"] == ids["ai_integration"] and "ai_integration" not in post
    assert task.run_configuration is not None
    assert task.run_configuration.ai_integration_id == ids["ai_integration"]  # type: ignore[union-attr]
    arize.sent.clear()
    client.create_run_experiment_task(name="b", dataset="golden-qa", run_configuration=llm_config())
    assert arize.sent_keys() == ["POST /v2/tasks"]


def test_an_id_given_as_ai_integration_is_sent_without_a_lookup(
    arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    client = arize.client(retry=RetryPolicy(max_attempts=1))
    client.create_run_experiment_task(
        name="a", dataset=ids["dataset"], run_configuration=llm_config(ids["ai_integration"])
    )
    assert arize.sent_keys() == ["POST /v2/tasks"]
    assert arize.sent[0].body["run_configuration"]["ai_integration_id"] == ids["ai_integration"]


def test_a_name_without_a_space_is_refused_before_any_request(
    arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    client = arize.client(retry=RetryPolicy(max_attempts=1))
    with pytest.raises(InvalidArgumentError, match="space"):
        client.create_run_experiment_task(
            name="a", dataset=ids["dataset"], run_configuration=llm_config()
        )
    assert arize.sent == []


def test_template_evaluation_takes_the_ai_integration_by_name(
    client: TasksClient, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    config = {
        "experiment_type": "template_evaluation",
        "ai_integration": LLM,
        "template": "Is {{output}} right?",
        "provide_explanation": True,
    }
    client.create_run_experiment_task(name="a", dataset="golden-qa", run_configuration=config)
    assert arize.sent[-1].body["run_configuration"]["ai_integration_id"] == ids["ai_integration"]


def test_an_agent_call_takes_the_agent_integration_by_name(
    client: TasksClient, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    client.resolve_space_id()
    arize.sent.clear()
    task = client.create_run_experiment_task(
        name="a", dataset=ids["dataset"], run_configuration=agent_config()
    )
    assert arize.sent_keys() == ["GET /v2/integrations", "POST /v2/tasks"]
    assert arize.sent[0].params["type"] == "AGENT"
    assert arize.sent[-1].body["run_configuration"]["integration_id"] == ids["agent_integration"]
    assert task.run_configuration.integration_id == ids["agent_integration"]  # type: ignore[union-attr]


def test_an_llm_integration_is_not_an_agent_integration(client: TasksClient) -> None:
    with pytest.raises(NameNotFoundError) as raised:
        client.resolve_agent_integration_id(LLM)
    assert raised.value.seen == [AGENT]


def test_a_misspelt_name_is_not_found_listing_similar_names(
    client: TasksClient, arize: InProcessSandbox
) -> None:
    with pytest.raises(NameNotFoundError) as raised:
        client.create_run_experiment_task(
            name="a", dataset="golden-qa", run_configuration=llm_config("openai-defualt")
        )
    message = str(raised.value)
    assert "no AI integration named 'openai-defualt' in space 'demo-space'" in message
    assert "did you mean 'openai-default'?" in message
    assert "POST /v2/tasks" not in arize.sent_keys()


def test_names_match_exactly_case_included(client: TasksClient) -> None:
    with pytest.raises(NameNotFoundError) as raised:
        client.resolve_ai_integration_id("OpenAI-Default")
    assert raised.value.seen == [LLM]


def test_both_spellings_at_once_are_refused_naming_the_field(
    client: TasksClient, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    config = llm_config(ai_integration_id=ids["ai_integration"])
    with pytest.raises(InvalidArgumentError) as raised:
        client.create_run_experiment_task(name="a", dataset="golden-qa", run_configuration=config)
    assert raised.value.field == "run_configuration.ai_integration"
    with pytest.raises(InvalidArgumentError) as empty:
        client.create_run_experiment_task(
            name="a", dataset="golden-qa", run_configuration=llm_config("")
        )
    assert str(empty.value) == "run_configuration.ai_integration: must not be empty"
    assert arize.sent == []


def test_update_resolves_the_name_with_the_cache(
    client: TasksClient, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    task_id = arize.add_task("exp", "RUN_EXPERIMENT")
    other = add_ai_integration(arize, "anthropic-judge")
    client.resolve_ai_integration_id("anthropic-judge")
    arize.sent.clear()
    task = client.update(
        task_id, task_type="run_experiment", run_configuration=llm_config("anthropic-judge")
    )
    assert arize.sent_keys() == [f"PATCH /v2/tasks/{task_id}"]
    assert arize.sent[0].body["run_configuration"]["ai_integration_id"] == other
    assert task.run_configuration.ai_integration_id == other  # type: ignore[union-attr]


def test_concurrent_lookups_of_one_name_share_one_request(
    client: TasksClient, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    client.resolve_space_id()
    arize.sent.clear()
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.append(client.resolve_ai_integration_id(LLM)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [ids["ai_integration"]] * 8
    assert arize.sent_keys() == ["GET /v2/ai-integrations"]


# --- the Task resource --------------------------------------------------------------------


def experiment(config: dict[str, Any]) -> dict[str, Any]:
    return {"type": "run_experiment", "dataset": "golden-qa", "run_configuration": config}


@pytest.fixture
def provider(arize: InProcessSandbox) -> TaskProvider:
    return wire(TaskProvider(), arize)


def checked(
    provider: TaskProvider, values: dict[str, Any], olds: dict[str, Any] | None = None
) -> CheckResult:
    result = provider.check(olds or {}, declared("exp", values))
    assert [f.reason for f in result.failures] == []
    return result


def created(
    provider: TaskProvider, arize: InProcessSandbox, values: dict[str, Any]
) -> CreateResult:
    """The created task; its checked inputs (what the engine keeps as the state's inputs) are
    in ``INPUTS[result.id]``."""
    inputs = dict(checked(provider, values).inputs)
    result = provider.create(inputs)
    INPUTS[result.id] = inputs
    arize.sent.clear()
    return result


INPUTS: dict[str, dict[str, Any]] = {}


def test_check_resolves_the_ai_integration_and_keeps_it_in_resolved(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    result = checked(provider, experiment(llm_config()))
    assert arize.sent_keys() == ["GET /v2/spaces", "GET /v2/datasets", "GET /v2/ai-integrations"]
    assert result.inputs["__resolved"]["ai_integration_ref"] == LLM
    assert result.inputs["__resolved"]["ai_integration_id"] == ids["ai_integration"]
    arize.sent.clear()
    again = checked(provider, experiment(llm_config()), olds=result.inputs)
    assert arize.sent == []
    assert again.inputs["__resolved"] == result.inputs["__resolved"]


def test_create_sends_the_id_and_keeps_it_once(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs = checked(provider, experiment(llm_config())).inputs
    arize.sent.clear()
    result = provider.create(dict(inputs))
    assert arize.sent_keys() == ["POST /v2/tasks"]
    assert arize.sent[0].body["run_configuration"]["ai_integration_id"] == ids["ai_integration"]
    # Live as declared: the outputs leave it to the inputs, which keep the name and its ID.
    assert "run_configuration" not in result.outs
    assert inputs["run_configuration"]["ai_integration"] == LLM
    assert inputs["__resolved"]["ai_integration_id"] == ids["ai_integration"]


def test_an_unchanged_program_previews_without_a_request(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    result = created(provider, arize, experiment(llm_config()))
    news = checked(provider, experiment(llm_config()), olds=INPUTS[result.id]).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is False
    assert arize.sent == []


@pytest.mark.parametrize("spelling", ["id as ai_integration", "ai_integration_id"])
def test_the_id_instead_of_the_name_is_no_change(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any], spelling: str
) -> None:
    result = created(provider, arize, experiment(llm_config()))
    if spelling == "ai_integration_id":
        config = llm_config(None, ai_integration_id=ids["ai_integration"])
    else:
        config = llm_config(ids["ai_integration"])
    news = checked(provider, experiment(config), olds=INPUTS[result.id]).inputs
    assert provider.diff(result.id, result.outs, news).changes is False
    assert arize.sent == []


def test_the_name_instead_of_the_id_is_no_change(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    config = llm_config(None, ai_integration_id=ids["ai_integration"])
    result = created(provider, arize, experiment(config))
    news = checked(provider, experiment(llm_config()), olds=INPUTS[result.id]).inputs
    assert arize.sent_keys() == ["GET /v2/ai-integrations"]
    assert provider.diff(result.id, result.outs, news).changes is False


def test_a_name_that_stands_for_another_integration_is_an_update(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    other = add_ai_integration(arize, "anthropic-judge")
    result = created(provider, arize, experiment(llm_config()))
    news = checked(
        provider, experiment(llm_config("anthropic-judge")), olds=INPUTS[result.id]
    ).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is True and diff.replaces == []
    arize.sent.clear()
    updated = provider.update(result.id, result.outs, news)
    assert arize.sent_keys() == [f"PATCH /v2/tasks/{result.id}"]
    assert arize.sent[0].body["run_configuration"]["ai_integration_id"] == other
    assert updated.outs is not None and "run_configuration" not in updated.outs
    assert arize.task(result.id)["run_configuration"]["ai_integration_id"] == other


def test_check_names_a_missing_integration_with_similar_names(
    provider: TaskProvider,
) -> None:
    result = provider.check({}, declared("exp", experiment(llm_config("openai-defualt"))))
    (failure,) = result.failures
    assert failure.property == "run_configuration"
    assert failure.reason.startswith("Task 'exp': AI integration 'openai-defualt'")
    assert "run_configuration.ai_integration" in failure.reason
    assert "not found in space 'demo-space'" in failure.reason
    assert "openai-default" in failure.reason


def test_check_refuses_both_spellings(provider: TaskProvider, ids: dict[str, Any]) -> None:
    config = llm_config(ai_integration_id=ids["ai_integration"])
    failures = provider.check({}, declared("exp", experiment(config))).failures
    assert any(
        f.property == "run_configuration" and "run_configuration.ai_integration:" in f.reason
        for f in failures
    ), [f.reason for f in failures]


def test_refresh_of_other_fields_keeps_the_integration_and_the_next_diff_shows_them(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    result = created(provider, arize, experiment(llm_config()))
    live = dict(arize.task(result.id)["run_configuration"], model_name="gpt-4o")
    arize.edit_task(result.id, run_configuration=live)
    read = provider.read(result.id, result.outs)
    assert read.inputs is None and read.outs is not None
    assert read.outs["run_configuration"]["model_name"] == "gpt-4o"
    assert read.outs["run_configuration"]["ai_integration_id"] == ids["ai_integration"]
    assert arize.sent_keys() == [f"GET /v2/tasks/{result.id}"]
    news = checked(provider, experiment(llm_config()), olds=INPUTS[result.id]).inputs
    diff = provider.diff(result.id, read.outs, news)
    assert diff.replaces.detail == {"run_configuration": ("UPDATE", False)}


def test_refresh_reads_another_integration_and_up_restores_the_declared_one(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    other = add_ai_integration(arize, "anthropic-judge")
    result = created(provider, arize, experiment(llm_config()))
    live = dict(arize.task(result.id)["run_configuration"], ai_integration_id=other)
    arize.edit_task(result.id, run_configuration=live)
    read = provider.read(result.id, result.outs)
    assert read.inputs is None and read.outs is not None
    assert read.outs["run_configuration"]["ai_integration_id"] == other
    news = checked(provider, experiment(llm_config()), olds=INPUTS[result.id]).inputs
    assert provider.diff(result.id, read.outs, news).changes is True
    arize.sent.clear()
    provider.update(result.id, read.outs, news)
    (patch,) = [c for c in arize.sent if c.method == "PATCH"]
    assert patch.body["run_configuration"]["ai_integration_id"] == ids["ai_integration"]


def test_read_without_drift_keeps_the_outputs(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    result = created(provider, arize, experiment(llm_config()))
    read = provider.read(result.id, result.outs)
    assert read.inputs is None and read.outs == result.outs


def test_an_agent_call_task_takes_the_integration_by_name(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs = checked(provider, experiment(agent_config())).inputs
    assert inputs["__resolved"]["agent_integration_id"] == ids["agent_integration"]
    assert "GET /v2/integrations" in arize.sent_keys()
    result = provider.create(dict(inputs))
    INPUTS[result.id] = dict(inputs)
    assert arize.task(result.id)["run_configuration"]["integration_id"] == ids["agent_integration"]
    arize.sent.clear()
    config = agent_config(ids["agent_integration"])
    news = checked(provider, experiment(config), olds=INPUTS[result.id]).inputs
    assert provider.diff(result.id, result.outs, news).changes is False
    assert arize.sent == []


def test_the_typed_args_take_the_integration_by_name() -> None:
    messages = [MessageArgs(role="user", content="{question}")]
    llm = to_inputs(LlmGenerationConfigArgs(ai_integration=LLM, messages=messages))
    assert llm["ai_integration"] == LLM and "ai_integration_id" not in llm
    judge = to_inputs(TemplateEvaluationConfigArgs(ai_integration=LLM, template="{{x}}?"))
    assert judge["ai_integration"] == LLM
    agent = to_inputs(AgentCallConfigArgs(integration=AGENT, input_template={"q": "{{q}}"}))
    assert agent == {
        "integration": AGENT,
        "input_template": {"q": "{{q}}"},
        "experiment_type": "AGENT_CALL",
    }
