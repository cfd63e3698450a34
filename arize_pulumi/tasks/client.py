"""``TasksClient``: Arize AX evaluation tasks and task runs over the v2 REST API.

A Pythonic mirror of the Go SDK's tasks client. Tasks, spaces, projects, datasets,
evaluators and experiments may be named by ID or by name (a name is looked up in a space and
cached); arguments the server would refuse raise :class:`InvalidArgumentError` before any
request; failures are retried within a :class:`RetryPolicy`, and the two requests that are
not safe to repeat (create a task, trigger a run) are resent only after checking that an
earlier attempt whose outcome is unknown did not land, so a flaky network never makes a
duplicate.

One client holds one connection pool and may be shared by threads.

The methods are written by concern, as mixins over one shared state
(:class:`~arize_pulumi.tasks._core.ClientCore`): name lookups in ``_lookups``, tasks in
``_task_methods``, runs in ``_run_methods``; the host is chosen in ``_config``. This module
builds that state and owns the client's lifecycle.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Self

import httpx

from arize_pulumi.tasks._config import DEFAULT_BASE_URL, REGIONS, choose_base_url
from arize_pulumi.tasks._core import UNSET, TaskPage, TaskRunPage, UnsetType
from arize_pulumi.tasks._run_methods import RunMethods
from arize_pulumi.tasks._task_methods import TaskMethods
from arize_pulumi.tasks._transport import Transport
from arize_pulumi.tasks.errors import InvalidArgumentError, MissingAPIKeyError
from arize_pulumi.tasks.resolve import Resolver
from arize_pulumi.tasks.retry import RetryPolicy
from arize_pulumi.tasks.validation import EvaluatorSpec

__all__ = [
    "DEFAULT_BASE_URL",
    "REGIONS",
    "UNSET",
    "EvaluatorSpec",
    "RetryPolicy",
    "TaskPage",
    "TaskRunPage",
    "TasksClient",
    "UnsetType",
]


class TasksClient(TaskMethods, RunMethods):
    """A client for Arize AX evaluation tasks and task runs.

    ``api_key`` falls back to ``ARIZE_API_KEY``; without either, construction raises
    :class:`MissingAPIKeyError` (an error at the first request would come later and further
    from its cause). The host is ``base_url``, else the ``region``'s host, else
    ``ARIZE_BASE_URL``, else ``ARIZE_REGION``'s host, else ``https://api.arize.com``.
    ``space`` (else ``ARIZE_SPACE``) is the space names are looked up in when a call gives
    none. ``max_retries`` overrides ``retry.max_attempts`` (``max_retries + 1`` attempts).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        region: str | None = None,
        space: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        transport: httpx.BaseTransport | None = None,
        warn_alpha: bool = True,
    ) -> None:
        key = (api_key if api_key is not None else os.environ.get("ARIZE_API_KEY", "")).strip()
        if not key:
            raise MissingAPIKeyError()
        if timeout <= 0:
            raise InvalidArgumentError("timeout", "must be greater than 0 seconds")
        policy = retry or RetryPolicy()
        if max_retries is not None:
            if max_retries < 0:
                raise InvalidArgumentError("max_retries", "must not be negative")
            policy = dataclasses.replace(policy, max_attempts=max_retries + 1)
        self._base_url = choose_base_url(base_url, region)
        self.default_space = space or os.environ.get("ARIZE_SPACE") or None
        self._transport = Transport(
            api_key=key,
            base_url=self._base_url,
            timeout=timeout,
            policy=policy,
            transport=transport,
            warn_alpha=warn_alpha,
        )
        self._resolver = Resolver(self._transport)

    @property
    def base_url(self) -> str:
        """The API host every path is sent to."""
        return self._base_url

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry budget each call gets."""
        return self._transport.policy

    def close(self) -> None:
        """Close the connection pool; the client can't be used afterwards."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TasksClient(base_url={self._base_url!r}, space={self.default_space!r})"

    def __reduce__(self) -> Any:
        raise TypeError(
            "TasksClient holds a connection pool and an API key and is not picklable; "
            "build one where it is used"
        )
