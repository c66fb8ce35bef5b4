# The few commands a contributor needs.  Each sets up .venv first when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint docs bench clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/tinygrad-nn train

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

docs: setup
	$(BIN)/pip install -q -e '.[docs]'
	TQDM_DISABLE=1 $(BIN)/mkdocs build --strict

bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/report.py

clean:
	rm -rf $(VENV) site runs build *.egg-info
