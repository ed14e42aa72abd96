"""Cascade contamination: per date and critical field, CLEAN ≥ 99% / PARTIAL ≥ 50% /
CONTAMINATED < 50% valid; bootstrap days and rows that rightly lack a value never count."""

from __future__ import annotations

import pandas as pd
import pytest

from nba_backfill.checks.contamination import CONTAMINATION_CHECKS, status
from nba_backfill.checks.core import Outcome, run_check
from nba_backfill_tests.checks import league
from nba_backfill_tests.checks.league import d, game_id
from nba_backfill_tests.conftest import create_table

CHECK = {c.asset: c for c in CONTAMINATION_CHECKS}


@pytest.mark.parametrize(
    "share, expected",
    [(1.0, "CLEAN"), (0.99, "CLEAN"), (0.989, "PARTIAL"), (0.5, "PARTIAL"), (0.4999, "CONTAMINATED"), (0.0, "CONTAMINATED")],
)
def test_status_thresholds(share, expected):
    assert status(share) == expected


def _tdza(day, n, nulls=0, column="paint_defense_vs_league_avg"):
    rows = pd.DataFrame({
        "analysis_date": [d(day)] * n, "team_abbr": [f"T{i:03d}" for i in range(n)],
        "paint_defense_vs_league_avg": 1.0, "mid_range_defense_vs_league_avg": 1.0,
        "three_pt_defense_vs_league_avg": 1.0,
    })
    if nulls:
        rows.loc[: nulls - 1, column] = float("nan")
    return rows


def test_tdza_shares_per_date(warehouse):
    frame = pd.concat([
        _tdza("2023-10-30", 4, nulls=4, column="three_pt_defense_vs_league_avg"),  # bootstrap: not checked
        _tdza("2023-11-07", 4),  # all valid
        _tdza("2023-11-08", 100, nulls=1),  # 99% valid: still CLEAN
        _tdza("2023-11-10", 100, nulls=2),  # 98%: PARTIAL
        _tdza("2023-11-11", 4, nulls=3, column="mid_range_defense_vs_league_avg"),  # 25%: CONTAMINATED
    ], ignore_index=True)
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis", frame)
    report = run_check(CHECK["team_defense_zone_analysis"], warehouse, d("2023-10-30"), d("2023-11-11"))
    by_day = report.by_day()
    assert by_day[d("2023-10-30")].outcome is Outcome.BOOTSTRAP
    assert by_day[d("2023-11-07")].outcome is Outcome.PASS
    assert by_day[d("2023-11-08")].outcome is Outcome.PASS
    assert by_day[d("2023-11-08")].values["paint_defense_vs_league_avg_valid_share"] == 0.99
    assert by_day[d("2023-11-09")].outcome is Outcome.PASS  # no rows: nothing to check
    assert by_day[d("2023-11-10")].outcome is Outcome.WARN
    assert by_day[d("2023-11-10")].detail == "PARTIAL: paint_defense_vs_league_avg 98% valid (of 100 rows)"
    failed = by_day[d("2023-11-11")]
    assert failed.outcome is Outcome.FAIL and failed.values["status"] == "CONTAMINATED"
    assert failed.detail == "CONTAMINATED: mid_range_defense_vs_league_avg 25% valid (of 4 rows)"
    assert report.severity == "ERROR"
    assert report.days(Outcome.FAIL) == [d("2023-11-11")]
    assert report.rebuild_commands() == [
        "nba-backfill backfill --start 2023-11-11 --end 2023-11-11 --select team_defense_zone_analysis"
    ]


def _shot(gid, day, team, event_id):
    return {"game_id": gid, "game_date": day, "event_id": event_id, "period": 1, "event_type": "shot",
            "shot_made": True, "shot_type": "2PT", "shot_distance": 3.0, "player_1_lookup": "aaaone",
            "player_1_team_abbr": team, "processed_at": pd.Timestamp(day, tz="UTC")}


def test_tdgs_counts_only_games_with_shot_data(warehouse):
    g1 = game_id(d("2023-11-07"), "AAA", "CCC")
    warehouse.load_dataframe("nba_raw.bigdataball_play_by_play", pd.DataFrame(
        [_shot(g1, d("2023-11-07"), "AAA", 1), _shot(g1, d("2023-11-07"), "CCC", 2)]))
    tdgs = league.tdgs_rows([d("2023-11-07")])
    # the game with play-by-play: one defense shows 0 paint attempts (a contaminated row);
    # the game without play-by-play (BBB@DDD) rightly has NULL zones: not counted
    tdgs.loc[(tdgs.game_id == g1) & (tdgs.defending_team_abbr == "AAA"), "opp_paint_attempts"] = 0
    tdgs.loc[tdgs.game_id != g1, ["opp_paint_attempts", "opp_mid_range_attempts"]] = None
    create_table(warehouse, "nba_analytics.team_defense_game_summary", tdgs)
    (result,) = run_check(CHECK["team_defense_game_summary"], warehouse, d("2023-11-07"), d("2023-11-07")).results
    assert result.values["rows_checked"] == 2
    assert result.outcome is Outcome.WARN
    assert result.values["opp_paint_attempts_valid_share"] == 0.5


def test_pcf_opponent_tdza_absent_by_rule_is_not_contamination(warehouse):
    day = d("2023-11-07")  # AAA@CCC, BBB@DDD
    create_table(warehouse, "nba_analytics.upcoming_player_game_context", league.upgc_rows([day]))
    create_table(warehouse, "nba_precompute.player_composite_factors", league.pcf_rows([day]))
    tdza = league.tdza_rows([day])
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis", tdza[tdza.team_abbr.isin(["AAA", "CCC"])])
    warehouse.load_dataframe("nba_processing.precompute_failures", pd.DataFrame({
        "processor_name": ["team_defense_zone_analysis"], "analysis_date": [day], "entity_id": ["DDD"],
        "failure_category": ["INSUFFICIENT_DATA"]}))
    (result,) = run_check(CHECK["player_composite_factors"], warehouse, day, day).results
    # BBB's players face DDD (under the minimum: excused); DDD's players face BBB, which has
    # neither a row nor a failure row: 6 of 24 rows invalid
    assert result.values["opponent_tdza_valid_share"] == 0.75
    assert result.values["shot_zone_mismatch_score_valid_share"] == 1.0
    assert result.outcome is Outcome.WARN and "opponent_tdza 75% valid" in result.detail


def test_mlfs_feature_13_default_and_bootstrap_placeholders(warehouse):
    day, boot = d("2023-11-07"), d("2023-10-25")
    upgc = league.upgc_rows([day, boot])
    create_table(warehouse, "nba_analytics.upcoming_player_game_context", upgc)
    phase4 = ["phase4"] * 25
    defaulted = ["phase4"] * 13 + ["default"] + ["phase4"] * 11
    rows = []
    on_day = upgc[upgc.game_date == day]
    for player, team in zip(on_day.player_lookup, on_day.team_abbr):
        rows.append({"game_date": day, "player_lookup": player, "quality_tier": "gold",
                     "feature_sources": defaulted if team in ("CCC", "AAA", "DDD") else phase4})
    for player in upgc[upgc.game_date == boot].player_lookup:  # placeholders: NULL everything
        rows.append({"game_date": boot, "player_lookup": player, "quality_tier": None, "feature_sources": None})
    create_table(warehouse, "nba_predictions.ml_feature_store_v2", pd.DataFrame(rows))
    # DDD's opponent BBB is under the minimum (a TDZA failure row): its default is right
    warehouse.load_dataframe("nba_processing.precompute_failures", pd.DataFrame({
        "processor_name": ["team_defense_zone_analysis"], "analysis_date": [day], "entity_id": ["BBB"],
        "failure_category": ["INSUFFICIENT_DATA"]}))
    report = run_check(CHECK["ml_feature_store_v2"], warehouse, boot, day)
    by_day = report.by_day()
    assert by_day[boot].outcome is Outcome.BOOTSTRAP
    # AAA's and CCC's players defaulted without excuse: 12 of 24 valid -> 50%, PARTIAL
    assert by_day[day].values["feature_13_from_tdza_valid_share"] == 0.5
    assert by_day[day].values["quality_tier_valid_share"] == 1.0
    assert by_day[day].outcome is Outcome.WARN
