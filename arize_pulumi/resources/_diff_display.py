"""Detailed diffs for ``pulumi preview --diff``: only the inputs the user wrote, old and new.

Without a detailed diff the engine prints every input of an updated resource (those the
provider made too) and, for a replacement, the old outputs against the new inputs. A detailed
diff names the changed inputs; the engine then prints only those, taking the old value from
the old inputs (``input_diff``) or, for a value that drifted, from the old outputs.

Pulumi's dynamic-provider server (``python -m pulumi.dynamic``) builds its ``DiffResponse``
from ``changes``, ``replaces`` and ``delete_before_replace`` alone. The detailed diff rides on
``replaces`` (a list that carries it) and :func:`install`, run in that server's process,
swaps the ``DiffResponse`` constructor the server calls for one that sends it along. Where the
server is not the one this was written against, nothing is swapped and the engine prints its
own diff, as before. A Pulumi internal, checked on pulumi 3.260.0 and 3.272.0
(tests/matrix/versions.mk).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import DiffResult

__all__ = ["Changed", "InputChange", "detailed_result", "install", "installed", "response_fields"]

_lock = threading.Lock()


class Changed(list[str]):
    """``replaces`` of a :class:`DiffResult` that also carries the detailed diff:
    ``{input: (kind, from the old inputs)}`` with kinds as the engine names them
    (``UPDATE``, ``ADD_REPLACE``, ...)."""

    def __init__(self, replaces: list[str], detail: Mapping[str, tuple[str, bool]]) -> None:
        super().__init__(replaces)
        self.detail = dict(detail)


@dataclass(frozen=True)
class InputChange:
    """One changed input: whether it replaces, whether it was set before (in the old inputs
    or, for drift, the old outputs) and is set now, and where its old value is."""

    name: str
    replaces: bool
    before: bool
    after: bool
    from_inputs: bool = True

    @property
    def kind(self) -> str:
        kind = "UPDATE" if self.before and self.after else "ADD" if self.after else "DELETE"
        return f"{kind}_REPLACE" if self.replaces else kind


def detailed_result(
    changes: list[InputChange], delete_before_replace: bool | None = None
) -> DiffResult:
    """The diff of ``changes``, with the detailed diff the engine prints."""
    replaces = [c.name for c in changes if c.replaces]
    detail = {c.name: (c.kind, c.from_inputs) for c in changes}
    return DiffResult(
        changes=bool(changes),
        replaces=Changed(replaces, detail),
        delete_before_replace=delete_before_replace if replaces else None,
    )


def response_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` of a ``DiffResponse`` with the detailed diff that ``replaces`` carries."""
    from pulumi.runtime import proto

    out = dict(fields)
    carried = out.get("replaces")
    if not isinstance(carried, Changed):
        return out
    out["replaces"] = list(carried)
    out["detailedDiff"] = {
        name: proto.PropertyDiff(kind=getattr(proto.PropertyDiff, kind), inputDiff=from_inputs)
        for name, (kind, from_inputs) in carried.detail.items()
    }
    out["hasDetailedDiff"] = True
    out["diffs"] = sorted(carried.detail)
    return out


class _DiffResponse:
    """``DiffResponse`` as the server uses it (its constants, and a constructor that sends
    the detailed diff ``replaces`` carries)."""

    def __init__(self, message: Any) -> None:
        self._message = message

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message, name)

    def __call__(self, **fields: Any) -> Any:
        return self._message(**response_fields(fields))


_installed = False


def installed() -> bool:
    """Whether the dynamic-provider server of this process sends detailed diffs."""
    return _installed


def _server_module() -> Any:
    """The running dynamic-provider server module, if this process is one we know."""
    main = sys.modules.get("__main__")
    servicer = getattr(main, "DynamicResourceProviderServicer", None)
    proto = getattr(main, "proto", None)
    if not isinstance(servicer, type) or proto is None:
        return None
    response = getattr(proto, "DiffResponse", None)
    names = {f.name for f in getattr(getattr(response, "DESCRIPTOR", None), "fields", [])}
    if not {"detailedDiff", "hasDetailedDiff", "diffs", "replaces"} <= names:
        return None
    return proto


def install() -> bool:
    """Make this process's dynamic-provider server send the detailed diffs (once); False
    when this process is not such a server."""
    global _installed
    with _lock:
        if _installed:
            return True
        proto = _server_module()
        if proto is None:
            return False
        proto.DiffResponse = _DiffResponse(proto.DiffResponse)
        _installed = True
        return True
