"""``/_sandbox/clock``: the time runs progress by; tests move it instead of sleeping.

- ``GET /_sandbox/clock`` answers ``{"now": "2026-03-07T10:30:00.000Z", "frozen": false}``.
- ``POST /_sandbox/clock`` takes exactly one of:

  - ``{"advance": <seconds, a number >= 0>}``: move forward; the clock then stays frozen at
    the new instant, so nothing moves until the next change;
  - ``{"freeze": true}``: stop at the current instant;
  - ``{"freeze": false}``: run on real time again from the current instant (the offset
    built up so far is kept: time never goes backwards);
  - ``{"set": "<RFC 3339 timestamp>"}``: freeze at that instant; 409 when it is before now.

  and answers the clock as ``GET`` does.

Out of the OpenAPI document, never counted or faulted, like the rest of ``/_sandbox``. A
sandbox can also start frozen: ``--freeze-at now`` or ``--freeze-at <RFC 3339>``.
"""

from __future__ import annotations

from typing import Self

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from arize_pulumi.tasks.models import Timestamp

from ..clock import SandboxClock, TimeWentBackwards
from ..deps import ClockDep, require_api_key
from ..problems import bad_request, conflict
from .common import StrictJsonRoute

router = APIRouter(
    prefix="/_sandbox/clock",
    tags=["sandbox control"],
    include_in_schema=False,
    dependencies=[Depends(require_api_key)],
    route_class=StrictJsonRoute,
)


class ClockReading(BaseModel):
    """The body of ``GET /_sandbox/clock``."""

    now: Timestamp
    frozen: bool


class ClockChange(BaseModel):
    """The body of ``POST /_sandbox/clock``: exactly one field."""

    model_config = ConfigDict(extra="forbid")

    advance: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    freeze: StrictBool | None = None
    set: Timestamp | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [name for name in self.model_fields_set if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("advance, freeze, set: give exactly one of them")
        return self


def _reading(clock: SandboxClock) -> ClockReading:
    now, frozen = clock.reading()
    return ClockReading(now=now, frozen=frozen)


@router.get("")
def read_clock(clock: ClockDep) -> ClockReading:
    return _reading(clock)


@router.post("")
def change_clock(body: ClockChange, clock: ClockDep) -> ClockReading:
    """Advance, freeze, resume or set the clock; it never goes backwards."""
    try:
        if body.advance is not None:
            clock.advance(body.advance)
        elif body.set is not None:
            clock.set(body.set)
        elif body.freeze:
            clock.freeze()
        else:
            clock.resume()
    except TimeWentBackwards as error:
        raise conflict(str(error)) from None
    except OverflowError:
        raise bad_request("advance: the clock cannot go past the year 9999") from None
    return _reading(clock)
