"""The sandbox's control routes (``/_sandbox/...``), the same for a process and the app in
this process: seed data, request counts, faults, scripted outcomes and the clock."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Any

import httpx

DEFAULT_SPACE = "demo-space"


class SandboxError(RuntimeError):
    """The sandbox did not start, or a control call failed."""


def rfc3339(moment: datetime) -> str:
    """The wire form of a timestamp: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Clock:
    """The sandbox's clock: runs move by it, so a test moves it instead of sleeping."""

    def __init__(self, handle: SandboxHandle) -> None:
        self._handle = handle

    def _state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._handle.call("GET", "/_sandbox/clock").json()
        return state

    def now(self) -> datetime:
        return datetime.fromisoformat(self._state()["now"])

    def frozen(self) -> bool:
        return bool(self._state()["frozen"])

    def advance(self, seconds: float) -> None:
        """Move ``seconds`` forward and stay frozen there."""
        self._handle.call("POST", "/_sandbox/clock", json={"advance": seconds})

    def skip(self, seconds: float) -> None:
        """Move ``seconds`` forward and run on: what a sleep would do, without the wait."""
        self.advance(seconds)
        self.resume()

    def freeze(self) -> None:
        self._handle.call("POST", "/_sandbox/clock", json={"freeze": True})

    def resume(self) -> None:
        self._handle.call("POST", "/_sandbox/clock", json={"freeze": False})

    def set(self, moment: datetime) -> None:
        """Freeze at ``moment``; the sandbox refuses to go back in time."""
        self._handle.call("POST", "/_sandbox/clock", json={"set": rfc3339(moment)})


class SandboxHandle(ABC):
    """An authed handle on a sandbox, wherever it runs."""

    api_key: str

    def __init__(self) -> None:
        self._ids: dict[str, Any] | None = None
        self.clock = Clock(self)

    @abstractmethod
    def control(self) -> httpx.Client:
        """An authed client on the sandbox (for ``/_sandbox`` and, if wanted, ``/v2``)."""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A control request that must succeed."""
        response = self.control().request(method, path, **kwargs)
        if response.status_code >= 400:
            raise SandboxError(f"{method} {path}: {response.status_code} {response.text}")
        return response

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add spaces and their entities; returns them with IDs in the same nested shape."""
        result: dict[str, Any] = self.call("POST", "/_sandbox/seed", json=data).json()
        return result

    def world(self) -> dict[str, Any]:
        """Every seeded entity, in the seed shape with IDs."""
        result: dict[str, Any] = self.call("GET", "/_sandbox/seed").json()
        return result

    def requests(self) -> dict[str, int]:
        """API requests served so far, by route template (``GET /v2/tasks/{task_id}``)."""
        counts: dict[str, int] = self.call("GET", "/_sandbox/requests").json()["counts"]
        return counts

    def total_requests(self) -> int:
        total: int = self.call("GET", "/_sandbox/requests").json()["total"]
        return total

    def reset_requests(self) -> None:
        self.call("DELETE", "/_sandbox/requests")

    def faults(self, **spec: Any) -> None:
        """Inject faults, e.g. ``faults(rate=0.5, statuses=[503], phase="after")``."""
        self.call("POST", "/_sandbox/faults", json=spec)

    def clear_faults(self) -> None:
        self.call("DELETE", "/_sandbox/faults")

    def outcome(
        self,
        task_id: str,
        status: str,
        failure_reason: str | None = None,
        duration: float | None = None,
    ) -> None:
        """Script how the next run of ``task_id`` ends (``HANG``: never, until cancelled)."""
        body: dict[str, Any] = {"task_id": task_id, "status": status}
        if failure_reason is not None:
            body["failure_reason"] = failure_reason
        if duration is not None:
            body["duration"] = duration
        self.call("POST", "/_sandbox/outcomes", json=body)

    def delete_entity(self, kind: str, entity_id: str) -> None:
        """Delete a space, project, dataset, evaluator, ... out of band (for drift tests)."""
        self.call("DELETE", f"/_sandbox/entities/{kind}/{entity_id}")

    def ids(self) -> dict[str, Any]:
        """IDs of the default seed (space ``demo-space`` and what it holds)."""
        if self._ids is None:
            spaces = [s for s in self.world()["spaces"] if s["name"] == DEFAULT_SPACE]
            if not spaces:
                raise SandboxError(f"the default seed (space {DEFAULT_SPACE}) is not present")
            space = spaces[0]
            by_name = {i["name"]: i["id"] for i in space["ai_integrations"]}
            dataset = space["datasets"][0]
            self._ids = {
                "space": space["id"],
                "project": space["projects"][0]["id"],
                "dataset": dataset["id"],
                "experiment": dataset["experiments"][0]["id"],
                "evaluators": {e["name"]: e["id"] for e in space["evaluators"]},
                "evaluator_versions": {e["name"]: e["version_ids"][0] for e in space["evaluators"]},
                "ai_integration": by_name.get("openai-default"),
                "agent_integration": by_name.get("agent-default"),
            }
        return self._ids
