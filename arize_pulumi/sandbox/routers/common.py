"""What the API routers share: auth, the error answers they declare, and list responses."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..deps import reject_unknown_query, require_api_key
from ..problems import problem_responses

API_DEPENDENCIES = [Depends(require_api_key), Depends(reject_unknown_query)]
API_RESPONSES = problem_responses(400, 401, 403, 429, 500, 503)


def list_response(envelope: BaseModel) -> JSONResponse:
    """A list envelope whose ``next_cursor`` is present only while ``has_more`` is true."""
    content = envelope.model_dump(mode="json")
    if content["pagination"].get("next_cursor") is None:
        content["pagination"].pop("next_cursor", None)
    return JSONResponse(content)


BODY_VARIANTS: list[type[BaseModel]] = []
"""Request models that routes reference by hand; the OpenAPI document adds their schemas."""


def variant_body(*models: type[BaseModel], required: bool) -> dict[str, Any]:
    """Declare a body whose model the stored task's type chooses, so FastAPI cannot parse it."""
    BODY_VARIANTS.extend(m for m in models if m not in BODY_VARIANTS)
    refs = [{"$ref": f"#/components/schemas/{m.__name__}"} for m in models]
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": {"anyOf": refs}}},
        }
    }
