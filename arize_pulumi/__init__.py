"""Arize AX evaluation tasks and task runs as Pulumi resources.

The resources are loaded on first use, so ``import arize_pulumi.tasks`` (the client, usable
without Pulumi) does not import Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from arize_pulumi.resources import (
        AgentCallConfigArgs,
        AgentCallConfigArgsDict,
        FunctionCallArgs,
        InvocationParametersArgs,
        LlmGenerationConfigArgs,
        LlmGenerationConfigArgsDict,
        MessageArgs,
        MessageArgsDict,
        Task,
        TaskArgs,
        TaskArgsDict,
        TaskEvaluatorArgs,
        TaskEvaluatorArgsDict,
        TaskQueryFilterArgs,
        TaskQueryFilterArgsDict,
        TaskQueryFiltersArgs,
        TaskQueryFiltersArgsDict,
        TaskQueryMappingArgs,
        TaskQueryMappingArgsDict,
        TaskRun,
        TaskRunArgs,
        TaskRunArgsDict,
        TemplateEvaluationConfigArgs,
        TemplateEvaluationConfigArgsDict,
        ToolCallArgs,
        ToolConfigArgs,
    )

__all__ = [
    "AgentCallConfigArgs",
    "AgentCallConfigArgsDict",
    "FunctionCallArgs",
    "InvocationParametersArgs",
    "LlmGenerationConfigArgs",
    "LlmGenerationConfigArgsDict",
    "MessageArgs",
    "MessageArgsDict",
    "Task",
    "TaskArgs",
    "TaskArgsDict",
    "TaskEvaluatorArgs",
    "TaskEvaluatorArgsDict",
    "TaskQueryFilterArgs",
    "TaskQueryFilterArgsDict",
    "TaskQueryFiltersArgs",
    "TaskQueryFiltersArgsDict",
    "TaskQueryMappingArgs",
    "TaskQueryMappingArgsDict",
    "TaskRun",
    "TaskRunArgs",
    "TaskRunArgsDict",
    "TemplateEvaluationConfigArgs",
    "TemplateEvaluationConfigArgsDict",
    "ToolCallArgs",
    "ToolConfigArgs",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        value = getattr(importlib.import_module("arize_pulumi.resources"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'arize_pulumi' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
