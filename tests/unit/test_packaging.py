"""What users install: the client without Pulumi, and a wheel that holds only the product."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_tasks_client_imports_without_pulumi() -> None:
    script = """
import sys
import arize_pulumi.tasks
from arize_pulumi.tasks import TasksClient, Task, validate_task
client = TasksClient("key", "http://127.0.0.1:9", warn_alpha=False)
client.close()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pulumi", "grpc", "dill"))
print(",".join(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "", f"imported with the client: {result.stdout}"


def test_the_root_package_still_offers_the_resources() -> None:
    import arize_pulumi
    from arize_pulumi.resources import Task, TaskRunArgs

    assert arize_pulumi.Task is Task
    assert arize_pulumi.TaskRunArgs is TaskRunArgs
    assert set(arize_pulumi.__all__) <= set(dir(arize_pulumi))


def test_the_wheel_holds_the_package_and_nothing_else(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if ".dist-info/" not in n}
        sources = {n: archive.read(n).decode() for n in shipped if n.endswith(".py")}
    package = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "arize_pulumi").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped == package
    assert not [n for n in shipped if "floor" in n]
    registering = [n for n, text in sources.items() if 'name="Noop"' in text or "Mirror" in text]
    assert registering == [], "benchmark-only resource types ship in the wheel"
