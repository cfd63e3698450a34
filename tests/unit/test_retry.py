"""Retry policy and budget, and how the client retries each kind of request."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from arize_pulumi.tasks import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InvalidArgumentError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from arize_pulumi.tasks.retry import RetryBudget, parse_retry_after
from tests.support.inprocess import API_KEY, InProcessSandbox


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_default_policy_values() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.max_elapsed, policy.base_delay, policy.max_delay) == (
        8,
        90.0,
        0.5,
        10.0,
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_attempts": 0}, "retry.max_attempts"),
        ({"max_elapsed": -1}, "retry.max_elapsed"),
        ({"base_delay": 0}, "retry.base_delay"),
        ({"base_delay": 2, "max_delay": 1}, "retry.max_delay"),
    ],
)
def test_policy_refuses_nonsense(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_backoff_is_full_jitter_under_a_growing_capped_ceiling() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    for failures, cap in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)):
        delays = [policy.backoff(failures) for _ in range(200)]
        assert all(0 <= d <= cap for d in delays)
        assert max(delays) > cap / 2


def test_parse_retry_after() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    parsed = parse_retry_after(later)
    assert parsed is not None and 25 <= parsed <= 31


def test_budget_bounds_failures_by_attempts() -> None:
    tries = RetryBudget(RetryPolicy(max_attempts=3), clock=FakeClock()).tries()
    assert tries.next_delay(rate_limited=False) is not None
    assert tries.next_delay(rate_limited=False) is not None
    assert tries.next_delay(rate_limited=False) is None


def test_each_request_of_a_call_has_its_own_attempts_but_shares_the_time() -> None:
    clock = FakeClock()
    budget = RetryBudget(RetryPolicy(max_attempts=2, max_elapsed=10), clock=clock)
    first, second = budget.tries(), budget.tries()
    assert first.next_delay(rate_limited=False) is not None
    assert first.next_delay(rate_limited=False) is None
    assert second.next_delay(rate_limited=False) is not None
    clock.now = 10.0
    assert budget.tries().next_delay(rate_limited=False) is None


def test_rate_limits_use_time_not_attempts() -> None:
    budget = RetryBudget(RetryPolicy(max_attempts=2, max_elapsed=10, sleep=lambda s: None))
    tries = budget.tries()
    waits = []
    while (delay := tries.next_delay(rate_limited=True, retry_after=3)) is not None:
        waits.append(delay)
        budget.sleep(delay)
    assert waits == [3, 3, 3]
    assert tries.failures == 0


def test_a_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    tries = RetryBudget(RetryPolicy(max_elapsed=5, sleep=lambda s: None)).tries()
    assert tries.next_delay(rate_limited=True, retry_after=6) is None


def test_backoff_never_sleeps_past_max_elapsed() -> None:
    clock = FakeClock()
    tries = RetryBudget(
        RetryPolicy(max_elapsed=1.0, base_delay=5, max_delay=5), clock=clock
    ).tries()
    clock.now = 0.75
    delay = tries.next_delay(rate_limited=False)
    assert delay is not None and delay <= 0.25
    clock.now = 1.0
    assert tries.next_delay(rate_limited=False) is None


def test_one_attempt_means_no_retries_at_all() -> None:
    tries = RetryBudget(RetryPolicy(max_attempts=1)).tries()
    assert tries.next_delay(rate_limited=True, retry_after=1) is None
    assert tries.next_delay(rate_limited=False) is None


# --- the client's retries ---------------------------------------------------------------


def test_429_honours_retry_after(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", status=429, retry_after=2, times=2)
    arize.client().list()
    assert arize.sleeps == [2.0, 2.0]
    assert arize.count_sent("GET", "/v2/tasks") == 3


def without_retry_after(response: httpx.Response) -> httpx.Response:
    """The sandbox always says when to come back; some proxies do not."""
    headers = {k: v for k, v in response.headers.items() if k.lower() != "retry-after"}
    return httpx.Response(response.status_code, headers=headers, content=response.content)


def test_429_without_retry_after_backs_off(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", status=429)
    arize.client(transport=arize.edited(without_retry_after)).list()
    assert len(arize.sleeps) == 1
    assert 0.5 <= arize.sleeps[0] <= 1.0


def test_default_policy_rides_out_a_minute_of_429s(arize: InProcessSandbox) -> None:
    pattern = [1, 5, 3, 4, 2]
    for index in range(20):
        arize.fail("GET", r"/v2/tasks", status=429, retry_after=pattern[index % 5])
    arize.client().list()
    assert sum(arize.sleeps) == 60
    assert arize.count_sent("GET", "/v2/tasks") == 21


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_reads_retry_server_errors(arize: InProcessSandbox, status: int) -> None:
    arize.fail("GET", r"/v2/tasks/.*", status=status, times=2)
    task_id = arize.add_task("t")
    assert arize.client().get(task_id).id == task_id
    assert len(arize.sleeps) == 2


def test_idempotent_writes_retry_502_to_504_but_not_500(arize: InProcessSandbox) -> None:
    task_id = arize.add_task("t")
    client = arize.client()
    arize.fail("PATCH", r"/v2/tasks/.*", status=503)
    assert client.update(task_id, task_type="TEMPLATE_EVALUATION", name="u").name == "u"
    arize.fail("PATCH", r"/v2/tasks/.*", status=500)
    with pytest.raises(ServerError) as info:
        client.update(task_id, task_type="TEMPLATE_EVALUATION", name="v")
    assert info.value.status == 500 and not info.value.retries_exhausted
    assert arize.count_sent("PATCH") == 3


@pytest.mark.parametrize(
    "exception", [httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectError, httpx.ReadTimeout]
)
def test_network_errors_are_retried(
    arize: InProcessSandbox, exception: type[httpx.TransportError]
) -> None:
    arize.fail("GET", r"/v2/tasks", exception=exception)
    arize.client().list()
    assert arize.count_sent("GET", "/v2/tasks") == 2


def test_client_errors_are_not_retried(arize: InProcessSandbox) -> None:
    with pytest.raises(BadRequestError, match="cursor: not a cursor issued by this endpoint"):
        arize.client().list(cursor="zzz")
    assert arize.count_sent() == 1 and arize.sleeps == []


def test_exhausted_budget_names_the_call_attempts_and_safety(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", status=503, times=100)
    with pytest.raises(ServerError) as info:
        arize.client(retry=RetryPolicy(max_attempts=4, sleep=arize.sleeps.append)).list()
    error = info.value
    assert error.retries_exhausted and error.attempts == 4
    assert str(error).startswith("GET /v2/tasks failed (503 Service Unavailable)")
    assert "gave up after 4 attempts" in str(error)
    assert "re-running is safe" in str(error)
    assert len(arize.sleeps) == 3


def test_exhausted_rate_limit_keeps_retry_after(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", status=429, retry_after=30, times=100)
    with pytest.raises(RateLimitError) as info:
        arize.client(retry=RetryPolicy(max_elapsed=65, sleep=arize.sleeps.append)).list()
    assert info.value.retry_after == 30
    assert info.value.retries_exhausted
    assert arize.sleeps == [30, 30]


def test_exhausted_network_errors_raise_connection_errors(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", exception=httpx.ConnectError, times=100)
    with pytest.raises(APIConnectionError) as info:
        arize.client(max_retries=2).list()
    assert not isinstance(info.value, APITimeoutError)
    assert (info.value.method, info.value.path, info.value.attempts) == ("GET", "/v2/tasks", 3)
    assert "ConnectError" in str(info.value) and "re-running is safe" in str(info.value)


def test_timeouts_raise_timeout_errors(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", exception=httpx.ReadTimeout, times=100)
    with pytest.raises(APITimeoutError):
        arize.client(max_retries=1).list()


def test_max_retries_zero_sends_once(arize: InProcessSandbox) -> None:
    arize.fail("GET", r"/v2/tasks", status=429, retry_after=1)
    with pytest.raises(RateLimitError):
        arize.client(max_retries=0).list()
    assert arize.count_sent() == 1


def test_retries_are_logged_without_the_key(
    arize: InProcessSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    arize.fail("GET", r"/v2/tasks", status=503)
    with caplog.at_level(logging.DEBUG, logger="arize_pulumi.tasks"):
        arize.client().list()
    lines = [r.getMessage() for r in caplog.records if r.name == "arize_pulumi.tasks"]
    assert "GET /v2/tasks -> 503 (attempt 1" in lines[0]
    assert lines[1].startswith("retrying GET /v2/tasks after 503")
    assert "GET /v2/tasks -> 200 (attempt 2" in lines[2]
    assert not any(API_KEY in line for line in caplog.text.splitlines())
