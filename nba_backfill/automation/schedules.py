"""What runs by itself once the daemon is up (`make ui`): raw observation every morning,
the daily build sensor, the freshness-deadline sensor, the alert sensor (issue #12) and
the sensor that frees the warehouse from dead runs (issue #13).

The fixed 09:00 ``build_yesterday_daily`` schedule is gone: ``daily_build_when_ready``
builds a date when its raw data is ready instead of at an hour, and ``freshness_daily`` is
replaced by the ``freshness_deadlines`` sensor (every 30 min, deadline-aware).
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Mapping, Sequence

import dagster as dg

from nba_backfill import catalog
from nba_backfill.automation.alerts import notifier_from_env
from nba_backfill.automation.daily import daily_build_sensor
from nba_backfill.automation.dead_runs import free_dead_runs
from nba_backfill.automation.deadlines import utc_now
from nba_backfill.automation.freshness import check_keys
from nba_backfill.automation.freshness_sensor import freshness_sensor
from nba_backfill.automation.run_alerts import run_alerts_sensor
from nba_backfill.partitions import game_date_partitions

DAILY_BUILD_JOB = "daily_phase3_phase4"
FRESHNESS_JOB = "freshness_checks"


def daily_build_job(run_tags: Mapping[str, str], assets: Sequence[str]) -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        DAILY_BUILD_JOB,
        tags=dict(run_tags),
        # the tables with their gates, without the freshness checks (their sensor records them)
        selection=dg.AssetSelection.groups(*catalog.PHASE_GROUPS) - dg.AssetSelection.checks(*check_keys(assets)),
        partitions_def=game_date_partitions(),
        description="Build game dates of every Phase 3 and Phase 4 asset (with its gates): what the "
        "daily_build_when_ready sensor runs.",
    )


def freshness_job(assets: Sequence[str]) -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        FRESHNESS_JOB,
        selection=dg.AssetSelection.checks(*check_keys(assets)),
        description="Every Phase 3/4 asset's built_by_deadline check, now (the freshness_deadlines "
        "sensor evaluates them every 30 minutes without a run).",
    )


def schedules(raw_observation_job: str) -> list[dg.ScheduleDefinition]:
    """Times are US Eastern mornings: games end by ~1am ET, scrapers finish by ~8am ET."""
    return [
        dg.ScheduleDefinition(
            name="observe_raw_daily", job_name=raw_observation_job, cron_schedule="0 8 * * *",
            execution_timezone="America/New_York", default_status=dg.DefaultScheduleStatus.RUNNING,
            description="Observes the raw tables at 08:00 US/Eastern: rows per date on every raw asset "
            "(lineage, staleness). Runs by default with the daemon (`make ui`); toggle it here.",
        ),
    ]


def sensors(
    assets: Sequence[str],
    run_tags: Mapping[str, str],
    environ: Mapping[str, str],
    clock: Callable[[], dt.datetime] = utc_now,
) -> list[dg.SensorDefinition]:
    """``run_tags`` mark the warehouse, so deployments can limit runs per warehouse; the
    alert webhook is read from ``environ`` here, when definitions are built."""
    notifier = notifier_from_env(environ)
    return [
        daily_build_sensor(daily_build_job(run_tags, assets), run_tags, len(assets), clock),
        freshness_sensor(assets, notifier, clock),
        run_alerts_sensor(notifier, clock),
        free_dead_runs,
    ]
