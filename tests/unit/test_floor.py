"""The benchmark floors: no-op providers must really be no-ops, or the ratios mean nothing."""

from __future__ import annotations

import json

from pulumi.dynamic import Config, ConfigureRequest

from bench.floor import MIRROR_OUTPUTS_KEY, MirrorProvider, NoopProvider

RECORDED = {"task_id": "T1", "name": "bench-task-0", "evaluators": [{"evaluator_id": "E1"}]}
INPUTS = {"__provider": "p", "resource_name": "bench-mirror-3", "type": "template_evaluation"}


def configured_mirror() -> MirrorProvider:
    provider = MirrorProvider()
    config = Config(raw_config={MIRROR_OUTPUTS_KEY: json.dumps(RECORDED)}, project_name="bench")
    provider.configure(ConfigureRequest(config))
    return provider


def test_a_mirror_ends_with_the_recorded_outputs_and_its_own_declaration() -> None:
    created = configured_mirror().create(dict(INPUTS))
    assert created.id == "mirror-bench-mirror-3"
    assert created.outs == RECORDED | {
        "declared": {"resource_name": "bench-mirror-3", "type": "template_evaluation"}
    }


def test_an_unchanged_mirror_diffs_clean_and_a_changed_one_does_not() -> None:
    provider = configured_mirror()
    outputs = provider.create(dict(INPUTS)).outs
    assert outputs is not None
    assert provider.diff("id", outputs, dict(INPUTS)).changes is False
    assert provider.diff("id", outputs, INPUTS | {"type": "code_evaluation"}).changes is True


def test_noop_echoes_its_inputs() -> None:
    created = NoopProvider().create({"name": "n"})
    assert (created.id, created.outs) == ("noop-n", {"name": "n"})
