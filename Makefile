# The two commands of the README: `make run` and `make test`. Each builds the virtualenv it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test migrate load bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.runtime
install-test: $(VENV)/.test

migrate: install
	$(BIN)/peacetrack migrate

load: migrate
	$(BIN)/peacetrack load seeds

# Start the service on the embedded default (SQLite under var/), migrated, seeds loaded.
run: load
	$(BIN)/peacetrack serve --host 127.0.0.1 --port 8000

# The whole suite, on SQLite and on the Postgres at TEST_POSTGRES_URL (default 127.0.0.1:5432/test).
test: install-test
	$(BIN)/python -m pytest

# Throughput and memory of extraction and loading (see bench/README.md).
bench: install-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
