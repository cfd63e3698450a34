"""Pulumi dynamic resources for Arize AX: :class:`Task` and :class:`TaskRun`.

The providers live here, in an importable module, so Pulumi pickles them by reference
(a few dozen bytes per resource) rather than by value.
"""

from arize_pulumi.resources.args import (
    AgentCallConfigArgs,
    AgentCallConfigArgsDict,
    FunctionCallArgs,
    InvocationParametersArgs,
    LlmGenerationConfigArgs,
    LlmGenerationConfigArgsDict,
    MessageArgs,
    MessageArgsDict,
    RunConfigurationInput,
    TaskEvaluatorArgs,
    TaskEvaluatorArgsDict,
    TaskQueryFilterArgs,
    TaskQueryFilterArgsDict,
    TaskQueryFiltersArgs,
    TaskQueryFiltersArgsDict,
    TaskQueryMappingArgs,
    TaskQueryMappingArgsDict,
    TemplateEvaluationConfigArgs,
    TemplateEvaluationConfigArgsDict,
    ToolCallArgs,
    ToolConfigArgs,
)
from arize_pulumi.resources.config import ProviderSettings
from arize_pulumi.resources.task import Task, TaskArgs, TaskArgsDict
from arize_pulumi.resources.task_provider import TaskProvider
from arize_pulumi.resources.task_run import TaskRun, TaskRunArgs, TaskRunArgsDict
from arize_pulumi.resources.task_run_provider import TaskRunProvider

__all__ = [
    "AgentCallConfigArgs",
    "AgentCallConfigArgsDict",
    "FunctionCallArgs",
    "InvocationParametersArgs",
    "LlmGenerationConfigArgs",
    "LlmGenerationConfigArgsDict",
    "MessageArgs",
    "MessageArgsDict",
    "ProviderSettings",
    "RunConfigurationInput",
    "Task",
    "TaskArgs",
    "TaskArgsDict",
    "TaskEvaluatorArgs",
    "TaskEvaluatorArgsDict",
    "TaskProvider",
    "TaskQueryFilterArgs",
    "TaskQueryFilterArgsDict",
    "TaskQueryFiltersArgs",
    "TaskQueryFiltersArgsDict",
    "TaskQueryMappingArgs",
    "TaskQueryMappingArgsDict",
    "TaskRun",
    "TaskRunArgs",
    "TaskRunArgsDict",
    "TaskRunProvider",
    "TemplateEvaluationConfigArgs",
    "TemplateEvaluationConfigArgsDict",
    "ToolCallArgs",
    "ToolConfigArgs",
]
