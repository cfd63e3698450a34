"""The supported versions are declared once, in tests/matrix/versions.mk: the README's table,
pyproject's bounds and the "checked on pulumi ..." notes at each use of a Pulumi internal must
say what the matrix runs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "arize_pulumi"

# Uses of Pulumi internals: each file that has one carries a "checked on pulumi A and B" note.
INTERNALS = re.compile(
    r"pickle\._Pickler|_batch_setitems|\"__provider\"|pulumi\.runtime import rpc"
    r"|pulumi\.output import|\bpulumi(?:\.\w+)*\._(?!_)\w+|from pulumi[.\w]* import _(?!_)\w+"
)
NOTE = re.compile(r"checked on pulumi (\d+(?:\.\d+)*) and (\d+(?:\.\d+)*)")


def pins() -> dict[str, str]:
    text = (ROOT / "tests/matrix/versions.mk").read_text()
    return dict(re.findall(r"^([A-Z_]+) := (.+?)\s*$", text, re.MULTILINE))


def matrix_rows() -> list[list[str]]:
    """The cells `make test-matrix` runs, and `make test`'s own, as the README's table states
    them: every Python on the newest SDK, the first Python on the lowest."""
    pin = pins()
    first, *others = pin["MATRIX_PYTHONS"].split()
    newest, lowest = pin["PULUMI_SDK_NEWEST"], pin["PULUMI_SDK_LOWEST"]
    rows = [[first, f"{newest} (newest checked)", "every tier, by `make test`"]]
    rows += [[python, f"{newest} (newest checked)", "unit, integration"] for python in others]
    rows.append([first, f"{lowest} (lowest supported)", "unit, integration, end to end"])
    return rows


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split("\n## Supported versions\n", 1)[1].split("\n## ", 1)[0]


def test_the_pins_name_three_pythons_and_two_sdk_releases() -> None:
    pin = pins()
    assert pin["MATRIX_PYTHONS"].split() == ["3.11", "3.12", "3.13"]
    lowest, newest = (
        tuple(int(part) for part in pin[key].split("."))
        for key in ("PULUMI_SDK_LOWEST", "PULUMI_SDK_NEWEST")
    )
    assert (3, 0, 0) <= lowest < newest < (4, 0, 0)


def test_the_readme_table_is_the_matrix() -> None:
    lines = [line for line in readme_section().splitlines() if line.startswith("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    assert rows == matrix_rows()


def test_the_readme_names_the_declared_bounds_and_the_tested_cli() -> None:
    pin = pins()
    section = readme_section()
    assert f"`pulumi>={pin['PULUMI_SDK_LOWEST']},<4`" in section
    cli = re.search(
        r'PULUMI_VERSION="\$\{PULUMI_VERSION:-([\d.]+)\}"',
        (ROOT / "scripts/ensure-pulumi").read_text(),
    )
    assert cli is not None
    assert f"Pulumi {cli.group(1)} (built)" in section
    readme = (ROOT / "README.md").read_text()
    floors = re.findall(r"`pulumi` SDK (\S+) or newer", readme)
    assert floors and set(floors) == {pin["PULUMI_SDK_LOWEST"]}


def test_pyproject_declares_the_lowest_sdk_and_the_first_python() -> None:
    pin = pins()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"pulumi>={pin['PULUMI_SDK_LOWEST']},<4" in project["dependencies"]
    assert project["requires-python"] == f">={pin['MATRIX_PYTHONS'].split()[0]}"


def test_every_use_of_a_pulumi_internal_says_the_releases_it_was_checked_on() -> None:
    pin = pins()
    checked = (pin["PULUMI_SDK_LOWEST"], pin["PULUMI_SDK_NEWEST"])
    users = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        flat = re.sub(r"\s*\n\s*#?\s*", " ", text)
        notes = NOTE.findall(flat)
        assert all(note == checked for note in notes), f"{path}: {notes} but the pins are {checked}"
        if INTERNALS.search(text):
            users.append(path.relative_to(ROOT).as_posix())
            assert notes, f"{path} uses a Pulumi internal without a 'checked on pulumi' note"
    assert "arize_pulumi/_pickling.py" in users
    assert "arize_pulumi/resources/_normalize.py" in users
