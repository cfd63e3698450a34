"""Provider configuration: the ``arize:*`` stack config keys, with environment fallbacks.

The dynamic provider process reads these in ``configure``; nothing read here is ever written
into resource state, so rotating the API key or pointing at another host changes no resource.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "CONFIG_KEYS",
    "MISSING_KEY_MESSAGE",
    "ConfigError",
    "ProviderSettings",
]

CONFIG_KEYS: dict[str, str | None] = {
    "arize:apiKey": "ARIZE_API_KEY",
    "arize:baseUrl": "ARIZE_BASE_URL",
    "arize:region": "ARIZE_REGION",
    "arize:space": "ARIZE_SPACE",
    "arize:timeout": None,
    "arize:maxRetries": None,
    "arize:retryMaxElapsed": None,
}
"""Every configuration key the provider reads, and the environment variable it falls back to."""

MISSING_KEY_MESSAGE = (
    "no Arize API key is configured: run `pulumi config set --secret arize:apiKey <key>` "
    "or set the ARIZE_API_KEY environment variable"
)


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


@dataclass(frozen=True)
class ProviderSettings:
    """What the provider needs to build a client; equal settings share one client."""

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    region: str | None = None
    space: str | None = None
    timeout: float = 30.0
    max_retries: int | None = None
    retry_max_elapsed: float | None = None

    @classmethod
    def load(
        cls, config: _ConfigSource | None = None, environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        """Read the ``arize:*`` keys from ``config``, each falling back to its variable."""
        env = os.environ if environ is None else environ

        def value(key: str) -> str | None:
            found = _text(config.get(key)) if config is not None else None
            variable = CONFIG_KEYS[key]
            if found is None and variable is not None:
                found = _text(env.get(variable))
            return found

        timeout = _number("arize:timeout", value("arize:timeout"), minimum=0, strict=True)
        return cls(
            api_key=value("arize:apiKey"),
            base_url=value("arize:baseUrl"),
            region=value("arize:region"),
            space=value("arize:space"),
            timeout=30.0 if timeout is None else timeout,
            max_retries=_count("arize:maxRetries", value("arize:maxRetries")),
            retry_max_elapsed=_number(
                "arize:retryMaxElapsed", value("arize:retryMaxElapsed"), minimum=0, strict=False
            ),
        )
