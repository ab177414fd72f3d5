# The two commands of the README: `make run` and `make test`. Both build the virtualenv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/peacetrack migrate

load: migrate
	$(BIN)/peacetrack load seeds

# Start the service on the embedded default (SQLite under var/), migrated, seeds loaded.
run: load
	$(BIN)/peacetrack serve --host 127.0.0.1 --port 8000

# The whole suite, on SQLite and on the Postgres at TEST_POSTGRES_URL (default 127.0.0.1:5432/test).
test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache
