# The few commands a contributor needs.  Each sets up .venv first when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint docs docs-check notebooks bench clean

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
	TQDM_DISABLE=1 NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# the built site in headless Chromium (tests/site): every page, link, picture and formula
docs-check: docs
	TINYGRAD_NN_SITE=site $(BIN)/python -m pytest -q tests/site

# the tutorials as notebooks (notebooks/, made from tutorials/*.py), opened in JupyterLab
notebooks: setup
	$(BIN)/pip install -q -e '.[notebooks]'
	$(BIN)/python docs/_hooks/notebooks.py notebooks
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks

bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/report.py

clean:
	rm -rf $(VENV) site runs build notebooks *.egg-info
