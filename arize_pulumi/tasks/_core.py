"""What the parts of :class:`~arize_pulumi.tasks.client.TasksClient` share.

The client is assembled from mixins (lookups, tasks, runs) over :class:`ClientCore`, which
declares the state they all use (the transport, the name cache, the default space) and the
steps more than one of them takes. The value types callers see (``UNSET``, the pages) live
here too, so every part can use them; ``arize_pulumi.tasks.client`` re-exports them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from arize_pulumi.tasks._transport import UNSAFE_RETRY_STATUSES, Transport
from arize_pulumi.tasks.errors import InvalidArgumentError
from arize_pulumi.tasks.ids import is_id
from arize_pulumi.tasks.models import LENIENT, RequestModel, Task, TaskRun
from arize_pulumi.tasks.resolve import PAGE_LIMIT, Resolver, space_required
from arize_pulumi.tasks.retry import RetryBudget
from arize_pulumi.tasks.validation import errors_from_validation

__all__ = [
    "CLOCK_SKEW",
    "UNSET",
    "ClientCore",
    "TaskPage",
    "TaskRunPage",
    "UnsetType",
    "check_limit",
    "path_segment",
    "raise_first",
    "revalidate",
]

CLOCK_SKEW = timedelta(seconds=60)
"""How far the server's clock may run behind ours when deciding that a task or run was made
by an earlier attempt of the same call."""

R = TypeVar("R", bound=RequestModel)
M = TypeVar("M", bound=BaseModel)


class UnsetType(enum.Enum):
    """The type of :data:`UNSET`."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = UnsetType.UNSET
"""Marks an ``update`` argument as not given, so ``None`` can mean "clear it"."""


@dataclass
class TaskPage:
    """One page of tasks; pass ``next_cursor`` back as ``cursor`` for the next one."""

    tasks: list[Task]
    next_cursor: str | None


@dataclass
class TaskRunPage:
    """One page of runs, newest first; pass ``next_cursor`` back as ``cursor``."""

    runs: list[TaskRun]
    next_cursor: str | None


def path_segment(value: str) -> str:
    """An ID quoted for a URL path (IDs are base64, whose ``=`` may stay)."""
    return quote(value, safe="=")


def raise_first(problems: Sequence[InvalidArgumentError]) -> None:
    if problems:
        raise problems[0]


def check_limit(limit: int | None, field: str) -> None:
    if limit is not None and not 1 <= limit <= PAGE_LIMIT:
        raise InvalidArgumentError(field, f"must be between 1 and {PAGE_LIMIT}")


def revalidate(model: type[R], data: Mapping[str, Any]) -> R:
    """Validate a body again after names became IDs (two names may be one evaluator)."""
    try:
        return model.model_validate(dict(data), context=LENIENT)
    except ValidationError as exc:
        raise errors_from_validation(exc)[0] from None


class ClientCore:
    """The state every part of the client uses, and the space and budget rules they share."""

    _transport: Transport
    _resolver: Resolver
    default_space: str | None

    def _space(self, space: str | None) -> str | None:
        return space or self.default_space

    def _needs_space(self, space: str | None, *refs: str | None) -> None:
        """Refuse, before any request, a name that has no space to be looked up in."""
        if self._space(space) is None:
            for ref in refs:
                if ref is not None and not is_id(ref):
                    raise space_required(repr(ref))

    def _space_id(self, space: str | None, budget: RetryBudget) -> str | None:
        chosen = self._space(space)
        return None if chosen is None else self._resolver.space_id(chosen, budget)

    def _budget(self) -> RetryBudget:
        return self._transport.budget()

    def _post_once(
        self,
        path: str,
        model: type[M],
        request: RequestModel,
        recover: Callable[[], M | None],
        budget: RetryBudget,
        unknown_note: str,
    ) -> M:
        """POST what must not be made twice: a 409 after an unknown outcome asks ``recover``."""
        result = self._transport.request_or_recover(
            "POST",
            path,
            budget=budget,
            body=request.to_wire(),
            recover=recover,
            retry_statuses=UNSAFE_RETRY_STATUSES,
            landed_status=409,
            unknown_note=unknown_note,
        )
        if isinstance(result, httpx.Response):
            return self._transport.parse(model, result)
        return result
