"""The host each combination of connection settings gives, as Arize's official SDK computes
it: the table the unit tests check this client against (``SDK_CASES``) is run through the
SDK itself, so the two cannot drift apart unseen."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conformance.official import PYTHON, require_official_venv
from tests.unit.test_connection_settings import SDK_CASES

_SDK_SCRIPT = """
import json, os, sys
from arize.config import SDKConfiguration
from arize.regions import Region
results = []
for env, arguments in json.loads(sys.stdin.read()):
    for name in [n for n in os.environ if n.startswith("ARIZE_")]:
        del os.environ[name]
    os.environ.update(env)
    if "region" in arguments:
        arguments["region"] = Region(arguments["region"])
    try:
        results.append(SDKConfiguration(api_key="k", **arguments).api_url)
    except Exception:
        results.append("error")
print(json.dumps(results))
"""


def test_the_table_is_what_the_official_sdk_computes() -> None:
    require_official_venv()
    cases = [[env, arguments] for env, arguments, _ in SDK_CASES]
    done = subprocess.run(
        [str(PYTHON), "-c", _SDK_SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "ARIZE_LOG_ENABLE": "false"},
    )
    official = json.loads(done.stdout.strip().splitlines()[-1])
    assert official == [expected for _, _, expected in SDK_CASES]
