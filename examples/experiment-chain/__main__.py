"""Prompt release gate: a new prompt version runs an experiment on the golden dataset, and the
evaluation tasks chained onto it score the result before the deploy goes on: `pulumi up` waits
for the chained evaluation runs too (``wait_for_chained``, on by default with
``evaluation_task_ids``) and fails if one of them does not complete."""

import pulumi

import arize_pulumi as arize

config = pulumi.Config()
prompt_version = config.get("promptVersion") or "v1"
system_prompts = {
    "v1": "You answer questions about our product.",
    "v2": "You answer questions about our product in one short paragraph, citing the docs.",
}

experiment = arize.Task(
    "golden-qa-prompt",
    type="run_experiment",
    dataset="golden-qa",
    run_configuration=arize.LlmGenerationConfigArgs(
        ai_integration_id=config.require("aiIntegrationId"),
        model_name="gpt-4o-mini",
        messages=[
            arize.MessageArgs(
                role="system", content=system_prompts.get(prompt_version, system_prompts["v1"])
            ),
            arize.MessageArgs(role="user", content="{question}"),
        ],
        invocation_parameters=arize.InvocationParametersArgs(temperature=0),
    ),
)

judges = [
    arize.Task(
        "golden-qa-judge",
        type="template_evaluation",
        dataset="golden-qa",
        experiment_ids=["baseline"],
        evaluators=["hallucination", "relevance"],
    ),
    arize.Task(
        "golden-qa-format",
        type="code_evaluation",
        dataset="golden-qa",
        experiment_ids=["baseline"],
        evaluators=["json-valid"],
    ),
]

run = arize.TaskRun(
    "prompt-experiment",
    task=experiment.task_id,
    experiment_name=f"golden-qa-prompt-{prompt_version}",
    max_examples=50,
    tracing_metadata={"prompt_version": prompt_version},
    evaluation_task_ids=[judge.task_id for judge in judges],
    triggers={"prompt_version": prompt_version},
    poll_interval=2,
    timeout=1800,
)

pulumi.export("experiment_task_id", experiment.task_id)
pulumi.export("judge_task_ids", [judge.task_id for judge in judges])
pulumi.export("run_id", run.run_id)
pulumi.export("status", run.status)
pulumi.export("experiment_id", run.experiment_id)
pulumi.export("examples_run", run.num_successes)
pulumi.export("evaluations", run.chained_runs)
