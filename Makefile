# Redline: `make demo` runs the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast test-long install services lint schema clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/redline demo

services:
	bash platform/services.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install services lint
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

# The inner loop: the pure rules and the services on SQLite only (about a minute); no services.
test-fast: install
	REDLINE_TEST_BACKENDS=sqlite $(VENV)/bin/pytest -q -n 2 --dist loadfile tests/unit tests/integration

test-long: install services
	REDLINE_LONG_TESTS=1 $(VENV)/bin/pytest -q -n 2 --dist loadfile

schema: install
	$(VENV)/bin/redline export-schema --output graphql_schema/schema.graphql

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
