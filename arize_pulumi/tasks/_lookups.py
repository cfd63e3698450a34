"""Names to IDs: the ``resolve_*`` methods, and tasks found by ID or by name.

Spaces, projects, datasets, evaluators and experiments are resolved through the client's
:class:`~arize_pulumi.tasks.resolve.Resolver`, which caches them; tasks are looked up afresh
on every call, since programs create and rename them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from arize_pulumi.tasks._core import ClientCore, path_segment
from arize_pulumi.tasks.errors import NameNotFoundError
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import (
    Dataset,
    Evaluator,
    Experiment,
    ExperimentList,
    NamedIntegration,
    Project,
    Task,
    TaskList,
    WireModel,
)
from arize_pulumi.tasks.resolve import find_named, space_label, space_required
from arize_pulumi.tasks.retry import RetryBudget

__all__ = ["LookupMethods"]

L = TypeVar("L", bound=WireModel)


class LookupMethods(ClientCore):
    """The client's name lookups, and the task lookups its task and run methods share."""

    def resolve_space_id(self, space: str | None = None) -> str:
        """The ID of a space given by name or ID (default: the client's space)."""
        chosen = self._space(space)
        if chosen is None:
            raise space_required()
        return self._resolver.space_id(chosen, self._budget())

    def resolve_project_id(self, project: str, *, space: str | None = None) -> str:
        """The ID of a project given by name (in ``space``) or ID."""
        self._needs_space(space, project)
        return self._resolver.project_id(project, self._space(space), self._budget())

    def resolve_dataset_id(self, dataset: str, *, space: str | None = None) -> str:
        """The ID of a dataset given by name (in ``space``) or ID."""
        self._needs_space(space, dataset)
        return self._resolver.dataset_id(dataset, self._space(space), self._budget())

    def resolve_evaluator(self, evaluator: str, *, space: str | None = None) -> Evaluator:
        """An evaluator by name (in ``space``) or by ID.

        By ID, the space's evaluators are listed once (cached) to return its name and type;
        without any space, a minimal ``Evaluator(id=..., name="", space_id="")`` is returned
        without a request.
        """
        self._needs_space(space, evaluator)
        return self._resolver.evaluator(evaluator, self._space(space), self._budget())

    def resolve_experiment_id(self, experiment: str, *, dataset_id: str) -> str:
        """The ID of an experiment given by name (in the dataset) or ID."""
        return self._resolver.experiment_id(experiment, dataset_id, self._budget())

    def find_experiment(self, name: str, *, dataset_id: str) -> Experiment | None:
        """The dataset's experiment named exactly ``name``, or ``None``; never cached, since
        runs make experiments."""
        try:
            return find_named(
                self._transport,
                "experiment",
                name,
                "/v2/experiments",
                {"dataset_id": dataset_id},
                ExperimentList,
                lambda page: (page.experiments, page.pagination),
                f"dataset {dataset_id}",
                self._budget(),
                suggest=False,
            )
        except NameNotFoundError:
            return None

    def resolve_ai_integration_id(self, integration: str, *, space: str | None = None) -> str:
        """The ID of an LLM AI integration given by name (in ``space``) or ID, as
        ``run_configuration.ai_integration`` names it."""
        self._needs_space(space, integration)
        return self._resolver.ai_integration_id(integration, self._space(space), self._budget())

    def resolve_agent_integration_id(self, integration: str, *, space: str | None = None) -> str:
        """The ID of an agent integration given by name (in ``space``) or ID, as an
        ``AGENT_CALL`` run configuration's ``integration`` names it."""
        self._needs_space(space, integration)
        return self._resolver.agent_integration_id(integration, self._space(space), self._budget())

    def get_project(self, project_id: str) -> Project:
        """A project by ID (a :class:`NotFoundError` if there is none)."""
        return self._get_by_id("/v2/projects", project_id, Project)

    def get_dataset(self, dataset_id: str) -> Dataset:
        """A dataset by ID (also: its name, for messages)."""
        return self._get_by_id("/v2/datasets", dataset_id, Dataset)

    def get_experiment(self, experiment_id: str) -> Experiment:
        """An experiment by ID, with the dataset it belongs to."""
        return self._get_by_id("/v2/experiments", experiment_id, Experiment)

    def get_ai_integration(self, integration_id: str) -> NamedIntegration:
        """An LLM AI integration by ID."""
        return self._get_by_id("/v2/ai-integrations", integration_id, NamedIntegration)

    def get_integration(self, integration_id: str) -> NamedIntegration:
        """An integration of any type (``LLM``, ``AGENT``, ...) by ID."""
        return self._get_by_id("/v2/integrations", integration_id, NamedIntegration)

    def _get_by_id(self, collection: str, item_id: str, model: type[L]) -> L:
        response = self._transport.request(
            "GET", f"{collection}/{path_segment(item_id)}", budget=self._budget()
        )
        return self._transport.parse(model, response)

    def clear_cache(self) -> None:
        """Forget every looked-up name (after renaming spaces, projects, ... out of band)."""
        self._resolver.clear()

    def _task_named(
        self,
        name: str,
        params: Mapping[str, Any],
        scope: str,
        budget: RetryBudget,
        *,
        suggest: bool = True,
    ) -> Task:
        return find_named(
            self._transport,
            "task",
            name,
            "/v2/tasks",
            params,
            TaskList,
            lambda page: (page.tasks, page.pagination),
            scope,
            budget,
            suggest=suggest,
        )

    def _task(self, task: str, space: str | None, budget: RetryBudget) -> Task:
        if is_id(task):
            response = self._transport.request(
                "GET", f"/v2/tasks/{path_segment(task)}", budget=budget
            )
            return self._transport.parse(Task, response)
        chosen = self._space(space)
        if chosen is None:
            raise space_required(f"task {task!r}")
        space_id = self._resolver.space_id(chosen, budget)
        return self._task_named(task, {"space_id": space_id}, space_label(chosen), budget)

    def _task_id(self, task: str, space: str | None, budget: RetryBudget) -> str:
        return task if is_id(task) else self._task(task, space, budget).id

    def _integration_ids(
        self,
        config: Mapping[str, Any],
        named: Mapping[str, str],
        space: str | None,
        budget: RetryBudget,
    ) -> dict[str, Any]:
        """A run configuration with the integrations given by name or ID under ``named``
        (wire key -> argument) resolved to IDs."""
        chosen = self._space(space)
        out = dict(config)
        for key in named:
            if key == "integration_id":
                out[key] = self._resolver.agent_integration_id(str(out[key]), chosen, budget)
            else:
                out[key] = self._resolver.ai_integration_id(str(out[key]), chosen, budget)
        return out

    def _evaluator_inputs(
        self, inputs: Sequence[Mapping[str, Any]], space: str | None, budget: RetryBudget
    ) -> list[dict[str, Any]]:
        chosen = self._space(space)
        return [
            {
                **item,
                "evaluator_id": self._resolver.evaluator_id(item["evaluator_id"], chosen, budget),
            }
            for item in inputs
        ]
