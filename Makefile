# Two commands: `make lab` opens JupyterLab on the mock gateway, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py

# Tests and docs always run against the embedded mock, whatever .env says.
MOCK_ENV := GATEWAY_BASE_URL= TFY_API_KEY= TFY_HOST=

.PHONY: setup lab test lint format bench docs strip clean

setup: $(STAMP) $(KERNEL_CONFIG)

# Reinstall whenever requirements.txt or pyproject.toml is newer than the last install.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# This venv's kernels load it: they hide one warning (see helpers/kernel_logging.py).
$(KERNEL_CONFIG): $(STAMP)
	@mkdir -p $(dir $@)
	@echo "import helpers.kernel_logging  # noqa: F401" > $@

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

# The executed notebooks as a static site in site/ (outputs come from the mock gateway).
docs: setup
	$(MOCK_ENV) $(PY) docs/build.py

strip: setup
	$(VENV)/bin/nbstripout notebooks/*.ipynb

clean:
	rm -rf $(VENV) site .pytest_cache
