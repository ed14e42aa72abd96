"""The one Definitions object. The warehouse is chosen from the environment when
definitions are loaded (not at import), so tests build their own with ``build_definitions``."""

from __future__ import annotations

import os
from typing import Mapping

import dagster as dg

from nba_backfill import catalog
from nba_backfill.assets.raw import RAW_ASSETS, RAW_GROUP
from nba_backfill.assets.tables import tables_asset
from nba_backfill.automation.freshness import freshness_checks, with_freshness_policies
from nba_backfill.automation.schedules import freshness_job, schedules, sensors
from nba_backfill.checks.dagster_checks import raw_checks, raw_readiness_job
from nba_backfill.warehouse import warehouse_from_env

OBSERVE_RAW_JOB = "observe_raw_tables"
WAREHOUSE_TAG = "nba_backfill/warehouse"  # deploy/production limits runs per warehouse by it


def observe_raw_job() -> dg.UnresolvedAssetJobDefinition:
    """Records, per date, which raw tables have rows (the lineage starts here)."""
    return dg.define_asset_job(
        OBSERVE_RAW_JOB,
        # without checks: Gate 0 (a blocking check on nbac_schedule) fails its run when raw
        # data is missing; it runs in raw_readiness_job and inside every build's guard
        selection=dg.AssetSelection.groups(RAW_GROUP, include_sources=True).without_checks(),
        description="Observe the Phase 2 raw tables: which dates have rows in each.",
    )


def build_definitions(environ: Mapping[str, str] = os.environ) -> dg.Definitions:
    warehouse = warehouse_from_env(environ)
    tables = catalog.tables()
    built = list(tables)
    return dg.Definitions(
        # the table build carries its checks; each table its phase's deadline (FreshnessPolicy)
        assets=[*RAW_ASSETS, with_freshness_policies(tables_asset(tables))],
        asset_checks=[*freshness_checks(built), *raw_checks()],
        jobs=[observe_raw_job(), raw_readiness_job(), freshness_job(built)],
        schedules=schedules(OBSERVE_RAW_JOB),
        sensors=sensors(built, {WAREHOUSE_TAG: warehouse.dialect}, environ),
        resources={"warehouse": warehouse},
        # every run in its own process, steps in it: a build is one step, and a process per
        # step would only add start-up time
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
