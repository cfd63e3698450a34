"""The Pulumi internals the package leans on, against the installed `pulumi`.

Every `make test-matrix` cell runs these, so a Pulumi release that moves one of them fails CI
rather than a user's `pulumi up`. The pickler fix is exercised by the thousand-resource program
in test_resources_construct.py.
"""

from __future__ import annotations

from typing import Any

import pulumi.dynamic.dynamic
from google.protobuf import struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc

from arize_pulumi.resources._normalize import has_unknown, is_unknown, plain


def wire(values: dict[str, Any]) -> struct_pb2.Struct:
    """``values`` as the engine sends a provider its properties."""
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


def test_the_pickled_provider_sits_under_the_input_the_providers_leave_out() -> None:
    assert pulumi.dynamic.dynamic.PROVIDER_KEY == "__provider"


def test_unknowns_from_the_engine_read_as_unknown() -> None:
    """pulumi.dynamic's check and diff deserialise with ``keep_unknowns``, as here."""
    sent = wire({"project": rpc.UNKNOWN, "evaluators": [{"evaluator": rpc.UNKNOWN}], "name": "n"})
    props = rpc.deserialize_properties(sent, True)
    assert is_unknown(props["project"])
    assert has_unknown(props["evaluators"])
    assert not has_unknown(props["name"])
    assert is_unknown(Unknown())


def test_secrets_from_the_engine_read_as_their_values() -> None:
    sent = wire(
        {
            "query_filter": rpc.wrap_rpc_secret("environment = 'prod'"),
            "evaluators": [{"evaluator": rpc.wrap_rpc_secret("relevance")}],
        }
    )
    props = rpc.deserialize_properties(sent, True)
    assert plain(props) == {
        "query_filter": "environment = 'prod'",
        "evaluators": [{"evaluator": "relevance"}],
    }
    assert plain(rpc.wrap_rpc_secret({"a": rpc.wrap_rpc_secret(1)})) == {"a": 1}
