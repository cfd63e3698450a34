"""The lookups a task refers to: spaces, projects, datasets, evaluators (and their versions)
and experiments, each listed (paged, filtered) and got by ID."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ..deps import LookupServiceDep, ScopedListDep
from ..lookup_models import (
    Dataset,
    DatasetList,
    EvaluatorList,
    EvaluatorVersionList,
    EvaluatorWithVersion,
    Experiment,
    ExperimentList,
    Project,
    ProjectList,
    ProjectType,
    Space,
    SpaceList,
)
from ..paging import DEFAULT_LIMIT, Cursor, Limit, NameFilter, SpaceIdFilter
from ..problems import problem_responses
from .common import API_DEPENDENCIES, API_RESPONSES, list_response

NOT_FOUND = problem_responses(404)

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
    "/spaces/{space_id}", response_model=Space, responses=NOT_FOUND, operation_id="getSpace"
)
def get_space(space_id: str, service: LookupServiceDep) -> Space:
    return service.get_space(space_id)


@router.get(
    "/projects",
    response_model=ProjectList,
    responses=problem_responses(404),
    operation_id="listProjects",
)
def list_projects(
    service: LookupServiceDep,
    query: ScopedListDep,
    project_type: Annotated[
        ProjectType | None, Query(description="Only projects of this type")
    ] = None,
) -> JSONResponse:
    """A ``space_name`` that matches no space is an empty page; an unknown ``space_id``, 404."""
    return list_response(service.list_projects(query, project_type))


@router.get(
    "/projects/{project_id}",
    response_model=Project,
    responses=NOT_FOUND,
    operation_id="getProject",
)
def get_project(project_id: str, service: LookupServiceDep) -> Project:
    return service.get_project(project_id)


@router.get(
    "/datasets",
    response_model=DatasetList,
    responses=problem_responses(404),
    operation_id="listDatasets",
)
def list_datasets(
    service: LookupServiceDep,
    query: ScopedListDep,
) -> JSONResponse:
    return list_response(service.list_datasets(query))


@router.get(
    "/datasets/{dataset_id}",
    response_model=Dataset,
    responses=NOT_FOUND,
    operation_id="getDataset",
)
def get_dataset(dataset_id: str, service: LookupServiceDep) -> Dataset:
    return service.get_dataset(dataset_id)


@router.get(
    "/evaluators",
    response_model=EvaluatorList,
    responses=problem_responses(404),
    operation_id="listEvaluators",
)
def list_evaluators(
    service: LookupServiceDep,
    query: ScopedListDep,
) -> JSONResponse:
    return list_response(service.list_evaluators(query))


@router.get(
    "/evaluators/{evaluator_id}",
    response_model=EvaluatorWithVersion,
    responses=NOT_FOUND,
    operation_id="getEvaluator",
)
def get_evaluator(
    evaluator_id: str,
    service: LookupServiceDep,
    version_id: Annotated[
        str | None, Query(description="This version instead of the latest")
    ] = None,
) -> EvaluatorWithVersion:
    """The evaluator with its latest version, or with ``version_id``'s."""
    return service.get_evaluator(evaluator_id, version_id)


@router.get(
    "/evaluators/{evaluator_id}/versions",
    response_model=EvaluatorVersionList,
    responses=NOT_FOUND,
    operation_id="listEvaluatorVersions",
)
def list_evaluator_versions(
    evaluator_id: str,
    service: LookupServiceDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    """An evaluator's versions, newest first."""
    return list_response(service.list_evaluator_versions(evaluator_id, limit, cursor))


@router.get(
    "/experiments",
    response_model=ExperimentList,
    responses=problem_responses(404),
    operation_id="listExperiments",
)
def list_experiments(
    service: LookupServiceDep,
    dataset_id: Annotated[str | None, Query(description="Only this dataset's experiments")] = None,
    space_id: SpaceIdFilter = None,
    name: NameFilter = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JSONResponse:
    """A dataset's experiments, or a space's (or all); 404 for an unknown dataset or space."""
    return list_response(service.list_experiments(dataset_id, space_id, name, limit, cursor))


@router.get(
    "/experiments/{experiment_id}",
    response_model=Experiment,
    responses=NOT_FOUND,
    operation_id="getExperiment",
)
def get_experiment(experiment_id: str, service: LookupServiceDep) -> Experiment:
    return service.get_experiment(experiment_id)
