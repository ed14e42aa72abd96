"""One date, one verdict (SPEC §6), on the real SQL and the demo data: a raw game deleted in
the middle of a 90-day run stops that date for the tables that read the raw box score or
gamebook on the same date, and their same-date readers, and nothing else. Every other date
of the run is built and materialized downstream, Phase 4 included.

The expected refusals come from the raw data itself (the demo's own defect manifest and
the planted deletion), not from the build: the tables whose SPEC §4 inputs include the
gamebook or box score on the same date, and the tables reading those on the same date.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd
import pytest

from nba_backfill import catalog
from nba_backfill.assets.tables import tables_asset
from nba_backfill.demo.write import write_demo_data
from nba_backfill.seasons import load_calendar
from nba_backfill_tests.support.warehouse_sql import execute, query

SEASON = "2023-24"
FIRST, LAST = dt.date(2023, 10, 24), dt.date(2024, 1, 21)  # 90 in-season days
BAD = dt.date(2023, 12, 6)
# SPEC §4: same-date readers of the raw gamebook / box score, then their same-date readers
REFUSE_ON_BAD_DATES = {
    "team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
    "upcoming_player_game_context", "player_composite_factors", "player_daily_cache", "ml_feature_store_v2",
}
# read Phase 3 on earlier dates only (and the schedule): built on every date
BUILT_ON_EVERY_DATE = set(catalog.tables()) - REFUSE_ON_BAD_DATES


@pytest.fixture(scope="module")
def ninety_days(tmp_path_factory):
    from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

    warehouse = DuckDBWarehouse(path=str(tmp_path_factory.mktemp("bad") / "w.duckdb"))
    write_demo_data(warehouse, [load_calendar().by_label(SEASON)], 7)
    one_game = query(
        warehouse, "SELECT MIN(game_id) AS game_id FROM nba_raw.nbac_schedule WHERE game_date = ?", [BAD]).game_id[0]
    for table in ("nbac_gamebook_player_stats", "nbac_team_boxscore", "nbac_player_boxscores"):
        execute(warehouse, f"DELETE FROM nba_raw.{table} WHERE game_id = ?", [one_game])
    manifest = query(
        warehouse, "SELECT DISTINCT game_date FROM nba_raw.demo_defects WHERE defect_type = 'missing_raw_game' "
        "AND game_date BETWEEN ? AND ?", [FIRST, LAST])
    bad_dates = {BAD} | {pd.Timestamp(d).date() for d in manifest.game_date}
    result = dg.materialize(
        [tables_asset(catalog.tables())], resources={"warehouse": warehouse}, instance=dg.DagsterInstance.ephemeral(),
        tags={"dagster/asset_partition_range_start": FIRST.isoformat(),
              "dagster/asset_partition_range_end": LAST.isoformat()},
    )
    return warehouse, result, bad_dates


def test_the_run_succeeds_and_builds_every_other_date_downstream(ninety_days):
    warehouse, result, bad_dates = ninety_days
    assert result.success
    days = set(pd.date_range(FIRST, LAST).date)
    assert len(days) == 90 and BAD in bad_dates and len(bad_dates) < 5
    materialized: dict[str, set[dt.date]] = {}
    for event in result.get_asset_materialization_events():
        partition = dt.date.fromisoformat(event.materialization.partition)
        materialized.setdefault(event.asset_key.to_user_string(), set()).add(partition)
    for table in REFUSE_ON_BAD_DATES:
        assert materialized[table] == days - bad_dates, table
    for table in BUILT_ON_EVERY_DATE:
        assert materialized[table] == days, table

    history = query(
        warehouse, "SELECT processor_name, data_date, status FROM nba_reference.processor_run_history")
    history["data_date"] = pd.to_datetime(history.data_date).dt.date
    for table in catalog.tables():
        mine = history[history.processor_name == table]
        expected_skipped = bad_dates if table in REFUSE_ON_BAD_DATES else set()
        assert set(mine[mine.status == "skipped"].data_date) == expected_skipped, table
        assert set(mine[mine.status == "success"].data_date) == days - expected_skipped, table


def test_phase4_rows_exist_after_the_bad_date(ninety_days):
    """The dates that read the bad date through a lookback are built (their windows report
    the hole per entity), so the feature store is there the day after."""
    warehouse, _, _ = ninety_days
    after = BAD + dt.timedelta(days=1)
    rows = query(
        warehouse, "SELECT COUNT(*) AS n FROM nba_predictions.ml_feature_store_v2 WHERE game_date = ?", [after]).n[0]
    games = query(
        warehouse, "SELECT COUNT(*) AS n FROM nba_raw.nbac_schedule WHERE game_date = ? AND game_status = 3", [after]).n[0]
    assert games > 0 and rows > 0
    on_bad = query(
        warehouse, "SELECT COUNT(*) AS n FROM nba_predictions.ml_feature_store_v2 WHERE game_date = ?", [BAD]).n[0]
    assert on_bad == 0  # refused: never built from a half-missing date
