# Two commands: `make lab` opens JupyterLab on the mock gateway, `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py

# Tests and docs always run against the embedded mock, whatever .env says.
MOCK_ENV := GATEWAY_BASE_URL= TFY_API_KEY= TFY_HOST=
# Tests run on every core, at most 4 (pytest-xdist): much of a test is waiting (sockets,
# subprocesses), and each worker loads the speech models (about 1 GB).
WORKERS := $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
PARALLEL ?= -n $(WORKERS) --dist worksteal

.PHONY: setup lab test test-fast test-pythons lint typecheck format bench docs docs-serve strip clean mock probe

setup: $(STAMP) $(KERNEL_CONFIG)

# A new .venv is made with PYTHON when given, else python3 when pyproject.toml's requires-python
# admits it, else the newest python3.X on PATH that does; with none, one line says what to do.
# An existing .venv made with an unsupported Python (an older checkout allowed 3.10) is refused.
find_python = $(eval FOUND := $(shell PYTHON="$(1)" .ci/find_python.sh))$(if \
	$(filter-out 0,$(.SHELLSTATUS)),$(error $(FOUND)))
new_venv = $(call find_python,$(PYTHON))$(FOUND) -m venv $(VENV)

# Reinstall whenever requirements.txt or pyproject.toml is newer than the last install.
$(STAMP): requirements.txt pyproject.toml
	$(if $(wildcard $(PY)),$(call find_python,$(PY)),$(new_venv))
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# This venv's kernels load it: they hide one warning (see helpers/kernel_logging.py).
$(KERNEL_CONFIG): $(STAMP)
	@mkdir -p $(dir $@)
	@echo "import helpers.kernel_logging  # noqa: F401" > $@

lab: setup
	$(PY) -m helpers.lab

# The mock gateway alone, on a fixed loopback port, for the scripts in examples/ (Ctrl-C stops it).
MOCK_PORT ?= 8790
mock: setup
	@echo "In another terminal, point the examples at this mock gateway:"
	@echo "  export GATEWAY_BASE_URL=http://127.0.0.1:$(MOCK_PORT)"
	@echo "  export TFY_API_KEY=tfy-mock-learner-key"
	@$(PY) -m helpers.mock_gateway --port $(MOCK_PORT)

# Every notebook is executed once (nbmake, with a canary key), into a temporary folder beside
# notebooks/; the tests then read those executed copies from GUIDE_EXECUTED_NOTEBOOKS. The mock
# they share answers under /api/llm, as older and self-hosted gateways do: code that dropped the
# path of GATEWAY_BASE_URL would fail there (the plain URL is the one `make lab` uses).
NOTEBOOK_BASE_PATH := /api/llm
test: lint
	@executed=$$(mktemp -d "$(CURDIR)/.executed-notebooks.XXXXXX"); \
	trap 'rm -rf "$$executed"' EXIT; \
	cp notebooks/[0-9][0-9]_*.ipynb notebooks/_template.ipynb "$$executed"/ && \
	canary=$$($(PY) tests/notebooks/canary.py "$$executed") || exit 1; \
	$(MOCK_ENV) TFY_API_KEY="$$canary" MOCK_GATEWAY_REGISTRY="$$executed/canary-registry.yaml" \
		MOCK_GATEWAY_BASE_PATH=$(NOTEBOOK_BASE_PATH) $(PY) -m pytest --nbmake --overwrite -p no:cacheprovider $(PARALLEL) \
		--junitxml="$$executed/nbmake.xml" -o junit_logging=all "$$executed"; \
	notebooks=$$?; \
	$(MOCK_ENV) GUIDE_EXECUTED_NOTEBOOKS="$$executed" $(PY) -m pytest $(PARALLEL) tests; \
	tests=$$?; \
	exit $$(( notebooks || tests ))

# The quick loop while coding: no notebook execution, no browser (under a minute).
test-fast: setup
	$(MOCK_ENV) $(PY) -m pytest $(PARALLEL) tests -m "not slow and not browser"

# The suite (notebooks included) under every supported Python found here, each in .venvs/.
test-pythons:
	@.ci/test_pythons.sh

lint: setup typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The code a user copies, checked against the installed SDKs' own types (mypy; notebooks via nbqa).
# The two checks run side by side, each with its own cache: their options differ (see
# pyproject.toml), and a shared cache would be rebuilt by each in turn.
MYPY_CACHE := .mypy_cache
typecheck: setup
	MYPY_CACHE_DIR=$(MYPY_CACHE)/code $(VENV)/bin/mypy helpers $(wildcard examples) & code=$$!; \
	MYPY_CACHE_DIR=$(MYPY_CACHE)/notebooks $(VENV)/bin/nbqa mypy notebooks; notebooks=$$?; \
	wait $$code; code=$$?; exit $$(( code || notebooks ))

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Settle the mock's guesses on the gateway in .env: a table, and probe-report.json (no secret).
probe: setup
	$(PY) -m helpers.probe

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
	rm -rf $(VENV) .venvs site .pytest_cache
