# The supported versions, in the one place the rest derives from: `make test-matrix` builds its
# cells from these lines, tests/unit/test_supported_versions.py checks the README's
# "Supported versions" table, pyproject's lower bound and the "checked on pulumi ..." notes
# at each use of Pulumi internals against them. Plain `NAME := value` lines (make reads this
# file with `include`; the test parses it).

# Python versions: unit and integration tiers on each, with both SDK pins.
MATRIX_PYTHONS := 3.11 3.12 3.13

# The `pulumi` package: the oldest release every tier passes on (pyproject's lower bound) and
# the newest release checked. The end-to-end tier runs on the lowest, with the first Python.
PULUMI_SDK_LOWEST := 3.260.0
PULUMI_SDK_NEWEST := 3.272.0
