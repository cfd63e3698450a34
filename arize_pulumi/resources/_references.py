"""Names to IDs for the resources, asking the API only about text that changed.

A resource's checked inputs carry ``resolved``: the reference texts it was given (space,
project, dataset, evaluators, experiments, the run configuration's AI integration) with the
IDs they stood for. The next ``check``
reuses an ID whenever its text is unchanged, and an ID given directly needs no request at
all, so an unchanged program previews without a single API call and switching a name for
its ID is no change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from arize_pulumi.resources._normalize import is_unknown
from arize_pulumi.resources._provider import ResourceError, describe

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient

T = TypeVar("T")

_BY_ID: dict[str, Callable[[TasksClient, str], Any]] = {
    "project": lambda client, project_id: client.get_project(project_id),
    "dataset": lambda client, dataset_id: client.get_dataset(dataset_id),
}
"""How a project or dataset given by ID is fetched, to check that it exists."""

Problem = tuple[str, str]
"""``(property, message)``: the top-level input a problem belongs to, and what is wrong."""


def is_id(value: str) -> bool:
    """True when ``value`` is an Arize ID rather than a name."""
    from arize_pulumi.tasks.ids import is_id as decodes

    return decodes(value)


def evaluator_ref(entry: Any) -> Any:
    """The evaluator an ``evaluators`` entry names (a name or ID), as given."""
    if isinstance(entry, Mapping):
        return entry.get("evaluator", entry.get("evaluator_id"))
    return entry


def evaluator_entries(value: Any) -> list[dict[str, Any]]:
    """``evaluators`` entries as dicts keyed by ``evaluator`` (strings are bare references)."""
    if not isinstance(value, list):
        return []
    entries = []
    for entry in value:
        item = dict(entry) if isinstance(entry, Mapping) else {}
        item.pop("evaluator_id", None)
        item["evaluator"] = evaluator_ref(entry)
        entries.append(item)
    return entries


class References:
    """Resolves one resource's references, collecting problems instead of raising.

    The client is built on the first lookup that needs it, so inputs that need none never
    require an API key. After a failure that would repeat for every name (no key, a refused
    key, an unreachable host), further lookups are skipped.
    """

    def __init__(
        self,
        client: Callable[[], TasksClient],
        previous: Any,
        default_space: str | None,
    ) -> None:
        self._make_client = client
        self._client: TasksClient | None = None
        self._previous: Mapping[str, Any] = previous if isinstance(previous, Mapping) else {}
        self._default_space = default_space
        self._broken = False
        self.problems: list[Problem] = []
        self.resolved: dict[str, Any] = {}

    def _lookup(
        self, prop: str, what: str, scope: str | None, call: Callable[[TasksClient], T]
    ) -> T | None:
        from arize_pulumi.tasks.errors import (
            AmbiguousNameError,
            ArizeError,
            InvalidArgumentError,
            NameNotFoundError,
            NotFoundError,
        )

        if self._broken:
            return None
        try:
            if self._client is None:
                self._client = self._make_client()
            return call(self._client)
        except NameNotFoundError as exc:
            from arize_pulumi.tasks.errors import did_you_mean

            where = f" in {scope}" if scope else ""
            if exc.suggestions:
                near = f"; {did_you_mean(exc.suggestions)}"
            else:
                near = f" (seen: {', '.join(exc.seen)})" if exc.seen else ""
            self.problems.append((prop, f"{what} not found{where}{near}"))
        except NotFoundError:
            where = f" in {scope}" if scope else ""
            self.problems.append((prop, f"{what} not found{where}: no such ID"))
        except InvalidArgumentError as exc:
            self.problems.append((prop, f"{what}: {exc.reason}"))
        except AmbiguousNameError as exc:
            where = f" in {scope}" if scope else ""
            ids = ", ".join(exc.candidates)
            self.problems.append((prop, f"{what} is ambiguous{where} ({ids}); give an ID"))
        except (ArizeError, ResourceError) as exc:
            self._broken = True
            # without a client (no key, bad connection settings) the problem is the setting
            # alone, not the name this lookup was for
            if self._client is None:
                self.problems.append(("", describe(exc)))
            else:
                self.problems.append((prop, f"cannot look up {what}: {describe(exc)}"))
        return None

    def _can_ask(self) -> bool:
        """Whether a client can be had, without reporting why not (for optional checks)."""
        from arize_pulumi.tasks.errors import ArizeError

        if self._client is None and not self._broken:
            try:
                self._client = self._make_client()
            except (ArizeError, ResourceError):
                return False
        return self._client is not None

    def _reuse(self, key: str, ref: str) -> str | None:
        previous = self._previous
        if previous.get(f"{key}_ref") == ref and isinstance(previous.get(f"{key}_id"), str):
            return str(previous[f"{key}_id"])
        return None

    def space(self, given: Any) -> bool:
        """Resolve the space (given, else the configured default); False if it is unknown."""
        ref = given if given is not None else self._default_space
        if is_unknown(ref):
            return False
        if not isinstance(ref, str) or not ref:
            return True
        self.resolved["space_ref"] = ref
        found = ref if is_id(ref) else self._reuse("space", ref)
        if found is None:
            found = self._lookup(
                "space", f"space '{ref}'", None, lambda c: str(c.resolve_space_id(ref))
            )
        if found is not None:
            self.resolved["space_id"] = found
        return True

    @property
    def _same_space(self) -> bool:
        return self.resolved.get("space_id") == self._previous.get("space_id")

    def _space_scope(self) -> str:
        return f"space '{self.resolved.get('space_ref')}'"

    def _needs_space(self, prop: str, what: str) -> bool:
        """Report a name that has no space to be looked up in; True when one is at hand."""
        if "space_id" in self.resolved:
            return True
        if "space_ref" not in self.resolved:
            self.problems.append(
                (
                    prop,
                    f"{what} is a name, and names are looked up in a space: set `space` on "
                    "the resource or run `pulumi config set arize:space <space>`",
                )
            )
        return False

    def _checked_id(
        self,
        key: str,
        what: str,
        given: str,
        fetch: Callable[[TasksClient], Any],
        prop: str | None = None,
    ) -> str | None:
        """An ID given directly, checked to exist when it is new to this resource (once:
        the next ``check`` reuses it, from ``<key>_ref``/``<key>_id``), and to belong to the
        resolved space; else ``None``, with a problem against ``prop`` (default ``key``)."""
        prop = prop or key
        if given in (self._previous.get(f"{key}_ref"), self._previous.get(f"{key}_id")):
            return given
        if not self._can_ask():
            return given  # no key (a preview without secrets): the API checks it at create
        found = self._lookup(prop, what, None, fetch)
        if found is None:
            return None
        owner = getattr(found, "space_id", None)
        space_id = self.resolved.get("space_id")
        if owner and space_id and owner != space_id:
            self.problems.append(
                (prop, f"{what} belongs to another space ({owner}), not {self._space_scope()}")
            )
            return None
        return given

    def named(self, kind: str, given: Any, call: Callable[[TasksClient, str, str], str]) -> None:
        """Resolve a project or dataset reference into ``<kind>_ref`` / ``<kind>_id``; one
        given by ID is checked to exist (:meth:`_checked_id`)."""
        if not isinstance(given, str) or not given or is_unknown(given):
            return
        self.resolved[f"{kind}_ref"] = given
        if is_id(given):
            fetch = _BY_ID[kind]
            found = self._checked_id(kind, f"{kind} {given}", given, lambda c: fetch(c, given))
            if found is not None:
                self.resolved[f"{kind}_id"] = found
            return
        found = self._reuse(kind, given) if self._same_space else None
        if found is None and self._needs_space(kind, f"{kind} '{given}'"):
            space_id = str(self.resolved["space_id"])
            found = self._lookup(
                kind,
                f"{kind} '{given}'",
                self._space_scope(),
                lambda c: call(c, given, space_id),
            )
        if found is not None:
            self.resolved[f"{kind}_id"] = found

    def integration(self, config: Any) -> None:
        """Resolve a run configuration's integration given by name or ID into
        ``ai_integration_ref`` / ``ai_integration_id`` (``ai_integration`` of an LLM
        configuration) or ``agent_integration_ref`` / ``agent_integration_id``
        (``integration`` of an ``AGENT_CALL`` one)."""
        if not isinstance(config, Mapping):
            return
        kind = config.get("experiment_type")
        if not isinstance(kind, str) or is_unknown(kind):
            return
        agent = kind.upper() == "AGENT_CALL"
        argument, key = ("integration", "agent_integration") if agent else ("ai_integration",) * 2
        given = config.get(argument)
        direct = given is None
        if direct:  # the wire's own ``ai_integration_id`` / ``integration_id``: an ID, kept once
            given = config.get(f"{argument}_id")
            if not isinstance(given, str) or is_unknown(given) or not is_id(given):
                return
        if not isinstance(given, str) or not given or is_unknown(given):
            return
        if not direct:
            self.resolved[f"{key}_ref"] = given
        what = f"{'agent' if agent else 'AI'} integration '{given}' (run_configuration.{argument})"
        if is_id(given):
            fetch = self._integration_by_id(given, agent)
            found = self._checked_id(key, what, given, fetch, prop="run_configuration")
            if found is not None:
                self.resolved[f"{key}_id"] = found
            return
        found = self._reuse(key, given) if self._same_space else None
        if found is None and self._needs_space("run_configuration", what):
            space_id = str(self.resolved["space_id"])
            found = self._lookup(
                "run_configuration",
                what,
                self._space_scope(),
                lambda c: (
                    c.resolve_agent_integration_id(given, space=space_id)
                    if agent
                    else c.resolve_ai_integration_id(given, space=space_id)
                ),
            )
        if found is not None:
            self.resolved[f"{key}_id"] = found

    def _integration_by_id(self, given: str, agent: bool) -> Callable[[TasksClient], Any]:
        """Fetch an integration by ID and refuse one of the wrong type (an AGENT_CALL needs an
        ``AGENT`` integration, the others an LLM one)."""
        from arize_pulumi.tasks.errors import InvalidArgumentError

        wanted = "AGENT" if agent else "LLM"

        def fetch(client: TasksClient) -> Any:
            found = client.get_integration(given) if agent else client.get_ai_integration(given)
            kind = (found.type or wanted).upper()
            if kind != wanted:
                raise InvalidArgumentError(
                    "run_configuration",
                    f"{given} is an {kind} integration; this experiment type needs an "
                    f"{wanted} integration",
                )
            return found

        return fetch

    def evaluators(self, entries: Any) -> None:
        """Resolve every evaluator reference into ``evaluator_ids`` (text -> ID)."""
        if not isinstance(entries, list):
            return
        known = self._previous.get("evaluator_ids") if self._same_space else None
        previous: Mapping[str, Any] = known if isinstance(known, Mapping) else {}
        ids: dict[str, str] = {}
        for index, entry in enumerate(entries):
            ref = evaluator_ref(entry)
            if not isinstance(ref, str) or not ref or is_unknown(ref) or ref in ids:
                continue
            found = previous.get(ref)
            what = f"evaluator '{ref}' (evaluators[{index}])"
            if (
                found is None
                and is_id(ref)
                and (
                    ref in previous.values()
                    or "space_id" not in self.resolved
                    or not self._can_ask()
                )
            ):
                found = ref  # known already, or no space or key to check it (the API will)
            if not isinstance(found, str) and self._needs_space("evaluators", what):
                found = self._lookup(
                    "evaluators", what, self._space_scope(), self._evaluator_id(ref)
                )
            if isinstance(found, str):
                ids[ref] = found
        self.resolved["evaluator_ids"] = ids

    def _evaluator_id(self, ref: str) -> Callable[[TasksClient], str]:
        space_id = str(self.resolved["space_id"])
        return lambda client: str(client.resolve_evaluator(ref, space=space_id).id)

    def _experiment_id(self, ref: str, dataset_id: str) -> Callable[[TasksClient], str]:
        return lambda client: str(client.resolve_experiment_id(ref, dataset_id=dataset_id))

    def _experiment_in(self, experiment_id: str) -> str | None:
        """An experiment given by ID, checked to exist and to belong to the resolved dataset."""
        found = self._lookup(
            "experiment_ids",
            f"experiment {experiment_id}",
            None,
            lambda client: client.get_experiment(experiment_id),
        )
        if found is None:
            return None
        dataset_id = self.resolved.get("dataset_id")
        if found.dataset_id is not None and found.dataset_id != dataset_id:
            self.problems.append(
                (
                    "experiment_ids",
                    f"experiment {experiment_id} belongs to dataset {found.dataset_id}, not "
                    f"dataset '{self.resolved.get('dataset_ref')}' ({dataset_id})",
                )
            )
            return None
        return experiment_id

    def experiments(self, refs: Any) -> None:
        """Resolve experiment references of the (resolved) dataset into ``experiment_ids``."""
        if not isinstance(refs, list):
            return
        dataset_id = self.resolved.get("dataset_id")
        same_dataset = dataset_id is not None and dataset_id == self._previous.get("dataset_id")
        known = self._previous.get("experiment_ids") if same_dataset else None
        previous: Mapping[str, Any] = known if isinstance(known, Mapping) else {}
        ids: dict[str, str] = {}
        for ref in refs:
            if not isinstance(ref, str) or not ref or is_unknown(ref) or ref in ids:
                continue
            found = previous.get(ref)
            if found is None and is_id(ref):
                known = (
                    ref in previous.values()
                    or not isinstance(dataset_id, str)
                    or not self._can_ask()
                )
                found = ref if known else self._experiment_in(ref)
                if found is None:
                    continue
            if not isinstance(found, str) and isinstance(dataset_id, str):
                scope = f"dataset '{self.resolved.get('dataset_ref')}'"
                found = self._lookup(
                    "experiment_ids",
                    f"experiment '{ref}'",
                    scope,
                    self._experiment_id(ref, dataset_id),
                )
            if isinstance(found, str):
                ids[ref] = found
        self.resolved["experiment_ids"] = ids

    def task(
        self, given: Any, with_type: Callable[[TasksClient, str], tuple[str, str, str]]
    ) -> None:
        """Resolve a task reference into ``task_ref`` / ``task_id`` / ``task_type`` /
        ``task_on`` (``project`` or ``dataset``).

        The task's type and target are kept with its ID: a trigger needs them, and they never
        change.
        """
        if not isinstance(given, str) or not given or is_unknown(given):
            return
        self.resolved["task_ref"] = given
        previous = self._previous
        if (
            previous.get("task_ref") == given
            and isinstance(previous.get("task_id"), str)
            and isinstance(previous.get("task_type"), str)
            and isinstance(previous.get("task_on"), str)
            and (is_id(given) or self._same_space)
        ):
            for key in ("task_id", "task_type", "task_on"):
                self.resolved[key] = previous[key]
            return
        if not is_id(given) and not self._needs_space("task", f"task '{given}'"):
            return
        space = self.resolved.get("space_id")
        scope = self._space_scope() if not is_id(given) else None
        found = self._lookup(
            "task", f"task '{given}'", scope, lambda c: with_type(c, str(space or ""))
        )
        if found is not None:
            task_id, task_type, task_on = found
            self.resolved |= {"task_id": task_id, "task_type": task_type, "task_on": task_on}
