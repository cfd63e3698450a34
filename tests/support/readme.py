"""The fenced snippets of a Markdown file, with the marks that say how (or why not) a test runs
them.

A mark is an HTML comment on the line before a fence (invisible on a rendered page):
``<!-- readme-test: skip: <why it cannot run here> -->`` or ``<!-- readme-test: server: <what
the test does> -->`` for a command that serves until stopped. A ``sh`` or ``python`` fence
without a mark is run as printed; a ``text`` fence is output or a listing, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CODE_LANGUAGES = frozenset({"sh", "python"})
TEXT_LANGUAGES = frozenset({"text"})
MARK = re.compile(r"^<!-- readme-test: (?P<kind>[a-z]+)(?::\s*(?P<reason>.*?))?\s*-->$")


@dataclass(frozen=True)
class Fence:
    """One fenced block: where it is, its language, its text and its mark."""

    line: int
    language: str
    code: str
    heading: str
    mark: str | None = None
    reason: str | None = None

    @property
    def label(self) -> str:
        return f"line {self.line} ({self.language}, {self.heading})"

    @property
    def runs(self) -> bool:
        return self.language in CODE_LANGUAGES and self.mark != "skip"


def fences(path: Path) -> list[Fence]:
    """Every fenced block of ``path``, in order; a mark is the line right before a fence."""
    lines = path.read_text().splitlines()
    found: list[Fence] = []
    heading = "top"
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if not line.startswith("```"):
            index += 1
            continue
        language = line[3:].strip()
        end = index + 1
        while end < len(lines) and lines[end] != "```":
            end += 1
        mark = MARK.match(lines[index - 1]) if index > 0 else None
        found.append(
            Fence(
                line=index + 1,
                language=language,
                code="\n".join(lines[index + 1 : end]) + "\n",
                heading=heading,
                mark=mark.group("kind") if mark else None,
                reason=mark.group("reason") if mark else None,
            )
        )
        index = end + 1
    return found


def marks_without_fence(path: Path) -> list[int]:
    """Line numbers of marks not directly followed by a fence."""
    lines = path.read_text().splitlines()
    return [
        number + 1
        for number, line in enumerate(lines)
        if line.startswith("<!-- readme-test")
        and not (number + 1 < len(lines) and lines[number + 1].startswith("```"))
    ]
