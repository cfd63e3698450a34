"""Run Pulumi programs with the real CLI against a sandbox, for the demo, e2e tests and benches.

Programs run as Automation API inline programs: the `pulumi` CLI and engine do the work and
launch the dynamic-provider process through `pulumi-resource-pulumi-python`, while the program
itself runs in this process. That needs no Python language host, which some module proxies do
not serve. State lives in a local ``file://`` backend with a passphrase secrets provider.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "arize-pulumi-local"


def ensure_pulumi() -> Path:
    """Directory of the Pulumi CLI (built on first use); put on PATH for this process."""
    result = subprocess.run(
        [str(REPO / "scripts" / "ensure-pulumi")], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"scripts/ensure-pulumi failed:\n{result.stderr}")
    bin_dir = Path(result.stdout.strip().splitlines()[-1])
    if str(bin_dir) not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return bin_dir


@dataclass
class LocalStack:
    """A stack on a local backend whose program is a Python callable."""

    project: str
    stack_name: str
    work_dir: Path
    program: Callable[[], None]
    env: dict[str, str] = field(default_factory=dict)
    echo: bool = False
    output: list[str] = field(default_factory=list)
    _stack: auto.Stack | None = None

    @property
    def stack(self) -> auto.Stack:
        if self._stack is None:
            state = self.work_dir / "state"
            state.mkdir(parents=True, exist_ok=True)
            env = {
                "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
                "PULUMI_BACKEND_URL": f"file://{state}",
                "PULUMI_HOME": str(self.work_dir / "pulumi-home"),
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_PYTHON_CMD": sys.executable,
                **self.env,
            }
            settings = auto.ProjectSettings(
                name=self.project,
                runtime="python",
                backend=auto.ProjectBackend(url=f"file://{state}"),
            )
            options = auto.LocalWorkspaceOptions(
                work_dir=str(self.work_dir),
                env_vars=env,
                project_settings=settings,
                secrets_provider="passphrase",
            )
            self._stack = auto.create_or_select_stack(
                self.stack_name, self.project, self._run_program, opts=options
            )
        return self._stack

    def _run_program(self) -> None:
        self.program()

    def _capture(self, line: str) -> None:
        self.output.append(line)
        if self.echo:
            print(line, end="" if line.endswith("\n") else "\n", flush=True)

    def set_config(self, values: dict[str, str], secrets: dict[str, str] | None = None) -> None:
        config = {key: auto.ConfigValue(value) for key, value in values.items()}
        for key, value in (secrets or {}).items():
            config[key] = auto.ConfigValue(value, secret=True)
        self.stack.set_all_config(config)

    def up(self, **kwargs: Any) -> auto.UpResult:
        return self.stack.up(on_output=self._capture, **kwargs)

    def preview(self, **kwargs: Any) -> auto.PreviewResult:
        return self.stack.preview(on_output=self._capture, **kwargs)

    def refresh(self, **kwargs: Any) -> auto.RefreshResult:
        return self.stack.refresh(on_output=self._capture, **kwargs)

    def destroy(self, **kwargs: Any) -> auto.DestroyResult:
        return self.stack.destroy(on_output=self._capture, **kwargs)

    def outputs(self) -> dict[str, Any]:
        return {key: value.value for key, value in self.stack.outputs().items()}

    def export(self) -> dict[str, Any]:
        """`pulumi stack export`, as a person runs it: secrets stay encrypted."""
        env = {**os.environ, **self.stack.workspace.env_vars}
        result = subprocess.run(
            ["pulumi", "stack", "export", "--stack", self.stack_name],
            cwd=self.work_dir,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        deployment = json.loads(result.stdout).get("deployment") or {}
        return dict(deployment)

    def state_text(self) -> str:
        """Every file of the local backend, for checks that nothing leaked into state."""
        root = self.work_dir / "state"
        return "".join(
            path.read_text(errors="replace") for path in sorted(root.rglob("*")) if path.is_file()
        )

    def delete_empty_backend_metadata(self) -> list[Path]:
        """The README's recovery step for a local backend killed mid-write: delete the empty
        ``.attrs`` files that make every command fail with ``failed to load checkpoint: EOF``."""
        empty = [p for p in (self.work_dir / "state").rglob("*.attrs") if p.stat().st_size == 0]
        for path in empty:
            path.unlink()
        return empty

    def up_killed_when(self, ready: Callable[[], bool], wait: float = 120) -> None:
        """Run ``pulumi up`` and SIGKILL the CLI and everything it started (the engine, the
        provider process) as soon as ``ready()`` holds: a CI job cancelled mid-deploy."""
        errors: list[BaseException] = []

        def run_up() -> None:
            try:
                self.up()
            except BaseException as error:
                errors.append(error)

        worker = threading.Thread(target=run_up)
        worker.start()
        deadline = time.monotonic() + wait
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.1)
        victims = pulumi_cli_tree()
        if not victims:
            raise AssertionError("no pulumi CLI process to interrupt")
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        worker.join(timeout=60)
        if not errors:
            raise AssertionError("the interrupted up should have failed")

    def resources(self, type_token: str | None = None) -> list[dict[str, Any]]:
        found = self.export().get("resources") or []
        return [r for r in found if type_token is None or r.get("type") == type_token]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def pulumi_cli_tree() -> list[int]:
    """PIDs of the `pulumi` CLI started by this process, and of everything it started (the
    engine's plugins and the provider process): what a SIGKILL of a CI job takes down."""
    tree = _children()
    roots = [
        pid
        for pid in tree.get(os.getpid(), [])
        if Path(f"/proc/{pid}/comm").read_text().strip() == "pulumi"
    ]
    found: list[int] = []
    while roots:
        pid = roots.pop()
        found.append(pid)
        roots += tree.get(pid, [])
    return found


PROVIDER_KEY = "__provider"
ENTRY_INDENT = 16
"""Where `pulumi stack export` (indent of four spaces) prints a resource's members."""


def state_bytes(resource: dict[str, Any]) -> int:
    """Bytes of a resource's ``inputs`` and ``outputs`` as `pulumi stack export` prints them,
    without ``__provider`` (which Pulumi's dynamic-provider SDK stores in every dynamic
    resource) and without what the engine adds (URN, parent, dependencies, times, ...)."""
    size = 0
    for member in ("inputs", "outputs"):
        values = {k: v for k, v in (resource.get(member) or {}).items() if k != PROVIDER_KEY}
        lines = json.dumps({member: values}, indent=4, ensure_ascii=False).splitlines()[1:-1]
        size += sum(len(line) + ENTRY_INDENT - 4 + 1 for line in lines)
    return size


def program_from_folder(folder: Path) -> Callable[[], None]:
    """The ``__main__.py`` of a Pulumi project folder, as an inline program."""
    main = folder / "__main__.py"

    def run() -> None:
        runpy.run_path(str(main), run_name="__main__")

    return run


@contextlib.contextmanager
def temporary_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
