"""An online evaluation task: LLM-as-judge evaluators score a share of production traces."""

import pulumi

import arize_pulumi as arize

config = pulumi.Config()
sampling_rate = config.get_float("samplingRate")

task = arize.Task(
    "chatbot-quality",
    arize.TaskArgs(
        type="template_evaluation",
        project=config.get("project") or "chatbot-prod",
        evaluators=[
            arize.TaskEvaluatorArgs(
                evaluator="hallucination",
                column_mappings={
                    "input": "attributes.input.value",
                    "output": "attributes.output.value",
                },
            ),
            arize.TaskEvaluatorArgs(evaluator="relevance"),
        ],
        sampling_rate=0.25 if sampling_rate is None else sampling_rate,
        is_continuous=True,
        query_filter="metadata.environment = 'production'",
    ),
)

pulumi.export("task_id", task.task_id)
pulumi.export("task_name", task.name)
pulumi.export("project_id", task.project_id)
pulumi.export("sampling_rate", task.sampling_rate)
pulumi.export(
    "evaluators", task.evaluators.apply(lambda declared: [e["evaluator"] for e in declared])
)
