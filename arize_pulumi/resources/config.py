"""Provider configuration: the ``arize:*`` stack config keys, with environment fallbacks.

The dynamic provider process reads these in ``configure``; nothing read here is ever written
into resource state, so rotating the API key or pointing at another host changes no resource.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from arize_pulumi.tasks._config import ENVIRONMENT, Given, from_environment

__all__ = [
    "CONFIG_KEYS",
    "CONNECTION_KEYS",
    "MISSING_KEY_MESSAGE",
    "ConfigError",
    "ProviderSettings",
    "config_warnings",
]

CONNECTION_KEYS: dict[str, str] = {
    "arize:baseUrl": "base_url",
    "arize:region": "region",
    "arize:apiScheme": "api_scheme",
    "arize:apiHost": "api_host",
    "arize:apiPort": "api_port",
    "arize:singleHost": "single_host",
    "arize:singlePort": "single_port",
    "arize:baseDomain": "base_domain",
    "arize:proxyUrl": "proxy_url",
    "arize:sslCaCert": "ssl_ca_cert",
    "arize:requestVerify": "request_verify",
}
"""The connection keys, each named after Arize's own setting (the ``TasksClient`` argument).

They follow the rules of ``arize_pulumi.tasks._config``: the key, else its environment
variable(s), else the default; a key set to an empty string is "not set" and hides the
variable (``pulumi config set arize:region ""``), while a key that is absent falls back to it.
"""

CONFIG_KEYS: dict[str, str | None] = {
    "arize:apiKey": "ARIZE_API_KEY",
    **{key: ENVIRONMENT[name][0] for key, name in CONNECTION_KEYS.items()},
    "arize:space": "ARIZE_SPACE",
    "arize:timeout": None,
    "arize:maxRetries": None,
    "arize:retryMaxElapsed": None,
}
"""Every configuration key the provider reads, and the environment variable it falls back to
(``arize:sslCaCert`` then also to ``REQUESTS_CA_BUNDLE`` and ``SSL_CERT_FILE``)."""

_KEY_OF = {name: key for key, name in CONNECTION_KEYS.items()}

MISSING_KEY_MESSAGE = (
    "no Arize API key is configured: run `pulumi config set --secret arize:apiKey <key>` "
    "or set the ARIZE_API_KEY environment variable"
)


def _suggestion(key: str) -> str | None:
    """The setting ``key`` most likely stands for: the same but for case, else a close one."""
    by_lower = {known.lower(): known for known in CONFIG_KEYS}
    if key.lower() in by_lower:
        return by_lower[key.lower()]
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def config_warnings(keys: Iterable[str], *, plain_api_key: bool, stack: str) -> list[str]:
    """What to tell the user about the stack's ``arize:*`` config before anything runs.

    An ``arize:`` key the provider does not read is ignored, which hides a typo
    (``arize:apikey``, ``arize:baseurl``) until a call fails for another reason; one is named,
    with the setting it most likely meant. An API key set without ``--secret`` is stored as
    written in ``Pulumi.<stack>.yaml`` and in the state (the engine records the default
    provider's configuration there); that is said, with both ways out."""
    warnings = []
    for key in sorted(k for k in set(keys) if k.split(":", 1)[0] == "arize"):
        if key in CONFIG_KEYS:
            continue
        guess = _suggestion(key)
        hint = (
            f"did you mean {guess}? (config keys are case-sensitive)"
            if guess
            else f"the settings are {', '.join(CONFIG_KEYS)}"
        )
        warnings.append(f"config key {key} is not an arize-pulumi setting and is ignored; {hint}")
    if plain_api_key:
        warnings.append(
            f"arize:apiKey is set in plain text: it is stored as written in Pulumi.{stack}.yaml "
            "and in the stack's state (the default provider's configuration). Encrypt it in "
            "both with `pulumi config set --secret arize:apiKey <key>`, or remove it "
            "(`pulumi config rm arize:apiKey`) and set ARIZE_API_KEY in the environment, "
            "where it is stored nowhere"
        )
    return warnings


class ConfigError(ValueError):
    """A provider configuration value is malformed; the message names the key."""


class _ConfigSource(Protocol):
    def get(self, key: str) -> Any: ...


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(key: str, value: str | None, *, minimum: float, strict: bool) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{key}: expected a number of seconds, got {value!r}") from None
    if number != number or number < minimum or (strict and number == minimum):
        bound = "greater than" if strict else "at least"
        raise ConfigError(f"{key}: must be {bound} {minimum:g}, got {value!r}")
    return number


def _count(key: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0 or number != int(number):
        raise ConfigError(f"{key}: expected a whole number of at least 0, got {value!r}")
    return int(number)


def _config_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


@dataclass(frozen=True)
class ProviderSettings:
    """What the provider needs to build a client; equal settings share one client.

    The connection settings (``base_url`` to ``request_verify``) are kept as written, to be
    checked when a client is built; ``sources`` names those that came from an environment
    variable (the others came from their config key), so an error names what the user set.
    """

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    region: str | None = None
    space: str | None = None
    timeout: float = 30.0
    max_retries: int | None = None
    retry_max_elapsed: float | None = None
    api_scheme: str | None = None
    api_host: str | None = None
    api_port: str | None = None
    single_host: str | None = None
    single_port: str | None = None
    base_domain: str | None = None
    proxy_url: str | None = field(default=None, repr=False)
    ssl_ca_cert: str | None = None
    request_verify: str | None = None
    sources: tuple[tuple[str, str], ...] = ()

    def connection_settings(self) -> dict[str, Given]:
        """The connection settings that are set, each with its name as the user wrote it."""
        sources = dict(self.sources)
        given: dict[str, Given] = {}
        for name, key in _KEY_OF.items():
            value = getattr(self, name)
            if value is not None:
                given[name] = Given(value, sources.get(name, key))
        return given

    @classmethod
    def load(
        cls, config: _ConfigSource | None = None, environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        """Read the ``arize:*`` keys from ``config``, each falling back to its variable."""
        env = os.environ if environ is None else environ

        def value(key: str) -> str | None:
            """A key, else its variable; a blank one counts as absent."""
            found = _text(config.get(key)) if config is not None else None
            variable = CONFIG_KEYS[key]
            if found is None and variable is not None:
                found = _text(env.get(variable))
            return found

        explicit: dict[str, Given] = {}
        for key, name in CONNECTION_KEYS.items():
            raw = config.get(key) if config is not None else None
            if raw is not None:
                explicit[name] = Given(_config_text(raw), key)
        chosen = from_environment(explicit, env)
        connection = {name: str(given.value) for name, given in chosen.items()}
        sources = tuple(
            (name, given.label) for name, given in chosen.items() if given.label != _KEY_OF[name]
        )

        timeout = _number("arize:timeout", value("arize:timeout"), minimum=0, strict=True)
        return cls(
            api_key=value("arize:apiKey"),
            **connection,
            sources=sources,
            space=value("arize:space"),
            timeout=30.0 if timeout is None else timeout,
            max_retries=_count("arize:maxRetries", value("arize:maxRetries")),
            retry_max_elapsed=_number(
                "arize:retryMaxElapsed", value("arize:retryMaxElapsed"), minimum=0, strict=False
            ),
        )
