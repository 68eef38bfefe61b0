# Redline: `make demo` runs the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

FRONTEND := frontend_build
NPM_STAMP := $(FRONTEND)/node_modules/.installed

.PHONY: demo test test-fast test-long install services lint schema schema-changes clean frontend \
	frontend-test

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The frontend's packages, exactly as the lockfile says; Node.js 20.19+ and npm must be there.
$(NPM_STAMP): $(FRONTEND)/package-lock.json
	@bash platform/check-node.sh
	npm --prefix $(FRONTEND) ci --no-audit --no-fund --loglevel=error
	touch $@

# Built into frontend_build/dist, which Flask serves at /; fails when src/gql is stale.
frontend: $(NPM_STAMP)
	npm --prefix $(FRONTEND) run build

demo: install frontend
	$(VENV)/bin/redline demo

services:
	bash platform/services.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install services lint frontend
	$(VENV)/bin/pytest -q -n 2 --dist loadfile --durations=25
	$(MAKE) frontend-test

# The frontend's unit tests (Vitest), then the screens in Debian's Chromium against a fresh demo
# (Playwright); screenshots of every screen land in frontend_build/screens/.
frontend-test: $(NPM_STAMP)
	npm --prefix $(FRONTEND) test
	npm --prefix $(FRONTEND) run e2e

# The inner loop: the pure rules and the services on SQLite only (about a minute); no services.
test-fast: install
	REDLINE_TEST_BACKENDS=sqlite $(VENV)/bin/pytest -q -n 2 --dist loadfile tests/unit tests/integration

# Every test with the big budgets of REDLINE_LONG_TESTS=1: more engine properties, writers'
# rounds, generated isolation worlds (tests/security) and fuzzed GraphQL cases per operation.
test-long: install services
	REDLINE_LONG_TESTS=1 $(VENV)/bin/pytest -q -n 2 --dist loadfile

# Rewrites the committed schema; `make schema-changes` then shows what changed since the released
# contract (graphql_schema/released.graphql), to list in graphql_schema/CHANGELOG.md.
schema: install
	$(VENV)/bin/redline export-schema --output graphql_schema/schema.graphql

# Breaking, dangerous and safe changes since the release; fails on an unacknowledged breaking one.
schema-changes: install
	$(VENV)/bin/redline schema-changes

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis $(FRONTEND)/node_modules \
		$(FRONTEND)/dist $(FRONTEND)/test-results $(FRONTEND)/screens
