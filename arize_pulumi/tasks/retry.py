"""How long and how often the client retries, and the per-call budget that enforces it.

Failures whose cause is on the server or the network (5xx, a reset connection, a timeout)
are retried with capped exponential backoff and full jitter, at most ``max_attempts`` tries
per request.
A 429 is the server asking us to wait and proves nothing was applied, so it is retried after
``Retry-After`` (or the backoff when absent) for as long as ``max_elapsed`` allows, without
using up attempts: the defaults ride out a minute of 429s with ``Retry-After`` of 1 to 5 s.
``max_elapsed`` bounds the whole call. ``max_attempts=1`` turns retrying off altogether.

Time spent in ``sleep`` counts against ``max_elapsed`` even when ``sleep`` is a fake, so
tests that replace it see the same budget a real run would.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from arize_pulumi.tasks.errors import InvalidArgumentError

__all__ = ["RequestTries", "RetryBudget", "RetryPolicy", "parse_retry_after"]


@dataclass(frozen=True)
class RetryPolicy:
    """How each request of a client call is retried, and how long the whole call may take."""

    max_attempts: int = 8
    max_elapsed: float = 90.0
    base_delay: float = 0.5
    max_delay: float = 10.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise InvalidArgumentError("retry.max_attempts", "must be at least 1")
        if self.max_elapsed < 0:
            raise InvalidArgumentError("retry.max_elapsed", "must not be negative")
        if self.base_delay <= 0:
            raise InvalidArgumentError("retry.base_delay", "must be greater than 0")
        if self.max_delay < self.base_delay:
            raise InvalidArgumentError("retry.max_delay", "must be at least base_delay")

    def backoff(self, failures: int) -> float:
        """Full-jitter delay before the retry that follows the ``failures``-th failure."""
        cap = min(self.max_delay, self.base_delay * 2 ** max(failures - 1, 0))
        return random.uniform(0, cap)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:
        return None
    return max(seconds, 0.0)


class RetryBudget:
    """The time one client call may spend, shared by every request the call sends."""

    def __init__(self, policy: RetryPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._started = clock()
        self._slept = 0.0

    def elapsed(self) -> float:
        """Seconds spent so far, counting slept time even when ``sleep`` is a fake."""
        return max(self._clock() - self._started, self._slept)

    def tries(self) -> RequestTries:
        """Attempt and failure counts for one more request of this call."""
        return RequestTries(self)

    def sleep(self, seconds: float) -> None:
        self.policy.sleep(seconds)
        self._slept += seconds


class RequestTries:
    """One request's attempts and failures, within its call's time budget.

    Each request of a call (a create and the lookups that check whether an earlier attempt
    landed) gets its own ``max_attempts``, so a lookup's bad luck never spends the tries of
    the request it protects; ``max_elapsed`` still bounds the call as a whole.
    """

    def __init__(self, budget: RetryBudget) -> None:
        self.budget = budget
        self.attempts = 0
        self.failures = 0

    def next_delay(self, *, rate_limited: bool, retry_after: float | None = None) -> float | None:
        """Seconds to wait before the next try, or ``None`` when the budget is spent."""
        policy = self.budget.policy
        if policy.max_attempts <= 1:
            return None
        remaining = policy.max_elapsed - self.budget.elapsed()
        if rate_limited:
            if retry_after is not None:
                delay = max(retry_after, policy.base_delay)
            else:
                delay = max(policy.backoff(self.failures + 1), policy.base_delay)
            return delay if delay <= remaining else None
        self.failures += 1
        if self.failures >= policy.max_attempts or remaining <= 0:
            return None
        return min(policy.backoff(self.failures), remaining)
