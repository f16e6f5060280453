# spis: `make run` serves the demo registry; `make test` runs the whole suite. Needs Python 3.11+, git, make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run install test lint format check bench serve migrate demo docs clean openapi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $@

migrate: install
	mkdir -p var
	$(BIN)/spis migrate --noinput

run: migrate
	$(BIN)/spis demo --if-empty
	@echo ""
	@echo "  spis is serving at http://$(HOST):$(PORT)/  (staff editing at http://$(HOST):$(PORT)/admin/)"
	@echo "  Create a staff user with:  $(BIN)/spis createsuperuser"
	@echo ""
	SPIS_DEBUG=$${SPIS_DEBUG:-1} $(BIN)/spis runserver --noreload $(HOST):$(PORT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check spis tests bench
	$(BIN)/ruff format --check spis tests bench
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff format spis tests bench
	$(BIN)/ruff check --fix spis tests bench

check: $(TEST_STAMP)
	$(BIN)/spis check
	$(BIN)/spis makemigrations --check --dry-run

test: lint check
	$(BIN)/pytest -n 2 -p no:cacheprovider

bench: $(TEST_STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

docs: $(TEST_STAMP)
	$(BIN)/python -m spis.docs_cli > docs/cli.md

openapi: $(TEST_STAMP)
	$(BIN)/spis spectacular --file docs/openapi.yaml --validate

clean:
	rm -rf $(VENV) var/static
