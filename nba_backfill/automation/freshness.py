"""Freshness checks: is each Phase 3/4 asset built through the newest final game?

One check per asset, evaluated where the data is (the schedule and the run history), run
by a daily schedule, so the UI says when the current season falls behind and by how much.
Dagster's own FreshnessPolicy is not partition-aware, and its partition-aware builder is
superseded; the question operators ask is "are the game dates built?", which this answers.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from nba_backfill.warehouse import Warehouse

CHECK_NAME = "built_through_latest_game"
FRESHNESS_SQL = "checks/freshness.sql"


def evaluate(warehouse: Warehouse, asset: str, today: dt.date) -> dg.AssetCheckResult:
    """built_through is the newest date up to the newest final game whose newest run
    succeeded (sql/checks/freshness.sql says why), so it never passes that game and
    days_behind is never negative."""
    row = warehouse.query(FRESHNESS_SQL, {"processor_name": asset, "today": today}).iloc[0]
    latest, built = row.latest_final_game_date, row.built_through
    if pd.isna(latest):
        return dg.AssetCheckResult(passed=True, metadata={"note": "no final games in the schedule yet"})
    latest = pd.Timestamp(latest).date()
    built = None if pd.isna(built) else pd.Timestamp(built).date()
    if built is not None and built > latest:  # the SQL never lets this happen; never report it
        built = latest
    behind = built is None or built < latest
    metadata = {
        "latest_final_game_date": latest.isoformat(),
        "built_through": built.isoformat() if built else "never built",
        "days_behind": (latest - built).days if built else None,  # >= 0; None: never built
    }
    if behind:
        start = (built + dt.timedelta(days=1)) if built else latest
        metadata["fix"] = f"nba-backfill backfill --start {start} --end {latest} --select {asset}"
    return dg.AssetCheckResult(passed=not behind, severity=dg.AssetCheckSeverity.WARN, metadata=metadata)


def freshness_check(asset: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset,
        name=CHECK_NAME,
        description="Warns when this asset is not built through the newest final game in the schedule.",
        required_resource_keys={"warehouse"},
        blocking=False,
    )
    def _check(context) -> dg.AssetCheckResult:
        return evaluate(context.resources.warehouse, asset, dt.date.today())

    return _check


def freshness_checks(assets: list[str]) -> list[dg.AssetChecksDefinition]:
    return [freshness_check(asset) for asset in assets]
