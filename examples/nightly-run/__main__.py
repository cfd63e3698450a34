"""A nightly gate: run an evaluation task over the previous UTC day and wait for the result.

The window is derived from the date, so ``pulumi up`` runs once per day: later runs on the
same day find nothing changed, the next day's window is a new run.
"""

from datetime import UTC, date, datetime, time, timedelta

import pulumi

import arize_pulumi as arize

config = pulumi.Config()
day = date.fromisoformat(
    config.get("day") or (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
)
start = datetime.combine(day, time.min, tzinfo=UTC)

task = arize.Task(
    "nightly-hallucination",
    type="template_evaluation",
    project="chatbot-prod",
    evaluators=["hallucination", "relevance"],
    is_continuous=False,
)

run = arize.TaskRun(
    "nightly-run",
    arize.TaskRunArgs(
        task=task.task_id,
        data_start_time=start,
        data_end_time=start + timedelta(days=1),
        max_spans=5000,
        poll_interval=2,
        timeout=900,
        on_timeout="cancel",
    ),
)

pulumi.export("task_id", task.task_id)
pulumi.export("run_id", run.run_id)
pulumi.export("status", run.status)
pulumi.export(
    "counts",
    pulumi.Output.all(run.num_successes, run.num_errors, run.num_skipped).apply(
        lambda counts: dict(zip(("successes", "errors", "skipped"), counts, strict=True))
    ),
)
pulumi.export("window", pulumi.Output.all(run.data_start_time, run.data_end_time))
