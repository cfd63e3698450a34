"""Typed arguments nested inside a task: evaluators and the run-configuration variants.

Each ``...Args`` dataclass has a ``...ArgsDict`` twin for people who prefer dicts, as Pulumi's
generated SDKs do; plain dicts of the wire shape are accepted everywhere too. Enum values
(``experiment_type``, ``role``, ``input_variable_format``) may be written in either casing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

import pulumi

__all__ = [
    "AgentCallConfigArgs",
    "AgentCallConfigArgsDict",
    "FunctionCallArgs",
    "InvocationParametersArgs",
    "LlmGenerationConfigArgs",
    "LlmGenerationConfigArgsDict",
    "MessageArgs",
    "MessageArgsDict",
    "RunConfigurationInput",
    "TaskEvaluatorArgs",
    "TaskEvaluatorArgsDict",
    "TaskQueryFilterArgs",
    "TaskQueryFilterArgsDict",
    "TaskQueryFiltersArgs",
    "TaskQueryFiltersArgsDict",
    "TaskQueryMappingArgs",
    "TaskQueryMappingArgsDict",
    "TemplateEvaluationConfigArgs",
    "TemplateEvaluationConfigArgsDict",
    "ToolCallArgs",
    "ToolConfigArgs",
]


@dataclass(kw_only=True)
class TaskQueryMappingArgs:
    """Where one evaluator variable comes from, in a trace/session task."""

    variable_name: pulumi.Input[str]
    """The evaluator template variable it fills (at most 256 characters)."""

    query_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Query ids (``A``-``E``, declared in the task's ``query_filters``) whose spans feed the
    variable, at most five; empty means any declared query."""

    attribute_path: pulumi.Input[str]
    """The span attribute read, e.g. ``attributes.input.value`` (at most 1024 characters)."""


class TaskQueryMappingArgsDict(TypedDict):
    """:class:`TaskQueryMappingArgs` as a dict."""

    variable_name: pulumi.Input[str]
    query_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    attribute_path: pulumi.Input[str]


@dataclass(kw_only=True)
class TaskQueryFilterArgs:
    """One named query of a trace/session task."""

    id: pulumi.Input[str]
    """``A`` to ``E``, unique in the task."""

    filter: pulumi.Input[str]
    """Which spans the query admits, e.g. ``span_kind = 'LLM'`` (at most 2000 characters)."""


class TaskQueryFilterArgsDict(TypedDict):
    """:class:`TaskQueryFilterArgs` as a dict."""

    id: pulumi.Input[str]
    filter: pulumi.Input[str]


@dataclass(kw_only=True)
class TaskQueryFiltersArgs:
    """The queries of a trace/session evaluation task (instead of ``query_filter``)."""

    filters: pulumi.Input[Sequence[pulumi.Input[TaskQueryFilterArgs | TaskQueryFilterArgsDict]]]
    """One to five named queries."""

    expression: pulumi.Input[str] | None = None
    """How the queries combine, e.g. ``A AND B`` (at most 512 characters); required with
    two or more."""


class TaskQueryFiltersArgsDict(TypedDict):
    """:class:`TaskQueryFiltersArgs` as a dict."""

    filters: pulumi.Input[Sequence[pulumi.Input[TaskQueryFilterArgs | TaskQueryFilterArgsDict]]]
    expression: NotRequired[pulumi.Input[str] | None]


@dataclass(kw_only=True)
class TaskEvaluatorArgs:
    """One evaluator of an evaluation task: span shape (``query_filter``,
    ``column_mappings``) or, on a task with ``query_filters``, trace/session shape
    (``query_mappings``)."""

    evaluator: pulumi.Input[str]
    """The evaluator's name (looked up in the task's space) or its ID."""

    query_filter: pulumi.Input[str] | None = None
    """A filter for this evaluator only, AND-ed with the task's ``query_filter``."""

    column_mappings: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Template variable to column path, e.g. ``{"input": "attributes.input.value"}``."""

    evaluator_version_id: pulumi.Input[str] | None = None
    """Pin a version of this evaluator (it must be one of its versions); unset runs the latest."""

    query_mappings: (
        pulumi.Input[Sequence[pulumi.Input[TaskQueryMappingArgs | TaskQueryMappingArgsDict]]] | None
    ) = None
    """Trace/session tasks: where each template variable comes from (1 to 50 mappings)."""


class TaskEvaluatorArgsDict(TypedDict):
    """One evaluator of an evaluation task, as a dict (see :class:`TaskEvaluatorArgs`)."""

    evaluator: pulumi.Input[str]
    query_filter: NotRequired[pulumi.Input[str] | None]
    column_mappings: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]] | None]
    evaluator_version_id: NotRequired[pulumi.Input[str] | None]
    query_mappings: NotRequired[
        pulumi.Input[Sequence[pulumi.Input[TaskQueryMappingArgs | TaskQueryMappingArgsDict]]] | None
    ]


@dataclass(kw_only=True)
class FunctionCallArgs:
    """The function a tool call invokes."""

    name: pulumi.Input[str]
    """The function's name."""

    arguments: pulumi.Input[str] = ""
    """Its arguments, as a JSON text."""


@dataclass(kw_only=True)
class ToolCallArgs:
    """A tool call made by an assistant message."""

    id: pulumi.Input[str]
    """The call's ID, which a ``TOOL`` message answers through ``tool_call_id``."""

    function: pulumi.Input[FunctionCallArgs | Mapping[str, Any]]
    """The function called and its arguments."""

    type: str = field(default="FUNCTION", init=False)
    """Always ``FUNCTION``."""


@dataclass(kw_only=True)
class MessageArgs:
    """One message of an LLM-generation prompt."""

    role: pulumi.Input[str]
    """``SYSTEM``, ``USER``, ``ASSISTANT`` or ``TOOL`` (either casing)."""

    content: pulumi.Input[str] | None = None
    """The text; ``{var}`` (F_STRING) or ``{{var}}`` (MUSTACHE) placeholders name columns."""

    tool_call_id: pulumi.Input[str] | None = None
    """For a ``TOOL`` message: the tool call it answers."""

    tool_calls: pulumi.Input[Sequence[pulumi.Input[ToolCallArgs | Mapping[str, Any]]]] | None = None
    """For an ``ASSISTANT`` message: the tool calls it made."""


class MessageArgsDict(TypedDict):
    """One message of an LLM-generation prompt, as a dict (see :class:`MessageArgs`)."""

    role: pulumi.Input[str]
    content: NotRequired[pulumi.Input[str] | None]
    tool_call_id: NotRequired[pulumi.Input[str] | None]
    tool_calls: NotRequired[pulumi.Input[Sequence[Any]] | None]


@dataclass(kw_only=True)
class ToolConfigArgs:
    """Tools the model may call."""

    tools: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] = field(default_factory=list)
    """Tool definitions, in the provider's JSON shape."""

    tool_choice: pulumi.Input[str | Mapping[str, Any]] | None = None
    """``auto``, ``none``, ``required``, or a specific tool."""


@dataclass(kw_only=True)
class InvocationParametersArgs:
    """Model invocation settings: the keys Arize's API defines (another key is refused at
    preview)."""

    temperature: pulumi.Input[float] | None = None
    """Sampling temperature."""

    max_tokens: pulumi.Input[int] | None = None
    """Most tokens to generate."""

    max_completion_tokens: pulumi.Input[int] | None = None
    """Most completion tokens to generate (reasoning models)."""

    top_p: pulumi.Input[float] | None = None
    """Nucleus sampling mass."""

    frequency_penalty: pulumi.Input[float] | None = None
    """Penalty on repeated tokens by frequency."""

    presence_penalty: pulumi.Input[float] | None = None
    """Penalty on tokens already present."""

    stop: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Stop sequences."""

    response_format: pulumi.Input[Mapping[str, Any]] | None = None
    """``{"type": "TEXT" | "JSON_OBJECT" | "JSON_SCHEMA", "json_schema": {...}}``."""

    tool_config: pulumi.Input[ToolConfigArgs | Mapping[str, Any]] | None = None
    """Tools the model may call."""

    top_k: pulumi.Input[int] | None = None
    """Top-k sampling."""

    thinking_level: pulumi.Input[str] | None = None
    """Reasoning depth, for models that take a level."""

    thinking_budget: pulumi.Input[int] | None = None
    """Reasoning token budget, for models that take one."""

    reasoning_effort: pulumi.Input[str] | None = None
    """Reasoning effort, for models that take one."""

    verbosity: pulumi.Input[str] | None = None
    """Answer verbosity, for models that take one."""


@dataclass(kw_only=True)
class LlmGenerationConfigArgs:
    """Run configuration of a run-experiment task that prompts an LLM per example."""

    ai_integration: pulumi.Input[str] | None = None
    """The LLM AI integration to call, by name (looked up in the task's space) or ID; the
    integration decides the provider. Give this or ``ai_integration_id``."""

    ai_integration_id: pulumi.Input[str] | None = None
    """ID of the LLM AI integration to call; or give ``ai_integration`` (a name or ID)."""

    messages: pulumi.Input[Sequence[pulumi.Input[MessageArgs | MessageArgsDict]]]
    """The prompt, at least one message."""

    input_variable_format: pulumi.Input[str] = "F_STRING"
    """How placeholders are written: ``F_STRING`` (``{var}``) or ``MUSTACHE`` (``{{var}}``)."""

    model_name: pulumi.Input[str] | None = None
    """The model, e.g. ``gpt-4o-mini``."""

    invocation_parameters: pulumi.Input[InvocationParametersArgs | Mapping[str, Any]] | None = None
    """Temperature, token limits, response format, ..."""

    provider_parameters: pulumi.Input[Mapping[str, Any]] | None = None
    """Provider-specific settings passed through unchanged."""

    tool_config: pulumi.Input[ToolConfigArgs | Mapping[str, Any]] | None = None
    """Tools the model may call."""

    prompt_version_id: pulumi.Input[str] | None = None
    """The prompt-hub version these messages come from, for lineage."""

    experiment_type: str = field(default="LLM_GENERATION", init=False)
    """Always ``LLM_GENERATION``."""


class LlmGenerationConfigArgsDict(TypedDict):
    """An LLM-generation run configuration, as a dict (see :class:`LlmGenerationConfigArgs`)."""

    experiment_type: str
    ai_integration: NotRequired[pulumi.Input[str] | None]
    """The LLM AI integration, by name or ID (or give ``ai_integration_id``)."""
    ai_integration_id: NotRequired[pulumi.Input[str] | None]
    messages: pulumi.Input[Sequence[Any]]
    input_variable_format: pulumi.Input[str]
    model_name: NotRequired[pulumi.Input[str] | None]
    invocation_parameters: NotRequired[pulumi.Input[Mapping[str, Any]] | None]
    provider_parameters: NotRequired[pulumi.Input[Mapping[str, Any]] | None]
    tool_config: NotRequired[pulumi.Input[Mapping[str, Any]] | None]
    prompt_version_id: NotRequired[pulumi.Input[str] | None]


@dataclass(kw_only=True)
class TemplateEvaluationConfigArgs:
    """Run configuration of a run-experiment task that runs an LLM-as-judge template."""

    ai_integration: pulumi.Input[str] | None = None
    """The LLM AI integration that judges, by name (looked up in the task's space) or ID.
    Give this or ``ai_integration_id``."""

    ai_integration_id: pulumi.Input[str] | None = None
    """ID of the LLM AI integration that judges; or give ``ai_integration`` (a name or ID)."""

    template: pulumi.Input[str]
    """The judge prompt, with ``{{var}}`` placeholders."""

    provide_explanation: pulumi.Input[bool] = False
    """Ask the judge to explain each label."""

    model_name: pulumi.Input[str] | None = None
    """The model, e.g. ``gpt-4o``."""

    classification_choices: pulumi.Input[Mapping[str, pulumi.Input[float]]] | None = None
    """Label to score, e.g. ``{"factual": 1, "hallucinated": 0}``."""

    column_mapping: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Template variable to column (note: singular, as the API spells it here)."""

    evaluator_version_id: pulumi.Input[str] | None = None
    """The evaluator version this template comes from, for lineage."""

    invocation_parameters: pulumi.Input[InvocationParametersArgs | Mapping[str, Any]] | None = None
    """Temperature, token limits, response format, ..."""

    provider_parameters: pulumi.Input[Mapping[str, Any]] | None = None
    """Provider-specific settings passed through unchanged."""

    experiment_type: str = field(default="TEMPLATE_EVALUATION", init=False)
    """Always ``TEMPLATE_EVALUATION``."""


class TemplateEvaluationConfigArgsDict(TypedDict):
    """A template-evaluation run configuration, as a dict."""

    experiment_type: str
    ai_integration: NotRequired[pulumi.Input[str] | None]
    """The LLM AI integration, by name or ID (or give ``ai_integration_id``)."""
    ai_integration_id: NotRequired[pulumi.Input[str] | None]
    template: pulumi.Input[str]
    provide_explanation: pulumi.Input[bool]
    model_name: NotRequired[pulumi.Input[str] | None]
    classification_choices: NotRequired[pulumi.Input[Mapping[str, Any]] | None]
    column_mapping: NotRequired[pulumi.Input[Mapping[str, Any]] | None]
    evaluator_version_id: NotRequired[pulumi.Input[str] | None]
    invocation_parameters: NotRequired[pulumi.Input[Mapping[str, Any]] | None]
    provider_parameters: NotRequired[pulumi.Input[Mapping[str, Any]] | None]


@dataclass(kw_only=True)
class AgentCallConfigArgs:
    """Run configuration of a run-experiment task that calls an agent per example."""

    integration: pulumi.Input[str] | None = None
    """The agent integration to call, by name (looked up in the task's space) or ID. Give
    this or ``integration_id``."""

    integration_id: pulumi.Input[str] | None = None
    """ID of the AGENT AI integration to call; or give ``integration`` (a name or ID)."""

    input_template: pulumi.Input[Mapping[str, Any]]
    """The request body sent to the agent, with Mustache ``{{column}}`` placeholders."""

    experiment_type: str = field(default="AGENT_CALL", init=False)
    """Always ``AGENT_CALL``."""


class AgentCallConfigArgsDict(TypedDict):
    """An agent-call run configuration, as a dict (see :class:`AgentCallConfigArgs`)."""

    experiment_type: str
    integration: NotRequired[pulumi.Input[str] | None]
    """The agent integration, by name or ID (or give ``integration_id``)."""
    integration_id: NotRequired[pulumi.Input[str] | None]
    input_template: pulumi.Input[Mapping[str, Any]]


RunConfigurationInput = (
    LlmGenerationConfigArgs
    | TemplateEvaluationConfigArgs
    | AgentCallConfigArgs
    | LlmGenerationConfigArgsDict
    | TemplateEvaluationConfigArgsDict
    | AgentCallConfigArgsDict
    | Mapping[str, Any]
)
"""A run configuration: a typed variant, its dict twin, or a plain dict of the wire shape."""
