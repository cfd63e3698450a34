"""Warnings about the stack's ``arize:*`` configuration, from the Pulumi program.

They are given where the program declares its first ``Task`` or ``TaskRun``, so they show in
``pulumi preview`` and ``pulumi up`` as the stack's warnings. Only the program knows which
config values are secret: the provider process receives them all decrypted.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from arize_pulumi.resources.config import config_warnings

__all__ = ["warn_about_config"]

_warned_for: list[dict[str, Any]] = []
"""The config map of the program run already warned about (an Automation API host runs
several programs in one process, each with a config map of its own)."""


def warn_about_config() -> None:
    """Warn once per program run about unknown ``arize:*`` keys and a plain-text API key."""
    current = runtime_config.CONFIG.get()
    if _warned_for and _warned_for[0] is current:
        return
    _warned_for[:] = [current]
    keys = set(current) | set(runtime_config.get_config_env())
    plain = runtime_config.get_config("arize:apiKey") is not None and not (
        runtime_config.is_config_secret("arize:apiKey")
    )
    for message in config_warnings(keys, plain_api_key=plain, stack=pulumi.get_stack()):
        pulumi.log.warn(message)
