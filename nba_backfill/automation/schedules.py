"""What runs by itself once the daemon is up (`make ui`): raw observation, the daily build
of yesterday's partition, and the freshness checks."""

from __future__ import annotations

import dagster as dg

from nba_backfill.automation.freshness import CHECK_NAME
from nba_backfill.partitions import game_date_partitions

DAILY_BUILD_JOB = "daily_phase3_phase4"
FRESHNESS_JOB = "freshness_checks"
PHASE_GROUPS = ("analytics", "precompute")


def daily_build_job(run_tags: dict[str, str]) -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        DAILY_BUILD_JOB,
        tags=run_tags,
        selection=dg.AssetSelection.groups(*PHASE_GROUPS),
        partitions_def=game_date_partitions(),
        description="Build one game date of every Phase 3 and Phase 4 asset (with its checks).",
    )


def freshness_job(assets: list[str]) -> dg.UnresolvedAssetJobDefinition:
    keys = [dg.AssetCheckKey(dg.AssetKey(a), CHECK_NAME) for a in assets]
    return dg.define_asset_job(
        FRESHNESS_JOB,
        selection=dg.AssetSelection.checks(*keys),
        description="Is every Phase 3/4 asset built through the newest final game?",
    )


def schedules(
    raw_observation_job: str, assets: list[str], run_tags: dict[str, str]
) -> list[dg.ScheduleDefinition]:
    """Times are US Eastern mornings: games end by ~1am ET, scrapers finish by ~8am ET.
    ``run_tags`` mark the warehouse, so deployments can limit runs per warehouse."""
    return [
        dg.ScheduleDefinition(
            name="observe_raw_daily", job_name=raw_observation_job, cron_schedule="0 8 * * *",
            execution_timezone="America/New_York", default_status=dg.DefaultScheduleStatus.RUNNING,
        ),
        dg.build_schedule_from_partitioned_job(
            daily_build_job(run_tags), name="build_yesterday_daily", hour_of_day=9,
            default_status=dg.DefaultScheduleStatus.STOPPED,  # turn on where raw data arrives daily
        ),
        dg.ScheduleDefinition(
            name="freshness_daily", job=freshness_job(assets), cron_schedule="0 11 * * *",
            execution_timezone="America/New_York", default_status=dg.DefaultScheduleStatus.RUNNING,
        ),
    ]
