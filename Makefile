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

clean:
	rm -rf $(VENV) $(OFFICIAL_VENV) .state .pytest_cache .mypy_cache .ruff_cache
