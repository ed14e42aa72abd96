# The README's two commands: `make demo` (set up + the main job), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What runs the product (demo, ui, bench), and what only the tests need on top of it
# (pytest, the BigQuery emulator, the browser driver, the production storage packages):
# a fresh `make demo` installs only the first.
CHECKSUM := $(shell cat pyproject.toml setup.py | cksum | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(CHECKSUM)
TEST_STAMP := $(VENV)/.installed-test-$(CHECKSUM)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export NBA_BACKFILL_DUCKDB_PATH ?= $(CURDIR)/data/warehouse.duckdb

.PHONY: install install-test demo test ui bench clean

$(RUN_STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-*; touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,production]'
	touch $@

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

$(DAGSTER_HOME)/dagster.yaml: deploy/local/dagster.yaml
	mkdir -p $(DAGSTER_HOME) && cp $< $@

demo: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m nba_backfill.cli demo

# Two workers (the reference machine's two cores; most tests wait on processes, the daemon
# or the BigQuery emulator, the others on DuckDB). A file stays on one worker, so the
# warehouses and emulator builds its module fixtures share are built once.
test: install-test
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

ui: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m nba_backfill.ui --host 127.0.0.1 --port 3000

bench: install
	$(BIN)/python benchmarks/bench_demo_data.py

clean:
	rm -rf $(VENV) data .dagster_home
