# Two commands: `make lab` opens JupyterLab on the mock gateway, `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Tests and docs always run against the embedded mock, whatever .env says.
MOCK_ENV := GATEWAY_BASE_URL= TFY_API_KEY= TFY_HOST=

.PHONY: setup lab test test-pythons lint format bench docs strip clean

setup: $(STAMP)

# A new .venv is made with PYTHON when given, else python3 when pyproject.toml's requires-python
# admits it, else the newest python3.X on PATH that does; with none, one line says what to do.
# An existing .venv made with an unsupported Python (an older checkout allowed 3.10) is refused.
find_python = $(eval FOUND := $(shell PYTHON="$(1)" scripts/find_python.sh))$(if \
	$(filter-out 0,$(.SHELLSTATUS)),$(error $(FOUND)))
new_venv = $(call find_python,$(PYTHON))$(FOUND) -m venv $(VENV)

# Reinstall whenever requirements.txt or pyproject.toml is newer than the last install.
$(STAMP): requirements.txt pyproject.toml
	$(if $(wildcard $(PY)),$(call find_python,$(PY)),$(new_venv))
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

lab: setup
	$(PY) -m helpers.lab

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MOCK_ENV) $(PY) -m pytest --nbmake tests notebooks

# The suite (notebooks included) under every supported Python found here, each in .venvs/.
test-pythons:
	@scripts/test_pythons.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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
	rm -rf $(VENV) .venvs site .pytest_cache
