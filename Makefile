# Two commands: `make lab` opens JupyterLab on the mock gateway, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Tests and docs always run against the embedded mock, whatever .env says.
MOCK_ENV := GATEWAY_BASE_URL= TFY_API_KEY= TFY_HOST=

.PHONY: setup lab test lint format bench docs docs-serve strip clean

setup: $(STAMP)

# Reinstall whenever requirements.txt or pyproject.toml is newer than the last install.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

lab: setup
	$(PY) -m helpers.lab

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MOCK_ENV) $(PY) -m pytest --nbmake tests notebooks

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks: a table on stdout and bench/results.json.
bench: setup
	$(MOCK_ENV) $(PY) bench/run.py

# The guide as a static site in site/ (mkdocs-material): the README, then the notebooks executed
# once against the mock (or taken from $GUIDE_EXECUTED_NOTEBOOKS). docs-serve: live reload on
# 127.0.0.1:$(DOCS_PORT) (rerun it after editing a notebook or the README).
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
DOCS_PORT ?= 8000

docs: setup
	$(MOCK_ENV) $(PY) docs/prepare.py
	$(MKDOCS) build --quiet -f docs/mkdocs.yml
	@echo "site/ built ($$(du -sh site | cut -f1)): make docs-serve, or serve site/ on 127.0.0.1"

docs-serve: setup
	$(MOCK_ENV) $(PY) docs/prepare.py
	$(MKDOCS) serve --livereload -a 127.0.0.1:$(DOCS_PORT) -f docs/mkdocs.yml

strip: setup
	$(VENV)/bin/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) site .pytest_cache
