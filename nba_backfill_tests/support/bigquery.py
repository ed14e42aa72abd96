"""BigQuery warehouses on the local emulator (support/bigquery_emulator.py), each in its own
dataset-prefix sandbox (the same mechanism as production sandboxes)."""

from __future__ import annotations

import itertools

from nba_backfill.warehouse.bigquery_engine import BigQueryWarehouse
from nba_backfill_tests.support.bigquery_emulator import RunningEmulator

_sandboxes = itertools.count(1)


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
