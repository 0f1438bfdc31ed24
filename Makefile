# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
PYTEST_ARGS ?= -n 2  # two workers: the suite (browser tests included) fits the 2-core budget

.PHONY: run test test-fast lint setup db bench clean help

help:
	@echo "make run    set up .venv, build data/factory.duckdb, serve http://localhost:8501"
	@echo "make test   set up .venv and run the whole test suite (browser tests need /usr/bin/chromium)"
	@echo "make lint   ruff check and ruff format --check over the tree"
	@echo "make test-fast  everything but browser, server and slow tests, with its time"
	@echo "make bench  run the benchmarks under bench/ and print their figures"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + "); set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

db: setup
	$(PY) -m factorycore build

run: db
	$(PY) -m ui.launch

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup
	@start=$$(date +%s); $(PY) -m pytest $(PYTEST_ARGS) -m "not browser and not slow and not server"; rc=$$?; echo "test-fast: $$(( $$(date +%s) - start )) s"; exit $$rc

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) data/factory.duckdb data/factory.duckdb.wal .pytest_cache .hypothesis
