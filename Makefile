# Two commands: `make lab` opens JupyterLab on the mock gateway, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Tests and docs always run against the embedded mock, whatever .env says.
MOCK_ENV := GATEWAY_BASE_URL= TFY_API_KEY= TFY_HOST=

.PHONY: setup lab test lint typecheck format bench docs strip clean

setup: $(STAMP)

# Reinstall whenever requirements.txt or pyproject.toml is newer than the last install.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

lab: setup
	$(PY) -m helpers.lab

test: setup typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MOCK_ENV) $(PY) -m pytest --nbmake tests notebooks

lint: setup typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The code a user copies, checked against the installed SDKs' own types (mypy; notebooks via nbqa).
typecheck: setup
	$(VENV)/bin/mypy helpers $(wildcard examples)
	$(VENV)/bin/nbqa mypy notebooks

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks: a table on stdout and bench/results.json.
bench: setup
	$(MOCK_ENV) $(PY) bench/run.py

# The executed notebooks as a static site in site/ (outputs come from the mock gateway).
docs: setup
	$(MOCK_ENV) $(PY) docs/build.py

strip: setup
	$(VENV)/bin/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) site .pytest_cache
