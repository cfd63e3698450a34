"""The ``arize.Task`` resource: an Arize AX evaluation or run-experiment task."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, TypeVar, Unpack, overload

import pulumi
import pulumi.dynamic

from arize_pulumi._pickling import pickler_left_as_found
from arize_pulumi.resources._normalize import to_inputs
from arize_pulumi.resources._program_config import warn_about_config
from arize_pulumi.resources._provider import RESOURCE_NAME, ProviderBase
from arize_pulumi.resources.args import (
    RunConfigurationInput,
    TaskEvaluatorArgs,
    TaskEvaluatorArgsDict,
    TaskQueryFiltersArgs,
    TaskQueryFiltersArgsDict,
)
from arize_pulumi.resources.fields import TASK_FIELDS, Shown
from arize_pulumi.resources.task_provider import TaskProvider

__all__ = ["Task", "TaskArgs", "TaskArgsDict"]

R = TypeVar("R", bound=pulumi.dynamic.Resource)


@dataclass(kw_only=True)
class TaskArgs:
    """The arguments of a :class:`Task`."""

    type: pulumi.Input[str]
    """``template_evaluation``, ``code_evaluation`` or ``run_experiment`` (either casing).
    A change replaces the task."""

    name: pulumi.Input[str] | None = None
    """The task's name, unique within its space; defaults to the Pulumi resource name.
    A change renames the task in place."""

    space: pulumi.Input[str] | None = None
    """The space (name or ID) that names are looked up in; defaults to the ``arize:space``
    config. Replaces the task only if it resolves to another space."""

    project: pulumi.Input[str] | None = None
    """The project (name or ID) an evaluation task watches; exactly one of ``project`` and
    ``dataset``. Replaces the task only if it resolves to another project."""

    dataset: pulumi.Input[str] | None = None
    """The dataset (name or ID) of a dataset evaluation or run-experiment task. Replaces the
    task only if it resolves to another dataset."""

    evaluators: (
        pulumi.Input[Sequence[pulumi.Input[TaskEvaluatorArgs | TaskEvaluatorArgsDict | str]]] | None
    ) = None
    """The evaluators an evaluation task runs (at least one, each at most once); order does
    not matter. A change updates the task in place."""

    experiment_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """The experiments (names or IDs) a dataset evaluation task scores; at least one for a
    dataset task. The API cannot change them, so a change replaces the task."""

    sampling_rate: pulumi.Input[float] | None = None
    """Share of spans evaluated, 0 to 1 (project tasks only). Unset leaves the server's value."""

    is_continuous: pulumi.Input[bool] | None = None
    """Evaluate new spans as they arrive (project tasks only). Unset leaves the server's value."""

    query_filter: pulumi.Input[str] | None = None
    """Only spans matching this filter are evaluated, e.g.
    ``metadata.environment = 'production'``; unset means no filter. Span tasks only."""

    query_filters: pulumi.Input[TaskQueryFiltersArgs | TaskQueryFiltersArgsDict] | None = None
    """Trace/session tasks: named queries (``A``-``E``) and how they combine, instead of
    ``query_filter``; the evaluators then take ``query_mappings``. Unset means a span task."""

    run_configuration: pulumi.Input[RunConfigurationInput] | None = None
    """What a run-experiment task runs: :class:`LlmGenerationConfigArgs`,
    :class:`TemplateEvaluationConfigArgs`, :class:`AgentCallConfigArgs`, or a dict of the wire
    shape (``experiment_type`` in either casing). A change updates the task in place."""

    adopt: pulumi.Input[bool] | None = None
    """If a task of this name already exists in the space, take it over and update it to this
    declaration instead of failing (Pulumi's ``import`` does not work for dynamic resources)."""


class TaskArgsDict(TypedDict):
    """The arguments of a :class:`Task`, as a dict (see :class:`TaskArgs` for each key)."""

    type: pulumi.Input[str]
    name: NotRequired[pulumi.Input[str] | None]
    space: NotRequired[pulumi.Input[str] | None]
    project: NotRequired[pulumi.Input[str] | None]
    dataset: NotRequired[pulumi.Input[str] | None]
    evaluators: NotRequired[
        pulumi.Input[Sequence[pulumi.Input[TaskEvaluatorArgs | TaskEvaluatorArgsDict | str]]] | None
    ]
    experiment_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]] | None]
    sampling_rate: NotRequired[pulumi.Input[float] | None]
    is_continuous: NotRequired[pulumi.Input[bool] | None]
    query_filter: NotRequired[pulumi.Input[str] | None]
    query_filters: NotRequired[pulumi.Input[TaskQueryFiltersArgs | TaskQueryFiltersArgsDict] | None]
    run_configuration: NotRequired[pulumi.Input[RunConfigurationInput] | None]
    adopt: NotRequired[pulumi.Input[bool] | None]


def resource_inputs(
    kind: str,
    resource_name: str,
    positional: tuple[Any, ...],
    keywords: Mapping[str, Any],
    allowed: frozenset[str],
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """Plain inputs and options from ``(args, opts)`` or ``(opts, **arguments)``.

    As in generated SDKs, the arguments come either as one ``...Args`` object or dict, or as
    keyword arguments (both may be combined; keywords win). An unknown argument is refused
    here, in the program, with the name of the resource.
    """
    rest = dict(keywords)
    given: Any = rest.pop("args", None)
    opts: Any = rest.pop("opts", None)
    values = list(positional)
    if values and not isinstance(values[0], pulumi.ResourceOptions):
        given = values.pop(0)
    if values:
        opts = values.pop(0)
    if values or not (opts is None or isinstance(opts, pulumi.ResourceOptions)):
        raise TypeError(f"{kind} {resource_name!r}: expected (args, opts) or (opts, **arguments)")
    merged: dict[str, Any] = dict(to_inputs(given) or {})
    merged.update({key: to_inputs(value) for key, value in rest.items()})
    unknown = sorted(set(merged) - allowed)
    if unknown:
        raise TypeError(
            f"{kind} {resource_name!r}: unknown argument(s) {', '.join(unknown)}; "
            f"the arguments are {', '.join(sorted(allowed))}"
        )
    return {key: value for key, value in merged.items() if value is not None}, opts


def resource_props(
    provider: type[ProviderBase],
    kind: str,
    resource_name: str,
    positional: tuple[Any, ...],
    keywords: Mapping[str, Any],
    **defaults: Any,
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """The properties to register (every output, unset until the provider fills it) and options.

    ``defaults`` stand for inputs the program did not give.
    """
    warn_about_config()
    inputs, opts = resource_inputs(kind, resource_name, positional, keywords, provider.INPUTS)
    for key, value in defaults.items():
        inputs.setdefault(key, value)
    props: dict[str, Any] = dict.fromkeys(provider.OUTPUTS)
    props.update(inputs)
    props[RESOURCE_NAME] = resource_name
    return props, opts


def declaration(props: Mapping[str, Any]) -> dict[str, str]:
    """What a ``TaskRun`` of the same program may know of this task before it exists: its
    ``type``, ``on`` (``project`` or ``dataset``), and its ``name``, ``space`` and
    ``dataset`` where they are plain strings."""
    known = {
        key: props[key]
        for key in ("type", "name", "space", "dataset")
        if isinstance(props.get(key), str)
    }
    for target in ("project", "dataset"):
        if props.get(target) is not None:
            known["on"] = target
    return known


def live_output(resource: pulumi.Resource, key: str, marker: str) -> pulumi.Output[Any]:
    """Output ``key`` of ``resource``: the server's value, None when it is unset, unknown
    until the server has said.

    In a preview the Pulumi SDK makes every output the state does not hold unknown, so an
    unset one (a task without ``query_filter``) would preview as ``[unknown]`` even when
    nothing changes; and while a create or update is previewed the engine hands the inputs
    back as the outputs, in the inputs' shape (``evaluators`` as written, ``type`` in the
    user's casing). ``marker`` is an output every state holds and no input has: when it is
    known the outputs are a state's, and one missing there is unset; when it is not, none is
    known yet.
    """
    value: pulumi.Output[Any] = pulumi.get(resource, key)
    present: pulumi.Output[Any] = pulumi.get(resource, marker)

    async def unset() -> bool:
        return not await value.is_known() and await present.is_known()

    async def result() -> Any:
        if not await known() or await unset():
            return None
        return await value.future()

    async def known() -> bool:
        return await present.is_known() and (await unset() or await value.is_known())

    async def secret() -> bool:
        return await value.is_secret()

    async def resources() -> set[pulumi.Resource]:
        return await value.resources() | await present.resources()

    return pulumi.Output(
        asyncio.ensure_future(resources()),
        asyncio.ensure_future(result()),
        asyncio.ensure_future(known()),
        asyncio.ensure_future(secret()),
    )


def shown_output(task: Task, name: str) -> pulumi.Output[Any]:
    """Output ``name`` of ``task`` as its field's row says (:class:`Shown`): the state keeps
    a field's live value only where it is not what the declaration says, so one it leaves
    out is the declared value, in the API's form (``type`` uppercased, ...) or as written.

    A ``Task.get`` has no declaration; its state is the whole live task.
    """
    field = _TASK_FIELDS[name]
    live = live_output(task, str(field.wire), "created_at")
    declared: Mapping[str, Any] | None = getattr(task, "_declared", None)
    if declared is None or field.shown is Shown.LIVE:
        return live
    value = pulumi.Output.from_input(declared.get(name))
    if field.shown is Shown.AS_WRITTEN:
        return value.apply(field.form.written)
    return pulumi.Output.all(live, value).apply(
        lambda pair: field.form.canonical(pair[1] if pair[0] is None else pair[0], {})
    )


_TASK_FIELDS = {f.name: f for f in TASK_FIELDS}


def read_existing(
    cls: type[R],
    provider: type[ProviderBase],
    resource_name: str,
    resource_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions | None,
) -> R:
    """A resource of ``cls`` read by ID rather than declared: the body of each ``get``."""
    warn_about_config()
    props: dict[str, Any] = dict.fromkeys(provider.OUTPUTS)
    props[RESOURCE_NAME] = resource_name
    resource = cls.__new__(cls)
    with pickler_left_as_found():
        pulumi.dynamic.Resource.__init__(
            resource,
            provider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=resource_id)),
        )
    return resource


class Task(pulumi.dynamic.Resource, module="arize", name="Task"):
    """An Arize AX task: an online or dataset evaluation task, or a run-experiment task.

    Names of the space, project, dataset, evaluators and experiments are looked up once and
    compared by ID afterwards, so writing an ID instead of its name is no change.
    """

    @property
    @pulumi.getter
    def task_id(self) -> pulumi.Output[str]:
        """The task's ID (also the resource ID)."""
        return self.id

    @property
    @pulumi.getter
    def name(self) -> pulumi.Output[str]:
        """The task's name (as declared; the server's where a refresh found it changed)."""
        return shown_output(self, "name")

    @property
    @pulumi.getter
    def type(self) -> pulumi.Output[str]:
        """``TEMPLATE_EVALUATION``, ``CODE_EVALUATION`` or ``RUN_EXPERIMENT``."""
        return shown_output(self, "type")

    @property
    @pulumi.getter
    def space_id(self) -> pulumi.Output[str | None]:
        """The ID of the space the task's references were resolved in (unset when none was
        needed: every reference given by ID and no space configured)."""
        return live_output(self, "space_id", "created_at")

    @property
    @pulumi.getter
    def project_id(self) -> pulumi.Output[str | None]:
        """The project's ID, for project tasks."""
        return live_output(self, "project_id", "created_at")

    @property
    @pulumi.getter
    def dataset_id(self) -> pulumi.Output[str | None]:
        """The dataset's ID, for dataset and run-experiment tasks."""
        return live_output(self, "dataset_id", "created_at")

    @property
    @pulumi.getter
    def evaluators(self) -> pulumi.Output[list[dict[str, Any]]]:
        """The evaluators as the program wrote them, each as a dict keyed by ``evaluator``
        (the name or ID written); their IDs are :attr:`evaluator_ids`."""
        return shown_output(self, "evaluators")

    @property
    @pulumi.getter
    def evaluator_ids(self) -> pulumi.Output[list[str]]:
        """The IDs of the task's evaluators, in the server's order (the evaluators given by
        name are looked up once; these are what the names stood for)."""
        return live_output(self, "evaluator_ids", "created_at")

    @property
    @pulumi.getter
    def experiment_ids(self) -> pulumi.Output[list[str]]:
        """The IDs of the experiments a dataset evaluation task scores."""
        return live_output(self, "experiment_ids", "created_at")

    @property
    @pulumi.getter
    def sampling_rate(self) -> pulumi.Output[float | None]:
        """Share of spans evaluated (project tasks)."""
        return shown_output(self, "sampling_rate")

    @property
    @pulumi.getter
    def is_continuous(self) -> pulumi.Output[bool]:
        """Whether new spans are evaluated as they arrive."""
        return shown_output(self, "is_continuous")

    @property
    @pulumi.getter
    def query_filter(self) -> pulumi.Output[str | None]:
        """The task's span filter."""
        return shown_output(self, "query_filter")

    @property
    @pulumi.getter
    def query_filters(self) -> pulumi.Output[dict[str, Any] | None]:
        """A trace/session task's queries: ``{filters: [{id, filter}], expression}``."""
        return shown_output(self, "query_filters")

    @property
    @pulumi.getter
    def run_configuration(self) -> pulumi.Output[dict[str, Any] | None]:
        """A run-experiment task's configuration, as the program wrote it (a dict)."""
        return shown_output(self, "run_configuration")

    @property
    @pulumi.getter
    def created_at(self) -> pulumi.Output[str]:
        """When the task was created (RFC 3339)."""
        return pulumi.get(self, "created_at")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def updated_at(self) -> pulumi.Output[str]:
        """When the task was last changed (RFC 3339)."""
        return live_output(self, "updated_at", "created_at")

    @property
    @pulumi.getter
    def last_run_at(self) -> pulumi.Output[str | None]:
        """When the task last ran (RFC 3339), if ever; refreshed by ``pulumi refresh``."""
        return live_output(self, "last_run_at", "created_at")

    @property
    @pulumi.getter
    def created_by_user_id(self) -> pulumi.Output[str | None]:
        """The user that created the task."""
        return live_output(self, "created_by_user_id", "created_at")

    @overload
    def __init__(
        self,
        resource_name: str,
        args: TaskArgs | TaskArgsDict,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[TaskArgsDict],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a task: ``Task(name, TaskArgs(...), opts)`` or ``Task(name, opts, **args)``.

        :param resource_name: The Pulumi resource name, also the default task ``name``.
        """
        props, opts = resource_props(
            TaskProvider, "Task", resource_name, args, kwargs, name=resource_name
        )
        self.declaration = declaration(props)
        self._declared = {key: props[key] for key in TaskProvider.INPUTS if key in props}
        with pickler_left_as_found():
            super().__init__(TaskProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> Task:
        """An existing task, read by ID and not managed by this stack: its outputs are the
        server's values, refreshed on every ``up``, and ``destroy`` leaves the task alone.

        :param resource_name: The Pulumi resource name of the lookup.
        :param id: The task's ID.
        :param opts: Resource options; ``id`` is set from the argument.
        """
        return read_existing(Task, TaskProvider, resource_name, id, opts)
