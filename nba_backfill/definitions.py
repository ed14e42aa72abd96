"""The one Definitions object. The warehouse is chosen from the environment when
definitions are loaded (not at import), so tests build their own with ``build_definitions``."""

from __future__ import annotations

import os
from typing import Mapping

import dagster as dg

from nba_backfill.assets.analytics import ANALYTICS_ASSETS
from nba_backfill.assets.analytics import SPECS as ANALYTICS_SPECS
from nba_backfill.assets.precompute import PRECOMPUTE_ASSETS
from nba_backfill.assets.precompute import SPECS as PRECOMPUTE_SPECS
from nba_backfill.assets.raw import RAW_ASSETS, RAW_GROUP
from nba_backfill.automation.freshness import freshness_checks
from nba_backfill.automation.schedules import schedules
from nba_backfill.warehouse import warehouse_from_env

OBSERVE_RAW_JOB = "observe_raw_tables"
BUILT_ASSETS = [*ANALYTICS_SPECS, *PRECOMPUTE_SPECS]


def observe_raw_job() -> dg.UnresolvedAssetJobDefinition:
    """Records, per date, which raw tables have rows (the lineage starts here)."""
    return dg.define_asset_job(
        OBSERVE_RAW_JOB,
        selection=dg.AssetSelection.groups(RAW_GROUP, include_sources=True),
        description="Observe the Phase 2 raw tables: which dates have rows in each.",
    )


def build_definitions(environ: Mapping[str, str] = os.environ) -> dg.Definitions:
    return dg.Definitions(
        assets=[*RAW_ASSETS, *ANALYTICS_ASSETS, *PRECOMPUTE_ASSETS],
        asset_checks=freshness_checks(BUILT_ASSETS),
        jobs=[observe_raw_job()],
        schedules=schedules(OBSERVE_RAW_JOB, BUILT_ASSETS),
        resources={"warehouse": warehouse_from_env(environ)},
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
