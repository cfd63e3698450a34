"""Arize's connection settings against a sandbox process: reached through
``ARIZE_API_HOST``/``ARIZE_API_SCHEME``/``ARIZE_API_PORT``, through
``ARIZE_SINGLE_HOST``/``ARIZE_SINGLE_PORT``, through a proxy (``ARIZE_PROXY_URL``, a loopback
forward proxy made here), and over TLS behind a loopback gateway whose certificate only
``ARIZE_SSL_CA_CERT`` (or ``ARIZE_REQUEST_VERIFY=false``) makes acceptable."""

from __future__ import annotations

import base64
import http.client
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pulumi.dynamic import Config

from arize_pulumi.resources import ProviderSettings, TaskProvider
from arize_pulumi.resources._provider import ResourceError
from arize_pulumi.tasks import APIConnectionError, APIError, RetryPolicy, TasksClient
from arize_pulumi.tasks._config import ENVIRONMENT
from tests.support.sandbox import Sandbox

pytestmark = pytest.mark.integration

LIFETIME = 120.0
"""Seconds after which a helper server of this module stops by itself."""

_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "transfer-encoding"}
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ARIZE_API_KEY", "ARIZE_SPACE", *chain.from_iterable(ENVIRONMENT.values())):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def shared(sandbox_session: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    sandbox_session.clear_faults()
    sandbox_session.reset_requests()
    monkeypatch.setenv("ARIZE_API_KEY", sandbox_session.api_key)
    return sandbox_session


def port_of(sandbox: Sandbox) -> int:
    port = urlsplit(sandbox.base_url).port
    assert port is not None
    return port


def client(**kwargs: Any) -> TasksClient:
    kwargs.setdefault("retry", RetryPolicy(base_delay=0.01, max_delay=0.05))
    return TasksClient(space="demo-space", warn_alpha=False, **kwargs)


def spaces_seen(sandbox: Sandbox) -> int:
    return sum(n for key, n in sandbox.requests().items() if "/v2/spaces" in key)


def test_api_host_scheme_and_port(shared: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIZE_API_HOST", "127.0.0.1")
    monkeypatch.setenv("ARIZE_API_SCHEME", "http")
    monkeypatch.setenv("ARIZE_API_PORT", str(port_of(shared)))
    with client() as arize:
        assert arize.base_url == shared.base_url
        arize.list()  # a name lookup of the space, then the tasks
    assert spaces_seen(shared) == 1


def test_single_host_and_port(shared: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIZE_SINGLE_HOST", "127.0.0.1")
    monkeypatch.setenv("ARIZE_SINGLE_PORT", str(port_of(shared)))
    monkeypatch.setenv("ARIZE_API_HOST", "api.arize.com")  # replaced by the single host
    with client(api_scheme="http") as arize:
        assert arize.base_url == shared.base_url
        arize.list()
    assert spaces_seen(shared) == 1


def test_a_route_from_the_environment_conflicts_with_another_argument(
    shared: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_REGION", "eu-west-1a")
    with pytest.raises(ValueError, match="ARIZE_REGION: 'eu-west-1a' conflicts with single_host="):
        client(single_host="127.0.0.1", single_port=port_of(shared), api_scheme="http")
    with client(
        single_host="127.0.0.1", single_port=port_of(shared), api_scheme="http", region=""
    ) as arize:
        arize.list()


def test_the_provider_reads_arizes_names_from_config_and_environment(
    shared: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_API_SCHEME", "http")
    monkeypatch.setenv("ARIZE_REGION", "us-east-1b")  # hidden by the empty config key
    config = {
        "arize:apiKey": shared.api_key,
        "arize:singleHost": "127.0.0.1",
        "arize:singlePort": str(port_of(shared)),
        "arize:region": "",
        "arize:space": "demo-space",
    }
    provider = TaskProvider()
    provider._settings = ProviderSettings.load(Config(config, "demo"))
    arize = provider.client()
    assert arize.base_url == shared.base_url
    arize.list()
    assert spaces_seen(shared) == 1

    del config["arize:region"]
    provider._settings = ProviderSettings.load(Config(config, "demo"))
    with pytest.raises(ResourceError, match="ARIZE_REGION: 'us-east-1b' conflicts with arize:"):
        provider.client()


# --- a proxy ------------------------------------------------------------------------------


class _Forwarder(BaseHTTPRequestHandler):
    """Sends each request on to ``server.upstream`` (host, port) and relays the answer;
    as a forward proxy it takes absolute-form targets and checks ``Proxy-Authorization``."""

    protocol_version = "HTTP/1.1"
    timeout = 10
    server: _Helper

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        helper = self.server
        target = urlsplit(self.path)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        helper.seen.append((self.command, self.path, self.headers.get("Proxy-Authorization")))
        if helper.proxy_auth is not None:
            if self.headers.get("Proxy-Authorization") != helper.proxy_auth:
                self._answer(407, [("Proxy-Authenticate", 'Basic realm="test"')], b"")
                return
            if not target.scheme:
                self._answer(400, [], b"a proxy needs an absolute-form target")
                return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection(*helper.upstream, timeout=10)
        try:
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP]
            self._answer(answer.status, kept, content)
        finally:
            upstream.close()

    def _answer(self, status: int, headers: list[tuple[str, str]], content: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(content)
        self.close_connection = True

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _forward


class _Helper(ThreadingHTTPServer):
    """A loopback server in a daemon thread that shuts itself down after ``LIFETIME``."""

    daemon_threads = True

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        proxy_auth: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Forwarder)
        self.upstream = upstream
        self.proxy_auth = proxy_auth
        self.seen: list[tuple[str, str, str | None]] = []
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._watchdog = threading.Timer(LIFETIME, self.shutdown)
        self._watchdog.daemon = True

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def __enter__(self) -> _Helper:
        self._thread.start()
        self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._watchdog.cancel()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def proxy(shared: Sandbox) -> Iterator[_Helper]:
    with _Helper(("127.0.0.1", port_of(shared)), proxy_auth=basic("ann", "s3cret!")) as server:
        yield server


def test_requests_go_through_the_proxy(
    shared: Sandbox, proxy: _Helper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_PROXY_URL", f"http://ann:s3cret%21@127.0.0.1:{proxy.port}")
    with client(base_url=shared.base_url) as arize:
        arize.list()
    targets = [(method, urlsplit(target)[:3]) for method, target, _ in proxy.seen]
    assert targets == [
        ("GET", ("http", f"127.0.0.1:{port_of(shared)}", "/v2/spaces")),
        ("GET", ("http", f"127.0.0.1:{port_of(shared)}", "/v2/tasks")),
    ]
    assert {auth for _, _, auth in proxy.seen} == {basic("ann", "s3cret!")}
    assert spaces_seen(shared) == 1


def test_the_provider_uses_the_proxy_key(shared: Sandbox, proxy: _Helper) -> None:
    provider = TaskProvider()
    provider._settings = ProviderSettings.load(
        Config(
            {
                "arize:apiKey": shared.api_key,
                "arize:baseUrl": shared.base_url,
                "arize:proxyUrl": f"http://ann:s3cret%21@127.0.0.1:{proxy.port}",
                "arize:space": "demo-space",
            },
            "demo",
        ),
        {},
    )
    provider.client().list()
    assert len(proxy.seen) == 2


def test_a_refused_proxy_login_names_no_password(
    shared: Sandbox, proxy: _Helper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_PROXY_URL", f"http://ann:wrong-pass@127.0.0.1:{proxy.port}")
    with client(base_url=shared.base_url, max_retries=0) as arize, pytest.raises(APIError) as info:
        arize.list()
    assert info.value.status == 407
    assert "wrong-pass" not in str(info.value) and shared.api_key not in str(info.value)
    assert spaces_seen(shared) == 0


# --- TLS with a private CA ----------------------------------------------------------------


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def private_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA and a certificate for 127.0.0.1 that it signed, made with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed to make a private CA: apt-get install openssl")
    where = tmp_path_factory.mktemp("ca")
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl(
        "req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=arize-pulumi test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=where,
    )  # fmt: skip
    _openssl(
        "req", *curve, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        cwd=where,
    )  # fmt: skip
    (where / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        cwd=where,
    )  # fmt: skip
    return where


@pytest.fixture
def gateway(shared: Sandbox, private_ca: Path) -> Iterator[_Helper]:
    """HTTPS on a loopback port, with a certificate of the private CA, in front of the
    sandbox."""
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(private_ca / "server.pem", private_ca / "server.key")
    with _Helper(("127.0.0.1", port_of(shared)), tls=tls) as server:
        yield server


def test_tls_to_a_host_of_a_private_ca(
    shared: Sandbox, gateway: _Helper, private_ca: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIZE_API_HOST", "127.0.0.1")
    monkeypatch.setenv("ARIZE_API_PORT", str(gateway.port))  # the scheme stays https

    with client(max_retries=0) as arize:
        assert arize.base_url == f"https://127.0.0.1:{gateway.port}"
        with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            arize.list()
    assert spaces_seen(shared) == 0

    monkeypatch.setenv("ARIZE_SSL_CA_CERT", str(private_ca / "ca.pem"))
    with client() as arize:
        arize.list()
    assert spaces_seen(shared) == 1

    monkeypatch.setenv("ARIZE_SSL_CA_CERT", str(private_ca / "missing.pem"))
    monkeypatch.setenv("ARIZE_REQUEST_VERIFY", "false")
    with client() as arize:
        arize.list()
    assert spaces_seen(shared) == 2
