"""Waiting for a triggered run, and for the runs its experiment chained, then judging them.

A run is waited on until it ends or ``timeout`` passes (then ``on_timeout`` says what to do),
and it counts as a success only with a status in ``succeed_on``. The chained runs of a
completed experiment run share what is left of the same ``timeout``. Progress lines go to the
engine's log while a run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from arize_pulumi.resources._provider import ResourceError, describe, log
from arize_pulumi.resources.fields import TASK_RUN_FIELDS

if TYPE_CHECKING:
    from arize_pulumi.tasks.client import TasksClient
    from arize_pulumi.tasks.models import TaskRun as RunModel

__all__ = [
    "CHAINED_KEYS",
    "Elapsed",
    "Progress",
    "RunWait",
    "chained_entry",
    "setting",
]

_BY_NAME = {f.name: f for f in TASK_RUN_FIELDS}

CHAINED_KEYS = (
    "task_id",
    "run_id",
    "status",
    "num_successes",
    "num_errors",
    "num_skipped",
    "failure_reason",
)
"""What ``chained_runs`` holds of each chained run."""


def setting(inputs: Mapping[str, Any], key: str) -> Any:
    """A TaskRun input, or the value it behaves as when unset."""
    value = inputs.get(key)
    return _BY_NAME[key].default_for(inputs) if value is None else value


def _succeed_on(inputs: Mapping[str, Any]) -> list[str]:
    return [str(s).upper() for s in setting(inputs, "succeed_on")]


def counts(run: RunModel) -> str:
    return f"{run.num_successes} succeeded, {run.num_errors} errors, {run.num_skipped} skipped"


class Progress:
    """Prints a progress line when a run's status changes, or its counts change and at
    least ``interval`` seconds passed since the last line. The final status is left to the
    outcome line."""

    def __init__(
        self,
        label: str,
        run_id: str,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._label = label
        self._run_id = run_id
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._last: tuple[str, int, int, int] | None = None
        self._last_at = 0.0

    def __call__(self, run: RunModel) -> None:
        state = (run.status.value, run.num_successes, run.num_errors, run.num_skipped)
        if state == self._last or run.is_terminal:
            return
        now = self._clock()
        new_status = self._last is None or state[0] != self._last[0]
        if not new_status and now - self._last_at < self._interval:
            return
        self._last, self._last_at = state, now
        elapsed = now - self._started
        log("info", f"{self._label}: run {self._run_id} {state[0]}: {counts(run)} ({elapsed:.0f}s)")


class Elapsed:
    """Time spent waiting since it was made: the clock's, or the time slept when ``sleep``
    is a fake that does not move the clock, whichever is more."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._clock = clock
        self._sleep = sleep
        self._started = clock()
        self._slept = 0.0

    def sleep(self, seconds: float) -> None:
        self._sleep(seconds)
        self._slept += seconds

    def elapsed(self) -> float:
        return max(self._clock() - self._started, self._slept)


def _chained_run(
    client: TasksClient, task: str, space: str | None, since: datetime | None
) -> RunModel | None:
    """The oldest run of ``task`` created at or after ``since`` (None: not there yet)."""
    page = client.list_runs(task, space=space)
    runs = [
        r
        for r in page.runs
        if since is None or (r.created_at is not None and r.created_at >= since)
    ]
    return runs[-1] if runs else None


def chained_entry(run: RunModel) -> dict[str, Any]:
    """What ``chained_runs`` keeps of ``run``."""
    wire = run.model_dump(mode="json")
    entry = {key: wire[key] for key in CHAINED_KEYS if key in wire}
    entry.update(run_id=run.id, status=run.status.value)
    return {key: entry.get(key) for key in CHAINED_KEYS}


@dataclass
class RunWait:
    """One TaskRun's wait: its settings (``inputs``), its label for messages, and the time
    already spent (``waited``, shared by the run and the runs it chained)."""

    client: TasksClient
    inputs: Mapping[str, Any]
    label: str
    waited: Elapsed
    clock: Callable[[], float]
    progress_interval: float

    def run(self, run: RunModel) -> RunModel:
        """Wait for a terminal status; act on ``on_timeout``; fail outside ``succeed_on``."""
        from arize_pulumi.tasks.errors import ArizeError, WaitTimeoutError

        timeout = float(setting(self.inputs, "timeout"))
        progress = Progress(self.label, run.id, self.progress_interval, self.clock)
        log("info", f"{self.label}: started run {run.id}; waiting up to {timeout:g}s for it to end")
        try:
            run = self.client.wait_for_run(
                run.id,
                poll_interval=float(setting(self.inputs, "poll_interval")),
                timeout=timeout,
                on_progress=progress,
                sleep=self.waited.sleep,
            )
        except WaitTimeoutError as exc:
            return self._timed_out(exc.run, timeout)
        except ArizeError as exc:
            raise ResourceError(
                f"{self.label}: waiting for run {run.id} failed: {describe(exc)}. The run goes "
                "on; `pulumi up` again starts another one"
            ) from None
        self._judge(run)
        return run

    def _timed_out(self, run: RunModel, timeout: float) -> RunModel:
        from arize_pulumi.tasks.errors import ArizeError

        action = str(setting(self.inputs, "on_timeout")).lower()
        late = (
            f"{self.label}: run {run.id} is still {run.status.value} after {timeout:g}s "
            f"({counts(run)})"
        )
        if action == "keep":
            log(
                "warning",
                f"{late}; keeping it as it is (on_timeout=keep): `pulumi refresh` updates its "
                "status",
            )
            return run
        if action == "fail":
            raise ResourceError(f"{late}; left it running (on_timeout=fail)")
        try:
            cancelled = self.client.cancel_run(run.id)
        except ArizeError as exc:
            try:
                latest = self.client.get_run(run.id)
            except ArizeError:
                raise ResourceError(f"{late}; cancelling it failed: {describe(exc)}") from None
            if latest.is_terminal:
                self._judge(latest)
                return latest
            raise ResourceError(f"{late}; cancelling it failed: {describe(exc)}") from None
        raise ResourceError(f"{late}; cancelled it (now {cancelled.status.value})")

    def chained(self, experiment: RunModel, space: str | None) -> list[dict[str, Any]]:
        """Wait, within what is left of ``timeout``, for the runs the experiment run chained
        and judge each by ``succeed_on``.

        The API does not link a chained run to its experiment run: a chained run is the
        oldest run of each evaluation task created at or after the experiment run finished.
        """
        from arize_pulumi.tasks.errors import ArizeError

        timeout = float(setting(self.inputs, "timeout"))
        poll = float(setting(self.inputs, "poll_interval"))
        tasks = list(dict.fromkeys(str(t) for t in self.inputs.get("evaluation_task_ids") or []))
        since = experiment.run_finished_at
        found: dict[str, RunModel] = {}
        progress: dict[str, Progress] = {}
        log(
            "info",
            f"{self.label}: run {experiment.id} chained runs of {', '.join(tasks)}; waiting up "
            f"to {max(timeout - self.waited.elapsed(), 0):g}s more for them to end",
        )
        while True:
            try:
                for task in tasks:
                    run = found.get(task)
                    if run is not None and run.is_terminal:
                        continue
                    if run is None:
                        run = _chained_run(self.client, task, space, since)
                    else:
                        run = self.client.get_run(run.id)
                    if run is None:
                        continue
                    found[task] = run
                    if task not in progress:
                        progress[task] = Progress(
                            f"{self.label}: chained task {run.task_id}",
                            run.id,
                            self.progress_interval,
                            self.clock,
                        )
                    progress[task](run)
            except ArizeError as exc:
                raise ResourceError(
                    f"{self.label}: waiting for the runs chained to run {experiment.id} failed: "
                    f"{describe(exc)}"
                ) from None
            going = [t for t in tasks if t not in found or not found[t].is_terminal]
            if not going:
                break
            remaining = timeout - self.waited.elapsed()
            if remaining <= 0:
                return self._chained_timed_out(found, going, timeout)
            self.waited.sleep(min(poll, remaining))
        self._judge_chained([found[t] for t in tasks])
        return [chained_entry(found[t]) for t in tasks]

    def _chained_timed_out(
        self, found: Mapping[str, RunModel], going: list[str], timeout: float
    ) -> list[dict[str, Any]]:
        """``on_timeout`` for the chained runs still going (or not seen yet)."""
        from arize_pulumi.tasks.errors import ArizeError

        action = str(setting(self.inputs, "on_timeout")).lower()

        def still(task: str) -> str:
            run = found.get(task)
            if run is None:
                return f"task {task}: no chained run seen yet"
            return f"task {run.task_id}: run {run.id} {run.status.value} ({counts(run)})"

        late = f"{self.label}: chained runs still going after {timeout:g}s: " + "; ".join(
            still(t) for t in going
        )
        if action == "keep":
            log("warning", f"{late}; keeping them as they are (on_timeout=keep)")
            self._judge_chained([r for t, r in found.items() if t not in going])
            return [chained_entry(r) for r in found.values()]
        if action == "fail":
            raise ResourceError(f"{late}; left them running (on_timeout=fail)")
        problems = []
        for task in going:
            run = found.get(task)
            if run is None:
                continue
            try:
                self.client.cancel_run(run.id)
            except ArizeError as exc:
                problems.append(f"cancelling run {run.id} failed: {describe(exc)}")
        if problems:
            raise ResourceError(f"{late}; " + "; ".join(problems))
        raise ResourceError(f"{late}; cancelled them (on_timeout=cancel)")

    def _judge_chained(self, runs: list[RunModel]) -> None:
        """Log each chained run's outcome; raise naming every one outside ``succeed_on``."""
        succeed_on = _succeed_on(self.inputs)
        failed = []
        for run in runs:
            outcome = f"chained task {run.task_id}: run {run.id} {run.status.value} ({counts(run)})"
            if run.failure_reason:
                outcome += f": {run.failure_reason}"
            if run.status.value in succeed_on:
                log("info", f"{self.label}: {outcome}")
            else:
                failed.append(outcome)
        if failed:
            raise ResourceError(
                f"{self.label}: " + "; ".join(failed) + f"; succeed_on is {', '.join(succeed_on)}"
            )

    def _judge(self, run: RunModel) -> None:
        """Log the outcome; raise when the status is not one that counts as success."""
        succeed_on = _succeed_on(self.inputs)
        outcome = f"{self.label}: run {run.id} {run.status.value} ({counts(run)})"
        if run.failure_reason:
            outcome += f": {run.failure_reason}"
        if run.status.value not in succeed_on:
            raise ResourceError(f"{outcome}; succeed_on is {', '.join(succeed_on)}")
        log("info", outcome)
