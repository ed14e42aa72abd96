"""Fixtures of the warehouse-fault tests (test_warehouse_faults, test_bigquery_kill,
test_exposure); their helpers are in support/warehouse_faults.py.

Fixtures here are prefixed ``wf_`` (other reliability tests share this folder).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from nba_backfill_tests.support import bigquery_emulator
from nba_backfill_tests.support.bigquery_emulator import RunningEmulator

# -- emulators ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wf_emulator() -> Iterator[RunningEmulator]:
    """An in-memory BigQuery emulator subprocess of this module's own."""
    with bigquery_emulator.running_for_tests() as running:
        yield running
