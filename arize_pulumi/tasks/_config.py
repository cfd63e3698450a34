"""Where and how a client connects: Arize's connection settings, read the way Arize's
official Python SDK (``arize`` 8.61.0, ``arize/config.py``) reads them.

Each setting is taken on its own from an explicit value (a ``TasksClient`` argument, or a
provider config key), else from its environment variable(s), else its default:

- ``api_scheme``: ``ARIZE_API_SCHEME``, default ``https``;
- ``api_host``: ``ARIZE_API_HOST``, default ``api.arize.com``;
- ``api_port``: ``ARIZE_API_PORT``, default 0 (the scheme's own port);
- ``region``: ``ARIZE_REGION``; ``single_host``: ``ARIZE_SINGLE_HOST``; ``single_port``:
  ``ARIZE_SINGLE_PORT`` (0: unset); ``base_domain``: ``ARIZE_BASE_DOMAIN``; and ours,
  ``base_url``: ``ARIZE_BASE_URL`` (the SDK has no base URL); all unset by default;
- ``proxy_url``: ``ARIZE_PROXY_URL``, default none;
- ``ssl_ca_cert``: ``ARIZE_SSL_CA_CERT``, else ``REQUESTS_CA_BUNDLE``, else ``SSL_CERT_FILE``,
  default httpx's CAs;
- ``request_verify``: ``ARIZE_REQUEST_VERIFY``, default true.

Then, as the SDK does: ``api_scheme://api_host[:api_port]`` is the API URL, unless a *route*
replaces the host: ``region`` (``api.<region>.arize.com``), ``base_domain``
(``api.<base_domain>``) or ``single_host``/``single_port`` (the host, and the port when
``api_port`` is 0). Routes are mutually exclusive whatever their sources: two of them are an
error naming both. ``base_url`` is one more route, the only one that is a whole URL: it
replaces scheme, host and port (and may carry a path prefix).

An empty value or 0 given explicitly means "not set" and hides the environment variable (as
``ArizeClient(region=Region.UNSET)`` does in the SDK); a blank environment variable counts as
unset. Every error names the setting as it was written (the argument, the config key or the
environment variable), and ``httpx`` and ``ssl`` load only when a connection is resolved.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from arize_pulumi.tasks.errors import InvalidArgumentError

if TYPE_CHECKING:
    import ssl

    import httpx

__all__ = [
    "DEFAULT_API_HOST",
    "DEFAULT_API_SCHEME",
    "DEFAULT_BASE_URL",
    "ENVIRONMENT",
    "FALSE_WORDS",
    "REGIONS",
    "TRUE_WORDS",
    "Connection",
    "Given",
    "from_environment",
    "resolve_connection",
]

logger = logging.getLogger("arize_pulumi.tasks.connection")

DEFAULT_API_HOST = "api.arize.com"
DEFAULT_API_SCHEME = "https"
DEFAULT_BASE_URL = "https://api.arize.com"
REGIONS = frozenset({"us-central-1a", "eu-west-1a", "ca-central-1a", "us-east-1b"})
"""The SDK's ``arize.regions.Region`` values; each maps to ``api.<region>.arize.com``."""

ENVIRONMENT: Mapping[str, tuple[str, ...]] = {
    "base_url": ("ARIZE_BASE_URL",),
    "region": ("ARIZE_REGION",),
    "api_scheme": ("ARIZE_API_SCHEME",),
    "api_host": ("ARIZE_API_HOST",),
    "api_port": ("ARIZE_API_PORT",),
    "single_host": ("ARIZE_SINGLE_HOST",),
    "single_port": ("ARIZE_SINGLE_PORT",),
    "base_domain": ("ARIZE_BASE_DOMAIN",),
    "proxy_url": ("ARIZE_PROXY_URL",),
    "ssl_ca_cert": ("ARIZE_SSL_CA_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"),
    "request_verify": ("ARIZE_REQUEST_VERIFY",),
}
"""Every connection setting (as a ``TasksClient`` argument) and the variables it falls back to,
in order."""

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
"""What the SDK reads as true in ``ARIZE_REQUEST_VERIFY`` (any case)."""

FALSE_WORDS = frozenset({"0", "false", "no", "off"})
"""What is read as false. The SDK reads every other word as false too; a word in neither set
is refused here, so a typo never turns certificate checks off."""

_ROUTES = ("base_url", "region", "single_host", "single_port", "base_domain")
_ROUTE_OF = {"single_port": "single_host"}
_CONFLICT_HINT = (
    "base URL, region, single host/port and base domain each choose the API host; set only "
    "one of them (an empty value given explicitly hides an environment variable)"
)
_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
_PORT_SUFFIX = re.compile(r":\d*$")


class Given(NamedTuple):
    """A setting's value and its name as the user wrote it (argument, config key or variable)."""

    value: object
    label: str


def from_environment(explicit: Mapping[str, Given], environ: Mapping[str, str]) -> dict[str, Given]:
    """Each setting's explicit value, else the first of its variables that is set and not
    blank; settings with neither are left out."""
    unknown = sorted(set(explicit) - set(ENVIRONMENT))
    if unknown:
        raise ValueError(f"not connection settings: {', '.join(unknown)}")
    chosen: dict[str, Given] = {}
    for name, variables in ENVIRONMENT.items():
        if name in explicit:
            chosen[name] = explicit[name]
            continue
        for variable in variables:
            text = environ.get(variable, "").strip()
            if text:
                chosen[name] = Given(text, variable)
                break
    return chosen


@dataclass(frozen=True, eq=False, repr=False)
class Connection:
    """A resolved connection: the API URL, and how the HTTP client checks TLS and proxies.

    ``verify`` is what ``httpx.Client(verify=...)`` takes: ``True`` (httpx's default CAs),
    ``False`` (``request_verify`` off) or an ``ssl.SSLContext`` holding only the CAs of
    ``ssl_ca_cert``. ``proxy`` is ``httpx.Client(proxy=...)``: with none, httpx's own
    ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``/``NO_PROXY`` still apply.
    """

    base_url: str
    verify: ssl.SSLContext | bool = True
    proxy: httpx.Proxy | None = None
    ca_cert: str | None = None
    origin: str = ""
    """The settings the URL was made from, as written (``arize:baseUrl``, ``ARIZE_REGION,
    ARIZE_API_PORT``); empty for the default. A connection error names them."""
    proxy_origin: str = ""
    """The setting that named the proxy, as written."""

    def where(self) -> str:
        """Where requests go and which settings said so, for a connection error."""
        source = f"from {self.origin}" if self.origin else "the default"
        text = f"API URL {self.base_url} ({source})"
        if self.proxy is not None:
            text += f", through the proxy {proxy_text(self.proxy)} (from {self.proxy_origin})"
        return text

    def __repr__(self) -> str:
        parts = [f"base_url={self.base_url!r}"]
        if self.proxy is not None:
            parts.append(f"proxy={proxy_text(self.proxy)!r}")
        if self.verify is False:
            parts.append("verify=False")
        elif self.ca_cert is not None:
            parts.append(f"ca_cert={self.ca_cert!r}")
        return f"Connection({', '.join(parts)})"


def proxy_text(proxy: httpx.Proxy) -> str:
    """A proxy's URL with the user name kept and the password masked."""
    if proxy.auth is None:
        return str(proxy.url)
    user = proxy.auth[0]
    return str(proxy.url.copy_with(username=user, password="***" if proxy.auth[1] else None))


def resolve_connection(chosen: Mapping[str, Given]) -> Connection:
    """The connection ``chosen`` (see :func:`from_environment`) describes, or an
    :class:`InvalidArgumentError` naming the setting that is wrong, as it was written."""
    values: dict[str, object] = {}
    for name, given in chosen.items():
        value = _PARSERS[name](given)
        if value is not None:
            values[name] = value
    labels = {name: given.label for name, given in chosen.items()}

    routes = [name for name in _ROUTES if name in values]
    if len({_ROUTE_OF.get(name, name) for name in routes}) > 1:
        first, *others = routes
        clash = ", ".join(f"{labels[name]}={values[name]!r}" for name in others)
        raise InvalidArgumentError(
            labels[first], f"{values[first]!r} conflicts with {clash}: {_CONFLICT_HINT}"
        )

    url = _api_url(values, labels)
    origin = ", ".join(labels[name] for name in _made_from(values))
    verify: ssl.SSLContext | bool = True
    ca_cert: str | None = None
    if values.get("request_verify") is False:
        verify = False
    elif "ssl_ca_cert" in values:
        ca_cert = str(values["ssl_ca_cert"])
        verify = _ca_context(ca_cert, labels["ssl_ca_cert"])
    proxy = None
    if "proxy_url" in values:
        proxy = _proxy(str(values["proxy_url"]), labels["proxy_url"], verify)
    connection = Connection(
        url, verify, proxy, ca_cert, origin=origin, proxy_origin=labels.get("proxy_url", "")
    )
    logger.debug(
        "%r, from %s", connection, ", ".join(sorted(labels[n] for n in values)) or "defaults"
    )
    return connection


def _api_url(values: Mapping[str, object], labels: Mapping[str, str]) -> str:
    """The SDK's ``SDKConfiguration.api_url``, with our ``base_url`` as one more route."""
    if "base_url" in values:
        return str(values["base_url"])
    scheme = str(values.get("api_scheme", DEFAULT_API_SCHEME))
    host = str(values.get("api_host", DEFAULT_API_HOST))
    host_from = "api_host"
    port = int(str(values.get("api_port", 0)))
    if "base_domain" in values:
        host, host_from = f"api.{values['base_domain']}", "base_domain"
    if "single_host" in values:
        host, host_from = str(values["single_host"]), "single_host"
    if "single_port" in values and port == 0:
        port = int(str(values["single_port"]))
    if "region" in values:
        host, host_from = f"api.{values['region']}.arize.com", "region"
    url = _endpoint(scheme, host, port)
    _check_url(url, labels.get(host_from, host_from))
    return url


def _made_from(values: Mapping[str, object]) -> list[str]:
    """The settings :func:`_api_url` took the URL from (a route hides ``api_host``)."""
    if "base_url" in values:
        return ["base_url"]
    host = [name for name in _ROUTES if name in values] or ["api_host"]
    return [name for name in ("api_scheme", *host, "api_port") if name in values]


def _endpoint(scheme: str, host: str, port: int) -> str:
    """``scheme://host[:port]``; a port set apart replaces one written in the host."""
    host = host.rstrip("/")
    netloc, slash, path = host.partition("/")
    if port:
        if not netloc.endswith("]"):  # not a bare IPv6 literal
            netloc = _PORT_SUFFIX.sub("", netloc)
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}{slash}{path}"


def _check_url(url: str, label: str) -> None:
    import httpx

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidArgumentError(label, f"makes {url!r}, which is not a URL: {exc}") from None
    if not parsed.host or parsed.query or parsed.fragment or parsed.userinfo:
        raise InvalidArgumentError(label, f"makes {url!r}, which is not an http(s) URL of a host")


def _text(given: Given) -> str | None:
    value = given.value
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise InvalidArgumentError(given.label, f"expected a string, got {type(value).__name__}")
    return value.strip() or None


def _host(given: Given) -> str | None:
    text = _text(given)
    if text is None:
        return None
    if "://" in text:
        raise InvalidArgumentError(
            given.label, f"expected a host name such as api.arize.com, not a URL: {text!r}"
        )
    if any(c.isspace() or c in "@?#" for c in text):
        raise InvalidArgumentError(given.label, f"{text!r} is not a host name")
    return text


def _domain(given: Given) -> str | None:
    text = _host(given)
    if text is not None and ("/" in text or ":" in text):
        raise InvalidArgumentError(
            given.label, f"expected a domain such as arize.example.com, got {text!r}"
        )
    return text


def _scheme(given: Given) -> str | None:
    text = _text(given)
    if text is None:
        return None
    if text.lower() not in ("http", "https"):
        raise InvalidArgumentError(given.label, f"expected http or https, got {text!r}")
    return text.lower()


def _port(given: Given) -> int | None:
    value = given.value
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isdigit():
        number = int(value)
    if number is None or not 0 <= number <= 65535:
        raise InvalidArgumentError(
            given.label, f"expected a port from 0 to 65535 (0: not set), got {value!r}"
        )
    return number or None


def _region(given: Given) -> str | None:
    value = given.value
    enum_value = getattr(value, "value", None)  # the SDK's ``Region`` enum
    if not isinstance(value, str) and isinstance(enum_value, str):
        value = enum_value
    text = _text(Given(value, given.label))
    if text is not None and text not in REGIONS:
        allowed = ", ".join(sorted(REGIONS))
        raise InvalidArgumentError(given.label, f"unknown region {text!r}; use one of {allowed}")
    return text


def _base_url(given: Given) -> str | None:
    text = _text(given)
    if text is None:
        return None
    import httpx

    try:
        parsed = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise InvalidArgumentError(given.label, f"{text!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidArgumentError(given.label, f"{text!r} is not an http(s) URL with a host")
    return text.rstrip("/")


def _verify(given: Given) -> bool | None:
    value = given.value
    if isinstance(value, bool):
        return value
    text = _text(given)
    if text is None:
        return None
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    raise InvalidArgumentError(
        given.label, f"expected true or false (1/0, yes/no, on/off), got {text!r}"
    )


def _proxy_url(given: Given) -> str | None:
    return _text(given)


def _ca_path(given: Given) -> str | None:
    text = _text(given)
    return None if text is None else os.path.expanduser(text)


_PARSERS = {
    "base_url": _base_url,
    "region": _region,
    "api_scheme": _scheme,
    "api_host": _host,
    "api_port": _port,
    "single_host": _host,
    "single_port": _port,
    "base_domain": _domain,
    "proxy_url": _proxy_url,
    "ssl_ca_cert": _ca_path,
    "request_verify": _verify,
}


def _ca_context(path: str, label: str) -> ssl.SSLContext:
    """A context that trusts the CAs in ``path`` (a PEM file, or a hashed directory) only.

    Loading a bundle takes tens of milliseconds, so a context is shared by every client of
    the process that names the same unchanged file. Sharing is safe: httpcore only sets the
    same ALPN protocols (HTTP/1.1) on it for each connection."""
    import ssl

    try:
        found = os.stat(path)
        return _load_ca(path, found.st_mtime_ns, found.st_size)
    except (OSError, ssl.SSLError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidArgumentError(
            label, f"cannot load CA certificates from {path!r}: {reason}"
        ) from None


@functools.lru_cache(maxsize=8)
def _load_ca(path: str, mtime_ns: int, size: int) -> ssl.SSLContext:
    import ssl

    if os.path.isdir(path):
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)


def _unverified_context() -> ssl.SSLContext:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _proxy(text: str, label: str, verify: ssl.SSLContext | bool) -> httpx.Proxy:
    """``httpx.Proxy`` for ``text``; credentials in the URL become Basic proxy auth, and an
    https proxy is checked with the same CAs (or not at all) as the API host."""
    import httpx

    url = text if "://" in text else f"http://{text}"
    shown = _masked(url)
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise InvalidArgumentError(label, f"{shown!r} is not a URL") from None
    if parsed.scheme not in _PROXY_SCHEMES or not parsed.host:
        raise InvalidArgumentError(
            label,
            f"expected an http://, https://, socks5:// or socks5h:// URL with a host, "
            f"got {shown!r}",
        )
    if parsed.scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise InvalidArgumentError(
            label, "a SOCKS proxy needs the socksio package (install httpx[socks])"
        )
    context: ssl.SSLContext | None = None
    if parsed.scheme == "https" and verify is not True:
        context = _unverified_context() if verify is False else verify
    return httpx.Proxy(parsed, ssl_context=context)


def _masked(url: str) -> str:
    """``url`` with the password of its user info, if any, replaced by ``***``."""
    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{hostport}{slash}{path}"
