"""How a provider failure reaches the Pulumi CLI: an expected one as its message alone.

Pulumi's dynamic-provider server (``python -m pulumi.dynamic``) wraps ``Check``, ``Diff``,
``Create``, ``Update``, ``Delete`` and ``Read`` in ``_abort_with_traceback``, which answers
any exception with ``context.abort(UNKNOWN, traceback.format_exc())``: the CLI then prints
10-20 lines of the server's frames and ours above the message. The server has no hook for
this (its gRPC handlers are bound when it starts, before any provider is unpickled), so the
one thing left is the name that wrapper looks up on every call: the module global
``traceback`` of ``pulumi.dynamic.__main__``. :func:`install` puts a stand-in there whose
``format_exc`` gives an expected failure (see :func:`is_expected`) as its message and
anything else, a bug, as the real traceback.

``check`` failures get the same treatment on their way out. For a failure that names a
property, the engine prints that property's whole value (``property run_configuration value
{map[...]} has a problem: ...``), and a problem of the configuration or of a nested field has
no property of its own (it showed as ``property space value {<nil>}``). The server builds each
failure with ``proto.CheckFailure(property=..., reason=...)``, ``proto`` being another module
global; the stand-in put there sends every failure without a property and with the reason
alone (which names the field, ``run_configuration.messages[1].role: ...``; one that does not
is prefixed with its property), so the engine prints ``<type> resource '<name>' has a
problem: <field>: <reason>``. The providers' own ``CheckResult`` keeps the property, for
callers that read it.

It is installed only where the server is the one this was written against; elsewhere
nothing changes and failures print as before. A Pulumi internal, checked on pulumi 3.260.0 and
3.272.0 (tests/matrix/versions.mk), the first and the newest release with the wrapper as
described (3.259.0 and earlier have none: grpc itself reports ``Exception calling application:
<message>``, so it is left alone).
"""

from __future__ import annotations

import re
import sys
import traceback
import types
from typing import Any

__all__ = ["install", "is_expected", "shown"]

_SERVER_MODULE = "pulumi.dynamic.__main__"
_WRAPPER = "_abort_with_traceback"

_LABEL = re.compile(r"(?:TaskRun|Task)(?: '.*?')?: ", re.DOTALL)
"""How every resource error starts (``Task 'nightly': ...``); the CLI names the resource
already, above the message, so the message drops it."""


def is_expected(exc: BaseException | None) -> bool:
    """Whether ``exc`` is a failure this package explains in its message (an API error, a
    refused input, a failed run, a timeout, bad configuration), not a bug."""
    from arize_pulumi.resources._provider import ResourceError
    from arize_pulumi.resources.config import ConfigError
    from arize_pulumi.tasks.errors import ArizeError

    return isinstance(exc, ResourceError | ArizeError | ConfigError)


def shown(message: str) -> str:
    """``message`` as the CLI should show it, under the resource it belongs to."""
    return _LABEL.sub("", message, count=1) if _LABEL.match(message) else message


class _QuietTraceback(types.ModuleType):
    """The ``traceback`` module, except that ``format_exc`` of an expected failure is its
    message."""

    def __init__(self, real: types.ModuleType) -> None:
        super().__init__(real.__name__, real.__doc__)
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def format_exc(self, limit: int | None = None, chain: bool = True) -> str:
        exc = sys.exc_info()[1]
        if is_expected(exc):
            return shown(str(exc))
        text: str = self._real.format_exc(limit, chain)
        return text


class _PlainCheckFailures(types.ModuleType):
    """Pulumi's ``proto`` module, except that a ``CheckFailure`` names no property and its
    reason drops the resource label and names the field."""

    def __init__(self, real: types.ModuleType) -> None:
        super().__init__(real.__name__, real.__doc__)
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def CheckFailure(self, property: str = "", reason: str = "") -> Any:
        text = shown(reason)
        if property and not re.search(rf"\b{re.escape(property)}\b", text):
            text = f"{property}: {text}"
        return self._real.CheckFailure(property="", reason=text)


def _server() -> types.ModuleType | None:
    """The dynamic-provider server module when this process is one and its wrapper formats
    errors with ``traceback.format_exc`` (the shape checked above), else ``None``."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if main is None or getattr(spec, "name", None) != _SERVER_MODULE:
        return None
    current = vars(main).get("traceback")
    if current is not traceback and not isinstance(current, _QuietTraceback):
        return None
    wrapper = vars(main).get(_WRAPPER)
    code = getattr(wrapper, "__code__", None)
    if code is None:
        return None
    inner = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    if not any({"traceback", "format_exc", "abort"} <= set(c.co_names) for c in inner):
        return None
    proto = vars(main).get("proto")
    if not isinstance(proto, types.ModuleType) or not hasattr(proto, "CheckFailure"):
        return None
    return main


def install() -> bool:
    """Show expected failures without a traceback from now on in this provider process;
    False (and nothing changed) when the server is not of the checked shape."""
    main = _server()
    if main is None:
        return False
    if not isinstance(vars(main)["traceback"], _QuietTraceback):
        main.traceback = _QuietTraceback(traceback)  # type: ignore[attr-defined]
    if not isinstance(vars(main)["proto"], _PlainCheckFailures):
        main.proto = _PlainCheckFailures(vars(main)["proto"])  # type: ignore[attr-defined]
    return True
