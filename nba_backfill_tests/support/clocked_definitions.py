"""The project's Definitions with the automation sensors on a clock the test sets
(``NBA_BACKFILL_TEST_NOW``, ISO with offset): what the daemon test loads, so that the real
daemon evaluates the real sensors on a known day of the demo season. Test code only."""

from __future__ import annotations

import datetime as dt
import os

import dagster as dg

from nba_backfill import catalog
from nba_backfill.automation.schedules import sensors
from nba_backfill.definitions import WAREHOUSE_TAG, build_definitions

NOW_ENV = "NBA_BACKFILL_TEST_NOW"


def clocked(environ=os.environ) -> dg.Definitions:
    real = build_definitions(environ)
    now = dt.datetime.fromisoformat(environ[NOW_ENV])
    return dg.Definitions(
        assets=real.assets, asset_checks=real.asset_checks, jobs=real.jobs, schedules=real.schedules,
        sensors=sensors(list(catalog.tables()), {WAREHOUSE_TAG: "duckdb"}, environ, clock=lambda: now),
        resources=real.resources, executor=real.executor,
    )


if NOW_ENV in os.environ:  # the daemon and webserver of the test load it; pytest only imports it
    defs = clocked()
