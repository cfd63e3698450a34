"""Every snippet of the README that can run here runs as printed, against a sandbox, with the
real `pulumi` CLI; the steps of examples/dataset-eval hold on a fresh stack; and what the README
says of stack outputs and `refresh` holds.

How each runs:

- ``python`` that declares resources: the body of an inline program, previewed against the
  sandbox (``arize:space`` is ``demo-space``, as the README's snippets assume).
- other ``python``: a ``python`` process with ``ARIZE_API_KEY`` and the sandbox as
  ``ARIZE_API_HOST`` (a setting that no snippet's own route conflicts with).
- ``sh``: ``bash -euo pipefail`` in a Pulumi project with a selected stack on a local backend,
  with ``ARIZE_BASE_URL`` and ``ARIZE_API_KEY`` for the sandbox and a ``HOME`` of its own.
- ``sh`` marked ``server``: started, its first line read, then stopped.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

import arize_pulumi
from tests.e2e.conftest import MakeStack
from tests.support.readme import Fence, fences
from tests.support.sandbox import Sandbox
from tests.support.stacks import program_from_folder

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
RUNNABLE = [f for f in fences(README) if f.runs]
DECLARES = re.compile(r"\b(arize|arize_pulumi)\.(Task|TaskRun)(\.get)?\(")
PASSPHRASE = "readme-test"


def declares_resources(fence: Fence) -> bool:
    return fence.language == "python" and bool(DECLARES.search(fence.code))


def shell_env(sandbox: Sandbox, home: Path, pulumi_bin: Path) -> dict[str, str]:
    path = os.pathsep.join([str(Path(sys.executable).parent), str(pulumi_bin.parent)])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "PULUMI_"))}
    return env | {
        "PATH": f"{path}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "PULUMI_HOME": str(home / ".pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{home / 'backend'}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "ARIZE_BASE_URL": sandbox.base_url,
        "ARIZE_API_KEY": sandbox.api_key,
    }


def pulumi_project(folder: Path, env: dict[str, str]) -> None:
    """A project with a selected stack, as a user has before `pulumi config set`."""
    folder.mkdir(parents=True)
    (folder / "Pulumi.yaml").write_text("name: readme\nruntime: python\n")
    (Path(env["HOME"]) / "backend").mkdir(parents=True, exist_ok=True)
    subprocess.run(["pulumi", "stack", "init", "dev"], cwd=folder, env=env, check=True)


def run_shell(fence: Fence, tmp_path: Path, env: dict[str, str]) -> None:
    project = tmp_path / "project"
    pulumi_project(project, env)
    # The README's recovery step deletes empty metadata files under ~/.pulumi.
    backend_meta = Path(env["HOME"]) / ".pulumi" / "stacks"
    backend_meta.mkdir(parents=True)
    (backend_meta / "dev.json.attrs").write_text("")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", fence.code],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{fence.label}\n{result.stdout}\n{result.stderr}"


def run_server(fence: Fence, tmp_path: Path, env: dict[str, str]) -> None:
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", fence.code],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert re.match(r"arize sandbox listening on http://127\.0\.0\.1:\d+$", first.strip()), (
            first
        )
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def run_python(fence: Fence, tmp_path: Path, sandbox: Sandbox) -> None:
    host = sandbox.base_url.split("://", 1)[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARIZE_")}
    env |= {"ARIZE_API_KEY": sandbox.api_key, "ARIZE_API_HOST": host, "ARIZE_API_SCHEME": "http"}
    result = subprocess.run(
        [sys.executable, "-c", fence.code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{fence.label}\n{result.stdout}\n{result.stderr}"


def program_of(fence: Fence) -> Callable[[], None]:
    def program() -> None:
        namespace: dict[str, Any] = {"arize_pulumi": arize_pulumi, "pulumi": pulumi}
        exec(compile(fence.code, f"README.md:{fence.line}", "exec"), namespace)

    return program


@pytest.mark.parametrize("fence", RUNNABLE, ids=[f"line-{f.line}-{f.language}" for f in RUNNABLE])
def test_readme_snippet_runs(
    fence: Fence, make_stack: MakeStack, sandbox: Sandbox, tmp_path: Path, pulumi_bin: Path
) -> None:
    if declares_resources(fence):
        stack = make_stack(program_of(fence))
        stack.preview()
        return
    if fence.language == "python":
        run_python(fence, tmp_path, sandbox)
        return
    env = shell_env(sandbox, tmp_path / "home", pulumi_bin)
    if fence.mark == "server":
        run_server(fence, tmp_path, env)
        return
    run_shell(fence, tmp_path, env)


def test_the_readme_runs_snippets_of_each_kind() -> None:
    kinds = {
        "program": any(declares_resources(f) for f in RUNNABLE),
        "python": any(f.language == "python" and not declares_resources(f) for f in RUNNABLE),
        "shell": any(f.language == "sh" and f.mark is None for f in RUNNABLE),
        "server": any(f.mark == "server" for f in RUNNABLE),
    }
    assert all(kinds.values()), kinds


def test_the_dataset_eval_steps_hold_on_a_fresh_stack(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    """examples/dataset-eval/README.md: add an experiment, set the list, preview a replace."""
    folder = ROOT / "examples" / "dataset-eval"
    stack = make_stack(program_from_folder(folder), project="arize-dataset-eval")
    stack.up()
    steps = [f for f in fences(folder / "README.md") if "experiments[1]" in f.code]
    seed = [f for f in fences(folder / "README.md") if "/_sandbox/seed" in f.code]
    assert len(steps) == 1 and len(seed) == 1
    # The steps, as printed, against this test's sandbox instead of the one on port 8765.
    seed_command = seed[0].code.replace("http://127.0.0.1:8765", sandbox.base_url)
    seed_command = seed_command.replace("Bearer any-key", f"Bearer {sandbox.api_key}")
    env = {**os.environ, **stack.stack.workspace.env_vars}
    subprocess.run(["bash", "-euo", "pipefail", "-c", seed_command], env=env, check=True)
    config_steps = "\n".join(
        line for line in steps[0].code.splitlines() if line.startswith("pulumi config")
    )
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", config_steps + "\n"],
        cwd=stack.work_dir,
        env=env,
        check=True,
    )
    preview = stack.preview()
    assert preview.change_summary.get("replace") == 1, preview.change_summary
    stack.up()
    assert len(stack.outputs()["experiment_ids"]) == 2


def test_stack_outputs_keep_their_values_until_the_next_up(
    make_stack: MakeStack, sandbox: Sandbox
) -> None:
    """`refresh` updates the state; the stack outputs change at the next `up`."""
    control = sandbox.control()
    ids = sandbox.ids()
    task = control.post(
        "/v2/tasks",
        json={
            "type": "TEMPLATE_EVALUATION",
            "name": "refreshed",
            "project_id": ids["project"],
            "evaluators": [{"evaluator_id": ids["evaluators"]["hallucination"]}],
        },
    ).json()["id"]

    def program() -> None:
        run = arize_pulumi.TaskRun(
            "later",
            task=task,
            data_start_time="2026-11-01T00:00:00Z",
            data_end_time="2026-11-02T00:00:00Z",
            wait=False,
        )
        pulumi.export("status", run.status)

    stack = make_stack(program)
    stack.up()
    assert stack.outputs()["status"] in {"PENDING", "RUNNING"}
    sandbox.clock.skip(5)
    stack.refresh()
    (run,) = stack.resources("pulumi-python:dynamic/arize:TaskRun")
    assert run["outputs"]["status"] == "COMPLETED"
    assert stack.outputs()["status"] in {"PENDING", "RUNNING"}
    stack.up()
    assert stack.outputs()["status"] == "COMPLETED"
