"""Every check and report SQL file gives the same rows, and every check the same verdict
per date, on DuckDB and on BigQuery (the local emulator).

Both warehouses get the league's raw rows (one raw game missing), a few play-by-play
shots and failure rows; the ten Phase 3/4 tables are then built on both engines from
small SQL files derived from the staging views (a temporary sql/ tree), with holes and
NULLs planted so that gates, contamination and failure-rate checks have dates to fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from nba_backfill.assets import run_history
from nba_backfill.assets.sql_asset import build_range
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import Outcome, run_check
from nba_backfill.checks.registry import all_checks
from nba_backfill.warehouse import sql
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support import league
from nba_backfill_tests.support.bigquery import emulator_warehouse
from nba_backfill_tests.support.league import FIRST, LAST, d, game_id
from nba_backfill_tests.support.specs import scratch_spec
from nba_backfill_tests.support.sql_tree import sql_tree

SIDES = """(
  SELECT game_id, game_date, home_team_abbr AS team_abbr, away_team_abbr AS opponent_team_abbr
  FROM nba_analytics.stg_schedule WHERE is_final
  UNION ALL
  SELECT game_id, game_date, away_team_abbr, home_team_abbr FROM nba_analytics.stg_schedule WHERE is_final
)"""
PLAYERS = f"""(
  SELECT g.game_id, g.game_date, g.player_lookup, g.team_abbr, s.opponent_team_abbr,
    g.player_status = 'active' AS is_active, COALESCE(g.minutes_played, 0.0) AS minutes_played,
    DATE_DIFF(g.game_date, DATE '2023-10-24', DAY) AS day_index
  FROM nba_analytics.stg_gamebook AS g
  JOIN {SIDES} AS s ON s.game_id = g.game_id AND s.team_abbr = g.team_abbr
)"""
TEAMS = f"(SELECT *, DATE_DIFF(game_date, DATE '2023-10-24', DAY) AS day_index FROM {SIDES})"
TDZA_GAP = "(game_date = DATE '2023-11-13' AND team_abbr IN ('AAA', 'BBB'))"
PSZA_GAP = ("((game_date = DATE '2023-11-13' AND team_abbr = 'BBB') "
            "OR (game_date = DATE '2023-11-08' AND team_abbr = 'AAA'))")
SOURCES = {  # name: (group, dataset, date column, SELECT)
    "team_offense_game_summary": ("analytics", "nba_analytics", "game_date",
        f"SELECT * FROM {SIDES} WHERE NOT (game_date = DATE '2023-11-13' AND team_abbr = 'AAA')"),
    "team_defense_game_summary": ("analytics", "nba_analytics", "game_date",
        f"SELECT game_id, game_date, team_abbr AS defending_team_abbr, opponent_team_abbr, "
        f"CAST(IF(game_date = DATE '2023-11-07' AND team_abbr IN ('CCC', 'DDD'), 0, 30) AS INT64) AS opp_paint_attempts, "
        f"CAST(20 AS INT64) AS opp_mid_range_attempts, CAST(34 AS INT64) AS opp_three_pt_attempts FROM {SIDES}"),
    "player_game_summary": ("analytics", "nba_analytics", "game_date",
        f"SELECT game_id, game_date, player_lookup, team_abbr, is_active, minutes_played FROM {PLAYERS}"),
    "upcoming_player_game_context": ("analytics", "nba_analytics", "game_date",
        f"SELECT game_id, game_date, player_lookup, team_abbr, opponent_team_abbr FROM {PLAYERS} "
        f"WHERE player_lookup != 'bbbsix'"),
    "upcoming_team_game_context": ("analytics", "nba_analytics", "game_date", f"SELECT * FROM {SIDES}"),
    # 11-13: AAA and BBB say no window game had zone data; BBB's window (from 11-07) has
    # no play-by-play (a source gap), AAA's holds 11-07 AAA@CCC, which has (contamination)
    "team_defense_zone_analysis": ("precompute", "nba_precompute", "analysis_date",
        f"SELECT game_date AS analysis_date, team_abbr, DATE '2023-11-07' AS window_start_date, "
        f"CAST(4 AS INT64) AS games_in_sample, "
        f"CAST(IF({TDZA_GAP}, 4, 0) AS INT64) AS games_without_shot_zones, "
        f"IF(game_date = DATE '2023-11-11' OR {TDZA_GAP}, CAST(NULL AS FLOAT64), 1.5) AS paint_defense_vs_league_avg, "
        f"-0.5 AS mid_range_defense_vs_league_avg, 0.25 AS three_pt_defense_vs_league_avg "
        f"FROM {TEAMS} WHERE day_index >= 14 AND team_abbr != 'DDD'"),
    # BBB's players on 11-13 (window from 11-07, no play-by-play: source gaps) and AAA's on
    # 11-08 (window = 11-07 AAA@CCC, which has play-by-play: contamination) say a window
    # game lacked zones
    "player_shot_zone_analysis": ("precompute", "nba_precompute", "analysis_date",
        f"SELECT game_date AS analysis_date, player_lookup, DATE '2023-11-07' AS window_start_date, "
        f"IF({PSZA_GAP}, CAST(NULL AS FLOAT64), 0.4) AS paint_rate_last_10, "
        f"CAST(IF({PSZA_GAP}, 1, 0) AS INT64) AS games_without_shot_zones_10, "
        f"CAST(IF(player_lookup = 'cccone', 0, 5) AS INT64) AS games_in_sample_10 FROM {PLAYERS} WHERE day_index >= 14"),
    "player_composite_factors": ("precompute", "nba_precompute", "game_date",
        f"SELECT game_date, game_id, player_lookup, 0.5 AS shot_zone_mismatch_score FROM {PLAYERS} "
        f"WHERE day_index >= 14 AND NOT (game_date = DATE '2023-11-10' AND team_abbr = 'CCC')"),
    "player_daily_cache": ("precompute", "nba_precompute", "cache_date",
        f"SELECT game_date AS cache_date, player_lookup, 12.5 AS points_avg_season, "
        f"CAST(3 AS INT64) AS games_played_season FROM {PLAYERS} WHERE day_index >= 14"),
    "ml_feature_store_v2": ("precompute", "nba_predictions", "game_date",
        f"SELECT game_date, player_lookup, 'gold' AS quality_tier, "
        f"IF(opponent_team_abbr = 'DDD', "
        f"ARRAY_CONCAT(ARRAY(SELECT 'phase4' FROM UNNEST(GENERATE_ARRAY(0, 12))), ['default'], "
        f"ARRAY(SELECT 'phase4' FROM UNNEST(GENERATE_ARRAY(14, 24)))), "
        f"ARRAY(SELECT 'phase4' FROM UNNEST(GENERATE_ARRAY(0, 24)))) AS feature_sources "
        f"FROM {PLAYERS} WHERE day_index >= 14"),
}  # fmt: skip
X = game_id(d("2023-11-08"), "CCC", "DDD")


def _spec(name: str) -> TableSpec:
    group, dataset, column, _ = SOURCES[name]
    return scratch_spec(name, dataset, group, "test", column, description="derived for the parity test")


def _failures() -> pd.DataFrame:
    return pd.DataFrame({
        "processor_name": ["player_shot_zone_analysis"] * 3 + ["team_defense_zone_analysis", "player_daily_cache"],
        "run_id": "test",
        "analysis_date": [d("2023-11-10")] * 3 + [d("2023-11-10"), d("2023-11-11")],
        "entity_id": ["zzzone", "zzztwo", "DATE_LEVEL", "DDD", "DATE_LEVEL"],
        "failure_category": ["INSUFFICIENT_DATA", "INCOMPLETE_DATA", "MISSING_DEPENDENCY", "INSUFFICIENT_DATA",
                             "PROCESSING_ERROR"],
    })


def _shots() -> pd.DataFrame:
    gid = game_id(d("2023-11-07"), "AAA", "CCC")
    return pd.DataFrame([
        {"game_id": gid, "game_date": d("2023-11-07"), "event_id": i, "period": 1, "event_type": "shot",
         "shot_made": True, "shot_type": "2PT", "shot_distance": 4.0, "player_1_lookup": "aaaone",
         "player_1_team_abbr": team, "processed_at": pd.Timestamp("2023-11-08", tz="UTC")}
        for i, team in enumerate(["AAA", "CCC"])
    ])


def _history() -> pd.DataFrame:
    spec = _spec("team_offense_game_summary")
    started = dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone.utc)
    return run_history.rows(spec, "run-1", True, [d("2023-11-07"), d("2023-11-08")], started, 2.0)


@pytest.fixture(scope="module")
def engines(tmp_path_factory, bigquery_emulator_server):
    root = tmp_path_factory.mktemp("derived_sql")
    with sql_tree(root, {name: select for name, (_, _, _, select) in SOURCES.items()}):
        duck = DuckDBWarehouse(path=str(tmp_path_factory.mktemp("duck") / "w.duckdb"))
        bq = emulator_warehouse(bigquery_emulator_server)
        for warehouse in (duck, bq):
            warehouse.setup()
            league.load_raw(warehouse, league.raw_frames(missing_games=[X]))
            warehouse.load_frames({
                "nba_raw.bigdataball_play_by_play": _shots(),
                "nba_reference.processor_run_history": _history(),
            })
            for name in SOURCES:
                build_range(_spec(name), warehouse, FIRST, LAST, "parity")
            # after the builds, which replace each table's failure rows (here: with none)
            warehouse.load_dataframe("nba_processing.precompute_failures", _failures())
        yield duck, bq


def _normal(frame: pd.DataFrame) -> list[tuple]:
    def plain(value):
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.date() if value == value.normalize() and value.tzinfo is None else value.isoformat()
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if hasattr(value, "item"):
            return value.item()
        return value

    rows = [tuple(plain(v) for v in row) for row in frame.itertuples(index=False)]
    return sorted(rows, key=repr)


CHECKS = all_checks()
CHECK_BY_KEY = {c.key: c for c in CHECKS}
REPORT_FILES = sorted(
    p.relative_to(sql.SQL_DIR).as_posix() for p in (Path(sql.SQL_DIR) / "reports").glob("*.sql")
    if p.name in {"schedule_days.sql", "run_history_latest.sql", "run_history_summary.sql",
                  "failures_by_category.sql", "demo_defects.sql"}
)


@pytest.mark.parametrize("key", list(CHECK_BY_KEY))
def test_every_check_query_gives_the_same_rows_on_both_engines(engines, key):
    duck, bq = engines
    check = CHECK_BY_KEY[key]
    duck_rows, bq_rows = check.query(duck, FIRST, LAST), check.query(bq, FIRST, LAST)
    assert len(duck_rows) > 0, key
    assert list(duck_rows.columns) == list(bq_rows.columns)
    assert _normal(duck_rows) == _normal(bq_rows)


@pytest.mark.parametrize("relative", REPORT_FILES)
def test_every_report_gives_the_same_rows_on_both_engines(engines, relative):
    duck, bq = engines
    params = {"start_date": FIRST, "end_date": LAST, "processor_name": "team_offense_game_summary"}
    duck_rows, bq_rows = duck.query(relative, params), bq.query(relative, params)
    assert list(duck_rows.columns) == list(bq_rows.columns)
    assert _normal(duck_rows) == _normal(bq_rows)


def test_every_check_gives_the_same_verdicts_and_some_fail(engines):
    duck, bq = engines
    verdicts = {}
    for check in CHECKS:
        on_duck = run_check(check, duck, FIRST, LAST).as_dict()
        assert run_check(check, bq, FIRST, LAST).as_dict() == on_duck, check.key
        verdicts[check.key] = on_duck["severity"]
    # the planted holes are seen on both engines
    assert verdicts["nbac_schedule:gate_0_raw_readiness"] == "ERROR"
    assert verdicts["team_offense_game_summary:gate_1_phase3_complete"] == "ERROR"
    assert verdicts["upcoming_player_game_context:gate_1_phase3_complete"] == "ERROR"
    assert verdicts["team_defense_game_summary:cascade_contamination"] == "WARN"
    assert verdicts["team_defense_zone_analysis:cascade_contamination"] == "ERROR"
    assert verdicts["team_defense_zone_analysis:gate_2_phase4_complete"] == "ERROR"
    assert verdicts["player_composite_factors:gate_2_phase4_complete"] == "ERROR"
    assert verdicts["ml_feature_store_v2:cascade_contamination"] == "WARN"
    assert verdicts["player_daily_cache:failure_rate_band"] == "ERROR"
    # source gaps are counted apart on both engines; claimed gaps the raw contradicts are not
    tdza = run_check(CHECK_BY_KEY["team_defense_zone_analysis:cascade_contamination"], duck, FIRST, LAST).by_day()
    assert tdza[d("2023-11-13")].values["source_gap_rows"] == 1  # BBB; AAA is judged (invalid)
    assert tdza[d("2023-11-13")].values["rows_checked"] == 2
    psza = run_check(CHECK_BY_KEY["player_shot_zone_analysis:cascade_contamination"], duck, FIRST, LAST).by_day()
    assert psza[d("2023-11-13")].values["source_gap_rows"] == 6  # BBB's six players
    assert psza[d("2023-11-08")].values["source_gap_rows"] == 0  # AAA's claims: contamination
    assert psza[d("2023-11-08")].outcome is Outcome.WARN
    tdgs = run_check(CHECK_BY_KEY["team_defense_game_summary:cascade_contamination"], duck, FIRST, LAST).by_day()
    assert tdgs[d("2023-11-10")].values == {"rows_checked": 0, "source_gap_rows": 4, "status": "NO_SOURCE"}
