"""BigQuery fixtures: one local BigQuery API emulator per test session, and warehouses on
it, each in its own dataset-prefix sandbox (the same mechanism as production sandboxes).

If the emulator cannot start, every test that needs it FAILS with the reason: a broken
emulator must not pass as "BigQuery works".
"""

from __future__ import annotations

import itertools
from typing import Iterator

import pytest

from nba_backfill.warehouse.bigquery_engine import BigQueryWarehouse
from nba_backfill_tests.warehouse import bigquery_emulator
from nba_backfill_tests.warehouse.bigquery_emulator import RunningEmulator

_sandboxes = itertools.count(1)


@pytest.fixture(scope="session")
def bigquery_emulator_server() -> Iterator[RunningEmulator]:
    """A patched bqemulator subprocess on a free loopback port, stopped at session end."""
    with bigquery_emulator.running_for_tests() as running:
        yield running


def emulator_warehouse(server: RunningEmulator, prefix: str | None = None) -> BigQueryWarehouse:
    """A warehouse on the emulator in a fresh sandbox (not set up yet)."""
    return BigQueryWarehouse(
        project=server.project,
        location="US",
        api_endpoint=server.endpoint,
        dataset_prefix=prefix or f"sandbox{next(_sandboxes)}_",
        api_retry_seconds=5,
        job_labels={"env": "test"},
    )


@pytest.fixture
def bigquery_warehouse(bigquery_emulator_server) -> BigQueryWarehouse:
    """A set-up BigQuery warehouse (datasets, raw/processing/reference tables, calendar)
    in its own sandbox on the session's emulator."""
    built = emulator_warehouse(bigquery_emulator_server)
    built.setup()
    return built
