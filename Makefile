# floe — set-up, demo and tests. `make demo` and `make test` work on a fresh machine
# with Python 3.11 and make; every step skips what is already installed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup setup-python setup-system setup-node demo dev test lint unit schema bench clean

setup: setup-python setup-system setup-node

setup-python: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[runtime,dev]"
	touch $(STAMP)

setup-system:
	bash scripts/setup/apt.sh

setup-node:
	bash scripts/setup/node.sh

demo: setup-python
	bash scripts/demo.sh

dev: setup-python
	bash scripts/dev.sh

lint: setup-python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Each module runs on one worker: the end-to-end modules share one editor or code-server per
# module (xdist's loadgroup does not keep xdist_group marks together under pytest 9 here).
test: setup lint
	$(BIN)/python -m pytest -n 2 --dist loadfile tests

unit: setup-python
	$(BIN)/python -m pytest -n 2 tests/core tests/cli

schema: setup-python
	$(BIN)/floe schema

bench: setup-python
	bash benchmarks/lsp_setup.sh
	$(BIN)/python benchmarks/core_analysis.py
	$(BIN)/python benchmarks/lsp_latency.py
	$(BIN)/python benchmarks/runtime_load.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
