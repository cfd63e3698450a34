"""What the sandbox answers for the lookups: spaces, projects, datasets, evaluators (and their
versions), experiments, AI integrations and integrations, in the shape of the official SDK's
generated models (``arize/_generated/api_client/models``), field for field where the sandbox
has something to say, so the official SDK and our client both read them.

These are the sandbox's own answer models, richer than the client's lookup models in
``arize_pulumi.tasks.models`` (which read only what name lookups need, and tolerate the rest).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from arize_pulumi.tasks.models import Pagination, Timestamp


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProjectType(StrEnum):
    APPLICATION = "APPLICATION"
    HARNESS = "HARNESS"
    EXPERIMENT = "EXPERIMENT"


class IntegrationType(StrEnum):
    LLM = "LLM"
    AGENT = "AGENT"
    EVALUATOR = "EVALUATOR"


EvaluatorTypeName = Literal["TEMPLATE", "CODE", "HARNESS", "REMOTE"]
"""The evaluator types of the real API (``EvaluatorType``)."""

LlmProvider = Literal["OPEN_AI", "ANTHROPIC", "GEMINI"]
"""The providers the sandbox seeds: those whose integration config is just these flags."""


# --- spaces, projects, datasets ------------------------------------------------------------


class Space(Answer):
    id: str
    organization_id: str
    name: str
    description: str | None = None
    created_at: Timestamp
    is_private: bool = False


class Project(Answer):
    id: str
    name: str
    space_id: str
    created_at: Timestamp
    project_type: ProjectType | None = None


class DatasetVersion(Answer):
    id: str
    name: str | None = None
    dataset_id: str
    created_at: Timestamp
    updated_at: Timestamp


class Dataset(Answer):
    id: str
    name: str
    space_id: str
    created_at: Timestamp
    updated_at: Timestamp
    versions: list[DatasetVersion]


# --- evaluators -----------------------------------------------------------------------------


class Evaluator(Answer):
    id: str
    name: str
    description: str | None = None
    type: EvaluatorTypeName
    space_id: str
    created_at: Timestamp
    updated_at: Timestamp
    created_by_user_id: str | None = None


class EvaluatorLlmConfig(Answer):
    ai_integration_id: str | None = None
    model_name: str | None = None


class TemplateConfig(Answer):
    name: str
    template: str
    include_explanations: bool
    use_function_calling: bool
    use_structured_output: bool
    classification_choices: dict[str, float] | None = None
    direction: Literal["MAXIMIZE", "MINIMIZE", "NONE"] | None = None
    data_granularity: Literal["SPAN", "TRACE", "SESSION"] | None = None
    llm_config: EvaluatorLlmConfig | None = None


class CustomCodeConfig(Answer):
    data_granularity: Literal["SPAN", "TRACE", "SESSION"] | None = None
    query_filter: str | None = None
    type: Literal["CUSTOM"] = "CUSTOM"
    name: str
    code: str
    imports: str | None = None
    variables: list[str]
    static_params: list[dict[str, Any]]


class RemoteConfig(Answer):
    integration_id: str | None = None


class _VersionCommon(Answer):
    id: str
    evaluator_id: str
    commit_hash: str
    commit_message: str | None = None
    created_at: Timestamp
    created_by_user_id: str | None = None


class TemplateVersion(_VersionCommon):
    type: Literal["TEMPLATE"] = "TEMPLATE"
    template_config: TemplateConfig


class CodeVersion(_VersionCommon):
    type: Literal["CODE"] = "CODE"
    code_config: CustomCodeConfig


class HarnessVersion(_VersionCommon):
    type: Literal["HARNESS"] = "HARNESS"


class RemoteVersion(_VersionCommon):
    type: Literal["REMOTE"] = "REMOTE"
    remote_config: RemoteConfig


EvaluatorVersion = Annotated[
    TemplateVersion | CodeVersion | HarnessVersion | RemoteVersion, Field(discriminator="type")
]
"""A version's ``type`` is its evaluator's, and says which config it carries."""


class EvaluatorWithVersion(Evaluator):
    version: EvaluatorVersion | None = None


# --- experiments ----------------------------------------------------------------------------


class Experiment(Answer):
    id: str
    name: str
    space_id: str | None = None
    dataset_id: str | None = None
    dataset_version_id: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
    experiment_traces_project_id: str | None = None
    integration_id: str | None = None


# --- AI integrations and integrations -------------------------------------------------------


class Scoping(Answer):
    organization_id: str | None = None
    space_id: str | None = None


class AiIntegration(Answer):
    """An LLM provider integration (``/v2/ai-integrations``); the key is never returned."""

    id: str
    name: str
    provider: LlmProvider
    has_api_key: bool
    base_url: str | None = None
    model_names: list[str]
    headers: dict[str, str] | None = None
    enable_default_models: bool
    function_calling_enabled: bool
    auth_type: Literal["DEFAULT"] = "DEFAULT"
    provider_metadata: dict[str, Any] | None = None
    scopings: list[Scoping]
    created_at: Timestamp
    updated_at: Timestamp
    created_by_user_id: str | None = None


class LlmConfig(Answer):
    provider: LlmProvider
    has_api_key: bool
    is_function_calling_enabled: bool


class AgentConfig(Answer):
    endpoint: str
    has_headers: bool
    input_schema: dict[str, Any] | None = None
    request_presets: list[dict[str, Any]]


class _IntegrationCommon(Answer):
    id: str
    name: str
    scopings: list[Scoping]
    created_at: Timestamp
    updated_at: Timestamp
    created_by_user_id: str | None = None


class LlmIntegration(_IntegrationCommon):
    type: Literal["LLM"] = "LLM"
    config: LlmConfig


class AgentIntegration(_IntegrationCommon):
    type: Literal["AGENT"] = "AGENT"
    description: str | None = None
    config: AgentConfig


Integration = Annotated[LlmIntegration | AgentIntegration, Field(discriminator="type")]
"""``/v2/integrations`` items, told apart by ``type``."""


# --- list envelopes -------------------------------------------------------------------------


class SpaceList(Answer):
    spaces: list[Space]
    pagination: Pagination


class ProjectList(Answer):
    projects: list[Project]
    pagination: Pagination


class DatasetList(Answer):
    datasets: list[Dataset]
    pagination: Pagination


class EvaluatorList(Answer):
    evaluators: list[Evaluator]
    pagination: Pagination


class EvaluatorVersionList(Answer):
    evaluator_versions: list[EvaluatorVersion]
    pagination: Pagination


class ExperimentList(Answer):
    experiments: list[Experiment]
    pagination: Pagination


class AiIntegrationList(Answer):
    ai_integrations: list[AiIntegration]
    pagination: Pagination


class IntegrationList(Answer):
    integrations: list[Integration]
    pagination: Pagination
