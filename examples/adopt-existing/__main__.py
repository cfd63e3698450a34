"""Bring a hand-made task under Pulumi: ``adopt=True`` takes over the task of that name."""

import pulumi

import arize_pulumi as arize

task = arize.Task(
    "hallucination-check",
    name="legacy-hallucination",
    type="template_evaluation",
    project="chatbot-prod",
    evaluators=[{"evaluator": "hallucination"}],
    sampling_rate=0.5,
    adopt=True,
)

pulumi.export("task_id", task.task_id)
pulumi.export("task_name", task.name)
pulumi.export("sampling_rate", task.sampling_rate)
