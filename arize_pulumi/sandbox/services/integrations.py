"""AI integrations (``/v2/ai-integrations``: the LLM providers a run configuration names) and
integrations (``/v2/integrations``: LLM and agent integrations, told apart by ``type``).

Both are seeded per space (kind ``ai_integration``, ``doc["type"]`` ``LLM`` or ``AGENT``) and
scoped to it: a ``space_id`` or ``space_name`` filter lists those of the matching spaces.
"""

from __future__ import annotations

from ..clock import SandboxClock
from ..lookup_models import (
    AgentConfig,
    AgentIntegration,
    AiIntegration,
    AiIntegrationList,
    IntegrationList,
    IntegrationType,
    LlmConfig,
    LlmIntegration,
    Scoping,
)
from ..paging import ScopedList, decode_cursor, page
from ..problems import not_found
from ..store import Row, Store
from .common import SANDBOX_USER_ID
from .lookups import ORGANIZATION_ID, spaces_matching

KIND = "ai_integration"
AGENT_ENDPOINT = "https://agent.sandbox.invalid/invoke"
"""Where the sandbox says its agent integrations live (nothing is ever called)."""


def _scopings(r: Row) -> list[Scoping]:
    return [Scoping(organization_id=ORGANIZATION_ID, space_id=r.space_id)]


def _ai_integration(r: Row) -> AiIntegration:
    return AiIntegration(
        id=r.id,
        name=str(r.name),
        provider=r.doc.get("provider") or "OPEN_AI",
        has_api_key=True,
        model_names=list(r.doc.get("model_names") or []),
        enable_default_models=True,
        function_calling_enabled=True,
        scopings=_scopings(r),
        created_at=r.doc["created_at"],
        updated_at=r.doc.get("updated_at") or r.doc["created_at"],
        created_by_user_id=SANDBOX_USER_ID,
    )


def _integration(r: Row) -> LlmIntegration | AgentIntegration:
    common = {
        "id": r.id,
        "name": str(r.name),
        "scopings": _scopings(r),
        "created_at": r.doc["created_at"],
        "updated_at": r.doc.get("updated_at") or r.doc["created_at"],
        "created_by_user_id": SANDBOX_USER_ID,
    }
    if r.doc["type"] == "AGENT":
        return AgentIntegration(
            **common,
            description=r.doc.get("description"),
            config=AgentConfig(
                endpoint=AGENT_ENDPOINT,
                has_headers=False,
                input_schema={"type": "object"},
                request_presets=[],
            ),
        )
    return LlmIntegration(
        **common,
        config=LlmConfig(
            provider=r.doc.get("provider") or "OPEN_AI",
            has_api_key=True,
            is_function_calling_enabled=True,
        ),
    )


class IntegrationService:
    """One page, or one integration, per call, each in one transaction."""

    def __init__(self, store: Store, clock: SandboxClock) -> None:
        self.store = store
        self.clock = clock

    def _page(self, cursor_kind: str, types: list[str], query: ScopedList) -> list[Row]:
        """Up to ``limit + 1`` rows after the cursor, newest first (as Arize lists them)."""
        before = decode_cursor(cursor_kind, query.cursor)
        with self.store.transaction() as tx:
            space_ids = spaces_matching(tx, query.space_id, query.space_name)
            if space_ids == []:
                return []
            found = tx.find(
                KIND,
                space_ids=space_ids,
                name_contains=query.name,
                before=before,
                newest_first=True,
            )
        return [r for r in found if r.doc["type"] in types][: query.limit + 1]

    def list_ai_integrations(self, query: ScopedList) -> AiIntegrationList:
        """The LLM integrations (agent integrations are only in ``/v2/integrations``)."""
        kind = "ai_integration"
        rows = self._page(kind, ["LLM"], query)
        shown, pagination = page(kind, rows, [_ai_integration(r) for r in rows], query.limit)
        return AiIntegrationList(ai_integrations=shown, pagination=pagination)

    def get_ai_integration(self, integration_id: str) -> AiIntegration:
        with self.store.transaction() as tx:
            row = tx.get(KIND, integration_id)
        if row is None or row.doc["type"] != "LLM":
            raise not_found(f"integration_id: AI integration {integration_id} not found")
        return _ai_integration(row)

    def list_integrations(
        self, query: ScopedList, integration_type: IntegrationType | None
    ) -> IntegrationList:
        """LLM and agent integrations, or those of ``integration_type``."""
        kind = "integration"
        types = [integration_type.value] if integration_type is not None else ["LLM", "AGENT"]
        rows = self._page(kind, types, query)
        shown, pagination = page(kind, rows, [_integration(r) for r in rows], query.limit)
        return IntegrationList(integrations=shown, pagination=pagination)

    def get_integration(self, integration_id: str) -> LlmIntegration | AgentIntegration:
        with self.store.transaction() as tx:
            row = tx.get(KIND, integration_id)
        if row is None:
            raise not_found(f"integration_id: integration {integration_id} not found")
        return _integration(row)
