"""Every folder under examples/ is a runnable program: up, a clean preview, destroy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import MakeStack
from tests.support.sandbox import Sandbox
from tests.support.stacks import program_from_folder

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FOLDERS = sorted(path.parent for path in EXAMPLES.glob("*/Pulumi.yaml"))


def test_the_examples_are_there() -> None:
    names = {folder.name for folder in FOLDERS}
    assert {"project-eval", "dataset-eval", "run-experiment", "adopt-existing"} <= names
    assert {"nightly-run", "experiment-chain", "trace-eval"} <= names
    for folder in FOLDERS:
        assert (folder / "README.md").is_file(), folder
        assert (folder / "__main__.py").is_file(), folder


def test_the_root_project_runs_the_demo_example() -> None:
    root = yaml.safe_load((EXAMPLES.parent / "Pulumi.yaml").read_text())
    assert (EXAMPLES.parent / root["main"]).resolve() == (EXAMPLES / "project-eval").resolve()


def _prepare(folder: Path, sandbox: Sandbox) -> None:
    """What a user does before running the example: adopt-existing needs a task to take over."""
    if folder.name != "adopt-existing":
        return
    source = (folder / "__main__.py").read_text()
    ids = sandbox.ids()
    for name in ("existing-hallucination-check", "legacy-hallucination"):
        if f'"{name}"' in source:
            response = sandbox.control().post(
                "/v2/tasks",
                json={
                    "type": "TEMPLATE_EVALUATION",
                    "name": name,
                    "project_id": ids["project"],
                    "evaluators": [{"evaluator_id": ids["evaluators"]["hallucination"]}],
                },
            )
            assert response.status_code == 201, response.text


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_example_runs(make_stack: MakeStack, sandbox: Sandbox, folder: Path) -> None:
    _prepare(folder, sandbox)
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text())
    config = {
        key: str(value)
        for key, value in (project.get("config") or {}).items()
        if not isinstance(value, dict)
    }
    if "aiIntegrationId" in (project.get("config") or {}):
        config["aiIntegrationId"] = sandbox.ids()["ai_integration"]
    stack = make_stack(
        program_from_folder(folder), config=config, name=folder.name, project=project["name"]
    )
    before = sandbox.total_requests()
    stack.up()
    assert sandbox.total_requests() > before
    assert stack.outputs(), f"{folder.name} exports nothing"
    stack.preview(expect_no_changes=True)
    stack.destroy()
