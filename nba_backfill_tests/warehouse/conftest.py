"""BigQuery fixtures: warehouses on the session's local BigQuery API emulator (the
``bigquery_emulator_server`` fixture, in nba_backfill_tests/conftest.py), each in its own
dataset-prefix sandbox (the same mechanism as production sandboxes; support/bigquery.py).

If the emulator cannot start, every test that needs it FAILS with the reason: a broken
emulator must not pass as "BigQuery works".
"""

from __future__ import annotations

import pytest

from nba_backfill.warehouse.bigquery_engine import BigQueryWarehouse
from nba_backfill_tests.support.bigquery import emulator_warehouse


@pytest.fixture
def bigquery_warehouse(bigquery_emulator_server) -> BigQueryWarehouse:
    """A set-up BigQuery warehouse (datasets, raw/processing/reference tables, calendar)
    in its own sandbox on the session's emulator."""
    built = emulator_warehouse(bigquery_emulator_server)
    built.setup()
    return built
