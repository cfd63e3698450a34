"""Arize's opaque IDs: standard base64 of ``Kind:<n>:<suffix>`` (or ``Kind:<n>``).

The SDKs treat a value as an ID exactly when it decodes this way, otherwise as a name, so the
client and the sandbox share these two functions.
"""

from __future__ import annotations

import base64
import binascii
import re

_DECODED = re.compile(r"^[A-Za-z][A-Za-z0-9]*:[0-9]+(:[A-Za-z0-9]+)?$")


def encode_id(kind: str, number: int, suffix: str | None = None) -> str:
    """Build an ID of Arize's form, e.g. ``encode_id("OnlineTask", 45, "qRwX")``."""
    raw = f"{kind}:{number}" if suffix is None else f"{kind}:{number}:{suffix}"
    return base64.b64encode(raw.encode("ascii")).decode("ascii")


def decode_id(value: str) -> tuple[str, int] | None:
    """Return ``(kind, number)`` when ``value`` is an ID, else ``None`` (it is a name)."""
    if not value or len(value) % 4 != 0:
        return None
    try:
        raw = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not _DECODED.match(raw):
        return None
    kind, number = raw.split(":")[:2]
    return kind, int(number)


def is_id(value: str) -> bool:
    """True when ``value`` decodes as an Arize ID rather than a name."""
    return decode_id(value) is not None


def id_kind(value: str) -> str | None:
    """The kind of an ID (``"Space"``, ``"Model"``, ...), or ``None`` for a name."""
    decoded = decode_id(value)
    return decoded[0] if decoded else None
