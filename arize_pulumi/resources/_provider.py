"""What both providers share: configuration, one client per configuration, user errors, logs.

A provider object is pickled into every resource's state and unpickled once per provider
process, so it holds nothing but class references: settings arrive through ``configure`` and
clients live in a process-wide registry keyed by settings, where the Task and TaskRun
providers of one program share them (and their name-lookup caches).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi.dynamic

from arize_pulumi.resources._normalize import is_unknown, plain
from arize_pulumi.resources.config import CONNECTION_KEYS, MISSING_KEY_MESSAGE, ProviderSettings

if TYPE_CHECKING:
    from arize_pulumi.resources.fields import Field
    from arize_pulumi.tasks.client import TasksClient

ClientFactory = Callable[[ProviderSettings], "TasksClient"]

T = TypeVar("T")

_clients: dict[ProviderSettings, TasksClient] = {}
_clients_lock = threading.Lock()


class ResourceError(Exception):
    """A failure to show a person as is: it names the resource and says what to do."""


class MissingAPIKey(ResourceError):
    """No API key in the stack config or the environment."""

    def __init__(self) -> None:
        super().__init__(MISSING_KEY_MESSAGE)


def build_client(settings: ProviderSettings) -> TasksClient:
    """A client for ``settings``; the alpha notice is left to the client library's users.

    The connection is resolved from the settings alone (they hold the environment's values
    already), so a bad or conflicting one is named as the user wrote it: config key or
    environment variable."""
    from arize_pulumi.tasks._config import resolve_connection
    from arize_pulumi.tasks.client import RetryPolicy, TasksClient

    retry = None
    if settings.max_retries is not None or settings.retry_max_elapsed is not None:
        budget: dict[str, Any] = {}
        if settings.max_retries is not None:
            budget["max_attempts"] = settings.max_retries + 1
        if settings.retry_max_elapsed is not None:
            budget["max_elapsed"] = settings.retry_max_elapsed
        retry = RetryPolicy(**budget)
    return TasksClient(
        api_key=settings.api_key,
        connection=resolve_connection(settings.connection_settings()),
        space=settings.space,
        timeout=settings.timeout,
        retry=retry,
        warn_alpha=False,
    )


def shared_client(settings: ProviderSettings) -> TasksClient:
    """The process's client for ``settings``, built on first use."""
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            client = build_client(settings)
            _clients[settings] = client
        return client


def log(level: str, message: str) -> None:
    """A line on the provider's stderr, which the Pulumi CLI shows with the operation."""
    sys.stderr.write(f"{level}: {message}\n")
    sys.stderr.flush()


_SETTING_NAMES = {
    "api_key": "arize:apiKey",
    **{name: key for key, name in CONNECTION_KEYS.items()},
    "timeout": "arize:timeout",
    "max_retries": "arize:maxRetries",
    "retry.max_attempts": "arize:maxRetries",
    "retry.max_elapsed": "arize:retryMaxElapsed",
}


def describe(exc: Exception) -> str:
    """A client error as a person should read it here, with what to do about a bad key."""
    from arize_pulumi.tasks.errors import ForbiddenError, UnauthorizedError

    text = str(exc)
    if isinstance(exc, UnauthorizedError):
        text += (
            "; check the API key (`pulumi config set --secret arize:apiKey <key>` or ARIZE_API_KEY)"
        )
    elif isinstance(exc, ForbiddenError):
        text += "; the API key (arize:apiKey) may not access this space"
    return text


@contextmanager
def api_errors(label: str, action: str) -> Iterator[None]:
    """Turn a client error into a :class:`ResourceError` that names the resource."""
    from arize_pulumi.tasks.errors import ArizeError

    try:
        yield
    except ArizeError as exc:
        raise ResourceError(f"{label}: {action} failed: {describe(exc)}") from None


def fetch_live(label: str, what: str, fetch: Callable[[], T], *, lookup: bool = False) -> T | None:
    """What a refresh reads; ``None`` (with a warning) when it no longer exists. For a
    ``get`` (``lookup``), which has no state to drop it from, a missing one is an error."""
    from arize_pulumi.tasks.errors import ArizeError, NotFoundError

    try:
        return fetch()
    except NotFoundError:
        if lookup:
            raise ResourceError(f"{label}: {what} not found") from None
        log("warning", f"{label}: {what} no longer exists; removing it from the state")
        return None
    except ArizeError as exc:
        raise ResourceError(f"{label}: reading {what} failed: {describe(exc)}") from None


def with_declared(
    live: Mapping[str, Any], declared: Mapping[str, Any], resolved: Mapping[str, Any]
) -> dict[str, Any]:
    """Full state: the live values and the checked inputs (with ``resolved``) they came from."""
    return dict(live) | {"declared": dict(declared) | {"resolved": dict(resolved)}}


class ProviderBase(pulumi.dynamic.ResourceProvider):
    """Configuration and client access for a dynamic provider that pickles to a reference."""

    serialize_as_secret_always = False

    INPUTS: frozenset[str]
    """The arguments a program may give."""

    STATE_INPUTS: frozenset[str]
    """What the checked inputs hold: the arguments, the resource name and ``resolved``."""

    OUTPUTS: tuple[str, ...]
    """The state keys the resource exposes as outputs."""

    _settings: ProviderSettings | None = None
    _client_factory: ClientFactory | None = None

    def __init__(self, client_factory: ClientFactory | None = None) -> None:
        super().__init__()
        if client_factory is not None:
            self._client_factory = client_factory

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def _inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in plain(props).items() if k in self.STATE_INPUTS}

    @staticmethod
    def _is_lookup(props: Mapping[str, Any]) -> bool:
        """Whether ``read`` serves a ``get``: its props are the registered ones, not a state."""
        return "declared" not in props

    def _declared(self, state: Mapping[str, Any]) -> dict[str, Any]:
        declared = state.get("declared")
        return self._inputs(declared if isinstance(declared, Mapping) else state)

    @staticmethod
    def _unchanged(olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> bool:
        """Whether ``inputs`` are the ones the state was made from. Those passed ``check``
        before, so an unchanged preview skips the validators (and loading the request models
        they are built on)."""
        # "__provider": pulumi.dynamic's input holding the pickled provider (a Pulumi internal),
        # checked on pulumi 3.216.0 and 3.272.0 (tests/matrix/versions.mk).
        derived = ("__provider", "resolved")
        old = {k: v for k, v in plain(olds).items() if k not in derived}
        return bool(old) and old == {k: v for k, v in plain(inputs).items() if k not in derived}

    def _refuse_unknown(self, inputs: Mapping[str, Any], fail: Callable[[str, str], None]) -> None:
        for key in sorted(set(inputs) - self.STATE_INPUTS):
            fail(key, f"unknown argument; the arguments are {', '.join(sorted(self.INPUTS))}")

    @staticmethod
    def _check_forms(
        fields: tuple[Field, ...], values: Mapping[str, Any], fail: Callable[[str, str], None]
    ) -> None:
        """What each field's form alone refuses in a known value (see ``fields.py``)."""
        for field in fields:
            value = values.get(field.name)
            if value is not None and not is_unknown(value):
                for path, reason in field.form.problems(field.name, value):
                    fail(path, reason)

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        self._settings = ProviderSettings.load(req.config)

    @property
    def settings(self) -> ProviderSettings:
        """The configured settings; without ``configure``, the environment's."""
        if self._settings is None:
            self._settings = ProviderSettings.load()
        return self._settings

    def client(self) -> TasksClient:
        """The client to use, refusing early (and clearly) when there is no API key."""
        from arize_pulumi.tasks.errors import InvalidArgumentError

        settings = self.settings
        if settings.api_key is None:
            raise MissingAPIKey()
        if self._client_factory is not None:
            return self._client_factory(settings)
        try:
            return shared_client(settings)
        except InvalidArgumentError as exc:
            key = _SETTING_NAMES.get(exc.field, exc.field)
            raise ResourceError(f"provider configuration {key}: {exc.reason}") from None
