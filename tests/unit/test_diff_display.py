"""Detailed diffs reach the engine through the dynamic-provider server's ``DiffResponse``."""

from __future__ import annotations

import sys
import types

import pytest
from pulumi.runtime import proto

from arize_pulumi.resources import _diff_display
from arize_pulumi.resources._diff_display import (
    Changed,
    InputChange,
    detailed_result,
    response_fields,
)


def test_a_result_carries_each_change_with_its_kind_and_where_its_old_value_is() -> None:
    result = detailed_result(
        [
            InputChange("sampling_rate", replaces=False, before=True, after=True),
            InputChange("project", replaces=True, before=True, after=True, from_inputs=False),
            InputChange("query_filter", replaces=False, before=False, after=True),
            InputChange("triggers", replaces=True, before=True, after=False),
        ],
        delete_before_replace=True,
    )
    assert result.changes is True and result.delete_before_replace is True
    assert isinstance(result.replaces, Changed)
    assert list(result.replaces) == ["project", "triggers"]
    assert result.replaces.detail == {
        "sampling_rate": ("UPDATE", True),
        "project": ("UPDATE_REPLACE", False),
        "query_filter": ("ADD", True),
        "triggers": ("DELETE_REPLACE", True),
    }


def test_no_change_is_no_change_and_no_replacement_order() -> None:
    result = detailed_result([], delete_before_replace=True)
    assert result.changes is False and list(result.replaces or []) == []
    assert result.delete_before_replace is None


def test_the_response_sends_the_detailed_diff() -> None:
    carried = detailed_result(
        [InputChange("max_spans", replaces=True, before=True, after=True)]
    ).replaces
    fields = response_fields({"changes": proto.DiffResponse.DIFF_SOME, "replaces": carried})
    response = proto.DiffResponse(**fields)
    assert list(response.replaces) == ["max_spans"] and list(response.diffs) == ["max_spans"]
    assert response.hasDetailedDiff is True
    detail = response.detailedDiff["max_spans"]
    assert detail.kind == proto.PropertyDiff.UPDATE_REPLACE and detail.inputDiff is True


def test_a_plain_response_is_left_as_it_is() -> None:
    fields = {"changes": proto.DiffResponse.DIFF_NONE, "replaces": []}
    assert response_fields(fields) == fields


def test_outside_the_dynamic_provider_server_nothing_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_diff_display, "_installed", False)
    assert _diff_display.install() is False
    assert _diff_display.installed() is False


def test_in_the_server_its_diff_response_sends_detailed_diffs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stand-in for ``python -m pulumi.dynamic``: the module that runs as ``__main__`` with
    its servicer class and the ``proto`` module it builds responses from."""
    server_proto = types.SimpleNamespace(DiffResponse=proto.DiffResponse)
    server = types.ModuleType("__main__")
    server.DynamicResourceProviderServicer = type("DynamicResourceProviderServicer", (), {})  # type: ignore[attr-defined]
    server.proto = server_proto  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", server)
    monkeypatch.setattr(_diff_display, "_installed", False)

    assert _diff_display.install() is True and _diff_display.installed() is True
    response_type = server_proto.DiffResponse
    assert response_type is not proto.DiffResponse
    # The server reads its constants from it, and builds responses with it.
    assert response_type.DIFF_SOME == proto.DiffResponse.DIFF_SOME
    carried = detailed_result(
        [InputChange("name", replaces=False, before=True, after=True)]
    ).replaces
    response = response_type(changes=response_type.DIFF_SOME, replaces=carried)
    assert response.hasDetailedDiff and list(response.detailedDiff) == ["name"]
