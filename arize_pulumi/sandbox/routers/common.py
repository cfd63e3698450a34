"""What the routers share: strict JSON bodies, auth, the error answers they declare, and
list responses."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from ..deps import reject_unknown_query, require_api_key
from ..problems import problem_responses

API_DEPENDENCIES = [Depends(require_api_key), Depends(reject_unknown_query)]
API_RESPONSES = problem_responses(400, 401, 403, 429, 500, 503)


class StrictJsonRequest(Request):
    """A request whose body is JSON proper: Python's parser also takes ``NaN`` and
    ``Infinity``, which a JSON answer could not carry back."""

    async def json(self) -> Any:
        raw = await self.body()
        try:
            return json.loads(raw, parse_constant=_not_json)
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError("not UTF-8", "", error.start) from None


def _not_json(constant: str) -> Any:
    raise json.JSONDecodeError(f"{constant} is not JSON", constant, 0)


class StrictJsonRoute(APIRoute):
    """Hands its endpoint a ``StrictJsonRequest``; a body that is not JSON is a 400."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler


def list_response(envelope: BaseModel) -> JSONResponse:
    """A list envelope whose ``next_cursor`` is present only while ``has_more`` is true."""
    content = envelope.model_dump(mode="json")
    if content["pagination"].get("next_cursor") is None:
        content["pagination"].pop("next_cursor", None)
    return JSONResponse(content)
