"""Connection settings with Arize's own names: the API host, proxy and TLS options, read from
arguments, provider config keys and environment variables by the rules of Arize's official
SDK (``arize`` 8.61.0, ``arize/config.py``), and handed to ``httpx.Client``."""

from __future__ import annotations

import logging
import ssl
import subprocess
import sys
from itertools import chain
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest
from pulumi.dynamic import Config, ConfigureRequest

from arize_pulumi.resources import ProviderSettings, TaskProvider
from arize_pulumi.resources._provider import ResourceError, build_client
from arize_pulumi.resources.config import CONFIG_KEYS, CONNECTION_KEYS
from arize_pulumi.tasks import InvalidArgumentError, TasksClient
from arize_pulumi.tasks._config import (
    ENVIRONMENT,
    FALSE_WORDS,
    REGIONS,
    TRUE_WORDS,
    Connection,
    Given,
    from_environment,
    resolve_connection,
)

ROOT = Path(__file__).resolve().parents[2]
KEY = "ak-NEVER-SHOWN-" + "q" * 24
VARIABLES = tuple(chain.from_iterable(ENVIRONMENT.values()))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ARIZE_API_KEY", "ARIZE_SPACE", *VARIABLES):
        monkeypatch.delenv(name, raising=False)


def resolve(env: dict[str, str] | None = None, **arguments: Any) -> Connection:
    """What ``TasksClient(**arguments)`` connects to with ``env`` as the environment."""
    given = {name: Given(value, name) for name, value in arguments.items()}
    return resolve_connection(from_environment(given, env or {}))


def url_or_error(env: dict[str, str], arguments: dict[str, Any]) -> str:
    try:
        return resolve(env, **arguments).base_url
    except InvalidArgumentError:
        return "error"


# What the official SDK's ``SDKConfiguration(api_key=..., **arguments).api_url`` gives with
# ``env`` as the environment ("error" where it raises). Computed with ``arize`` 8.61.0;
# ``test_the_table_is_what_the_official_sdk_computes`` checks it again when that SDK is there.
SDK_CASES: list[tuple[dict[str, str], dict[str, Any], str]] = [
    ({}, {}, "https://api.arize.com"),
    *[({"ARIZE_REGION": r}, {}, f"https://api.{r}.arize.com") for r in sorted(REGIONS)],
    *[({}, {"region": r}, f"https://api.{r}.arize.com") for r in sorted(REGIONS)],
    (
        {"ARIZE_REGION": "eu-west-1a", "ARIZE_API_PORT": "8443", "ARIZE_API_SCHEME": "HTTP"},
        {},
        "http://api.eu-west-1a.arize.com:8443",
    ),
    (
        {"ARIZE_REGION": "eu-west-1a", "ARIZE_API_HOST": "x.example"},
        {},
        "https://api.eu-west-1a.arize.com",
    ),
    ({"ARIZE_REGION": "EU-WEST-1A"}, {}, "error"),
    ({"ARIZE_REGION": "mars-1"}, {}, "error"),
    ({"ARIZE_API_HOST": "arize.corp.example"}, {}, "https://arize.corp.example"),
    (
        {"ARIZE_API_HOST": "127.0.0.1", "ARIZE_API_SCHEME": "http", "ARIZE_API_PORT": "8080"},
        {},
        "http://127.0.0.1:8080",
    ),
    ({"ARIZE_API_HOST": "h.example:8080"}, {}, "https://h.example:8080"),
    ({"ARIZE_API_HOST": "h.example:8080", "ARIZE_API_PORT": "9"}, {}, "https://h.example:9"),
    ({"ARIZE_API_HOST": "h.example/"}, {}, "https://h.example"),
    ({"ARIZE_API_PORT": "0"}, {}, "https://api.arize.com"),
    ({"ARIZE_API_PORT": "70000"}, {}, "error"),
    ({"ARIZE_API_PORT": "-1"}, {}, "error"),
    ({"ARIZE_API_PORT": "http"}, {}, "error"),
    ({"ARIZE_API_SCHEME": "ftp"}, {}, "error"),
    ({"ARIZE_SINGLE_HOST": "localhost", "ARIZE_SINGLE_PORT": "8080"}, {}, "https://localhost:8080"),
    ({"ARIZE_SINGLE_HOST": "  localhost  "}, {}, "https://localhost"),
    ({"ARIZE_SINGLE_PORT": "8080"}, {}, "https://api.arize.com:8080"),
    ({"ARIZE_SINGLE_PORT": "8080", "ARIZE_API_PORT": "9090"}, {}, "https://api.arize.com:9090"),
    ({"ARIZE_SINGLE_HOST": "gw.example", "ARIZE_API_HOST": "x.example"}, {}, "https://gw.example"),
    (
        {"ARIZE_SINGLE_PORT": "0", "ARIZE_REGION": "us-east-1b"},
        {},
        "https://api.us-east-1b.arize.com",
    ),
    ({"ARIZE_BASE_DOMAIN": "corp.example"}, {}, "https://api.corp.example"),
    (
        {"ARIZE_BASE_DOMAIN": "corp.example", "ARIZE_API_PORT": "8443"},
        {},
        "https://api.corp.example:8443",
    ),
    ({"ARIZE_SINGLE_HOST": "localhost", "ARIZE_REGION": "eu-west-1a"}, {}, "error"),
    ({"ARIZE_SINGLE_PORT": "1", "ARIZE_BASE_DOMAIN": "corp.example"}, {}, "error"),
    ({"ARIZE_REGION": "ca-central-1a", "ARIZE_BASE_DOMAIN": "corp.example"}, {}, "error"),
    ({"ARIZE_REGION": "eu-west-1a"}, {"single_host": "localhost"}, "error"),
    ({"ARIZE_BASE_DOMAIN": "corp.example"}, {"region": "us-central-1a"}, "error"),
    ({"ARIZE_SINGLE_HOST": "localhost"}, {"region": ""}, "https://localhost"),
    (
        {"ARIZE_SINGLE_PORT": "8080", "ARIZE_REGION": "eu-west-1a"},
        {"single_port": 0},
        "https://api.eu-west-1a.arize.com",
    ),
    ({"ARIZE_API_HOST": "env.example"}, {"api_host": "arg.example"}, "https://arg.example"),
    ({"ARIZE_API_PORT": "8443"}, {"api_port": 0}, "https://api.arize.com"),
    ({"ARIZE_API_SCHEME": "http"}, {"api_scheme": "https"}, "https://api.arize.com"),
    (
        {},
        {"single_host": "127.0.0.1", "single_port": 9000, "api_scheme": "http"},
        "http://127.0.0.1:9000",
    ),
]


@pytest.mark.parametrize(("env", "arguments", "expected"), SDK_CASES)
def test_the_api_url_is_the_official_sdks(
    env: dict[str, str], arguments: dict[str, Any], expected: str
) -> None:
    assert url_or_error(env, arguments) == expected


# Where this client differs from the SDK, on purpose: a blank variable is unset (the SDK
# fails on a blank port or scheme, makes "https://" of a blank host, and turns certificate
# checks off for a blank ARIZE_REQUEST_VERIFY), and a scheme argument is lower-cased.
@pytest.mark.parametrize(
    ("env", "arguments", "expected"),
    [
        ({"ARIZE_API_PORT": " "}, {}, "https://api.arize.com"),
        ({"ARIZE_API_SCHEME": ""}, {}, "https://api.arize.com"),
        ({"ARIZE_API_HOST": ""}, {}, "https://api.arize.com"),
        ({"ARIZE_REGION": "", "ARIZE_SINGLE_HOST": "localhost"}, {}, "https://localhost"),
        ({}, {"api_scheme": "HTTP", "api_host": "localhost"}, "http://localhost"),
        ({}, {"api_host": ""}, "https://api.arize.com"),
    ],
)
def test_blank_means_unset(env: dict[str, str], arguments: dict[str, Any], expected: str) -> None:
    assert url_or_error(env, arguments) == expected
    assert resolve({"ARIZE_REQUEST_VERIFY": ""}).verify is True


def test_the_sdks_region_enum_is_accepted() -> None:
    class Region:  # the shape of arize.regions.Region members
        def __init__(self, value: str) -> None:
            self.value = value

    assert resolve(region=Region("eu-west-1a")).base_url == "https://api.eu-west-1a.arize.com"
    assert resolve({"ARIZE_REGION": "eu-west-1a"}, region=Region("")).base_url == (
        "https://api.arize.com"
    )


# --- the base URL, ours -------------------------------------------------------------------


def test_the_base_url_is_a_whole_url_and_replaces_scheme_host_and_port() -> None:
    env = {"ARIZE_API_HOST": "x.example", "ARIZE_API_SCHEME": "https", "ARIZE_API_PORT": "8443"}
    assert resolve(env, base_url="http://127.0.0.1:9/arize/").base_url == "http://127.0.0.1:9/arize"
    assert resolve({"ARIZE_BASE_URL": "http://sandbox:8080"}).base_url == "http://sandbox:8080"


@pytest.mark.parametrize(
    ("env", "arguments", "first", "second"),
    [
        ({"ARIZE_REGION": "eu-west-1a"}, {"base_url": "http://x"}, "base_url", "ARIZE_REGION"),
        ({"ARIZE_BASE_URL": "http://x"}, {"region": "eu-west-1a"}, "ARIZE_BASE_URL", "region"),
        (
            {"ARIZE_BASE_URL": "http://x", "ARIZE_SINGLE_PORT": "1"},
            {},
            "ARIZE_BASE_URL",
            "ARIZE_SINGLE_PORT",
        ),
        (
            {"ARIZE_BASE_DOMAIN": "c.example"},
            {"base_url": "http://x"},
            "base_url",
            "ARIZE_BASE_DOMAIN",
        ),
        ({}, {"single_host": "a", "base_domain": "c.example"}, "single_host", "base_domain"),
        ({"ARIZE_SINGLE_HOST": "a"}, {"region": "us-east-1b"}, "region", "ARIZE_SINGLE_HOST"),
    ],
)
def test_two_routes_are_an_error_naming_both(
    env: dict[str, str], arguments: dict[str, Any], first: str, second: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        resolve(env, **arguments)
    assert info.value.field == first
    assert f"conflicts with {second}=" in info.value.reason
    assert "set only one" in info.value.reason


def test_a_conflict_lists_every_route_given() -> None:
    env = {
        "ARIZE_REGION": "us-east-1b",
        "ARIZE_SINGLE_HOST": "localhost",
        "ARIZE_SINGLE_PORT": "8080",
        "ARIZE_BASE_DOMAIN": "c.example",
    }
    with pytest.raises(InvalidArgumentError) as info:
        resolve(env)
    assert str(info.value).startswith(
        "ARIZE_REGION: 'us-east-1b' conflicts with ARIZE_SINGLE_HOST='localhost', "
        "ARIZE_SINGLE_PORT=8080, ARIZE_BASE_DOMAIN='c.example': "
    )


def test_single_host_and_single_port_are_one_route() -> None:
    assert resolve(single_host="gw", single_port="8443").base_url == "https://gw:8443"


# --- values, and errors that name what the user wrote -------------------------------------


@pytest.mark.parametrize(
    ("env", "arguments", "field", "reason"),
    [
        ({"ARIZE_API_SCHEME": "ftp"}, {}, "ARIZE_API_SCHEME", "expected http or https, got 'ftp'"),
        ({}, {"api_scheme": "grpc"}, "api_scheme", "expected http or https"),
        ({"ARIZE_API_PORT": "http"}, {}, "ARIZE_API_PORT", "expected a port from 0 to 65535"),
        ({}, {"api_port": 65536}, "api_port", "got 65536"),
        ({}, {"single_port": True}, "single_port", "got True"),
        ({"ARIZE_SINGLE_PORT": "80.5"}, {}, "ARIZE_SINGLE_PORT", "got '80.5'"),
        ({"ARIZE_REGION": "moon"}, {}, "ARIZE_REGION", "unknown region 'moon'; use one of"),
        ({}, {"region": "EU-WEST-1A"}, "region", "unknown region 'EU-WEST-1A'"),
        ({"ARIZE_API_HOST": "https://a.example"}, {}, "ARIZE_API_HOST", "not a URL"),
        ({}, {"single_host": "a b"}, "single_host", "'a b' is not a host name"),
        ({"ARIZE_BASE_DOMAIN": "corp.example/x"}, {}, "ARIZE_BASE_DOMAIN", "expected a domain"),
        ({}, {"base_url": "ftp://a.example"}, "base_url", "not an http(s) URL with a host"),
        ({"ARIZE_BASE_URL": "not a url"}, {}, "ARIZE_BASE_URL", "not an http(s) URL"),
        ({"ARIZE_REQUEST_VERIFY": "maybe"}, {}, "ARIZE_REQUEST_VERIFY", "expected true or false"),
        ({}, {"request_verify": "disabled"}, "request_verify", "got 'disabled'"),
        ({"ARIZE_PROXY_URL": "ftp://p:1"}, {}, "ARIZE_PROXY_URL", "expected an http://, https://"),
        ({"ARIZE_SSL_CA_CERT": "/no/such.pem"}, {}, "ARIZE_SSL_CA_CERT", "No such file"),
        ({"REQUESTS_CA_BUNDLE": "/no/such.pem"}, {}, "REQUESTS_CA_BUNDLE", "cannot load CA"),
        ({"SSL_CERT_FILE": "/no/such.pem"}, {}, "SSL_CERT_FILE", "cannot load CA"),
        ({}, {"api_host": 5}, "api_host", "expected a string, got int"),
    ],
)
def test_a_bad_value_names_the_setting_as_written(
    env: dict[str, str], arguments: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        resolve(env, **arguments)
    assert info.value.field == field
    assert reason in info.value.reason


def test_a_socks_proxy_without_socksio_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "socksio" else real(name, *a)
    )
    with pytest.raises(InvalidArgumentError) as info:
        resolve({}, proxy_url="socks5://p:1080")
    assert info.value.field == "proxy_url"
    assert "needs the socksio package" in info.value.reason


def test_ports_and_hosts_take_what_the_sdk_takes() -> None:
    assert resolve(api_host="127.0.0.1", api_port="8080", api_scheme="http").base_url == (
        "http://127.0.0.1:8080"
    )
    assert resolve(api_host="[::1]", api_port=8080).base_url == "https://[::1]:8080"
    assert resolve(api_host="[::1]:9", api_port=8080).base_url == "https://[::1]:8080"
    assert resolve(api_host="gw.example/arize").base_url == "https://gw.example/arize"
    assert resolve(api_host="gw.example:1/arize", api_port=2).base_url == (
        "https://gw.example:2/arize"
    )


# --- TLS and proxy: what reaches httpx ----------------------------------------------------


@pytest.mark.parametrize("word", sorted(TRUE_WORDS | {w.upper() for w in TRUE_WORDS}))
def test_request_verify_true_words(word: str) -> None:
    assert resolve({"ARIZE_REQUEST_VERIFY": word}).verify is True


@pytest.mark.parametrize("word", sorted(FALSE_WORDS | {" False ", "OFF"}))
def test_request_verify_false_words(word: str) -> None:
    connection = resolve({"ARIZE_REQUEST_VERIFY": word, "ARIZE_SSL_CA_CERT": "/not/loaded.pem"})
    assert connection.verify is False
    assert connection.ca_cert is None
    assert resolve(request_verify=False).verify is False


def test_the_ca_certificate_chain_of_variables(tmp_path: Path) -> None:
    first, second, third = (tmp_path / f"{n}.pem" for n in ("a", "b", "c"))
    for path in (first, second, third):
        path.write_bytes(Path(certifi.where()).read_bytes())
    env = {
        "ARIZE_SSL_CA_CERT": str(first),
        "REQUESTS_CA_BUNDLE": str(second),
        "SSL_CERT_FILE": str(third),
    }
    assert resolve(env).ca_cert == str(first)
    del env["ARIZE_SSL_CA_CERT"]
    assert resolve(env).ca_cert == str(second)
    del env["REQUESTS_CA_BUNDLE"]
    connection = resolve(env)
    assert connection.ca_cert == str(third)
    assert isinstance(connection.verify, ssl.SSLContext)
    assert connection.verify.verify_mode == ssl.CERT_REQUIRED
    assert connection.verify.check_hostname
    assert connection.verify.cert_store_stats()["x509_ca"] > 10
    assert resolve(env, ssl_ca_cert="").verify is True  # an empty argument hides the chain
    assert resolve(env, ssl_ca_cert=first).ca_cert == str(first)  # a path object


def test_a_ca_file_without_certificates_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate\n")
    with pytest.raises(InvalidArgumentError, match=r"^ssl_ca_cert: cannot load CA certificates"):
        resolve(ssl_ca_cert=str(empty))


def test_a_ca_directory_is_accepted(tmp_path: Path) -> None:
    connection = resolve({"ARIZE_SSL_CA_CERT": str(tmp_path)})
    assert isinstance(connection.verify, ssl.SSLContext)


def test_a_proxy_url_with_credentials_becomes_proxy_auth() -> None:
    connection = resolve({"ARIZE_PROXY_URL": "http://ann:p%40ss@proxy.corp:3128"})
    proxy = connection.proxy
    assert proxy is not None
    assert str(proxy.url) == "http://proxy.corp:3128"
    assert proxy.auth == ("ann", "p@ss")
    assert "p%40ss" not in repr(connection) and "p@ss" not in repr(connection)
    assert repr(connection) == (
        "Connection(base_url='https://api.arize.com', proxy='http://ann:***@proxy.corp:3128')"
    )
    assert str(resolve(proxy_url="proxy.corp:3128").proxy.url) == "http://proxy.corp:3128"  # type: ignore[union-attr]


def test_a_bad_proxy_url_never_shows_its_password() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        resolve(proxy_url="ftp://ann:hunter2@proxy:21")
    assert "hunter2" not in str(info.value) and "ann:***@proxy" in str(info.value)


def test_an_https_proxy_is_checked_like_the_api_host(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    proxied = resolve(proxy_url="https://p:1", ssl_ca_cert=str(bundle))
    assert proxied.proxy is not None and proxied.proxy.ssl_context is proxied.verify
    unchecked = resolve(proxy_url="https://p:1", request_verify="false").proxy
    assert unchecked is not None and unchecked.ssl_context is not None
    assert unchecked.ssl_context.verify_mode == ssl.CERT_NONE
    assert resolve(proxy_url="https://p:1").proxy.ssl_context is None  # type: ignore[union-attr]


class Recorded(httpx.Client):
    """``httpx.Client`` that keeps the keyword arguments it was built with."""

    made: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        Recorded.made.append(kwargs)
        super().__init__(**kwargs)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    from arize_pulumi.tasks import _transport

    Recorded.made = []
    monkeypatch.setattr(_transport.httpx, "Client", Recorded)
    return Recorded.made


def test_the_settings_reach_httpx_client(
    recorded: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    monkeypatch.setenv("ARIZE_PROXY_URL", "http://proxy.corp:3128")
    monkeypatch.setenv("ARIZE_SSL_CA_CERT", str(bundle))
    TasksClient("key", api_host="gw.example", api_port=8443, warn_alpha=False).close()
    TasksClient("key", request_verify=False, proxy_url="", warn_alpha=False).close()
    first, second = recorded
    assert first["base_url"] == "https://gw.example:8443"
    assert isinstance(first["verify"], ssl.SSLContext)
    assert isinstance(first["proxy"], httpx.Proxy)
    assert str(first["proxy"].url) == "http://proxy.corp:3128"
    assert second["verify"] is False and second["proxy"] is None


def test_a_transport_is_not_bypassed_by_a_proxy(
    recorded: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_PROXY_URL", "http://proxy.corp:3128")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"tasks": [], "pagination": {"has_more": False}})

    client = TasksClient(
        "key", "http://x.test", transport=httpx.MockTransport(answer), warn_alpha=False
    )
    client.list()
    assert recorded[0]["proxy"] is None
    assert seen == ["http://x.test/v2/tasks"]


def test_connection_replaces_the_connection_arguments() -> None:
    connection = resolve(single_host="127.0.0.1", single_port=9, api_scheme="http")
    assert TasksClient("key", connection=connection).base_url == "http://127.0.0.1:9"
    with pytest.raises(
        InvalidArgumentError, match=r"^connection: give either connection= or region="
    ):
        TasksClient("key", connection=connection, region="eu-west-1a")


def test_the_key_never_shows_in_connection_errors_or_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", KEY)
    monkeypatch.setenv("ARIZE_PROXY_URL", "http://ann:hunter2@proxy:3128")
    with caplog.at_level(logging.DEBUG, logger="arize_pulumi.tasks"):
        client = TasksClient(region="eu-west-1a", warn_alpha=False)
        with pytest.raises(InvalidArgumentError) as info:
            TasksClient(region="eu-west-1a", single_port=1)
    text = caplog.text + str(info.value) + repr(client) + repr(vars(client))
    assert KEY not in text and "hunter2" not in text
    assert "proxy='http://ann:***@proxy:3128'" in caplog.text
    assert "ARIZE_PROXY_URL" in caplog.text and "region" in caplog.text


# --- the provider: config keys, their variables, and names in errors ----------------------


def stack_config(values: dict[str, object]) -> Config:
    return Config(raw_config=dict(values), project_name="demo")


def test_every_setting_has_a_config_key_a_variable_and_an_argument() -> None:
    assert sorted(CONNECTION_KEYS.values()) == sorted(ENVIRONMENT)
    for key, name in CONNECTION_KEYS.items():
        assert CONFIG_KEYS[key] == ENVIRONMENT[name][0]
        assert key == "arize:" + "".join(
            part if i == 0 else part.capitalize() for i, part in enumerate(name.split("_"))
        )
        assert name in TasksClient.__init__.__code__.co_varnames


def test_config_keys_beat_variables_and_an_empty_key_hides_one() -> None:
    env = {"ARIZE_REGION": "eu-west-1a", "ARIZE_API_PORT": "1", "ARIZE_SINGLE_HOST": "env"}
    settings = ProviderSettings.load(
        stack_config(
            {
                "arize:apiKey": KEY,
                "arize:region": "",
                "arize:singleHost": "cfg",
                "arize:singlePort": 8,
            }
        ),
        env,
    )
    assert (settings.region, settings.single_host, settings.single_port) == ("", "cfg", "8")
    assert dict(settings.sources) == {"api_port": "ARIZE_API_PORT"}
    assert build_client(settings).base_url == "https://cfg:1"


def test_a_config_bool_or_number_is_read_as_written() -> None:
    settings = ProviderSettings.load(
        stack_config({"arize:requestVerify": False, "arize:apiPort": 8443}), {}
    )
    assert (settings.request_verify, settings.api_port) == ("false", "8443")
    assert resolve_connection(settings.connection_settings()).verify is False


def configured(config: dict[str, object], env: dict[str, str] | None = None) -> TaskProvider:
    provider = TaskProvider()
    provider._settings = ProviderSettings.load(stack_config({"arize:apiKey": KEY, **config}), env)
    return provider


@pytest.mark.parametrize(
    ("config", "env", "message"),
    [
        ({"arize:apiPort": "x"}, {}, "provider configuration arize:apiPort: expected a port"),
        ({}, {"ARIZE_API_PORT": "x"}, "provider configuration ARIZE_API_PORT: expected a port"),
        (
            {"arize:singleHost": "127.0.0.1"},
            {"ARIZE_REGION": "eu-west-1a"},
            "provider configuration ARIZE_REGION: 'eu-west-1a' conflicts with "
            "arize:singleHost='127.0.0.1'",
        ),
        (
            {"arize:baseUrl": "http://127.0.0.1:9", "arize:baseDomain": "corp.example"},
            {},
            "provider configuration arize:baseUrl: 'http://127.0.0.1:9' conflicts with "
            "arize:baseDomain='corp.example'",
        ),
        (
            {"arize:sslCaCert": "/no/ca.pem"},
            {},
            "provider configuration arize:sslCaCert: cannot load CA certificates",
        ),
        (
            {},
            {"SSL_CERT_FILE": "/no/ca.pem"},
            "provider configuration SSL_CERT_FILE: cannot load CA certificates",
        ),
        (
            {"arize:requestVerify": "sometimes"},
            {},
            "provider configuration arize:requestVerify: expected true or false",
        ),
        (
            {"arize:proxyUrl": "gopher://a:b@p"},
            {},
            "provider configuration arize:proxyUrl: expected an http://",
        ),
        (
            {"arize:apiScheme": "ftp"},
            {},
            "provider configuration arize:apiScheme: expected http or https",
        ),
    ],
)
def test_provider_errors_name_the_key_or_variable(
    config: dict[str, object], env: dict[str, str], message: str
) -> None:
    provider = configured(config, env)
    with pytest.raises(ResourceError) as info:
        provider.client()
    assert str(info.value).startswith(message)
    assert KEY not in str(info.value) and ":b@" not in str(info.value)


def test_provider_settings_show_no_proxy_password() -> None:
    provider = TaskProvider()
    provider.configure(
        ConfigureRequest(
            stack_config({"arize:apiKey": KEY, "arize:proxyUrl": "http://u:hunter2@p:1"})
        )
    )
    assert "hunter2" not in repr(provider.settings) and KEY not in repr(provider.settings)
    assert provider.client().base_url == "https://api.arize.com"


def test_reading_the_config_loads_no_http_client() -> None:
    script = (
        "import sys\n"
        "from arize_pulumi.resources.config import ProviderSettings\n"
        "ProviderSettings.load(None, {'ARIZE_API_HOST': 'h'})\n"
        "print('httpx' in sys.modules, 'ssl' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split()[0] == "False"


@pytest.mark.parametrize(
    ("env", "arguments", "where"),
    [
        ({}, {}, "API URL https://api.arize.com (the default)"),
        (
            {"ARIZE_BASE_URL": "http://127.0.0.1:8080"},
            {"api_port": 9},
            "API URL http://127.0.0.1:8080 (from ARIZE_BASE_URL)",
        ),
        (
            {"ARIZE_API_HOST": "ignored.example", "ARIZE_API_PORT": "8443"},
            {"region": "eu-west-1a"},
            "API URL https://api.eu-west-1a.arize.com:8443 (from region, ARIZE_API_PORT)",
        ),
        (
            {"ARIZE_API_SCHEME": "http"},
            {"api_host": "arize.corp.example"},
            "API URL http://arize.corp.example (from ARIZE_API_SCHEME, api_host)",
        ),
        (
            {},
            {"base_url": "http://127.0.0.1:8080", "proxy_url": "http://u:secret@proxy:3128"},
            "API URL http://127.0.0.1:8080 (from base_url), through the proxy "
            "http://u:***@proxy:3128 (from proxy_url)",
        ),
    ],
)
def test_a_connection_says_which_settings_made_it(
    env: dict[str, str], arguments: dict[str, Any], where: str
) -> None:
    """What a connection error quotes: the settings the URL was made from, as written (a base
    URL alone: the scheme, host and port it replaces are not among them)."""
    assert resolve(env, **arguments).where() == where
