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
``_task_methods``, runs in ``_run_methods``; the connection settings are read in ``_config``.
This module builds that state and owns the client's lifecycle.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Self

import httpx

from arize_pulumi.tasks._config import (
    DEFAULT_BASE_URL,
    REGIONS,
    Connection,
    Given,
    from_environment,
    resolve_connection,
)
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
    "Connection",
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
    from its cause). ``space`` (else ``ARIZE_SPACE``) is the space names are looked up in when
    a call gives none. ``max_retries`` overrides ``retry.max_attempts`` (``max_retries + 1``
    attempts).

    Where to connect follows Arize's official SDK, with the same names: ``api_scheme``,
    ``api_host``, ``api_port`` (else ``ARIZE_API_SCHEME``, ``ARIZE_API_HOST``,
    ``ARIZE_API_PORT``; default ``https://api.arize.com``), and one of the routes ``region``,
    ``single_host``/``single_port``, ``base_domain`` or ``base_url`` (else ``ARIZE_REGION``,
    ``ARIZE_SINGLE_HOST``/``ARIZE_SINGLE_PORT``, ``ARIZE_BASE_DOMAIN``, ``ARIZE_BASE_URL``);
    two routes are an error naming both. ``proxy_url`` (else ``ARIZE_PROXY_URL``),
    ``ssl_ca_cert`` (else ``ARIZE_SSL_CA_CERT``, ``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE``) and
    ``request_verify`` (else ``ARIZE_REQUEST_VERIFY``) set up the HTTP client. An argument
    always beats its variable; an empty one (or 0 for a port) unsets it. See
    :mod:`arize_pulumi.tasks._config` for the rules. ``connection`` is a
    :class:`~arize_pulumi.tasks._config.Connection` resolved already, in place of all of
    these. A ``transport`` replaces the network layer, so the proxy and TLS settings are then
    checked but not used.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        region: str | None = None,
        api_host: str | None = None,
        api_scheme: str | None = None,
        api_port: int | str | None = None,
        single_host: str | None = None,
        single_port: int | str | None = None,
        base_domain: str | None = None,
        proxy_url: str | None = None,
        ssl_ca_cert: str | os.PathLike[str] | None = None,
        request_verify: bool | str | None = None,
        connection: Connection | None = None,
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
        given = {
            name: Given(value, name)
            for name, value in (
                ("base_url", base_url),
                ("region", region),
                ("api_scheme", api_scheme),
                ("api_host", api_host),
                ("api_port", api_port),
                ("single_host", single_host),
                ("single_port", single_port),
                ("base_domain", base_domain),
                ("proxy_url", proxy_url),
                ("ssl_ca_cert", ssl_ca_cert),
                ("request_verify", request_verify),
            )
            if value is not None
        }
        if connection is None:
            connection = resolve_connection(from_environment(given, os.environ))
        elif given:
            named = ", ".join(f"{name}=" for name in given)
            raise InvalidArgumentError("connection", f"give either connection= or {named}")
        self._base_url = connection.base_url
        self.default_space = space or os.environ.get("ARIZE_SPACE") or None
        self._transport = Transport(
            api_key=key,
            base_url=self._base_url,
            timeout=timeout,
            policy=policy,
            transport=transport,
            warn_alpha=warn_alpha,
            verify=connection.verify,
            proxy=connection.proxy,
            where=connection.where(),
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
