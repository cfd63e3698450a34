"""Arize's opaque IDs: standard base64 of ``Kind:<n>:<suffix>`` (or ``Kind:<n>``).

Which text is an ID follows Arize's official SDK: any standard base64 that decodes to UTF-8
text containing ``:``; anything else is a name. The sandbox issues IDs of the structured form
and reads them back with :func:`decode_id`.
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
    """True when ``value`` is an Arize ID rather than a name (the official SDK's rule)."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return ":" in decoded


def id_kind(value: str) -> str | None:
    """The kind of an ID (``"Space"``, ``"Model"``, ...), or ``None`` for a name."""
    decoded = decode_id(value)
    return decoded[0] if decoded else None
