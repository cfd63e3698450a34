"""Where a client connects: Arize's default host, its regional hosts, and which of the
arguments and environment variables wins."""

from __future__ import annotations

import os

import httpx

from arize_pulumi.tasks.errors import InvalidArgumentError

__all__ = ["DEFAULT_BASE_URL", "REGIONS", "choose_base_url"]

DEFAULT_BASE_URL = "https://api.arize.com"
REGIONS = frozenset({"us-central-1a", "eu-west-1a", "ca-central-1a", "us-east-1b"})


def _region_url(region: str, field: str) -> str:
    if region not in REGIONS:
        allowed = ", ".join(sorted(REGIONS))
        raise InvalidArgumentError(field, f"unknown region {region!r}; use one of {allowed}")
    return f"https://api.{region}.arize.com"


def choose_base_url(base_url: str | None, region: str | None) -> str:
    """Explicit arguments first, then the environment, then Arize's default host.

    A bad value fails here, naming the argument or variable it came from.
    """
    if region is not None:
        regional = _region_url(region, "region")
    if base_url:
        url, field = base_url, "base_url"
    elif region is not None:
        url, field = regional, "region"
    elif os.environ.get("ARIZE_BASE_URL"):
        url, field = os.environ["ARIZE_BASE_URL"], "ARIZE_BASE_URL"
    elif os.environ.get("ARIZE_REGION"):
        url, field = _region_url(os.environ["ARIZE_REGION"], "ARIZE_REGION"), "ARIZE_REGION"
    else:
        url, field = DEFAULT_BASE_URL, "base_url"
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidArgumentError(field, f"{url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidArgumentError(field, f"{url!r} is not an http(s) URL with a host")
    return url.rstrip("/")
