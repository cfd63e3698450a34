"""The lookups a task refers to: spaces, projects, datasets, evaluators and experiments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from arize_pulumi.tasks.models import (
    DatasetList,
    EvaluatorList,
    ExperimentList,
    ProjectList,
    SpaceList,
)

from ..deps import (
    Cursor,
    Limit,
    LookupServiceDep,
    NameFilter,
    SpaceIdFilter,
    SpaceNameFilter,
)
from ..paging import DEFAULT_LIMIT
from ..problems import problem_responses
from .common import API_DEPENDENCIES, API_RESPONSES, list_response

router = APIRouter(
    prefix="/v2", tags=["lookups"], dependencies=API_DEPENDENCIES, responses=API_RESPONSES
)


@router.get("/spaces", response_model=SpaceList, operation_id="listSpaces")
def list_spaces(
    service: LookupServiceDep,
    name: NameFilter = None,
    org_id: Annotated[str | None, Query(description="Accepted; the sandbox has one org")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    return list_response(service.list_spaces(name, limit, cursor))


@router.get(
    "/projects",
    response_model=ProjectList,
    responses=problem_responses(404),
    operation_id="listProjects",
)
def list_projects(
    service: LookupServiceDep,
    space_id: SpaceIdFilter = None,
    space_name: SpaceNameFilter = None,
    name: NameFilter = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    return list_response(service.list_projects(space_id, space_name, name, limit, cursor))


@router.get(
    "/datasets",
    response_model=DatasetList,
    responses=problem_responses(404),
    operation_id="listDatasets",
)
def list_datasets(
    service: LookupServiceDep,
    space_id: SpaceIdFilter = None,
    space_name: SpaceNameFilter = None,
    name: NameFilter = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    return list_response(service.list_datasets(space_id, space_name, name, limit, cursor))


@router.get(
    "/evaluators",
    response_model=EvaluatorList,
    responses=problem_responses(404),
    operation_id="listEvaluators",
)
def list_evaluators(
    service: LookupServiceDep,
    space_id: SpaceIdFilter = None,
    space_name: SpaceNameFilter = None,
    name: NameFilter = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    return list_response(service.list_evaluators(space_id, space_name, name, limit, cursor))


@router.get(
    "/experiments",
    response_model=ExperimentList,
    responses=problem_responses(404),
    operation_id="listExperiments",
)
def list_experiments(
    service: LookupServiceDep,
    dataset_id: Annotated[str | None, Query(description="Only this dataset's experiments")] = None,
    name: NameFilter = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    return list_response(service.list_experiments(dataset_id, name, limit, cursor))
