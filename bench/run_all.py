"""`make bench` (``python -m bench.run_all`` from the repository root): every figure of the
performance targets, printed and appended to RESULTS.md.

Timings are medians over repeated runs, and each comparison is a ratio measured side by side in
the same run against the engine's own floor (a no-op dynamic resource whose provider class is
in `bench.floor`), because this machine is shared and noisy. API calls are exact counts
from the sandbox's request counter.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

import arize_pulumi
from arize_pulumi.resources.task_provider import TaskProvider
from arize_pulumi.tasks.client import TasksClient
from bench.floor import MIRROR_OUTPUTS_KEY, Mirror, Noop
from bench.plot import PLOT, plot
from tests.support.sandbox import Sandbox, start_sandbox
from tests.support.stacks import REPO, LocalStack, ensure_pulumi, temporary_dir

API_KEY = "bench-key"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
Row = tuple[str, str, str, str]  # figure, measured, target, verdict


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


class Bench:
    """One sandbox and helpers to run stacks against it and read its request counts."""

    def __init__(self, sandbox: Sandbox, work: Path) -> None:
        self.sandbox = sandbox
        self.work = work
        self._stacks = 0

    def counts(self) -> dict[str, int]:
        return self.sandbox.requests()

    def reset(self) -> None:
        self.sandbox.reset_requests()

    def stack(self, program: Callable[[], None], env: dict[str, str] | None = None) -> LocalStack:
        """A stack whose provider process can import `bench.floor`: the floors' providers are
        pickled by reference, and that process starts in the stack's own folder. An editable
        install already puts the repository root on its path; a regular one does not."""
        self._stacks += 1
        stack = LocalStack(
            project="arize-bench",
            stack_name=f"b{self._stacks}",
            work_dir=self.work / f"stack-{self._stacks}",
            program=program,
            env={"PYTHONPATH": _with_repo(os.environ.get("PYTHONPATH")), **(env or {})},
        )
        stack.set_config(
            {"arize:baseUrl": self.sandbox.base_url, "arize:space": "demo-space"},
            {"arize:apiKey": API_KEY},
        )
        return stack


def _with_repo(python_path: str | None) -> str:
    """``python_path`` with the repository root first, where `bench.floor` is found."""
    return os.pathsep.join([str(REPO), *filter(None, [python_path])])


def tasks_program(count: int, changed: int | None = None) -> Callable[[], None]:
    """N template-evaluation tasks on one project with two evaluators, all by name."""

    def program() -> None:
        for index in range(count):
            arize_pulumi.Task(
                f"bench-task-{index}",
                type="template_evaluation",
                project="chatbot-prod",
                evaluators=[{"evaluator": "hallucination"}, {"evaluator": "relevance"}],
                sampling_rate=0.75 if index == changed else 0.5,
            )

    return program


def noop_program(count: int) -> Callable[[], None]:
    def program() -> None:
        for index in range(count):
            Noop(f"bench-noop-{index}")

    return program


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """CPU seconds of this process (the inline program) and of its waited-for descendants
    (the CLI and, through it, the provider process)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_with_cpu(action: Callable[[], Any], sandbox_pid: int) -> tuple[float, float, float]:
    """Wall seconds; CPU seconds of every process the operation used (the program, the CLI
    and engine, the provider process, the sandbox); and the sandbox's part of that CPU. CPU
    is steadier than wall time on a shared machine, so both are reported."""
    own, sandbox = _own_cpu(), _process_cpu(sandbox_pid)
    wall = timed(action)
    sandbox = _process_cpu(sandbox_pid) - sandbox
    return wall, _own_cpu() - own + sandbox, sandbox


def _writes(counts: dict[str, int]) -> int:
    return sum(n for key, n in counts.items() if not key.startswith("GET "))


def _lookups(counts: dict[str, int]) -> int:
    lookup_routes = ("/v2/spaces", "/v2/projects", "/v2/datasets", "/v2/evaluators")
    return sum(n for key, n in counts.items() if key.split(" ", 1)[1] in lookup_routes)


def api_calls(bench: Bench, n: int) -> list[Row]:
    """Exact request counts for each operation on N tasks."""
    rows: list[Row] = []
    stack = bench.stack(tasks_program(n))
    bench.reset()
    stack.up()
    counts = bench.counts()
    creates = counts.get("POST /v2/tasks", 0)
    others = sum(counts.values()) - creates
    rows.append(
        (
            f"up, {n} tasks: requests",
            f"{creates} creates + {others} other ({_lookups(counts)} lookups)",
            f"{n} creates + <= 4 lookups (space, project, 2 evaluators)",
            _verdict(creates == n and others <= 4),
        )
    )
    bench.reset()
    stack.preview()
    total = sum(bench.counts().values())
    rows.append(("preview, unchanged: requests", str(total), "0", _verdict(total == 0)))

    stack.program = tasks_program(n, changed=0)
    bench.reset()
    stack.up()
    counts = bench.counts()
    patches = counts.get("PATCH /v2/tasks/{task_id}", 0)
    rows.append(
        (
            "up, one task changed: requests",
            json.dumps(counts, sort_keys=True),
            "1 PATCH, no other write",
            _verdict(patches == 1 and _writes(counts) == 1),
        )
    )
    bench.reset()
    stack.refresh()
    counts = bench.counts()
    reads = counts.get("GET /v2/tasks/{task_id}", 0)
    rows.append(
        (
            "refresh: requests",
            json.dumps(counts, sort_keys=True),
            f"{n} reads, no lookups",
            _verdict(reads == n and sum(counts.values()) == n),
        )
    )
    bench.reset()
    stack.destroy()
    counts = bench.counts()
    deletes = counts.get("DELETE /v2/tasks/{task_id}", 0)
    rows.append(
        (
            "destroy: requests",
            json.dumps(counts, sort_keys=True),
            f"{n} deletes",
            _verdict(deletes == n and sum(counts.values()) == n),
        )
    )
    return rows


def task_run_calls(bench: Bench, duration: float, poll: float) -> list[Row]:
    """A TaskRun of duration D polled every P: one trigger, at most D/P + 2 reads."""

    def program() -> None:
        task = arize_pulumi.Task(
            "bench-run-task",
            type="template_evaluation",
            project="chatbot-prod",
            evaluators=[{"evaluator": "hallucination"}],
        )
        arize_pulumi.TaskRun(
            "bench-run",
            task=task.task_id,
            data_start_time="2026-01-01T00:00:00Z",
            data_end_time="2026-01-02T00:00:00Z",
            poll_interval=poll,
        )

    stack = bench.stack(program)
    bench.reset()
    stack.up()
    counts = bench.counts()
    stack.destroy()
    triggers = counts.get("POST /v2/tasks/{task_id}/trigger", 0)
    reads = counts.get("GET /v2/task-runs/{run_id}", 0)
    bound = int(duration / poll) + 2
    return [
        (
            f"TaskRun D={duration:g}s P={poll:g}s: requests",
            f"{triggers} trigger, {reads} run reads",
            f"1 trigger, <= {bound} reads",
            _verdict(triggers == 1 and reads <= bound),
        )
    ]


def runs_program(count: int, wait: bool) -> Callable[[], None]:
    """``count`` tasks, each with a TaskRun polled every 0.5 s (or not waited on)."""

    def program() -> None:
        for index in range(count):
            task = arize_pulumi.Task(
                f"parallel-{index}",
                type="template_evaluation",
                project="chatbot-prod",
                evaluators=[{"evaluator": "hallucination"}],
            )
            arize_pulumi.TaskRun(
                f"parallel-run-{index}",
                task=task.task_id,
                data_start_time="2026-01-01T00:00:00Z",
                data_end_time="2026-01-02T00:00:00Z",
                poll_interval=0.5,
                wait=wait,
            )

    return program


SHARED_WAITS = {"ARIZE_PULUMI_SHARED_WAIT_THREADS": "true"}
"""Waits on the provider process's own four threads: the behaviour before waits added one."""

RUN_COUNTS = (4, 8, 16)


def parallel_runs(work: Path, duration: float) -> list[Row]:
    """N TaskRuns of D seconds in one up, with waits on four shared threads (before) and with a
    thread each (after), against the same up with ``wait=False`` (the engine's floor for
    those 2N resources and N triggers). The engine may run 32 steps at once here, so its own
    ``--parallel`` (4 per CPU by default) is not what is measured, except in the last row."""
    sandbox = start_sandbox(api_key=API_KEY, run_duration=duration)
    rows: list[Row] = []
    try:
        bench = Bench(sandbox, work)

        def up(count: int, wait: bool, env: dict[str, str], parallel: int | None = 32) -> float:
            stack = bench.stack(runs_program(count, wait), env)
            seconds = timed(lambda: stack.up(parallel=parallel) if parallel else stack.up())
            stack.destroy()
            return seconds

        for count in RUN_COUNTS:
            floor = up(count, False, {})
            before = up(count, True, SHARED_WAITS)
            after = up(count, True, {})
            bound = 1.3 * duration + floor
            rows.append(
                (
                    f"up of {count} tasks + {count} TaskRuns of D={duration:g}s: "
                    "waits on 4 shared threads (before) / a thread each (after)",
                    f"{before:.1f}s = {before / duration:.2f} D / {after:.1f}s = "
                    f"{after / duration:.2f} D (floor, wait=False: {floor:.1f}s)",
                    f"after <= 1.3 D + floor = {bound:.1f}s",
                    _verdict(after <= bound),
                )
            )
        default = up(16, True, {}, parallel=None)
        rows.append(
            (
                f"the same, 16 runs, the engine's default --parallel ({4 * (os.cpu_count() or 1)})",
                f"{default:.1f}s = {default / duration:.2f} D",
                "reported",
                "-",
            )
        )
    finally:
        sandbox.stop()
    return rows


def task_shape(bench: Bench) -> tuple[dict[str, Any], dict[str, Any]]:
    """The checked inputs and the outputs of one real Task, for `Mirror` to copy."""
    stack = bench.stack(tasks_program(1))
    stack.up()
    (task,) = stack.resources("pulumi-python:dynamic/arize:Task")
    stack.destroy()
    inputs = {k: v for k, v in task["inputs"].items() if k not in ("__provider", "__name")}
    outputs = {k: v for k, v in task["outputs"].items() if k != "__provider"}
    return inputs, outputs


def mirror_program(count: int, inputs: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        for index in range(count):
            name = f"bench-mirror-{index}"
            Mirror(name, inputs | {"__name": name}, list(TaskProvider.OUTPUTS))

    return program


def _state_bytes(stack: LocalStack) -> tuple[float, float]:
    """Mean bytes per dynamic resource of the stack's state: inputs plus outputs, and the
    resource's whole entry in `pulumi stack export` (what the engine rewrites on each step)."""
    found = [r for r in stack.resources() if r["type"].startswith("pulumi-python:dynamic/")]
    count = max(len(found), 1)
    properties = sum(len(json.dumps(r["inputs"])) + len(json.dumps(r["outputs"])) for r in found)
    return properties / count, sum(len(json.dumps(r)) for r in found) / count


SKIP_CHECKPOINTS = {"PULUMI_SKIP_CHECKPOINTS": "true"}
"""The engine's switch to write the state once at the end instead of after every step."""


KINDS = ("task", "mirror", "noop")
OPERATIONS = ("up", "preview", "refresh", "destroy")
"""Each on the stack the one before left: create, unchanged preview, refresh, delete."""
MODES: dict[str, dict[str, str]] = {"default": {}, "no checkpoints": SKIP_CHECKPOINTS}
TARGETS = {"up": 1.10, "preview": 1.05, "destroy": 1.10}
"""Tasks against Task-shaped no-ops (mirrors), wall time."""
SCALE_DATA = Path(__file__).resolve().parent / "scale.json"
"""The medians behind the scale rows and the plot, rewritten after each size (a run with
``--no-write`` keeps them, and its plot, in a temporary folder instead)."""


def _expected_counts(n: int) -> dict[str, dict[str, int]]:
    """Exact requests per operation on N tasks of `tasks_program`: one lookup per distinct
    name (the space, the project, two evaluators), none for an unchanged preview."""
    return {
        "up": {
            "POST /v2/tasks": n,
            "GET /v2/spaces": 1,
            "GET /v2/projects": 1,
            "GET /v2/evaluators": 2,
        },
        "preview": {},
        "refresh": {"GET /v2/tasks/{task_id}": n},
        "destroy": {"DELETE /v2/tasks/{task_id}": n},
    }


def scale(bench: Bench, sizes: list[int], n: int, repeats: int, out: Path) -> list[Row]:
    """Up, unchanged preview, refresh and destroy of N tasks, N Task-shaped no-ops and N
    one-input no-ops, side by side, for each N, with the engine's checkpoints on and off.

    `Noop` (one input) is what any dynamic resource costs. `Mirror` has a real Task's shape
    (the same registered properties, checked inputs and outputs) and calls nothing, so tasks
    against mirrors is this provider's own cost (its code, its imports and its API calls).
    Sizes up to ``n`` take the median of ``repeats`` runs; larger ones run once. Request
    counts are the tasks' own, from the sandbox."""
    inputs, outputs = task_shape(bench)
    rows: list[Row] = []
    data: dict[str, Any] = {"sizes": {}}
    state_bytes: dict[str, tuple[float, float]] = {}
    for size in sizes:
        programs = {
            "task": tasks_program(size),
            "mirror": mirror_program(size, inputs),
            "noop": noop_program(size),
        }
        runs = repeats if size <= n else 1
        samples: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
        counts: dict[str, dict[str, int]] = {}
        for _ in range(runs):
            for mode, env in MODES.items():
                for kind, program in programs.items():
                    stack = bench.stack(program, env)
                    if kind == "mirror":
                        stack.set_config({MIRROR_OUTPUTS_KEY: json.dumps(outputs)})
                    for operation in OPERATIONS:
                        if operation == "preview" and kind not in state_bytes:
                            state_bytes[kind] = _state_bytes(stack)
                        bench.reset()
                        sample = timed_with_cpu(
                            getattr(stack, operation), bench.sandbox.process.pid
                        )
                        samples.setdefault((mode, kind, operation), []).append(sample)
                        if kind == "task":
                            counts[f"{mode}/{operation}"] = bench.counts()
        medians = {
            key: tuple(statistics.median(sample[i] for sample in values) for i in range(3))
            for key, values in samples.items()
        }
        rows += _scale_rows(size, runs, medians, counts)
        data["sizes"][str(size)] = {
            "runs": runs,
            "wall": {"/".join(key): value[0] for key, value in medians.items()},
            "cpu": {"/".join(key): value[1] for key, value in medians.items()},
            "counts": counts,
        }
        out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    rows.append(
        (
            "state per resource: inputs + outputs bytes / whole stack-export entry bytes",
            ", ".join(f"{k} {p:.0f} / {e:.0f}" for k, (p, e) in state_bytes.items()),
            "reported",
            "-",
        )
    )
    return rows


def _scale_rows(
    size: int,
    runs: int,
    medians: dict[tuple[str, str, str], tuple[float, ...]],
    counts: dict[str, dict[str, int]],
) -> list[Row]:
    rows: list[Row] = []
    expected = _expected_counts(size)
    for mode in MODES:
        for operation in OPERATIONS:
            (task, cpu_task, cpu_sandbox), (mirror, cpu_mirror, _), (noop, cpu_noop, _) = (
                medians[mode, kind, operation] for kind in KINDS
            )
            target = TARGETS.get(operation)
            against_mirror = task / mirror
            median = f"median of {runs}" if runs > 1 else "one run"
            rows.append(
                (
                    f"N={size}, {operation}, {mode} ({median}): tasks / Task-shaped no-ops / "
                    "one-input no-ops",
                    f"{task:.2f}s / {mirror:.2f}s / {noop:.2f}s: vs Task-shaped "
                    f"{against_mirror:.2f}x, vs one-input {task / noop:.2f}x; CPU "
                    f"{cpu_task:.2f}s (sandbox {cpu_sandbox:.2f}) / {cpu_mirror:.2f}s / "
                    f"{cpu_noop:.2f}s: {cpu_task / cpu_mirror:.2f}x, {cpu_task / cpu_noop:.2f}x",
                    f"vs Task-shaped <= {target:.2f}x" if target else "reported",
                    _verdict(against_mirror <= target) if target else "-",
                )
            )
            seen = counts[f"{mode}/{operation}"]
            rows.append(
                (
                    f"N={size}, {operation}, {mode}: requests",
                    json.dumps(seen, sort_keys=True),
                    json.dumps(expected[operation], sort_keys=True),
                    _verdict(seen == expected[operation]),
                )
            )
    return rows


def _import_seconds(statement: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - started


def cold_start(runs: int = 15) -> list[Row]:
    """What importing the providers adds to the provider process's import of pulumi.dynamic.

    The three imports run in turn, round after round, and each figure is the median of the
    per-round differences, so a slow spell of this shared machine hits all three alike.
    """
    statements = (
        "import pulumi.dynamic",
        "import pulumi.dynamic, arize_pulumi.resources.task, arize_pulumi.resources.task_run",
        "import pulumi.dynamic, arize_pulumi.resources.task, arize_pulumi.tasks.client",
    )
    rounds = [[_import_seconds(statement) for statement in statements] for _ in range(runs)]
    base = statistics.median(r[0] for r in rounds)
    added = 1000 * statistics.median(r[1] - r[0] for r in rounds)
    first_call = 1000 * statistics.median(r[2] - r[0] for r in rounds)
    return [
        (
            f"provider import on top of pulumi.dynamic (median of {runs} paired runs)",
            f"{added:.0f} ms (pulumi.dynamic alone: {1000 * base:.0f} ms)",
            "<= 150 ms",
            _verdict(added <= 150),
        ),
        (
            "with the HTTP client loaded (first API call)",
            f"{first_call:.0f} ms",
            "reported",
            "-",
        ),
    ]


def state_size(bench: Bench, n: int) -> list[Row]:
    stack = bench.stack(tasks_program(n))
    stack.up()
    deployment = stack.export()
    stack.destroy()
    tasks = [r for r in deployment["resources"] if r["type"].endswith("arize:Task")]
    provider_sizes = [len(str(r["outputs"]["__provider"])) for r in tasks]
    secret = any(isinstance(r["outputs"]["__provider"], dict) for r in tasks)
    per_task = len(json.dumps(deployment)) / len(tasks)
    return [
        (
            "__provider bytes per resource",
            f"{max(provider_sizes)} (secret: {secret})",
            "< 300, not secret",
            _verdict(max(provider_sizes) < 300 and not secret),
        ),
        ("stack export bytes per Task", f"{per_task:.0f}", "reported", "-"),
    ]


def client_overhead(calls: int = 3000) -> list[Row]:
    """TasksClient.get against a bare httpx GET plus json.loads over the same mock transport."""
    body = json.dumps(
        {
            "id": "T25saW5lVGFzazoxOnFSd1g=",
            "name": "bench",
            "type": "TEMPLATE_EVALUATION",
            "is_continuous": True,
            "evaluators": [
                {"evaluator_id": "RXZhbHVhdG9yOjE6YUJjRA==", "evaluator_name": "hallucination"}
            ],
            "experiment_ids": [],
            "created_at": "2026-03-07T10:30:00.000Z",
            "updated_at": "2026-03-07T10:30:00.000Z",
            "query_filter": None,
            "last_run_at": None,
            "created_by_user_id": None,
            "project_id": "TW9kZWw6MTphQmNE",
            "sampling_rate": 0.5,
        }
    ).encode()

    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    transport = httpx.MockTransport(handler)
    task_id = "T25saW5lVGFzazoxOnFSd1g="
    client = TasksClient(
        api_key=API_KEY, base_url="http://arize.invalid", transport=transport, warn_alpha=False
    )
    bare = httpx.Client(base_url="http://arize.invalid", transport=transport)

    def ours() -> None:
        for _ in range(calls):
            client.get(task_id)

    def baseline() -> None:
        for _ in range(calls):
            json.loads(bare.get(f"/v2/tasks/{task_id}").content)

    batches: dict[str, list[float]] = {"ours": [], "bare": []}
    for _ in range(5):
        batches["bare"].append(timed(baseline) / calls)
        batches["ours"].append(timed(ours) / calls)
    ours_us = 1e6 * statistics.median(batches["ours"])
    bare_us = 1e6 * statistics.median(batches["bare"])
    ratio = ours_us / bare_us
    return [
        (
            "TasksClient.get vs bare httpx + json.loads",
            f"{ours_us:.0f} us vs {bare_us:.0f} us = {ratio:.2f}x",
            "<= 2x",
            _verdict(ratio <= 2),
        )
    ]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}"


def render(rows: list[Row]) -> str:
    lines = ["| figure | measured | target | verdict |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100, help="tasks per stack (default 100)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (default 3)")
    parser.add_argument(
        "--sizes", default="10,100,300,1000", help="numbers of tasks (default 10,100,300,1000)"
    )
    parser.add_argument(
        "--run-seconds", type=float, default=10.0, help="TaskRun duration D (default 10)"
    )
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="leave bench/ as it is: no RESULTS.md entry; scale.json and the plot in /tmp",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    data, png = SCALE_DATA, PLOT
    if args.no_write:
        kept = Path(tempfile.mkdtemp(prefix="arize-bench-scale-"))
        data, png = kept / SCALE_DATA.name, kept / PLOT.name

    ensure_pulumi()
    rows: list[Row] = []

    def section(found: list[Row]) -> None:
        """Keep a section's rows and show them now: a long run is read as it goes."""
        rows.extend(found)
        print(render(found), flush=True)

    section(cold_start())
    section(client_overhead())
    with temporary_dir("arize-bench-") as work:
        section(parallel_runs(work, duration=args.run_seconds))
        sandbox = start_sandbox(api_key=API_KEY, run_duration=2.0)
        try:
            bench = Bench(sandbox, work)
            section(api_calls(bench, args.n))
            section(task_run_calls(bench, duration=2.0, poll=0.5))
            section(state_size(bench, 10))
            section(scale(bench, sizes, args.n, args.repeats, data))
        finally:
            sandbox.stop()
    section([("growth with N: wall time of each operation", plot(data, png), "-", "-")])
    table = render(rows)
    if not args.no_write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        header = "" if RESULTS.exists() else "# Benchmark results\n\nAppended by `make bench`.\n"
        with RESULTS.open("a") as results:
            results.write(f"{header}\n## {stamp}, {machine()}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
