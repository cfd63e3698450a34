"""Run Arize's official SDK and ``ax`` CLI, from their own virtualenv, against a sandbox.

The official tools are pinned in ``requirements-official.txt`` and installed by
``make official-venv`` into ``.venv-official`` (``make test`` depends on it). They are pointed
at the sandbox the way a user points them at an on-prem host: the SDK through Arize's
environment variables, the CLI through a profile in a ``HOME`` of its own, so nothing of the
user's own Arize set-up is read or written.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-official"
PYTHON = VENV / "bin" / "python"
AX = VENV / "bin" / "ax"
REQUIREMENTS = Path(__file__).with_name("requirements-official.txt")
SDK_SCRIPT = Path(__file__).with_name("scripts") / "sdk.py"
TIMEOUT = 120.0

PROFILE = """\
[profile]
name = "sandbox"

[auth]
auth_method = "api-key"
api_key = "${ARIZE_API_KEY}"

[routing]
single_host = "${ARIZE_SANDBOX_HOST}"
single_port = "${ARIZE_SANDBOX_PORT}"
api_scheme = "http"

[output]
format = "json"

[update]
enabled = false
"""
"""An ``ax`` profile for the sandbox: the on-prem single-host route, plain HTTP, JSON output,
and no update check (that would reach a package index)."""


def pins() -> dict[str, str]:
    """The pinned distributions, ``{name: version}``."""
    found: dict[str, str] = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[name.strip()] = version.strip()
    return found


def require_official_venv() -> None:
    """Fail (never skip) when the official tools are missing or not at their pins."""
    pinned = pins()
    site = list(VENV.glob("lib/python*/site-packages"))
    missing = [
        f"{name}=={version}"
        for name, version in pinned.items()
        if not (site and list(site[0].glob(f"{name.replace('-', '_')}-{version}.dist-info")))
    ]
    if not PYTHON.exists() or not AX.exists() or missing:
        pytest.fail(
            f"{VENV.name} lacks {', '.join(missing) or 'its python or ax'}: the conformance "
            f"tests need Arize's official SDK and CLI at their pins; run `make official-venv` "
            f"(`make test` builds it)",
            pytrace=False,
        )


class Official:
    """The official SDK and CLI, pointed at one sandbox."""

    def __init__(self, sandbox: Sandbox, home: Path) -> None:
        self.sandbox = sandbox
        self.home = home
        profiles = home / ".arize" / "profiles"
        profiles.mkdir(parents=True, exist_ok=True)
        (profiles / "sandbox.toml").write_text(PROFILE, encoding="utf-8")
        (home / ".arize" / ".active_profile").write_text("sandbox", encoding="utf-8")

    def env(self, api_key: str | None = None) -> dict[str, str]:
        """The environment of a run: no ``ARIZE_*`` setting of the user's, a ``HOME`` of its
        own, and the sandbox's address in Arize's own variables."""
        url = urlsplit(self.sandbox.base_url)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("ARIZE_") and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        }
        env.update(
            HOME=str(self.home),
            NO_COLOR="1",
            TERM="dumb",
            COLUMNS="200",
            ARIZE_API_KEY=api_key if api_key is not None else self.sandbox.api_key,
            ARIZE_API_HOST=str(url.hostname),
            ARIZE_API_SCHEME=url.scheme,
            ARIZE_API_PORT=str(url.port),
            ARIZE_SANDBOX_HOST=str(url.hostname),
            ARIZE_SANDBOX_PORT=str(url.port),
        )
        return env

    def _run(
        self, argv: list[str], stdin: str, api_key: str | None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=self.env(api_key),
            cwd=self.home,
            check=False,
        )

    def sdk(self, step: str, args: dict[str, Any] | None = None, api_key: str | None = None) -> Any:
        """Run one step of ``scripts/sdk.py``; its JSON answer, or a failure with its stderr."""
        done = self._run([str(PYTHON), str(SDK_SCRIPT), step], json.dumps(args or {}), api_key)
        if done.returncode != 0:
            pytest.fail(
                f"official SDK step {step!r} failed (exit {done.returncode}):\n{done.stderr}",
                pytrace=False,
            )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def ax(self, *argv: str, expect_ok: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``ax`` with the sandbox profile; it must succeed unless told otherwise."""
        done = self._run([str(AX), *argv], "", None)
        if expect_ok and done.returncode != 0:
            pytest.fail(
                f"ax {' '.join(argv)} failed (exit {done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}",
                pytrace=False,
            )
        return done

    def ax_json(self, *argv: str) -> Any:
        """Run ``ax ... -o json`` and read what it printed."""
        return json.loads(self.ax(*argv, "-o", "json").stdout)
