"""What the tests, the benchmarks and the demo share: one way to start a sandbox (a process,
or the app in this process) and drive its control routes, and one way to run a stack.

Import it as ``tests.support`` from the repository root (pytest puts the root on the path;
``python -m scripts.demo`` and ``python -m bench.run_all`` start there).
"""
