"""Name lookups, paged and cached per client.

The API has only substring filters, so a name is resolved by listing what the server matches
and keeping the exact, case-sensitive hits: none is :class:`NameNotFoundError` (listing the
near names: the server's substring matches, or when none is close, the closest names of the
whole scope, so a typo gets a "did you mean"), more than one is :class:`AmbiguousNameError`.
Spaces, projects, datasets, evaluators, experiments and AI integrations do not change during
one ``pulumi up``, so each answer is cached for the client's lifetime, and concurrent askers
of the same name share one request (single-flight). Tasks are never cached: programs create
and rename them.

A space given by name is resolved to its ID first, and list calls then filter by
``space_id``: ``space_name`` is a substring filter on the server, which would mix in the
projects of ``demo-space-2`` when asking about ``demo-space``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from arize_pulumi.tasks._transport import Transport
from arize_pulumi.tasks.errors import (
    AmbiguousNameError,
    InvalidArgumentError,
    NameNotFoundError,
    UnexpectedResponseError,
    closest,
)
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import (
    AiIntegrationList,
    DatasetList,
    Evaluator,
    EvaluatorList,
    ExperimentList,
    IntegrationList,
    Pagination,
    ProjectList,
    SpaceList,
)
from arize_pulumi.tasks.retry import RetryBudget

__all__ = [
    "PAGE_LIMIT",
    "Resolver",
    "SingleFlightCache",
    "exact_match",
    "iter_pages",
    "space_required",
]

PAGE_LIMIT = 100

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound=BaseModel)
X = TypeVar("X")


class _Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=_Named)


AI_INTEGRATION = "AI integration"
AGENT_INTEGRATION = "agent integration"


class SingleFlightCache(Generic[K, V]):
    """A thread-safe memo where concurrent misses on one key run ``compute`` once.

    Failures are not cached: every thread that waited gets the same error, and the next call
    tries again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[K, V] = {}
        self._pending: dict[K, Future[V]] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._values:
                return self._values[key]
            future = self._pending.get(key)
            owner = future is None
            if future is None:
                future = Future()
                self._pending[key] = future
        if not owner:
            return future.result()
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            future.set_exception(exc)
            raise
        with self._lock:
            self._values[key] = value
            del self._pending[key]
        future.set_result(value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def iter_pages(
    transport: Transport,
    path: str,
    params: Mapping[str, Any],
    model: type[L],
    items: Callable[[L], tuple[Sequence[X], Pagination]],
    budget: RetryBudget | None,
    *,
    page_size: int = PAGE_LIMIT,
) -> Iterator[X]:
    """Every item of a paged list, following ``next_cursor`` while ``has_more``.

    Pages share ``budget`` when given (a lookup inside one call); with ``None`` each page
    gets its own, so a slow consumer of a long iteration does not use up the retry time.
    """
    cursor: str | None = None
    while True:
        response = transport.request(
            "GET",
            path,
            params={**params, "limit": page_size, "cursor": cursor},
            budget=budget or transport.budget(),
        )
        found, pagination = items(transport.parse(model, response))
        yield from found
        if not pagination.has_more or not pagination.next_cursor:
            return
        if pagination.next_cursor == cursor:
            raise UnexpectedResponseError("GET", path, 200, "the same cursor came back twice")
        cursor = pagination.next_cursor


def exact_match(
    kind: str,
    name: str,
    candidates: Iterator[N],
    *,
    scope: str | None,
    path: str,
    everything: Callable[[], Iterator[N]] | None = None,
) -> N:
    """The one candidate named exactly ``name``; else not-found (with near names) or ambiguous.

    When the candidates hold no name close to ``name`` (the server's filter is a substring,
    so a typo matches nothing), ``everything`` lists the whole scope once to find the
    closest names there.
    """
    seen: list[str] = []
    matches: list[N] = []
    for candidate in candidates:
        if candidate.name == name:
            matches.append(candidate)
        elif candidate.name not in seen:
            seen.append(candidate.name)
    if len(matches) > 1:
        raise AmbiguousNameError(kind, name, [m.id for m in matches], scope=scope)
    if matches:
        return matches[0]
    if everything is not None and not closest(name, seen):
        names = sorted({c.name for c in everything()})
        seen = closest(name, names, limit=10) or seen
    raise NameNotFoundError(kind, name, seen, scope=scope, path=path)


def find_named(
    transport: Transport,
    kind: str,
    name: str,
    path: str,
    filters: Mapping[str, Any],
    model: type[L],
    items: Callable[[L], tuple[Sequence[N], Pagination]],
    scope: str | None,
    budget: RetryBudget,
    *,
    suggest: bool = True,
) -> N:
    """The one listed item named exactly ``name``; the server's filter is a substring.

    ``suggest=False`` skips the listing of the whole scope that finds the closest names for
    the error, for callers that expect a miss (a task about to be created).
    """
    found = iter_pages(transport, path, {**filters, "name": name}, model, items, budget)

    def everything() -> Iterator[N]:
        return iter_pages(transport, path, filters, model, items, budget)

    return exact_match(
        kind, name, found, scope=scope, path=path, everything=everything if suggest else None
    )


class Resolver:
    """Turns names into IDs for one client; IDs pass through without a request."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._spaces: SingleFlightCache[str, str] = SingleFlightCache()
        self._projects: SingleFlightCache[tuple[str, str], str] = SingleFlightCache()
        self._datasets: SingleFlightCache[tuple[str, str], str] = SingleFlightCache()
        self._evaluators: SingleFlightCache[tuple[str, str], Evaluator] = SingleFlightCache()
        self._evaluator_index: SingleFlightCache[str, dict[str, Evaluator]] = SingleFlightCache()
        self._experiments: SingleFlightCache[tuple[str, str], str] = SingleFlightCache()
        self._integrations: SingleFlightCache[tuple[str, str, str], str] = SingleFlightCache()

    def clear(self) -> None:
        for cache in (
            self._spaces,
            self._projects,
            self._datasets,
            self._evaluators,
            self._evaluator_index,
            self._experiments,
            self._integrations,
        ):
            cache.clear()

    def _in_space(
        self, kind: str, name: str, space: str | None, budget: RetryBudget
    ) -> tuple[str, str]:
        """The ID of the space a name is looked up in, and how messages name that space."""
        if space is None:
            raise space_required(f"{kind} {name!r}")
        return self.space_id(space, budget), space_label(space)

    def _id_in_space(
        self,
        kind: str,
        name: str,
        space: str | None,
        budget: RetryBudget,
        cache: SingleFlightCache[tuple[str, str], str],
        path: str,
        model: type[L],
        items: Callable[[L], tuple[Sequence[N], Pagination]],
    ) -> str:
        """The ID of the item named ``name`` in the space, cached per space."""
        space_id, scope = self._in_space(kind, name, space, budget)

        def lookup() -> str:
            filters = {"space_id": space_id}
            return find_named(
                self._transport, kind, name, path, filters, model, items, scope, budget
            ).id

        return cache.get((space_id, name), lookup)

    def space_id(self, space: str, budget: RetryBudget) -> str:
        if is_id(space):
            return space

        def lookup() -> str:
            return find_named(
                self._transport,
                "space",
                space,
                "/v2/spaces",
                {},
                SpaceList,
                lambda page: (page.spaces, page.pagination),
                None,
                budget,
            ).id

        return self._spaces.get(space, lookup)

    def project_id(self, project: str, space: str | None, budget: RetryBudget) -> str:
        if is_id(project):
            return project
        return self._id_in_space(
            "project",
            project,
            space,
            budget,
            self._projects,
            "/v2/projects",
            ProjectList,
            lambda page: (page.projects, page.pagination),
        )

    def dataset_id(self, dataset: str, space: str | None, budget: RetryBudget) -> str:
        if is_id(dataset):
            return dataset
        return self._id_in_space(
            "dataset",
            dataset,
            space,
            budget,
            self._datasets,
            "/v2/datasets",
            DatasetList,
            lambda page: (page.datasets, page.pagination),
        )

    def evaluator(self, evaluator: str, space: str | None, budget: RetryBudget) -> Evaluator:
        """An evaluator by name (in ``space``) or by ID.

        By ID with a known space, the space's evaluators are listed once and the match is
        returned with its name and type; with no space, a minimal ``Evaluator`` (empty name
        and ``space_id``) comes back without a request.
        """
        if is_id(evaluator):
            if space is None:
                return Evaluator(id=evaluator, name="", space_id="")
            space_id = self.space_id(space, budget)
            index = self._evaluator_index.get(
                space_id, lambda: self._list_evaluators(space_id, budget)
            )
            if evaluator not in index:
                raise NameNotFoundError(
                    "evaluator",
                    evaluator,
                    sorted(e.name for e in index.values()),
                    scope=space_label(space),
                    path="/v2/evaluators",
                )
            return index[evaluator]
        space_id, scope = self._in_space("evaluator", evaluator, space, budget)

        def lookup() -> Evaluator:
            return find_named(
                self._transport,
                "evaluator",
                evaluator,
                "/v2/evaluators",
                {"space_id": space_id},
                EvaluatorList,
                lambda page: (page.evaluators, page.pagination),
                scope,
                budget,
            )

        return self._evaluators.get((space_id, evaluator), lookup)

    def evaluator_id(self, evaluator: str, space: str | None, budget: RetryBudget) -> str:
        """An evaluator's ID; an ID passes through without a request."""
        if is_id(evaluator):
            return evaluator
        return self.evaluator(evaluator, space, budget).id

    def experiment_id(self, experiment: str, dataset_id: str, budget: RetryBudget) -> str:
        if is_id(experiment):
            return experiment

        def lookup() -> str:
            return find_named(
                self._transport,
                "experiment",
                experiment,
                "/v2/experiments",
                {"dataset_id": dataset_id},
                ExperimentList,
                lambda page: (page.experiments, page.pagination),
                f"dataset {dataset_id}",
                budget,
            ).id

        return self._experiments.get((dataset_id, experiment), lookup)

    def ai_integration_id(self, integration: str, space: str | None, budget: RetryBudget) -> str:
        """The ID of an LLM AI integration (``/v2/ai-integrations``) given by name or ID."""
        return self._integration_id(AI_INTEGRATION, integration, space, budget)

    def agent_integration_id(self, integration: str, space: str | None, budget: RetryBudget) -> str:
        """The ID of an agent integration (``/v2/integrations``, ``type`` AGENT) by name or ID."""
        return self._integration_id(AGENT_INTEGRATION, integration, space, budget)

    def _integration_id(
        self, kind: str, integration: str, space: str | None, budget: RetryBudget
    ) -> str:
        """An integration's ID, cached per space."""
        if is_id(integration):
            return integration
        space_id, scope = self._in_space(kind, integration, space, budget)
        if kind == AI_INTEGRATION:
            path, filters = "/v2/ai-integrations", {"space_id": space_id}
        else:
            path, filters = "/v2/integrations", {"space_id": space_id, "type": "AGENT"}

        def lookup() -> str:
            if kind == AI_INTEGRATION:
                return find_named(
                    self._transport,
                    kind,
                    integration,
                    path,
                    filters,
                    AiIntegrationList,
                    lambda page: (page.ai_integrations, page.pagination),
                    scope,
                    budget,
                ).id
            return find_named(
                self._transport,
                kind,
                integration,
                path,
                filters,
                IntegrationList,
                lambda page: (page.integrations, page.pagination),
                scope,
                budget,
            ).id

        return self._integrations.get((kind, space_id, integration), lookup)

    def _list_evaluators(self, space_id: str, budget: RetryBudget) -> dict[str, Evaluator]:
        evaluators = iter_pages(
            self._transport,
            "/v2/evaluators",
            {"space_id": space_id},
            EvaluatorList,
            lambda page: (page.evaluators, page.pagination),
            budget,
        )
        return {e.id: e for e in evaluators}


def space_required(what: str | None = None) -> InvalidArgumentError:
    """The error for a name that needs a space to be looked up in, and none was given."""
    need = f"{what} is a name, and names are looked up in a space" if what else "no space given"
    return InvalidArgumentError(
        "space",
        f"{need}: pass space= (a name or ID) or give the client a default space "
        "(TasksClient(space=...) or ARIZE_SPACE)",
    )


def space_label(space: str) -> str:
    """How a space is named in messages: its ID bare, its name quoted."""
    return f"space {space}" if is_id(space) else f"space {space!r}"
