"""A run-experiment task: prompt an LLM with every example of a dataset, as an experiment."""

import pulumi

import arize_pulumi as arize

config = pulumi.Config()

task = arize.Task(
    "golden-qa-answers",
    type="run_experiment",
    dataset="golden-qa",
    run_configuration=arize.LlmGenerationConfigArgs(
        ai_integration_id=config.require("aiIntegrationId"),
        model_name=config.get("model") or "gpt-4o-mini",
        input_variable_format="f_string",
        messages=[
            arize.MessageArgs(
                role="system", content="You answer questions about our product, briefly."
            ),
            arize.MessageArgs(role="user", content="{question}"),
        ],
        invocation_parameters=arize.InvocationParametersArgs(temperature=0.2, max_tokens=256),
    ),
)

pulumi.export("task_id", task.task_id)
pulumi.export("dataset_id", task.dataset_id)
pulumi.export("run_configuration", task.run_configuration)
