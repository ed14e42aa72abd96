# The README's two commands: `make demo` (set up + the main job), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml setup.py | cksum | cut -d' ' -f1)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export NBA_BACKFILL_DUCKDB_PATH ?= $(CURDIR)/data/warehouse.duckdb

.PHONY: install demo test ui bench clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,production]'
	rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: deploy/local/dagster.yaml
	mkdir -p $(DAGSTER_HOME) && cp $< $@

demo: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m nba_backfill.cli demo

test: install
	$(BIN)/python -m pytest -q

ui: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m nba_backfill.ui --host 127.0.0.1 --port 3000

bench: install
	$(BIN)/python benchmarks/bench_demo_data.py

clean:
	rm -rf $(VENV) data .dagster_home
