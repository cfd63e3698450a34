"""Drive Arize's official Python SDK (``arize``) against a sandbox.

Run by the conformance tests with ``.venv-official/bin/python``, never imported by them (the
SDK is not installed in the project's own virtualenv). ``python sdk.py STEP`` reads the step's
arguments as one JSON object on stdin, points the SDK at the sandbox through Arize's own
environment variables (``ARIZE_API_KEY``, ``ARIZE_API_HOST``, ``ARIZE_API_SCHEME``,
``ARIZE_API_PORT``, set by the test), and prints what the SDK returned as one JSON line on
stdout. An exception the SDK raises ends the step with a traceback on stderr and exit code 1,
except where a step catches it on purpose to report the SDK's own error class.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from arize import ArizeClient
from arize._generated.api_client import exceptions as api_errors
from arize._generated.api_client.models.task_evaluator_input import TaskEvaluatorInput
from arize._generated.api_client.models.task_run_status import TaskRunStatus
from arize._generated.api_client.models.task_type import TaskType

Args = dict[str, Any]
POLL = 0.05
"""Seconds between the SDK's polls in ``wait_for_run`` (its default is 5)."""


def dump(value: Any) -> Any:
    """Plain JSON of what the SDK returned: generated models, SDK views, enums, datetimes."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "actual_instance"):
        return dump(value.actual_instance)
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return dump(value.to_dict())
    if hasattr(value, "model_dump"):
        return dump(value.model_dump(mode="json", exclude_none=True))
    if isinstance(value, dict):
        return {str(k): dump(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [dump(v) for v in value]
    if hasattr(value, "value"):
        return dump(value.value)
    return str(value)


def unwrap(value: Any) -> Any:
    """The concrete model inside a generated oneOf wrapper (the SDK's views unwrap some)."""
    inner = getattr(value, "actual_instance", None)
    return inner if inner is not None else value


def fields(value: Any) -> dict[str, Any]:
    """Which of the official model's fields the answer set, and which it left out."""
    inner = unwrap(value)
    known = getattr(type(inner), "_" + type(inner).__name__ + "__properties", None)
    if known is None:
        raise TypeError(f"{type(inner).__name__} is not one of the SDK's generated models")
    sent = sorted(f for f in known if f in inner.model_fields_set)
    return {"model": type(inner).__name__, "sent": sent, "missing": sorted(set(known) - set(sent))}


def api_error(error: api_errors.ApiException) -> dict[str, Any]:
    """The SDK's view of an error answer: its exception class, status and problem body."""
    body = None
    if error.body:
        try:
            body = json.loads(error.body)
        except ValueError:
            body = error.body
    data = error.data
    return {
        "class": type(error).__name__,
        "status": error.status,
        "data_model": type(data).__name__ if data is not None else None,
        "data": dump(data),
        "body": body,
    }


def expect_error(call: Callable[[], Any]) -> dict[str, Any]:
    """Run a call that must fail with an API error; report it."""
    try:
        result = call()
    except api_errors.ApiException as error:
        return api_error(error)
    raise AssertionError(f"expected an API error, got {result!r}")


def span(evaluator_id: str, **fields: Any) -> TaskEvaluatorInput:
    return TaskEvaluatorInput.from_dict({"evaluator_id": evaluator_id, **fields})


def client() -> ArizeClient:
    return ArizeClient()


# --- lookups ---------------------------------------------------------------------------------


def lookups(args: Args) -> dict[str, Any]:
    """Every lookup the SDK makes, by name where it resolves names, and by ID."""
    c = client()
    space = args["space"]
    out: dict[str, Any] = {}
    spaces = c.spaces.list(name=space)
    out["spaces"] = [s.name for s in spaces.spaces]
    got_space = c.spaces.get(space=space)
    out["space"] = dump(got_space)
    out["space_fields"] = fields(got_space)

    project = c.projects.get(project=args["project"], space=space)
    out["project"] = dump(project)
    out["project_fields"] = fields(project)
    out["projects"] = [p.name for p in c.projects.list(space=space).projects]
    out["projects_elsewhere"] = dump(c.projects.list(space="no-space-is-named-this"))

    dataset = c.datasets.get(dataset=args["dataset"], space=space)
    out["dataset"] = dump(dataset)
    out["dataset_fields"] = fields(dataset)
    out["datasets"] = [d.name for d in c.datasets.list(space=space).datasets]

    listed = c.evaluators.list(space=space, limit=100)
    out["evaluator_types"] = {e.name: dump(e.type) for e in listed.evaluators}
    out["evaluators"] = {}
    for evaluator in listed.evaluators:
        got = c.evaluators.get(evaluator=evaluator.name, space=space)
        versions = c.evaluators.list_versions(evaluator=evaluator.id)
        generated = c.evaluators._api.get_evaluator(evaluator_id=evaluator.id)
        listed_versions = c.evaluators._api.list_evaluator_versions(evaluator_id=evaluator.id)
        out["evaluators"][evaluator.name] = {
            "id": got.id,
            "type": dump(got.type),
            "fields": fields(generated),
            "version_type": dump(unwrap(got.version).type),
            "version_fields": fields(generated.version),
            "listed_version_fields": [fields(v) for v in listed_versions.evaluator_versions],
            "version_ids": [unwrap(v).id for v in versions.evaluator_versions],
        }
    first = listed.evaluators[0]
    version_id = out["evaluators"][first.name]["version_ids"][0]
    pinned = c.evaluators.get(evaluator=first.id, version_id=version_id)
    out["pinned_version"] = unwrap(pinned.version).id

    by_dataset = c.experiments.list(dataset=args["dataset"], space=space)
    out["experiments_of_dataset"] = [e.name for e in by_dataset.experiments]
    by_space = c.experiments.list(space=space)
    out["experiments_of_space"] = [e.name for e in by_space.experiments]
    experiment = c.experiments.get(
        experiment=args["experiment"], dataset=args["dataset"], space=space
    )
    out["experiment"] = dump(experiment)
    out["experiment_fields"] = fields(experiment)

    ai = c.ai_integrations.get(integration=args["ai_integration"], space=space)
    out["ai_integration"] = dump(ai)
    out["ai_integration_fields"] = fields(ai)
    out["ai_integrations"] = [i.name for i in c.ai_integrations.list(space=space).ai_integrations]

    listed_integrations = c.integrations.list(space=space)
    out["integrations"] = {i.name: i.type for i in listed_integrations.integrations}
    agent = c.integrations.get(integration=args["agent_integration"], integration_type="AGENT")
    out["agent_integration"] = dump(agent)
    out["agent_integration_fields"] = fields(agent)
    llm = c.integrations.get(integration=args["ai_integration"], integration_type="LLM")
    out["llm_integration"] = dump(llm)
    return out


# --- tasks -----------------------------------------------------------------------------------


def evaluation_task(args: Args) -> dict[str, Any]:
    """A project task's whole life: create by names, find, update, run, and delete."""
    c = client()
    space, name = args["space"], args["name"]
    evaluators = args["evaluators"]
    out: dict[str, Any] = {}
    created = c.tasks.create_evaluation_task(
        name=name,
        task_type=TaskType.TEMPLATE_EVALUATION,
        evaluators=[
            span(evaluators["hallucination"], column_mappings={"input": "attributes.input.value"})
        ],
        project=args["project"],
        space=space,
        sampling_rate=0.5,
        is_continuous=False,
        query_filter="metadata.environment = 'production'",
    )
    out["created"] = dump(created)
    out["got_by_name"] = dump(c.tasks.get(task=name, space=space))
    out["got_by_id"] = dump(c.tasks.get(task=created.id))
    listed = c.tasks.list(space=space, name=name)
    out["listed"] = [t.id for t in listed.tasks]
    out["listed_by_project"] = [
        t.id for t in c.tasks.list(project=args["project"], space=space, limit=100).tasks
    ]
    out["listed_by_type"] = [
        t.id
        for t in c.tasks.list(space=space, task_type=TaskType.TEMPLATE_EVALUATION, limit=100).tasks
    ]

    updated = c.tasks.update(
        task=name,
        space=space,
        name=name + "-renamed",
        sampling_rate=0.25,
        query_filter=None,
        evaluators=[span(evaluators["hallucination"]), span(evaluators["relevance"])],
    )
    out["updated"] = dump(updated)

    now = datetime.now(UTC)
    run = c.tasks.trigger_run(
        task=created.id,
        data_start_time=now - timedelta(hours=1),
        data_end_time=now,
        max_spans=100,
        override_evaluations=True,
    )
    out["triggered"] = dump(run)
    done = c.tasks.wait_for_run(run_id=run.id, poll_interval=POLL, timeout=60)
    out["waited"] = dump(done)
    out["got_run"] = dump(c.tasks.get_run(run_id=run.id))
    completed = c.tasks.list_runs(task=created.id, status=TaskRunStatus.COMPLETED)
    out["completed_runs"] = [r.id for r in completed.task_runs]
    out["pending_runs"] = [
        r.id for r in c.tasks.list_runs(task=created.id, status=TaskRunStatus.PENDING).task_runs
    ]
    c.tasks.delete(task=created.id)
    out["after_delete"] = expect_error(lambda: c.tasks.get(task=created.id))
    return out


def dataset_task(args: Args) -> dict[str, Any]:
    """A code evaluation task on a dataset's experiment, triggered for that experiment."""
    c = client()
    space, name = args["space"], args["name"]
    created = c.tasks.create_evaluation_task(
        name=name,
        task_type=TaskType.CODE_EVALUATION,
        evaluators=[span(args["evaluators"]["json-valid"])],
        dataset=args["dataset"],
        space=space,
        experiment_ids=[args["experiment_id"]],
    )
    run = c.tasks.trigger_run(task=name, space=space, experiment_ids=[args["experiment_id"]])
    done = c.tasks.wait_for_run(run_id=run.id, poll_interval=POLL, timeout=60)
    listed = c.tasks.list(dataset=args["dataset"], space=space, limit=100)
    c.tasks.delete(task=name, space=space)
    return {
        "created": dump(created),
        "triggered": dump(run),
        "waited": dump(done),
        "listed_by_dataset": [t.id for t in listed.tasks],
    }


def run_experiment_tasks(args: Args) -> dict[str, Any]:
    """Run-experiment tasks of the three experiment types: create, update, trigger, wait."""
    c = client()
    space, prefix = args["space"], args["name"]
    ai_id = c.ai_integrations.get(integration=args["ai_integration"], space=space).id
    agent_id = c.integrations.get(
        integration=args["agent_integration"], integration_type="AGENT"
    ).id
    configs = {
        "LLM_GENERATION": {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": ai_id,
            "model_name": "gpt-4o-mini",
            "messages": [
                {"role": "SYSTEM", "content": "You answer questions."},
                {"role": "USER", "content": "Answer: {question}"},
            ],
            "input_variable_format": "F_STRING",
            "invocation_parameters": {"temperature": 0.2, "max_tokens": 256},
        },
        "TEMPLATE_EVALUATION": {
            "experiment_type": "TEMPLATE_EVALUATION",
            "ai_integration_id": ai_id,
            "template": "Is {{output}} correct? Answer yes or no.",
            "provide_explanation": True,
            "classification_choices": {"yes": 1, "no": 0},
            "column_mapping": {"output": "attributes.output.value"},
        },
        "AGENT_CALL": {
            "experiment_type": "AGENT_CALL",
            "integration_id": agent_id,
            "input_template": {"question": "{{question}}"},
        },
    }
    out: dict[str, Any] = {}
    for index, (kind, config) in enumerate(configs.items()):
        name = f"{prefix}-{index}"
        created = c.tasks.create_run_experiment_task(
            name=name, dataset=args["dataset"], space=space, run_configuration=config
        )
        result: dict[str, Any] = {"created": dump(created)}
        if kind == "LLM_GENERATION":
            changed = dict(config, model_name="gpt-4o")
            result["updated"] = dump(
                c.tasks.update(task=created.id, run_configuration=changed, name=name + "-v2")
            )
        run = c.tasks.trigger_run(
            task=created.id,
            experiment_name=f"{name}-experiment",
            max_examples=5,
            tracing_metadata={"source": "conformance"},
        )
        result["triggered"] = dump(run)
        result["waited"] = dump(c.tasks.wait_for_run(run_id=run.id, poll_interval=POLL))
        experiments = c.experiments.list(dataset=args["dataset"], space=space, limit=100)
        result["experiments"] = [e.name for e in experiments.experiments]
        c.tasks.delete(task=created.id)
        out[kind] = result
    return out


def cancel_and_conflict(args: Args) -> dict[str, Any]:
    """A run that never ends on its own: a second trigger conflicts, cancel ends it."""
    c = client()
    task_id = args["task_id"]
    now = datetime.now(UTC)
    window = {"data_start_time": now - timedelta(hours=1), "data_end_time": now}
    run = c.tasks.trigger_run(task=task_id, **window)
    conflict = expect_error(lambda: c.tasks.trigger_run(task=task_id, **window))
    cancelled = c.tasks.cancel_run(run_id=run.id)
    waited = c.tasks.wait_for_run(run_id=run.id, poll_interval=POLL, timeout=30)
    return {
        "triggered": dump(run),
        "conflict": conflict,
        "cancelled": dump(cancelled),
        "waited": dump(waited),
    }


def wait_timeout(args: Args) -> dict[str, Any]:
    """``wait_for_run`` on a run that does not end raises the SDK's ``TimeoutError``."""
    c = client()
    try:
        c.tasks.wait_for_run(run_id=args["run_id"], poll_interval=POLL, timeout=0.3)
    except TimeoutError as error:
        return {"class": type(error).__name__, "message": str(error)}
    raise AssertionError("wait_for_run returned on a run that never ends")


def errors(args: Args) -> dict[str, Any]:
    """Each error class, parsed by the SDK's own exception types from the problem bodies."""
    c = client()
    space = args["space"]
    evaluators = args["evaluators"]
    out: dict[str, Any] = {}
    out["not_found_task"] = expect_error(lambda: c.tasks.get(task=args["missing_task_id"]))
    out["not_found_run"] = expect_error(lambda: c.tasks.get_run(run_id=args["missing_run_id"]))
    out["not_found_space"] = expect_error(lambda: c.spaces.get(space=args["missing_space_id"]))
    out["unprocessable"] = expect_error(
        lambda: c.tasks.create_evaluation_task(
            name=args["name"] + "-422",
            task_type=TaskType.TEMPLATE_EVALUATION,
            evaluators=[
                span(
                    evaluators["hallucination"],
                    evaluator_version_id=args["other_version_id"],
                )
            ],
            project=args["project"],
            space=space,
        )
    )
    out["bad_request"] = expect_error(
        lambda: c.tasks.create_evaluation_task(
            name=args["name"] + "-400",
            task_type=TaskType.TEMPLATE_EVALUATION,
            evaluators=[span(evaluators["relevance"])],
            dataset=args["dataset"],
            space=space,
        )
    )
    c.tasks.create_evaluation_task(
        name=args["name"],
        task_type=TaskType.TEMPLATE_EVALUATION,
        evaluators=[span(evaluators["relevance"])],
        project=args["project"],
        space=space,
    )
    out["conflict_on_create"] = expect_error(
        lambda: c.tasks.create_evaluation_task(
            name=args["name"],
            task_type=TaskType.TEMPLATE_EVALUATION,
            evaluators=[span(evaluators["relevance"])],
            project=args["project"],
            space=space,
        )
    )
    c.tasks.delete(task=args["name"], space=space)
    return out


def unauthorized(args: Args) -> dict[str, Any]:
    """A key the sandbox does not accept (the test sets a wrong ``ARIZE_API_KEY``)."""
    c = client()
    return {
        "list_tasks": expect_error(lambda: c.tasks.list(space=args["space_id"])),
        "list_spaces": expect_error(lambda: c.spaces.list()),
    }


def trace_task(args: Args) -> dict[str, Any]:
    """A trace-granularity evaluation task: ``query_filters`` and ``query_mappings``."""
    c = client()
    from arize._generated.api_client.models.task_query_filter import TaskQueryFilter
    from arize._generated.api_client.models.task_query_filters import TaskQueryFilters

    space, name = args["space"], args["name"]
    evaluator = TaskEvaluatorInput.from_dict(
        {
            "evaluator_id": args["evaluators"]["hallucination"],
            "query_mappings": [
                {
                    "variable_name": "input",
                    "query_ids": ["A"],
                    "attribute_path": "attributes.input.value",
                },
                {"variable_name": "output", "query_ids": [], "attribute_path": "attributes.output"},
            ],
        }
    )
    filters = TaskQueryFilters(
        filters=[
            TaskQueryFilter(id="A", filter="span_kind = 'LLM'"),
            TaskQueryFilter(id="B", filter="status_code = 'ERROR'"),
        ],
        expression="A AND NOT B",
    )
    created = c.tasks.create_evaluation_task(
        name=name,
        task_type=TaskType.TEMPLATE_EVALUATION,
        evaluators=[evaluator],
        project=args["project"],
        space=space,
        query_filters=filters,
    )
    got = c.tasks.get(task=created.id)
    narrowed = TaskQueryFilters(filters=[TaskQueryFilter(id="A", filter="span_kind = 'LLM'")])
    one_filter = TaskEvaluatorInput.from_dict(
        {
            "evaluator_id": args["evaluators"]["hallucination"],
            "query_mappings": [
                {"variable_name": "input", "query_ids": ["A"], "attribute_path": "input.value"}
            ],
        }
    )
    updated = c.tasks.update(task=created.id, query_filters=narrowed, evaluators=[one_filter])
    listed = c.tasks.list(space=space, name=name)
    now = datetime.now(UTC)
    run = c.tasks.trigger_run(
        task=created.id, data_start_time=now - timedelta(hours=1), data_end_time=now
    )
    done = c.tasks.wait_for_run(run_id=run.id, poll_interval=POLL, timeout=60)
    cleared = c.tasks.update(
        task=created.id,
        query_filters=None,
        query_filter="span_kind = 'LLM'",
        evaluators=[span(args["evaluators"]["hallucination"])],
    )
    c.tasks.delete(task=created.id)
    single = c.tasks.create_evaluation_task(
        name=name + "-single",
        task_type=TaskType.TEMPLATE_EVALUATION,
        evaluators=[one_filter],
        project=args["project"],
        space=space,
        query_filters=narrowed,
    )
    single_got = c.tasks.get(task=single.id)
    c.tasks.delete(task=single.id)
    return {
        "created": dump(created),
        "got": dump(got),
        "updated": dump(updated),
        "listed": [dump(t) for t in listed.tasks],
        "waited": dump(done),
        "cleared": dump(cleared),
        "single_filter": dump(single_got),
    }


STEPS: dict[str, Callable[[Args], dict[str, Any]]] = {
    "lookups": lookups,
    "evaluation_task": evaluation_task,
    "dataset_task": dataset_task,
    "run_experiment_tasks": run_experiment_tasks,
    "cancel_and_conflict": cancel_and_conflict,
    "wait_timeout": wait_timeout,
    "errors": errors,
    "unauthorized": unauthorized,
    "trace_task": trace_task,
}


def main() -> None:
    step = STEPS[sys.argv[1]]
    args = json.loads(sys.stdin.read() or "{}")
    print(json.dumps(step(args), default=str))


if __name__ == "__main__":
    main()
