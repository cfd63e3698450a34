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


def parallel_runs(bench: Bench, duration: float) -> list[Row]:
    """Four and eight TaskRuns waited on in one up: the provider's four threads in numbers."""

    def program(count: int) -> Callable[[], None]:
        def run() -> None:
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
                    poll_interval=0.25,
                )

        return run

    times: dict[int, float] = {}
    for count in (4, 8):
        stack = bench.stack(program(count))
        times[count] = timed(stack.up)
        stack.destroy()
    return [
        (
            f"up with 4 / 8 TaskRuns of {duration:g}s each",
            f"{times[4]:.1f}s / {times[8]:.1f}s (+{times[8] - times[4]:.1f}s)",
            "8 runs take one more run's length: four waits at a time",
            "-",
        )
    ]


def task_shape(bench: Bench) -> tuple[dict[str, Any], dict[str, Any]]:
    """The checked inputs and the outputs of one real Task, for `Mirror` to copy."""
    stack = bench.stack(tasks_program(1))
    stack.up()
    (task,) = stack.resources("pulumi-python:dynamic/arize:Task")
    stack.destroy()
    inputs = {k: v for k, v in task["inputs"].items() if k not in ("__provider", "resource_name")}
    outputs = {k: v for k, v in task["outputs"].items() if k != "__provider"}
    return inputs, outputs


def mirror_program(count: int, inputs: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        for index in range(count):
            name = f"bench-mirror-{index}"
            Mirror(name, inputs | {"resource_name": name}, list(TaskProvider.OUTPUTS))

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


def _ratio_row(figure: str, a: float, b: float, target: float | None = None) -> Row:
    ratio = a / b
    return (
        figure,
        f"{a:.2f}s vs {b:.2f}s = {ratio:.2f}x",
        f"<= {target:.2f}x" if target else "reported",
        _verdict(ratio <= target) if target else "-",
    )


KINDS = ("task", "mirror", "noop")


def engine_ratio(bench: Bench, n: int, repeats: int) -> list[Row]:
    """Wall time of up, unchanged preview and destroy: Task against the engine's floors.

    `Noop` (one input) is the floor the targets name. `Mirror` has a real Task's shape (the
    same registered properties, checked inputs and outputs) and calls nothing, so Mirror
    against Noop is what the engine and the SDK charge for that shape, and Task against Mirror
    is the provider's own cost (its code, its imports and the API calls). Up and destroy run
    again with the engine's per-step checkpoints off, to show how much of the gap they are.
    """
    inputs, outputs = task_shape(bench)
    programs = {
        "noop": noop_program(n),
        "mirror": mirror_program(n, inputs),
        "task": tasks_program(n),
    }
    modes = {"default": {}, "no checkpoints": SKIP_CHECKPOINTS}
    operations = {"default": ("up", "preview", "destroy"), "no checkpoints": ("up", "destroy")}
    samples: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
    state_bytes: dict[str, tuple[float, float]] = {}
    for _ in range(repeats):
        for mode, env in modes.items():
            for kind, program in programs.items():
                stack = bench.stack(program, env)
                if kind == "mirror":
                    stack.set_config({MIRROR_OUTPUTS_KEY: json.dumps(outputs)})
                for operation in operations[mode]:
                    if operation == "destroy" and kind not in state_bytes:
                        state_bytes[kind] = _state_bytes(stack)
                    sample = timed_with_cpu(getattr(stack, operation), bench.sandbox.process.pid)
                    samples.setdefault((mode, kind, operation), []).append(sample)
    wall_median, cpu_median, sandbox_median = (
        {
            key: statistics.median(sample[index] for sample in values)
            for key, values in samples.items()
        }
        for index in range(3)
    )
    rows: list[Row] = [
        (
            "state per resource: inputs + outputs bytes / whole stack-export entry bytes",
            ", ".join(f"{k} {p:.0f} / {e:.0f}" for k, (p, e) in state_bytes.items()),
            "reported",
            "-",
        )
    ]
    targets = {"up": 1.25, "preview": 1.10, "destroy": 1.25}
    for operation, target in targets.items():
        task, mirror, noop = (wall_median["default", k, operation] for k in KINDS)
        cpu_task, cpu_mirror, cpu_noop = (cpu_median["default", k, operation] for k in KINDS)
        cpu_sandbox = sandbox_median["default", "task", operation]
        rows += [
            _ratio_row(
                f"{operation}, {n} tasks vs {n} no-ops (median of {repeats})", task, noop, target
            ),
            _ratio_row(
                f"{operation}: {n} Task-shaped no-ops (mirrors) vs {n} no-ops", mirror, noop
            ),
            _ratio_row(f"{operation}: provider's own cost, {n} tasks vs {n} mirrors", task, mirror),
            (
                f"{operation}: CPU seconds of all processes, tasks / mirrors / no-ops",
                f"{cpu_task:.2f} (sandbox {cpu_sandbox:.2f}) / {cpu_mirror:.2f} / "
                f"{cpu_noop:.2f}: tasks vs no-ops {cpu_task / cpu_noop:.2f}x, mirrors vs "
                f"no-ops {cpu_mirror / cpu_noop:.2f}x, tasks vs mirrors "
                f"{cpu_task / cpu_mirror:.2f}x ({(cpu_task - cpu_sandbox) / cpu_mirror:.2f}x "
                "without the sandbox, which stands in for Arize's servers)",
                "reported",
                "-",
            ),
        ]
        if operation in operations["no checkpoints"]:
            task, mirror, noop = (wall_median["no checkpoints", k, operation] for k in KINDS)
            rows += [
                _ratio_row(f"{operation}, checkpoints off: {n} tasks vs {n} no-ops", task, noop),
                _ratio_row(
                    f"{operation}, checkpoints off: {n} mirrors vs {n} no-ops", mirror, noop
                ),
            ]
    return rows


def scale(bench: Bench, sizes: list[int]) -> list[Row]:
    """Preview (empty stack) and up times for growing N, and the growth per resource."""
    rows: list[Row] = []
    measured: list[tuple[int, float, float]] = []
    for n in sizes:
        stack = bench.stack(tasks_program(n))
        preview = timed(stack.preview)
        up = timed(stack.up)
        stack.destroy()
        measured.append((n, preview, up))
        rows.append((f"scale N={n}", f"preview {preview:.2f}s, up {up:.2f}s", "reported", "-"))
    (n0, p0, u0), (n1, p1, u1) = measured[0], measured[-1]
    rows.append(
        (
            f"growth per task, N={n0}..{n1}",
            f"preview {1000 * (p1 - p0) / (n1 - n0):.1f} ms, "
            f"up {1000 * (u1 - u0) / (n1 - n0):.1f} ms",
            "reported",
            "-",
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
    parser.add_argument("--sizes", default="10,100,300", help="scale sizes (default 10,100,300)")
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()

    ensure_pulumi()
    rows: list[Row] = []
    rows += cold_start()
    rows += client_overhead()
    with temporary_dir("arize-bench-") as work:
        sandbox = start_sandbox(api_key=API_KEY, run_duration=2.0)
        try:
            bench = Bench(sandbox, work)
            rows += api_calls(bench, args.n)
            rows += task_run_calls(bench, duration=2.0, poll=0.5)
            rows += parallel_runs(bench, duration=2.0)
            rows += state_size(bench, 10)
            rows += engine_ratio(bench, args.n, args.repeats)
            rows += scale(bench, [int(s) for s in args.sizes.split(",")])
        finally:
            sandbox.stop()
    table = render(rows)
    print(table)
    if not args.no_write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        header = "" if RESULTS.exists() else "# Benchmark results\n\nAppended by `make bench`.\n"
        with RESULTS.open("a") as results:
            results.write(f"{header}\n## {stamp}, {machine()}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
