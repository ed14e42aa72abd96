"""Shared fixtures: a real DuckDB warehouse file per test, set up with the fixed tables;
the tiny Phase 4 season (support/handmade_phase3.py) and the check chain
(support/chain.py) built once per module; one BigQuery emulator per test session
(support/bigquery_emulator.py). Helpers live in nba_backfill_tests/support/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support import bigquery_emulator, chain, handmade_phase3
from nba_backfill_tests.support.bigquery_emulator import RunningEmulator


@pytest.fixture
def warehouse(tmp_path) -> DuckDBWarehouse:
    """A fresh warehouse file with raw, processing and reference tables (all empty)."""
    built = DuckDBWarehouse(path=str(tmp_path / "warehouse.duckdb"), lock_timeout_seconds=1)
    built.setup()
    return built


# -- the tiny Phase 4 season (support/handmade_phase3.py) -------------------------------------


@pytest.fixture(scope="module")
def built_season(tmp_path_factory):
    """The default tiny season with all of Phase 4 built over days 0-30 as one range."""

    warehouse = handmade_phase3.new_warehouse(tmp_path_factory.mktemp("season"))
    frames = handmade_phase3.tiny_season()
    handmade_phase3.load(warehouse, frames)
    handmade_phase3.build_phase4(warehouse, handmade_phase3.FIRST_DAY, handmade_phase3.LAST_DAY)
    return warehouse, frames


# -- the check chain (support/chain.py) -------------------------------------------------------


@pytest.fixture(scope="module")
def chain_defs(tmp_path_factory):
    """The chain, with the pass-through SQL tree in place for the whole test module."""

    with chain.sql_tree(tmp_path_factory.mktemp("sql")):
        yield chain.Chain()


@pytest.fixture(scope="module")
def clean_template(chain_defs, tmp_path_factory) -> Path:
    """A warehouse file with the whole chain built cleanly, once per module."""

    path = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
    built = DuckDBWarehouse(path=str(path), lock_timeout_seconds=1)
    built.setup()
    chain.clean_build(chain_defs, built)
    return path


@pytest.fixture
def clean_warehouse(clean_template, tmp_path):
    """A private copy of the cleanly built warehouse (run history included)."""
    target = tmp_path / "clean.duckdb"
    shutil.copy(clean_template, target)
    return DuckDBWarehouse(path=str(target), lock_timeout_seconds=1)


# -- BigQuery (support/bigquery_emulator.py) --------------------------------------------------


@pytest.fixture(scope="session")
def bigquery_emulator_server() -> Iterator[RunningEmulator]:
    """A patched bqemulator subprocess on a free loopback port, stopped at session end.

    If the emulator cannot start, every test that needs it FAILS with the reason: a broken
    emulator must not pass as "BigQuery works"."""
    with bigquery_emulator.running_for_tests() as running:
        yield running
