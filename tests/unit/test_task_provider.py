"""TaskProvider: check, diff, create, update, read and delete against the sandbox app."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from pulumi.dynamic import CheckResult, CreateResult
from pulumi.output import Unknown

from arize_pulumi.resources import TaskProvider
from arize_pulumi.resources._provider import ResourceError
from tests.support.inprocess import API_KEY, InProcessSandbox
from tests.unit.test_resources_support import (
    DATASET_EVAL,
    PROJECT_EVAL,
    declared,
    run_experiment,
    wire,
)


@pytest.fixture
def provider(arize: InProcessSandbox) -> TaskProvider:
    return wire(TaskProvider(), arize)


@pytest.fixture
def ids(arize: InProcessSandbox) -> dict[str, Any]:
    """The sandbox's default seed: space, project, dataset, experiment, evaluators, ..."""
    return arize.ids()


@pytest.fixture
def experiment(ids: dict[str, Any]) -> dict[str, Any]:
    """A run-experiment declaration on the sandbox's LLM integration."""
    return run_experiment(ids["ai_integration"])


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
    provider: TaskProvider, arize: InProcessSandbox, values: dict[str, Any], name: str = "eval"
) -> tuple[dict[str, Any], CreateResult]:
    inputs = checked(provider, values, name=name).inputs
    result = provider.create(dict(inputs))
    arize.sent.clear()
    return inputs, result


def reasons(result: CheckResult) -> list[str]:
    return [f.reason for f in result.failures]


# --- check --------------------------------------------------------------------------------


def test_check_resolves_names_once_and_keeps_the_ids_in_the_inputs(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    result = checked(provider, PROJECT_EVAL)
    assert arize.sent_keys() == ["GET /v2/spaces", "GET /v2/projects", "GET /v2/evaluators"]
    assert result.inputs["__resolved"] == {
        "space_ref": "demo-space",
        "space_id": ids["space"],
        "project_ref": "chatbot-prod",
        "project_id": ids["project"],
        "evaluator_ids": {"hallucination": ids["evaluators"]["hallucination"]},
    }
    assert "__provider" not in result.inputs


def test_an_unchanged_program_checks_without_any_request(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    first = checked(provider, DATASET_EVAL).inputs
    arize.sent.clear()
    again = provider.check(first, declared("eval", DATASET_EVAL))
    assert again.failures == []
    assert arize.sent == []
    assert again.inputs["__resolved"] == first["__resolved"]


def test_ids_need_no_space_and_are_checked_once(
    arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    """A new ID is fetched once, to refuse at preview one that does not exist; the next check
    reuses it; without a space, the evaluator's ID is left for the API to check."""
    provider = wire(TaskProvider(), arize, space=None)
    values = {
        **PROJECT_EVAL,
        "project": ids["project"],
        "evaluators": [ids["evaluators"]["hallucination"]],
    }
    result = checked(provider, values)
    assert arize.sent_keys() == [f"GET /v2/projects/{ids['project']}"]
    assert result.inputs["__resolved"]["project_id"] == ids["project"]
    arize.sent.clear()
    checked(provider, values, olds=result.inputs)
    assert arize.sent == []


def test_unknown_values_during_preview_are_skipped(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    values = {
        **PROJECT_EVAL,
        "project": Unknown(),
        "sampling_rate": Unknown(),
        "evaluators": [{"evaluator": Unknown()}, {"evaluator": "relevance"}],
    }
    result = provider.check({}, declared("eval", values))
    assert reasons(result) == []
    assert "project_id" not in result.inputs["__resolved"]
    assert "GET /v2/projects" not in list(arize.sent_keys())
    assert isinstance(result.inputs["project"], Unknown)


def test_an_unknown_type_or_space_skips_what_depends_on_it(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    values = {**PROJECT_EVAL, "type": Unknown(), "space": Unknown(), "sampling_rate": 7}
    assert reasons(provider.check({}, declared("eval", values))) == []
    assert arize.sent == []


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


def test_check_validates_the_run_configuration_down_to_messages(
    provider: TaskProvider, experiment: dict[str, Any]
) -> None:
    values = experiment
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
    assert failures[0].reason.endswith("; did you mean 'hallucination'?")


def test_a_typo_gets_a_did_you_mean(provider: TaskProvider) -> None:
    failures = provider.check(
        {}, declared("eval", {**PROJECT_EVAL, "evaluators": ["halucination"]})
    ).failures
    assert [(f.property, f.reason) for f in failures] == [
        (
            "evaluators",
            "Task 'eval': evaluator 'halucination' (evaluators[0]) not found in space "
            "'demo-space'; did you mean 'hallucination'?",
        )
    ]


def test_a_name_and_its_id_are_the_same_evaluator(
    provider: TaskProvider, ids: dict[str, Any]
) -> None:
    values = {**PROJECT_EVAL, "evaluators": ["hallucination", ids["evaluators"]["hallucination"]]}
    failures = provider.check({}, declared("eval", values)).failures
    assert [f.property for f in failures] == ["evaluators"]
    assert "same evaluator" in failures[0].reason


def test_a_name_without_a_space_says_how_to_set_one(arize: InProcessSandbox) -> None:
    provider = wire(TaskProvider(), arize, space=None)
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert failures and all("arize:space" in f.reason for f in failures)
    assert arize.sent == []


def test_a_missing_key_fails_only_when_a_lookup_is_needed(
    arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    provider = wire(TaskProvider(), arize, api_key=None)
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert len(failures) == 1
    assert "pulumi config set --secret arize:apiKey" in failures[0].reason
    assert "ARIZE_API_KEY" in failures[0].reason
    ids_only = {
        **PROJECT_EVAL,
        "space": ids["space"],
        "project": ids["project"],
        "evaluators": [ids["evaluators"]["hallucination"]],
    }
    assert provider.check({}, declared("eval", ids_only)).failures == []


# --- diff ---------------------------------------------------------------------------------


def test_an_unchanged_program_diffs_clean_without_requests(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    news = provider.check(inputs, declared("eval", PROJECT_EVAL)).inputs
    news["__provider"] = "different-serialization"
    diff = provider.diff(result.id, {**result.outs, "__provider": "x"}, news)
    assert diff.changes is False
    assert arize.sent == []


def test_switching_names_to_ids_and_casing_is_no_change(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    by_id = {
        **PROJECT_EVAL,
        "type": "TEMPLATE_EVALUATION",
        "space": ids["space"],
        "project": ids["project"],
        "evaluators": [{"evaluator": ids["evaluators"]["hallucination"]}],
    }
    news = checked(provider, by_id, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is False
    assert arize.sent == []


def test_evaluator_order_does_not_matter(provider: TaskProvider, arize: InProcessSandbox) -> None:
    two = {**PROJECT_EVAL, "evaluators": ["hallucination", "relevance"]}
    inputs, result = created(provider, arize, two)
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
    provider: TaskProvider, arize: InProcessSandbox, change: dict[str, Any], replaces: list[str]
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    news = checked(provider, {**PROJECT_EVAL, **change}, olds=inputs).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is True
    assert diff.replaces == replaces
    if replaces:  # the live task stays until its replacement exists (tests/unit/test_replace.py)
        assert diff.delete_before_replace is False


def test_a_replace_under_a_new_name_creates_first(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    news = checked(
        provider,
        {**PROJECT_EVAL, "type": "code_evaluation", "evaluators": ["json-valid"], "name": "v2"},
        olds=inputs,
    ).inputs
    diff = provider.diff(result.id, result.outs, news)
    assert diff.replaces == ["type"]
    assert diff.delete_before_replace is False


def test_new_experiments_replace(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    other = arize.add_experiment("candidate", dataset="golden-qa")
    inputs, result = created(provider, arize, DATASET_EVAL)
    news = checked(
        provider, {**DATASET_EVAL, "experiment_ids": ["baseline", other]}, olds=inputs
    ).inputs
    assert provider.diff(result.id, result.outs, news).replaces == ["experiment_ids"]
    same = checked(provider, {**DATASET_EVAL, "experiment_ids": [ids["experiment"]]}, olds=inputs)
    assert provider.diff(result.id, result.outs, same.inputs).changes is False


def test_unknown_values_in_diff_are_changes(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    news = {**inputs, "project": Unknown(), "sampling_rate": Unknown()}
    diff = provider.diff(result.id, result.outs, news)
    assert diff.changes is True
    assert diff.replaces == ["project"]


def test_leaving_sampling_rate_unset_leaves_the_server_value(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    unset = {**PROJECT_EVAL, "is_continuous": None, "sampling_rate": None}
    news = checked(provider, unset, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is False


def test_an_update_with_nothing_to_send_makes_no_request(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    arize.edit_task(result.id, sampling_rate=0.3)
    news = checked(provider, {**PROJECT_EVAL, "sampling_rate": 0.3}, olds=inputs).inputs
    assert provider.diff(result.id, result.outs, news).changes is True
    outs = {**result.outs, "sampling_rate": 0.3}
    update = provider.update(result.id, outs, news)
    assert arize.sent == []
    assert update.outs is not None
    assert update.outs["sampling_rate"] == 0.3 and update.outs["created_at"]


# --- create -------------------------------------------------------------------------------


def test_create_keeps_only_what_the_declaration_does_not_say(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    _, result = created(provider, arize, PROJECT_EVAL)
    outs = result.outs
    assert outs is not None
    # What the server made and the IDs the names stood for, and a digest of the live task.
    assert outs["space_id"] == ids["space"]
    assert outs["project_id"] == ids["project"]
    assert outs["experiment_ids"] == []
    assert outs["evaluator_ids"] == [ids["evaluators"]["hallucination"]]
    assert outs["created_at"].endswith("Z") and outs["updated_at"].endswith("Z")
    assert re.fullmatch("[0-9a-f]{16}", outs["__written"])
    # Live as declared: left to the inputs. The ID is the resource's.
    for key in ("type", "name", "evaluators", "sampling_rate", "is_continuous", "query_filter"):
        assert key not in outs
    assert "task_id" not in outs and "declared" not in outs and "__resolved" not in outs
    body = arize.task(result.id)
    assert body["sampling_rate"] == 0.5 and body["is_continuous"] is True
    assert body["type"] == "TEMPLATE_EVALUATION"


def test_a_setting_left_to_the_server_is_kept_with_its_live_value(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    _, result = created(provider, arize, {**PROJECT_EVAL, "is_continuous": None})
    assert result.outs is not None
    assert result.outs["is_continuous"] is False
    assert "sampling_rate" not in result.outs


def test_create_reuses_resolved_ids_and_sends_one_request(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs = checked(provider, DATASET_EVAL).inputs
    arize.sent.clear()
    provider.create(dict(inputs))
    assert arize.sent_keys() == ["POST /v2/tasks"]
    (call,) = arize.sent
    assert call.body["experiment_ids"] == [ids["experiment"]]
    assert call.body["evaluators"] == [{"evaluator_id": ids["evaluators"]["json-valid"]}]


def test_create_a_run_experiment_task(
    provider: TaskProvider, arize: InProcessSandbox, experiment: dict[str, Any]
) -> None:
    _, result = created(provider, arize, experiment, name="exp")
    assert result.outs is not None
    # Live as declared (the integration given by ID): left to the inputs.
    assert "run_configuration" not in result.outs
    config = arize.task(result.id)["run_configuration"]
    assert config["experiment_type"] == "LLM_GENERATION"
    assert config["messages"][0]["role"] == "SYSTEM"
    assert config["input_variable_format"] == "F_STRING"


def test_a_conflict_with_an_identical_task_takes_it_over_with_a_warning(
    provider: TaskProvider, arize: InProcessSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = checked(provider, PROJECT_EVAL).inputs
    first = provider.create(dict(inputs))
    arize.sent.clear()
    again = provider.create(dict(inputs))
    assert again.id == first.id
    assert "PATCH" not in " ".join(arize.sent_keys())
    warning = capsys.readouterr().err
    assert "warning: Task 'eval'" in warning and first.id in warning
    assert "interrupted" in warning


def test_a_conflict_with_a_different_task_fails_suggesting_adopt(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    existing = arize.add_task("eval", sampling_rate=0.2)
    inputs = checked(provider, PROJECT_EVAL).inputs
    with pytest.raises(ResourceError) as failed:
        provider.create(dict(inputs))
    message = str(failed.value)
    assert message.startswith("Task 'eval': a task named 'eval' already exists")
    assert existing in message and "demo-space" in message and "adopt=True" in message
    assert "sampling_rate" in message


def test_adopt_updates_only_the_fields_that_differ(
    provider: TaskProvider,
    arize: InProcessSandbox,
    ids: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    existing = arize.add_task(
        "eval",
        sampling_rate=0.2,
        is_continuous=True,
        query_filter="metadata.environment = 'production'",
        evaluators=[{"evaluator_id": ids["evaluators"]["relevance"]}],
    )
    inputs = checked(provider, {**PROJECT_EVAL, "adopt": True}).inputs
    arize.sent.clear()
    result = provider.create(dict(inputs))
    assert result.id == existing
    patches = [c for c in arize.sent if c.method == "PATCH"]
    assert len(patches) == 1
    assert set(patches[0].body) == {"sampling_rate", "evaluators"}
    assert "POST /v2/tasks" not in list(arize.sent_keys())
    assert "took over task 'eval'" in capsys.readouterr().err


def test_adopt_without_an_existing_task_creates_one(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs = checked(provider, {**PROJECT_EVAL, "adopt": True}).inputs
    result = provider.create(dict(inputs))
    assert result.id in arize.task_ids()


def test_adopt_refuses_a_task_of_another_type(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    arize.add_task("eval", "CODE_EVALUATION")
    inputs = checked(provider, {**PROJECT_EVAL, "adopt": True}).inputs
    with pytest.raises(ResourceError, match=r"cannot take over task 'eval'.*type"):
        provider.create(dict(inputs))


def test_create_errors_name_the_resource(provider: TaskProvider, ids: dict[str, Any]) -> None:
    """The sandbox refuses (422) an evaluator version that belongs to another evaluator."""
    version = ids["evaluator_versions"]["relevance"]
    mismatched = [{"evaluator": "hallucination", "evaluator_version_id": version}]
    inputs = checked(provider, {**PROJECT_EVAL, "evaluators": mismatched}).inputs
    refusal = (
        f"evaluators[0].evaluator_version_id: {version} is not a version of evaluator "
        + ids["evaluators"]["hallucination"]
    )
    prefix = r"^Task 'eval': creating task 'eval' failed: .*"
    with pytest.raises(ResourceError, match=prefix + re.escape(refusal) + "$"):
        provider.create(dict(inputs))


# --- update -------------------------------------------------------------------------------


def test_update_patches_only_changed_fields_without_fetching(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    news = checked(
        provider, {**PROJECT_EVAL, "sampling_rate": 0.9, "query_filter": None}, olds=inputs
    ).inputs
    arize.sent.clear()
    update = provider.update(result.id, result.outs, news)
    assert arize.sent_keys() == [f"PATCH /v2/tasks/{result.id}"]
    assert arize.sent[0].body == {"sampling_rate": 0.9, "query_filter": None}
    outs = update.outs
    assert outs is not None
    assert "sampling_rate" not in outs and "query_filter" not in outs
    assert outs["created_at"] and "declared" not in outs
    assert outs["__written"] != (result.outs or {})["__written"]


def test_update_of_a_run_configuration_sends_it_whole(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs, result = created(provider, arize, run_experiment(ids["ai_integration"]), name="exp")
    changed = run_experiment(ids["ai_integration"])
    changed["run_configuration"]["invocation_parameters"]["temperature"] = 0.7
    news = checked(provider, changed, olds=inputs, name="exp").inputs
    assert provider.diff(result.id, result.outs, news).replaces == []
    provider.update(result.id, result.outs, news)
    (call,) = [c for c in arize.sent if c.method == "PATCH"]
    assert call.body["run_configuration"]["invocation_parameters"]["temperature"] == 0.7


def test_update_of_a_task_deleted_out_of_band_says_to_refresh(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    arize.delete_entity("task", result.id)
    news = checked(provider, {**PROJECT_EVAL, "sampling_rate": 0.1}, olds=inputs).inputs
    with pytest.raises(ResourceError, match="pulumi refresh"):
        provider.update(result.id, result.outs, news)


# --- read ---------------------------------------------------------------------------------


def test_read_reports_drift_in_the_outputs_and_the_next_diff_restores_it(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    arize.edit_task(
        result.id,
        sampling_rate=0.1,
        evaluators=[{"evaluator_id": ids["evaluators"]["relevance"]}],
    )
    read = provider.read(result.id, result.outs)
    assert read.id == result.id
    assert read.outs is not None and read.inputs is None
    assert read.outs["sampling_rate"] == 0.1
    assert [e["evaluator_name"] for e in read.outs["evaluators"]] == ["relevance"]
    # The task moved: every field the state left to the declaration may be what moved.
    assert read.outs["__drifted"] == [
        "evaluators",
        "is_continuous",
        "name",
        "query_filter",
        "query_filters",
        "run_configuration",
        "sampling_rate",
        "type",
    ]
    assert read.outs["__written"] == (result.outs or {})["__written"]
    news = checked(provider, PROJECT_EVAL, olds=inputs).inputs
    diff = provider.diff(result.id, read.outs, news)
    assert diff.changes is True and diff.replaces == []
    # Drift: the old values shown are the live ones (outputs), not the inputs.
    assert diff.replaces.detail == {
        "evaluators": ("UPDATE", False),
        "sampling_rate": ("UPDATE", False),
    }
    arize.sent.clear()
    update = provider.update(result.id, read.outs, news)
    (patch,) = [c for c in arize.sent if c.method == "PATCH"]
    assert set(patch.body) == {"sampling_rate", "evaluators"}
    assert update.outs is not None and "__drifted" not in update.outs


def test_read_without_drift_keeps_the_declaration(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    read = provider.read(result.id, result.outs)
    assert read.inputs is None and read.outs == result.outs
    news = checked(provider, PROJECT_EVAL, olds=inputs).inputs
    assert provider.diff(result.id, read.outs, news).changes is False


def test_a_state_of_the_earlier_layout_is_read_and_shortened_by_the_next_update(
    provider: TaskProvider, arize: InProcessSandbox, ids: dict[str, Any]
) -> None:
    inputs, result = created(provider, arize, PROJECT_EVAL)
    # Outputs as they were kept before: the whole live task, no digest.
    earlier = TaskProvider._outputs(provider.client().get(result.id), ids["space"])
    assert {"type", "name", "evaluators", "sampling_rate"} <= set(earlier)
    arize.sent.clear()
    read = provider.read(result.id, earlier)
    assert read.outs == earlier
    unchanged = checked(provider, PROJECT_EVAL, olds=inputs).inputs
    assert provider.diff(result.id, earlier, unchanged).changes is False
    news = checked(provider, {**PROJECT_EVAL, "sampling_rate": 0.8}, olds=inputs).inputs
    assert provider.diff(result.id, earlier, news).replaces.detail == {
        "sampling_rate": ("UPDATE", True)
    }
    arize.sent.clear()
    update = provider.update(result.id, earlier, news)
    (patch,) = arize.sent
    assert patch.body == {"sampling_rate": 0.8}
    assert update.outs is not None and "sampling_rate" not in update.outs
    assert re.fullmatch("[0-9a-f]{16}", update.outs["__written"])


def test_a_refresh_after_the_task_moved_back_keeps_the_short_layout(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    _, result = created(provider, arize, PROJECT_EVAL)
    arize.edit_task(result.id, sampling_rate=0.1)
    moved = provider.read(result.id, result.outs)
    assert moved.outs is not None and moved.outs["sampling_rate"] == 0.1
    arize.edit_task(result.id, sampling_rate=0.5)
    back = provider.read(result.id, moved.outs)
    assert back.outs is not None and "__drifted" not in back.outs
    assert back.outs["__written"] == (result.outs or {})["__written"]


def test_read_drops_a_task_that_is_gone(provider: TaskProvider, arize: InProcessSandbox) -> None:
    _, result = created(provider, arize, PROJECT_EVAL)
    arize.delete_entity("task", result.id)
    read = provider.read(result.id, result.outs)
    assert read.id == "" and read.outs == {}


def test_read_costs_one_request(provider: TaskProvider, arize: InProcessSandbox) -> None:
    """Refresh reads each task once and looks nothing up."""
    _, result = created(provider, arize, PROJECT_EVAL)
    before = len(arize.sent)
    provider.read(result.id, result.outs)
    assert arize.sent_keys()[before:] == [f"GET /v2/tasks/{result.id}"]


# --- delete -------------------------------------------------------------------------------


def test_delete_removes_the_task_and_treats_404_as_done(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    _, result = created(provider, arize, PROJECT_EVAL)
    provider.delete(result.id, result.outs)
    assert result.id not in arize.task_ids()
    provider.delete(result.id, result.outs)
    assert arize.sent_keys() == [f"DELETE /v2/tasks/{result.id}"] * 2


def test_errors_never_carry_the_api_key(provider: TaskProvider, arize: InProcessSandbox) -> None:
    _, result = created(provider, arize, PROJECT_EVAL)
    arize.fail("DELETE", f"/v2/tasks/{result.id}", status=401)
    with pytest.raises(ResourceError) as failed:
        provider.delete(result.id, result.outs)
    assert API_KEY not in str(failed.value) and API_KEY not in repr(failed.value)
    assert str(failed.value).startswith(f"Task: deleting task {result.id} failed: ")


def test_a_refused_key_fails_check_once_naming_the_setting(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    arize.fail("GET", "/v2/spaces", status=401)
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert len(failures) == 1
    reason = failures[0].reason
    assert reason.startswith("Task 'eval': cannot look up space 'demo-space'")
    assert "arize:apiKey" in reason and API_KEY not in reason
    assert arize.sent_keys() == ["GET /v2/spaces"]


@pytest.mark.parametrize("kind", ["project", "dataset", "run_experiment"])
def test_an_unchanged_preview_loads_neither_validators_nor_request_models(
    provider: TaskProvider, arize: InProcessSandbox, experiment: dict[str, Any], kind: str
) -> None:
    """Inputs equal to the state's passed check before; a fresh provider process checks and
    diffs them without a request and without building the pydantic request models."""
    values = {"project": PROJECT_EVAL, "dataset": DATASET_EVAL, "run_experiment": experiment}
    inputs, result = created(provider, arize, values[kind])
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


def test_a_state_written_by_the_previous_layout_previews_clean_without_requests(
    provider: TaskProvider, arize: InProcessSandbox
) -> None:
    """Before, the inputs held ``resource_name`` and ``resolved``, and the outputs the task ID
    and the declaration again (``declared``)."""
    inputs, result = created(provider, arize, PROJECT_EVAL)
    legacy_inputs = {
        {"__name": "resource_name", "__resolved": "resolved"}.get(k, k): v
        for k, v in inputs.items()
    }
    legacy_outputs = {**result.outs, "task_id": result.id, "declared": legacy_inputs}
    arize.sent.clear()
    news = checked(provider, PROJECT_EVAL, olds=legacy_inputs).inputs
    assert "__changed" not in news and news["__resolved"] == inputs["__resolved"]
    assert provider.diff(result.id, legacy_outputs, news).changes is False
    assert arize.sent == []
