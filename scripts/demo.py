"""`make demo` (``python -m scripts.demo`` from the repository root): start the sandbox,
`pulumi up` the root project's program, print its outputs.

State (the sandbox's SQLite file and log, and the Pulumi backend) lives in .state/, so a second
run finds the task it made and reports no change.
"""

from __future__ import annotations

import json
import sys

import yaml

from tests.support.sandbox import start_sandbox
from tests.support.stacks import REPO, LocalStack, ensure_pulumi, program_from_folder

DEMO_API_KEY = "demo-key"
RUN_SECONDS = 3.0
"""How long a run takes in the demo's sandbox: long enough to watch its progress lines."""


def main() -> int:
    bin_dir = ensure_pulumi()
    project = yaml.safe_load((REPO / "Pulumi.yaml").read_text())
    state = REPO / ".state"
    state.mkdir(exist_ok=True)
    sandbox = start_sandbox(
        db=str(state / "sandbox.db"),
        api_key=DEMO_API_KEY,
        run_duration=RUN_SECONDS,
        log_path=state / "sandbox.log",
    )
    print(f"sandbox: {sandbox.base_url} (state and request log in {state})")
    print(f"pulumi:  {bin_dir / 'pulumi'}")
    try:
        stack = LocalStack(
            project=project["name"],
            stack_name="dev",
            work_dir=state / "demo",
            program=program_from_folder(REPO / project["main"]),
            echo=True,
        )
        config = {key: str(value) for key, value in (project.get("config") or {}).items()}
        stack.set_config(
            {**config, "arize:baseUrl": sandbox.base_url}, {"arize:apiKey": DEMO_API_KEY}
        )
        result = stack.up()
        print(f"\npulumi up: {result.summary.result}")
        print("stack outputs:")
        print(json.dumps(stack.outputs(), indent=2, sort_keys=True))
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
