"""TaskProvider: check, diff, create, update, read and delete against the in-memory Arize."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from pulumi.dynamic import CheckResult, CreateResult
from pulumi.output import Unknown

from arize_pulumi.resources import TaskProvider
from arize_pulumi.resources._provider import ResourceError
from tests.unit.test_client_fakes import API_KEY
from tests.unit.test_resources_support import (
    DATASET_EVAL,
    PROJECT_EVAL,
    ResourceFake,
    declared,
    run_experiment,
    wire,
)


@pytest.fixture
def fake() -> ResourceFake:
    return ResourceFake()


@pytest.fixture
def provider(fake: ResourceFake) -> TaskProvider:
    return wire(TaskProvider(), fake)


def checked(
    provider: TaskProvider,
    values: dict[str, Any],
    olds: dict[str, Any] | None = None,
    name: str = "eval",
) -> CheckResult:
    result = provider.check(olds or {}, declared(name, values))
    assert [f.reason for f in result.failures] == []
    return result


def created(
    provider: TaskProvider, fake: ResourceFake, values: dict[str, Any], name: str = "eval"
) -> tuple[dict[str, Any], CreateResult]:
    inputs = checked(provider, values, name=name).inputs
    result = provider.create(dict(inputs))
    fake.calls.clear()
    return inputs, result


def reasons(result: CheckResult) -> list[str]:
    return [f.reason for f in result.failures]


# --- check --------------------------------------------------------------------------------


def test_check_resolves_names_once_and_keeps_the_ids_in_the_inputs(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    result = checked(provider, PROJECT_EVAL)
    assert fake.keys() == ["GET /v2/spaces", "GET /v2/projects", "GET /v2/evaluators"]
    assert result.inputs["resolved"] == {
        "space_ref": "demo-space",
        "space_id": fake.space_id,
        "project_ref": "chatbot-prod",
        "project_id": fake.project_id,
        "evaluator_ids": {"hallucination": fake.evaluator_ids["hallucination"]},
    }
    assert "__provider" not in result.inputs


def test_an_unchanged_program_checks_without_any_request(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    first = checked(provider, DATASET_EVAL).inputs
    fake.calls.clear()
    again = provider.check(first, declared("eval", DATASET_EVAL))
    assert again.failures == []
    assert fake.calls == []
    assert again.inputs["resolved"] == first["resolved"]


def test_ids_need_no_request_and_no_space(fake: ResourceFake) -> None:
    provider = wire(TaskProvider(), fake, space=None)
    values = {
        **PROJECT_EVAL,
        "project": fake.project_id,
        "evaluators": [fake.evaluator_ids["hallucination"]],
    }
    result = checked(provider, values)
    assert fake.calls == []
    assert result.inputs["resolved"]["project_id"] == fake.project_id


def test_unknown_values_during_preview_are_skipped(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    values = {
        **PROJECT_EVAL,
        "project": Unknown(),
        "sampling_rate": Unknown(),
        "evaluators": [{"evaluator": Unknown()}, {"evaluator": "relevance"}],
    }
    result = provider.check({}, declared("eval", values))
    assert reasons(result) == []
    assert "project_id" not in result.inputs["resolved"]
    assert "GET /v2/projects" not in list(fake.keys())
    assert isinstance(result.inputs["project"], Unknown)


def test_an_unknown_type_or_space_skips_what_depends_on_it(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    values = {**PROJECT_EVAL, "type": Unknown(), "space": Unknown(), "sampling_rate": 7}
    assert reasons(provider.check({}, declared("eval", values))) == []
    assert fake.calls == []


def test_check_reports_every_local_problem_naming_resource_and_field(
    provider: TaskProvider,
) -> None:
    result = provider.check(
        {},
        declared(
            "broken",
            {
                "type": "template_evaluation",
                "dataset": "golden-qa",
                "sampling_rate": 1.5,
                "evaluators": [],
                "run_configuration": {"experiment_type": "agent_call"},
                "adopt": "yes",
                "sampling": 0.2,
            },
        ),
    )
    by_property = {f.property: f.reason for f in result.failures}
    assert set(by_property) >= {
        "sampling",
        "run_configuration",
        "sampling_rate",
        "evaluators",
        "adopt",
    }
    for reason in by_property.values():
        assert reason.startswith("Task 'broken': ")
    assert "sampling_rate" in by_property["sampling_rate"]
    assert "not allowed for TEMPLATE_EVALUATION" in by_property["run_configuration"]


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({**PROJECT_EVAL, "type": "nightly"}, "type", "not a task type"),
        (
            {"type": "template_evaluation", "evaluators": ["hallucination"]},
            "project",
            "exactly one",
        ),
        ({**DATASET_EVAL, "experiment_ids": None}, "experiment_ids", "at least one experiment"),
        ({**DATASET_EVAL, "is_continuous": True}, "is_continuous", "only allowed"),
        (
            {**PROJECT_EVAL, "evaluators": [{"evaluator": "hallucination", "weight": 2}]},
            "evaluators",
            "evaluators[0].weight",
        ),
        ({**PROJECT_EVAL, "evaluators": ["hallucination", "hallucination"]}, "evaluators", "twice"),
    ],
    ids=["type", "target", "dataset-experiments", "dataset-continuous", "evaluator-key", "dupes"],
)
def test_check_refuses_what_the_server_would(
    provider: TaskProvider, values: dict[str, Any], field: str, words: str
) -> None:
    failures = provider.check({}, declared("eval", values)).failures
    assert any(f.property == field and words in f.reason for f in failures), [
        (f.property, f.reason) for f in failures
    ]


def test_check_validates_the_run_configuration_down_to_messages(provider: TaskProvider) -> None:
    values = run_experiment()
    values["run_configuration"]["messages"][1]["role"] = "robot"
    failures = provider.check({}, declared("exp", values)).failures
    assert [f.property for f in failures] == ["run_configuration"]
    assert "run_configuration.messages[1].role" in failures[0].reason
    assert failures[0].reason.startswith("Task 'exp': ")


def test_a_missing_name_fails_check_naming_resource_field_and_space(
    provider: TaskProvider,
) -> None:
    failures = provider.check({}, declared("eval", {**PROJECT_EVAL, "project": "nope"})).failures
    assert [(f.property, f.reason) for f in failures] == [
        ("project", "Task 'eval': project 'nope' not found in space 'demo-space'")
    ]


def test_near_names_are_shown(provider: TaskProvider) -> None:
    failures = provider.check(
        {}, declared("eval", {**PROJECT_EVAL, "evaluators": ["Hallucination"]})
    ).failures
    assert failures[0].property == "evaluators"
    assert "evaluator 'Hallucination' (evaluators[0]) not found in space 'demo-space'" in (
        failures[0].reason
    )
    assert "(seen: hallucination)" in failures[0].reason


def test_a_name_and_its_id_are_the_same_evaluator(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    values = {**PROJECT_EVAL, "evaluators": ["hallucination", fake.evaluator_ids["hallucination"]]}
    failures = provider.check({}, declared("eval", values)).failures
    assert [f.property for f in failures] == ["evaluators"]
    assert "same evaluator" in failures[0].reason


def test_a_name_without_a_space_says_how_to_set_one(fake: ResourceFake) -> None:
    provider = wire(TaskProvider(), fake, space=None)
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert failures and all("arize:space" in f.reason for f in failures)
    assert fake.calls == []


def test_a_missing_key_fails_only_when_a_lookup_is_needed(fake: ResourceFake) -> None:
    provider = wire(TaskProvider(), fake, api_key=None)
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert len(failures) == 1
    assert "pulumi config set --secret arize:apiKey" in failures[0].reason
    assert "ARIZE_API_KEY" in failures[0].reason
    ids_only = {
        **PROJECT_EVAL,
        "space": fake.space_id,
        "project": fake.project_id,
        "evaluators": [fake.evaluator_ids["hallucination"]],
    }
    assert provider.check({}, declared("eval", ids_only)).failures == []


# --- diff ---------------------------------------------------------------------------------


def test_an_unchanged_program_diffs_clean_without_requests(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    news = provider.check(inputs, declared("eval", PROJECT_EVAL)).inputs
    news["__provider"] = "different-serialization"
    diff = provider.diff(result.id, {**result.outs, "__provider": "x"}, news)
    assert diff.changes is False
    assert fake.calls == []


def test_switching_names_to_ids_and_casing_is_no_change(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    by_id = {
        **PROJECT_EVAL,
        "type": "TEMPLATE_EVALUATION",
        "space": fake.space_id,
        "project": fake.project_id,
        "evaluators": [{"evaluator": fake.evaluator_ids["hallucination"]}],
    }
    news = checked(provider, by_id, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is False
    assert fake.calls == []


def test_evaluator_order_does_not_matter(provider: TaskProvider, fake: ResourceFake) -> None:
    two = {**PROJECT_EVAL, "evaluators": ["hallucination", "relevance"]}
    inputs, result = created(provider, fake, two)
    swapped = {**two, "evaluators": [{"evaluator": "relevance"}, "hallucination"]}
    news = checked(provider, swapped, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is False


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"sampling_rate": 0.9}, []),
        ({"query_filter": None}, []),
        ({"name": "renamed"}, []),
        ({"evaluators": ["hallucination", "relevance"]}, []),
        ({"evaluators": [{"evaluator": "hallucination", "column_mappings": {"a": "b"}}]}, []),
        ({"type": "code_evaluation", "evaluators": ["json-valid"]}, ["type"]),
        (
            {
                "project": None,
                "dataset": "golden-qa",
                "experiment_ids": ["baseline"],
                "sampling_rate": None,
                "is_continuous": None,
            },
            ["project", "dataset", "experiment_ids"],
        ),
    ],
    ids=["sampling", "filter", "name", "evaluators", "mappings", "type", "target"],
)
def test_what_updates_and_what_replaces(
    provider: TaskProvider, fake: ResourceFake, change: dict[str, Any], replaces: list[str]
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    news = checked(provider, {**PROJECT_EVAL, **change}, olds=inputs).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is True
    assert diff.replaces == replaces
    if replaces:
        assert diff.delete_before_replace is True


def test_a_replace_under_a_new_name_creates_first(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    news = checked(
        provider,
        {**PROJECT_EVAL, "type": "code_evaluation", "evaluators": ["json-valid"], "name": "v2"},
        olds=inputs,
    ).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.replaces == ["type"]
    assert diff.delete_before_replace is False


def test_new_experiments_replace(provider: TaskProvider, fake: ResourceFake) -> None:
    other = fake.add("experiments", "Experiment", name="candidate", dataset_id=fake.dataset_id)
    inputs, result = created(provider, fake, DATASET_EVAL)
    news = checked(
        provider, {**DATASET_EVAL, "experiment_ids": ["baseline", other]}, olds=inputs
    ).inputs
    assert provider.diff(result.id, result.outs, news).replaces == ["experiment_ids"]
    same = checked(provider, {**DATASET_EVAL, "experiment_ids": [fake.experiment_id]}, olds=inputs)
    assert provider.diff(result.id, result.outs, same.inputs).changes is False


def test_unknown_values_in_diff_are_changes(provider: TaskProvider, fake: ResourceFake) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    news = {**inputs, "project": Unknown(), "sampling_rate": Unknown()}
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is True
    assert diff.replaces == ["project"]


def test_leaving_sampling_rate_unset_leaves_the_server_value(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    unset = {**PROJECT_EVAL, "is_continuous": None, "sampling_rate": None}
    news = checked(provider, unset, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is False


def test_an_update_with_nothing_to_send_makes_no_request(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    fake.tasks[result.id]["sampling_rate"] = 0.3
    news = checked(provider, {**PROJECT_EVAL, "sampling_rate": 0.3}, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is True
    outs = {**result.outs, "sampling_rate": 0.3}
    update = provider.update(result.id, outs, news)
    assert fake.calls == []
    assert update.outs is not None
    assert update.outs["sampling_rate"] == 0.3 and update.outs["declared"]["sampling_rate"] == 0.3
    assert update.outs["task_id"] == result.id and update.outs["created_at"]


# --- create -------------------------------------------------------------------------------


def test_create_returns_every_wire_field_and_the_declared_inputs(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    _, result = created(provider, fake, PROJECT_EVAL)
    outs = result.outs
    assert outs is not None
    assert result.id == outs["task_id"]
    assert outs["type"] == "TEMPLATE_EVALUATION"
    assert outs["space_id"] == fake.space_id
    assert outs["project_id"] == fake.project_id
    assert outs["evaluators"][0]["evaluator_name"] == "hallucination"
    assert outs["created_at"].endswith("Z")
    assert outs["declared"]["project"] == "chatbot-prod"
    assert outs["declared"]["resolved"]["project_id"] == fake.project_id
    body = fake.tasks[result.id]
    assert body["sampling_rate"] == 0.5 and body["is_continuous"] is True


def test_create_reuses_resolved_ids_and_sends_one_request(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs = checked(provider, DATASET_EVAL).inputs
    fake.calls.clear()
    provider.create(dict(inputs))
    assert fake.keys() == ["POST /v2/tasks"]
    (call,) = fake.calls
    assert call.body["experiment_ids"] == [fake.experiment_id]
    assert call.body["evaluators"] == [{"evaluator_id": fake.evaluator_ids["json-valid"]}]


def test_create_a_run_experiment_task(provider: TaskProvider, fake: ResourceFake) -> None:
    _, result = created(provider, fake, run_experiment(), name="exp")
    assert result.outs is not None
    config = result.outs["run_configuration"]
    assert config["experiment_type"] == "LLM_GENERATION"
    assert config["messages"][0]["role"] == "SYSTEM"
    assert fake.tasks[result.id]["run_configuration"]["input_variable_format"] == "F_STRING"


def test_a_conflict_with_an_identical_task_takes_it_over_with_a_warning(
    provider: TaskProvider, fake: ResourceFake, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = checked(provider, PROJECT_EVAL).inputs
    first = provider.create(dict(inputs))
    fake.calls.clear()
    again = provider.create(dict(inputs))
    assert again.id == first.id
    assert "PATCH" not in " ".join(fake.keys())
    warning = capsys.readouterr().err
    assert "warning: Task 'eval'" in warning and first.id in warning
    assert "interrupted" in warning


def test_a_conflict_with_a_different_task_fails_suggesting_adopt(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    existing = fake.add_task("eval", sampling_rate=0.2, evaluators=[])
    inputs = checked(provider, PROJECT_EVAL).inputs
    with pytest.raises(ResourceError) as failed:
        provider.create(dict(inputs))
    message = str(failed.value)
    assert message.startswith("Task 'eval': a task named 'eval' already exists")
    assert existing in message and "demo-space" in message and "adopt=True" in message
    assert "sampling_rate" in message


def test_adopt_updates_only_the_fields_that_differ(
    provider: TaskProvider, fake: ResourceFake, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = fake.add_task(
        "eval",
        sampling_rate=0.2,
        is_continuous=True,
        query_filter="metadata.environment = 'production'",
        evaluators=[
            {"evaluator_id": fake.evaluator_ids["relevance"], "evaluator_name": "relevance"}
        ],
    )
    inputs = checked(provider, {**PROJECT_EVAL, "adopt": True}).inputs
    fake.calls.clear()
    result = provider.create(dict(inputs))
    assert result.id == existing
    patches = [c for c in fake.calls if c.method == "PATCH"]
    assert len(patches) == 1
    assert set(patches[0].body) == {"sampling_rate", "evaluators"}
    assert "POST /v2/tasks" not in list(fake.keys())
    assert "took over task 'eval'" in capsys.readouterr().err


def test_adopt_without_an_existing_task_creates_one(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs = checked(provider, {**PROJECT_EVAL, "adopt": True}).inputs
    result = provider.create(dict(inputs))
    assert result.id in fake.tasks


def test_adopt_refuses_a_task_of_another_type(provider: TaskProvider, fake: ResourceFake) -> None:
    fake.add_task("eval", type="CODE_EVALUATION")
    inputs = checked(provider, {**PROJECT_EVAL, "adopt": True}).inputs
    with pytest.raises(ResourceError, match=r"cannot take over task 'eval'.*type"):
        provider.create(dict(inputs))


def test_create_errors_name_the_resource(provider: TaskProvider, fake: ResourceFake) -> None:
    inputs = checked(provider, PROJECT_EVAL).inputs
    fake.fail("POST", "/v2/tasks", status=422, detail="evaluator version mismatch")
    with pytest.raises(
        ResourceError, match=r"^Task 'eval': creating task 'eval' failed: .*mismatch"
    ):
        provider.create(dict(inputs))


# --- update -------------------------------------------------------------------------------


def test_update_patches_only_changed_fields_without_fetching(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    news = checked(
        provider, {**PROJECT_EVAL, "sampling_rate": 0.9, "query_filter": None}, olds=inputs
    ).inputs
    fake.calls.clear()
    update = provider.update(result.id, result.outs, news)
    assert fake.keys() == [f"PATCH /v2/tasks/{result.id}"]
    assert fake.calls[0].body == {"sampling_rate": 0.9, "query_filter": None}
    outs = update.outs
    assert outs is not None
    assert outs["sampling_rate"] == 0.9 and outs.get("query_filter") is None
    assert outs["task_id"] == result.id and outs["created_at"]
    assert outs["declared"]["sampling_rate"] == 0.9


def test_update_of_a_run_configuration_sends_it_whole(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, run_experiment(), name="exp")
    changed = run_experiment()
    changed["run_configuration"]["invocation_parameters"]["temperature"] = 0.7
    news = checked(provider, changed, olds=inputs, name="exp").inputs
    assert provider.diff(result.id, result.outs, news).replaces == []
    provider.update(result.id, result.outs, news)
    (call,) = [c for c in fake.calls if c.method == "PATCH"]
    assert call.body["run_configuration"]["invocation_parameters"]["temperature"] == 0.7


def test_update_of_a_task_deleted_out_of_band_says_to_refresh(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    inputs, result = created(provider, fake, PROJECT_EVAL)
    del fake.tasks[result.id]
    news = checked(provider, {**PROJECT_EVAL, "sampling_rate": 0.1}, olds=inputs).inputs
    with pytest.raises(ResourceError, match="pulumi refresh"):
        provider.update(result.id, result.outs, news)


# --- read ---------------------------------------------------------------------------------


def test_read_reports_drift_in_outputs_and_inputs(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    _, result = created(provider, fake, PROJECT_EVAL)
    fake.tasks[result.id].update(
        sampling_rate=0.1,
        evaluators=[
            {"evaluator_id": fake.evaluator_ids["relevance"], "evaluator_name": "relevance"}
        ],
    )
    read = provider.read(result.id, result.outs)
    assert read.id == result.id
    assert read.outs is not None and read.inputs is not None
    assert read.outs["sampling_rate"] == 0.1
    assert read.inputs["sampling_rate"] == 0.1
    assert read.inputs["evaluators"] == [{"evaluator": "relevance"}]
    assert read.outs["declared"] == read.inputs
    news = checked(provider, PROJECT_EVAL, olds=read.inputs).inputs
    diff = provider.diff(result.id, read.outs, news)
    assert diff.changes is True and diff.replaces == []
    fake.calls.clear()
    provider.update(result.id, read.outs, news)
    (patch,) = [c for c in fake.calls if c.method == "PATCH"]
    assert set(patch.body) == {"sampling_rate", "evaluators"}


def test_read_without_drift_keeps_the_declaration(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    _, result = created(provider, fake, PROJECT_EVAL)
    read = provider.read(result.id, result.outs)
    assert read.inputs == result.outs["declared"]
    news = checked(provider, PROJECT_EVAL, olds=read.inputs).inputs
    assert provider.diff(result.id, read.outs, news).changes is False


def test_read_drops_a_task_that_is_gone(provider: TaskProvider, fake: ResourceFake) -> None:
    _, result = created(provider, fake, PROJECT_EVAL)
    del fake.tasks[result.id]
    read = provider.read(result.id, result.outs)
    assert read.id == "" and read.outs == {}


def test_read_costs_one_request(provider: TaskProvider, fake: ResourceFake) -> None:
    """Refresh reads each task once and looks nothing up."""
    _, result = created(provider, fake, PROJECT_EVAL)
    before = len(fake.calls)
    provider.read(result.id, result.outs)
    assert fake.keys()[before:] == [f"GET /v2/tasks/{result.id}"]


# --- delete -------------------------------------------------------------------------------


def test_delete_removes_the_task_and_treats_404_as_done(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    _, result = created(provider, fake, PROJECT_EVAL)
    provider.delete(result.id, result.outs)
    assert result.id not in fake.tasks
    provider.delete(result.id, result.outs)
    assert fake.keys() == [f"DELETE /v2/tasks/{result.id}"] * 2


def test_errors_never_carry_the_api_key(provider: TaskProvider, fake: ResourceFake) -> None:
    _, result = created(provider, fake, PROJECT_EVAL)
    fake.fail("DELETE", f"/v2/tasks/{result.id}", status=401, detail="bad key")
    with pytest.raises(ResourceError) as failed:
        provider.delete(result.id, result.outs)
    assert API_KEY not in str(failed.value) and API_KEY not in repr(failed.value)
    assert str(failed.value).startswith("Task 'eval': deleting task")


def test_a_refused_key_fails_check_once_naming_the_setting(
    provider: TaskProvider, fake: ResourceFake
) -> None:
    fake.fail("GET", "/v2/spaces", status=401, detail="bad key")
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert len(failures) == 1
    reason = failures[0].reason
    assert reason.startswith("Task 'eval': cannot look up space 'demo-space'")
    assert "arize:apiKey" in reason and API_KEY not in reason
    assert fake.keys() == ["GET /v2/spaces"]


@pytest.mark.parametrize("values", [PROJECT_EVAL, DATASET_EVAL, run_experiment()])
def test_an_unchanged_preview_loads_neither_validators_nor_request_models(
    provider: TaskProvider, fake: ResourceFake, values: dict[str, Any]
) -> None:
    """Inputs equal to the state's passed check before; a fresh provider process checks and
    diffs them without a request and without building the pydantic request models."""
    inputs, result = created(provider, fake, values)
    news = {k: v for k, v in inputs.items() if k != "resolved"}
    probe = (
        "import json, sys\n"
        "from arize_pulumi.resources import TaskProvider\n"
        "olds, news, outs = json.loads(sys.stdin.read())\n"
        "provider = TaskProvider()\n"
        "checked = provider.check(olds, news)\n"
        "assert checked.failures == [], [f.reason for f in checked.failures]\n"
        "diff = provider.diff('id', outs, checked.inputs)\n"
        "heavy = ('pydantic', 'httpx', 'arize_pulumi.tasks.models',\n"
        "    'arize_pulumi.tasks.validation', 'arize_pulumi.tasks.client')\n"
        "print(json.dumps([diff.changes, [m for m in heavy if m in sys.modules]]))\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "ARIZE_SPACE": "demo-space"}
    ran = subprocess.run(
        [sys.executable, "-c", probe],
        input=json.dumps([inputs, news, result.outs]),
        capture_output=True,
        text=True,
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    changes, loaded = json.loads(ran.stdout)
    assert changes is False
    assert loaded == []
