# One command each: `make run` installs and starts the web app, `make test` installs and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install install-dev run test lint eval bench load soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

run: install
	$(BIN)/python app.py

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: install
	$(BIN)/python -m evals run evals/suites/dev.jsonl --out artifacts/results.json --report artifacts/report.html

bench: install-dev
	$(BIN)/python -m benchmarks.retrieval --out docs/benchmarks.md

load: install-dev
	$(BIN)/python -m benchmarks.load load --out docs/benchmarks.md

soak: install-dev
	$(BIN)/python -m benchmarks.load soak --out docs/benchmarks.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
