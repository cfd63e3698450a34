"""The growth of each operation's wall time with the number of resources, as a PNG.

``python -m bench.plot`` draws it again from ``bench/scale.json`` (written by `make bench`,
size by size, so a run cut short still has what it measured). Needs matplotlib, which only
the ``bench`` extra installs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLOT = HERE / "scale.png"
OPERATIONS = ("up", "preview", "refresh", "destroy")
KINDS = {"task": "tasks", "mirror": "Task-shaped no-ops", "noop": "one-input no-ops"}
MODES = {"default": "-", "no checkpoints": "--"}


def plot(data: Path, png: Path) -> str:
    """Draw ``data`` into ``png``; what was drawn, as a line for the results."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, ScalarFormatter

    sizes = json.loads(data.read_text())["sizes"]
    ns = sorted(int(n) for n in sizes)
    figure, axes = plt.subplots(2, 2, figsize=(11, 8), sharex=True)
    colors = dict(zip(KINDS, ("tab:red", "tab:blue", "tab:gray"), strict=True))
    for axis, operation in zip(axes.flat, OPERATIONS, strict=True):
        for mode, style in MODES.items():
            for kind, label in KINDS.items():
                key = f"{mode}/{kind}/{operation}"
                points = [
                    (n, sizes[str(n)]["wall"][key]) for n in ns if key in sizes[str(n)]["wall"]
                ]
                if not points:
                    continue
                axis.plot(
                    [n for n, _ in points],
                    [seconds for _, seconds in points],
                    style,
                    marker="o",
                    color=colors[kind],
                    label=f"{label}{', checkpoints off' if mode != 'default' else ''}",
                )
        axis.set_title(f"pulumi {operation}" + (" (unchanged)" if operation == "preview" else ""))
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.xaxis.set_major_locator(FixedLocator(ns))
        axis.xaxis.set_major_formatter(ScalarFormatter())
        axis.yaxis.set_major_formatter(ScalarFormatter())
        axis.yaxis.set_minor_formatter(ScalarFormatter())
        axis.set_xlabel("resources")
        axis.set_ylabel("wall seconds")
        axis.grid(True, which="both", alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    figure.suptitle("Wall time against the number of resources (sandbox, real CLI, 2 cores)")
    figure.tight_layout()
    figure.savefig(png, dpi=90)
    plt.close(figure)
    shown = png.name if png.parent == HERE else str(png)
    return f"![growth]({shown}) (N = {', '.join(map(str, ns))})"


if __name__ == "__main__":
    print(plot(HERE / "scale.json", PLOT))
    sys.exit(0)
