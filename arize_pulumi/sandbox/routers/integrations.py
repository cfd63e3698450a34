"""AI integrations (``/v2/ai-integrations``) and integrations (``/v2/integrations``): listed
with ``space_id``/``space_name``/``name`` filters (newest first, paged) and got by ID."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from ..deps import ClockDep, ScopedListDep, StoreDep
from ..lookup_models import (
    AgentIntegration,
    AiIntegration,
    AiIntegrationList,
    Integration,
    IntegrationList,
    IntegrationType,
    LlmIntegration,
)
from ..problems import problem_responses
from ..services.integrations import IntegrationService
from .common import API_DEPENDENCIES, API_RESPONSES, list_response

router = APIRouter(
    prefix="/v2", tags=["integrations"], dependencies=API_DEPENDENCIES, responses=API_RESPONSES
)


def integration_service(store: StoreDep, clock: ClockDep) -> IntegrationService:
    return IntegrationService(store, clock)


IntegrationServiceDep = Annotated[IntegrationService, Depends(integration_service)]


@router.get(
    "/ai-integrations",
    response_model=AiIntegrationList,
    responses=problem_responses(404),
    operation_id="listAiIntegrations",
)
def list_ai_integrations(
    service: IntegrationServiceDep,
    query: ScopedListDep,
) -> JSONResponse:
    """LLM integrations visible in the spaces scoped to; 404 for an unknown ``space_id``."""
    return list_response(service.list_ai_integrations(query))


@router.get(
    "/ai-integrations/{integration_id}",
    response_model=AiIntegration,
    responses=problem_responses(404),
    operation_id="getAiIntegration",
)
def get_ai_integration(integration_id: str, service: IntegrationServiceDep) -> AiIntegration:
    return service.get_ai_integration(integration_id)


@router.get(
    "/integrations",
    response_model=IntegrationList,
    responses=problem_responses(404),
    operation_id="listIntegrations",
)
def list_integrations(
    service: IntegrationServiceDep,
    query: ScopedListDep,
    type: Annotated[IntegrationType | None, Query(description="Only this type")] = None,
) -> JSONResponse:
    """LLM and agent integrations, each with its ``type``; 404 for an unknown ``space_id``."""
    return list_response(service.list_integrations(query, type))


@router.get(
    "/integrations/{integration_id}",
    response_model=Integration,
    responses=problem_responses(404),
    operation_id="getIntegration",
)
def get_integration(
    integration_id: str, service: IntegrationServiceDep
) -> LlmIntegration | AgentIntegration:
    return service.get_integration(integration_id)
