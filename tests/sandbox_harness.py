"""The names the tests outside ``tests/support`` still import from here; new code imports
``tests.support.sandbox`` and ``tests.support.api``."""

from tests.support.api import (
    PROBLEM_TITLES,
    assert_problem,
    dataset_task,
    evaluation_task,
    run_experiment_task,
)
from tests.support.control import SandboxError
from tests.support.sandbox import Sandbox, start_sandbox

__all__ = [
    "PROBLEM_TITLES",
    "Sandbox",
    "SandboxError",
    "assert_problem",
    "dataset_task",
    "evaluation_task",
    "run_experiment_task",
    "start_sandbox",
]
