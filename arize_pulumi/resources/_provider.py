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


RESOURCE_NAME = "__name"
"""The Pulumi resource name among the inputs, for messages."""
RESOLVED = "__resolved"
"""The checked inputs' reference texts and the IDs they stood for."""
CHANGED = "__changed"
"""What ``check`` found changed since the inputs in the state: ``{input: kind}`` with kind
``ADD``, ``UPDATE`` or ``DELETE``, for ``diff``, which sees only the old outputs. Keys that
start with ``__`` are left out of the engine's displays."""
PROVIDER_KEY = "__provider"
"""The input pulumi.dynamic keeps the pickled provider in (a Pulumi internal, checked on pulumi
3.260.0 and 3.272.0: tests/matrix/versions.mk)."""
_LEGACY = {"resource_name": RESOURCE_NAME, "resolved": RESOLVED}
"""The names of state made by earlier versions."""


class ProviderBase(pulumi.dynamic.ResourceProvider):
    """Configuration and client access for a dynamic provider that pickles to a reference."""

    serialize_as_secret_always = False

    INPUTS: frozenset[str]
    """The arguments a program may give."""

    STATE_INPUTS: frozenset[str]
    """What the checked inputs hold: the arguments, :data:`RESOURCE_NAME`, :data:`RESOLVED`
    and :data:`CHANGED`."""

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
        """The checked inputs among ``props`` (state of earlier versions read as today's)."""
        values = plain(props)
        out = {_LEGACY[k]: v for k, v in values.items() if k in _LEGACY}
        out |= {k: v for k, v in values.items() if k in self.STATE_INPUTS}
        return out

    @staticmethod
    def _is_lookup(props: Mapping[str, Any]) -> bool:
        """Whether ``read`` serves a ``get``: its props are the registered ones (nothing but
        the provider and the resource name), not a state."""
        return set(props) <= {PROVIDER_KEY, RESOURCE_NAME, "resource_name"}

    def _unchanged(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> bool:
        """Whether ``inputs`` are the ones the state was made from. Those passed ``check``
        before, so an unchanged preview skips the validators (and loading the request models
        they are built on)."""
        derived = (RESOLVED, CHANGED)
        old = {k: v for k, v in self._inputs(olds).items() if k not in derived}
        new = {k: v for k, v in self._inputs(inputs).items() if k not in derived}
        return bool(old) and old == new

    def _changed(
        self,
        fields: tuple[Field, ...],
        olds: Mapping[str, Any],
        new: Mapping[str, Any],
        new_resolved: Mapping[str, Any],
    ) -> dict[str, str]:
        """:data:`CHANGED`: the inputs among ``fields`` whose meaning differs from the old
        inputs ``olds`` (none for a resource not made yet)."""
        old = self._inputs(olds)
        if not old:
            return {}
        before = old.get(RESOLVED)
        old_resolved: Mapping[str, Any] = before if isinstance(before, Mapping) else {}
        changed = {}
        for field in fields:
            if field.changed(new, new_resolved, old, old_resolved):
                had, has = old.get(field.name) is not None, new.get(field.name) is not None
                changed[field.name] = "UPDATE" if had and has else "ADD" if has else "DELETE"
        return changed

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
        """Load the settings; in the dynamic-provider server, answer failures with their
        message alone and send detailed diffs from now on (see
        :mod:`arize_pulumi.resources._failures` and :mod:`arize_pulumi.resources._diff_display`)."""
        from arize_pulumi.resources import _diff_display, _failures

        _failures.install()
        _diff_display.install()
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
