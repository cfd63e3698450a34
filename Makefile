# Every target sets up what it needs: a virtualenv in .venv with the package and its extras,
# and a Pulumi CLI (scripts/ensure-pulumi builds one into ~/.cache when none is installed).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
OFFICIAL_VENV := .venv-official
OFFICIAL_PINS := tests/conformance/requirements-official.txt
OFFICIAL_STAMP := $(OFFICIAL_VENV)/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: all venv toolchain lint typecheck test test-unit test-integration test-e2e demo bench clean
.PHONY: official-venv test-conformance
.PHONY: test-matrix test-matrix-e2e

all: test

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[sandbox,dev]'
	@touch $@

venv: $(STAMP)

# Arize's official SDK and ax CLI, pinned, in a virtualenv of their own (they pull pandas,
# pyarrow and grpcio): the conformance tests (tests/conformance) drive them against a sandbox.
$(OFFICIAL_STAMP): $(OFFICIAL_PINS)
	$(PYTHON) -m venv $(OFFICIAL_VENV)
	$(OFFICIAL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OFFICIAL_VENV)/bin/python -m pip install --quiet -r $(OFFICIAL_PINS)
	@touch $@

official-venv: $(OFFICIAL_STAMP)

toolchain: venv
	@scripts/ensure-pulumi >/dev/null

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

test: lint typecheck toolchain official-venv
	PATH="$$(scripts/ensure-pulumi):$$PATH" $(VENV)/bin/pytest $(PYTEST_ARGS)

test-unit: venv
	$(VENV)/bin/pytest tests/unit $(PYTEST_ARGS)

test-integration: venv
	$(VENV)/bin/pytest tests/integration $(PYTEST_ARGS)

test-conformance: venv official-venv
	$(VENV)/bin/pytest tests/conformance $(PYTEST_ARGS)

test-e2e: toolchain
	PATH="$$(scripts/ensure-pulumi):$$PATH" $(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

demo: toolchain
	PATH="$$(scripts/ensure-pulumi):$$PATH" $(PY) -m scripts.demo

# The plot needs matplotlib: the `bench` extra, installed for `make bench` only.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[sandbox,dev,bench]'
	@touch $@

bench: toolchain $(BENCH_STAMP)
	PATH="$$(scripts/ensure-pulumi):$$PATH" $(PY) -m bench.run_all $(BENCH_ARGS)

# The supported-versions matrix (README: Supported versions), from the pins in one file. A cell
# is a virtualenv .venv-matrix/py<python>-sdk<pulumi> with that interpreter and `pulumi` pinned;
# it is reused until pyproject.toml changes. No interpreter or package for a cell: it fails.
include tests/matrix/versions.mk
MATRIX := .venv-matrix
MATRIX_LOWEST_CELL := py$(firstword $(MATRIX_PYTHONS))-sdk$(PULUMI_SDK_LOWEST)
# The first Python with the newest SDK is `make test` itself; the matrix adds the other
# Pythons on the newest SDK, and the first Python on the lowest.
MATRIX_CELLS := $(foreach py,$(wordlist 2,9,$(MATRIX_PYTHONS)),py$(py)-sdk$(PULUMI_SDK_NEWEST)) \
	$(MATRIX_LOWEST_CELL)

$(MATRIX)/%/.installed: pyproject.toml
	@cell='$*'; py="$${cell%%-sdk*}"; py="$${py#py}"; sdk="$${cell##*-sdk}"; \
	interpreter="$$(scripts/matrix-python "$$py")"; \
	echo "matrix $$cell: $$interpreter, pulumi==$$sdk"; \
	"$$interpreter" -m venv --clear $(MATRIX)/$$cell; \
	$(MATRIX)/$$cell/bin/python -m pip install --quiet --upgrade pip; \
	$(MATRIX)/$$cell/bin/python -m pip install --quiet -e '.[sandbox,dev]' "pulumi==$$sdk"; \
	$(MATRIX)/$$cell/bin/python -c 'import sys, importlib.metadata as m; \
	got = ("%d.%d" % sys.version_info[:2], m.version("pulumi")); \
	sys.exit(None if got == (sys.argv[1], sys.argv[2]) else f"matrix cell has {got}")' "$$py" "$$sdk"
	@touch $@

.PRECIOUS: $(MATRIX)/%/.installed

matrix-%: $(MATRIX)/%/.installed
	@echo "matrix $*: unit and integration tiers"
	$(MATRIX)/$*/bin/pytest tests/unit tests/integration -p no:cacheprovider $(PYTEST_ARGS)

test-matrix-e2e: $(MATRIX)/$(MATRIX_LOWEST_CELL)/.installed toolchain
	@echo "matrix $(MATRIX_LOWEST_CELL): end-to-end tier"
	PATH="$$(scripts/ensure-pulumi):$$PATH" $(MATRIX)/$(MATRIX_LOWEST_CELL)/bin/pytest tests/e2e \
		-p no:cacheprovider $(PYTEST_ARGS)

test-matrix: $(addprefix matrix-,$(MATRIX_CELLS)) test-matrix-e2e

clean:
	rm -rf $(VENV) $(OFFICIAL_VENV) $(MATRIX) .state .pytest_cache .mypy_cache .ruff_cache
