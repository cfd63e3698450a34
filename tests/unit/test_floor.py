"""The benchmark floors: no-op providers must really be no-ops, or the ratios mean nothing."""

from __future__ import annotations

import json

from pulumi.dynamic import Config, ConfigureRequest

from bench.floor import MIRROR_OUTPUTS_KEY, MirrorProvider, NoopProvider

RECORDED = {"created_at": "2026-12-01T00:00:00.000Z", "space_id": "S1", "__written": "0" * 16}
INPUTS = {"__provider": "p", "__name": "bench-mirror-3", "type": "template_evaluation"}


def configured_mirror() -> MirrorProvider:
    provider = MirrorProvider()
    config = Config(raw_config={MIRROR_OUTPUTS_KEY: json.dumps(RECORDED)}, project_name="bench")
    provider.configure(ConfigureRequest(config))
    return provider


def test_a_mirror_ends_with_exactly_the_recorded_outputs() -> None:
    created = configured_mirror().create(dict(INPUTS))
    assert created.id == "mirror-bench-mirror-3"
    assert created.outs == RECORDED


def test_a_mirror_previews_clean() -> None:
    provider = configured_mirror()
    outputs = provider.create(dict(INPUTS)).outs
    assert outputs is not None
    diff = provider.diff("id", outputs, dict(INPUTS))
    assert (diff.changes, diff.replaces) == (False, [])


def test_noop_echoes_its_inputs() -> None:
    created = NoopProvider().create({"name": "n"})
    assert (created.id, created.outs) == ("noop-n", {"name": "n"})
