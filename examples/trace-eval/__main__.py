"""A trace-level evaluation task: named queries pick the spans of each trace that matter, and
the evaluator's template variables are read from the spans each query admits."""

import pulumi

import arize_pulumi as arize

config = pulumi.Config()
sampling_rate = config.get_float("samplingRate")

task = arize.Task(
    "agent-trace-quality",
    arize.TaskArgs(
        type="template_evaluation",
        project=config.get("project") or "chatbot-prod",
        # Each trace is one evaluated unit. Query A admits its LLM spans, B its retrievals;
        # a trace is evaluated when it has both.
        query_filters=arize.TaskQueryFiltersArgs(
            filters=[
                arize.TaskQueryFilterArgs(
                    id="A", filter="attributes.openinference.span.kind = 'LLM'"
                ),
                arize.TaskQueryFilterArgs(
                    id="B", filter="attributes.openinference.span.kind = 'RETRIEVER'"
                ),
            ],
            expression="A AND B",
        ),
        evaluators=[
            arize.TaskEvaluatorArgs(
                evaluator="hallucination",
                query_mappings=[
                    arize.TaskQueryMappingArgs(
                        variable_name="input",
                        query_ids=["A"],
                        attribute_path="attributes.input.value",
                    ),
                    arize.TaskQueryMappingArgs(
                        variable_name="output",
                        query_ids=["A"],
                        attribute_path="attributes.output.value",
                    ),
                    arize.TaskQueryMappingArgs(
                        variable_name="reference",
                        query_ids=["B"],
                        attribute_path="attributes.retrieval.documents",
                    ),
                ],
            ),
        ],
        sampling_rate=0.1 if sampling_rate is None else sampling_rate,
        is_continuous=True,
    ),
)

pulumi.export("task_id", task.task_id)
pulumi.export("task_name", task.name)
pulumi.export("query_filters", task.query_filters)
pulumi.export(
    "variables",
    task.evaluators.apply(
        lambda declared: sorted(
            m["variable_name"] for e in declared for m in e.get("query_mappings") or []
        )
    ),
)
