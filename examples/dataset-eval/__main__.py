"""An offline evaluation task: a code evaluator checks the outputs of a dataset experiment."""

import pulumi

import arize_pulumi as arize

config = pulumi.Config()
experiments = config.get_object("experiments") or ["baseline"]

task = arize.Task(
    "golden-qa-json",
    type="code_evaluation",
    dataset="golden-qa",
    experiment_ids=experiments,
    evaluators=[{"evaluator": "json-valid"}],
)

pulumi.export("task_id", task.task_id)
pulumi.export("dataset_id", task.dataset_id)
pulumi.export("experiment_ids", task.experiment_ids)
