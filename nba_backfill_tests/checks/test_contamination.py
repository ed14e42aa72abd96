"""Cascade contamination: per date and critical field, CLEAN ≥ 99% / PARTIAL ≥ 50% /
CONTAMINATED < 50% valid; bootstrap days and rows that rightly lack a value never count."""

from __future__ import annotations

import pandas as pd
import pytest

from nba_backfill.checks.contamination import ContaminationCheck, status
from nba_backfill.checks.core import Outcome, run_check
from nba_backfill.checks.registry import all_checks
from nba_backfill_tests.support import league
from nba_backfill_tests.support.league import d, game_id
from nba_backfill_tests.support.warehouse_sql import create_table

CHECK = {c.asset: c for c in all_checks() if isinstance(c, ContaminationCheck)}


@pytest.mark.parametrize(
    "share, expected",
    [(1.0, "CLEAN"), (0.99, "CLEAN"), (0.989, "PARTIAL"), (0.5, "PARTIAL"), (0.4999, "CONTAMINATED"), (0.0, "CONTAMINATED")],
)
def test_status_thresholds(share, expected):
    assert status(share) == expected


def _tdza(day, n, nulls=0, column="paint_defense_vs_league_avg"):
    # windows with play-by-play for every game (games_without_shot_zones 0): every NULL
    # planted here is contamination, never a source gap
    rows = pd.DataFrame({
        "analysis_date": [d(day)] * n, "team_abbr": [f"T{i:03d}" for i in range(n)],
        "window_start_date": league.OPENER, "games_in_sample": 15, "games_without_shot_zones": 0,
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
    assert result.values["source_gap_rows"] == 2  # BBB@DDD's two defenses, counted apart
    assert result.outcome is Outcome.WARN
    assert result.values["opp_paint_attempts_valid_share"] == 0.5
    assert result.detail == (
        "PARTIAL: opp_paint_attempts 50% valid (of 2 rows); 2 source-gap rows not judged (NO_SOURCE): "
        "they lack play-by-play (their game has none in either raw feed)"
    )


def test_a_date_of_only_source_gaps_passes_with_a_note(warehouse):
    # no play-by-play at all on 11-08 (CCC@DDD, AAA@BBB): 4 rows, every one a source gap
    tdgs = league.tdgs_rows([d("2023-11-08")])
    tdgs[["opp_paint_attempts", "opp_mid_range_attempts"]] = None
    create_table(warehouse, "nba_analytics.team_defense_game_summary", tdgs)
    report = run_check(CHECK["team_defense_game_summary"], warehouse, d("2023-11-08"), d("2023-11-09"))
    by_day = report.by_day()
    result = by_day[d("2023-11-08")]
    assert result.outcome is Outcome.PASS
    assert result.values == {"rows_checked": 0, "source_gap_rows": 4, "status": "NO_SOURCE"}
    assert result.detail == "NO_SOURCE: all 4 rows lack play-by-play (their game has none in either raw feed)"
    assert by_day[d("2023-11-09")].values == {"rows_checked": 0, "status": "CLEAN"}  # no rows at all
    assert report.passed and report.severity == "OK"
    metadata = report.metadata()
    assert (metadata["source_gap_rows"], metadata["source_gap_rows_by_date"]) == (4, {"2023-11-08": 4})
    assert report.as_dict()["source_gap_rows"] == 4


def test_tdza_source_gaps_are_confirmed_against_the_raw_play_by_play(warehouse):
    """TDZA rows on 11-13 (and 11-11) all say no window game had zone data. The raw
    play-by-play has one game, 11-07 AAA@CCC: AAA's and CCC's windows (from 11-07) hold
    it, so their NULLs are contamination; BBB's and DDD's windows have no play-by-play
    anywhere: source gaps."""
    league.load_raw(warehouse, league.raw_frames())
    g1 = game_id(d("2023-11-07"), "AAA", "CCC")
    warehouse.load_dataframe("nba_raw.bigdataball_play_by_play", pd.DataFrame(
        [_shot(g1, d("2023-11-07"), "AAA", 1), _shot(g1, d("2023-11-07"), "CCC", 2)]))
    rows = [
        {"analysis_date": d(day), "team_abbr": team, "window_start_date": d("2023-11-07"),
         "games_in_sample": n, "games_without_shot_zones": n, "paint_defense_vs_league_avg": None,
         "mid_range_defense_vs_league_avg": None, "three_pt_defense_vs_league_avg": 0.5}
        for day, teams in (("2023-11-11", {"BBB": 3, "DDD": 3}),
                           ("2023-11-13", {"AAA": 4, "BBB": 4, "CCC": 4, "DDD": 4}))
        for team, n in teams.items()
    ]
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis", pd.DataFrame(rows))
    by_day = run_check(CHECK["team_defense_zone_analysis"], warehouse, d("2023-11-11"), d("2023-11-13")).by_day()
    gaps_only = by_day[d("2023-11-11")]
    assert gaps_only.outcome is Outcome.PASS and gaps_only.values["status"] == "NO_SOURCE"
    assert gaps_only.detail == ("NO_SOURCE: all 2 rows lack play-by-play "
                                "(no game of the team's window has any in the raw feeds)")
    mixed = by_day[d("2023-11-13")]
    assert mixed.outcome is Outcome.FAIL
    assert (mixed.values["rows_checked"], mixed.values["source_gap_rows"]) == (2, 2)
    assert mixed.values["paint_defense_vs_league_avg_valid_share"] == 0.0
    assert mixed.values["three_pt_defense_vs_league_avg_valid_share"] == 1.0
    assert mixed.detail == (
        "CONTAMINATED: paint_defense_vs_league_avg 0% valid, mid_range_defense_vs_league_avg 0% valid "
        "(of 2 rows); 2 source-gap rows not judged (NO_SOURCE): they lack play-by-play "
        "(no game of the team's window has any in the raw feeds)"
    )


def test_psza_source_gaps_need_a_window_game_without_raw_play_by_play(warehouse):
    """PSZA rows on 11-10 say a window game lacked zones. The raw play-by-play has 11-07
    AAA@CCC and 11-08 CCC@DDD. aaaone's window (11-07, 11-08) holds 11-08 AAA@BBB, which
    has none: a source gap. cccone's window games both have play-by-play in the raw:
    contamination. dddone's row is complete."""
    league.load_raw(warehouse, league.raw_frames())
    g1 = game_id(d("2023-11-07"), "AAA", "CCC")
    g2 = game_id(d("2023-11-08"), "CCC", "DDD")
    warehouse.load_dataframe("nba_raw.bigdataball_play_by_play", pd.DataFrame(
        [_shot(g1, d("2023-11-07"), "AAA", 1), _shot(g1, d("2023-11-07"), "CCC", 2),
         _shot(g2, d("2023-11-08"), "DDD", 1)]))
    pgs = pd.DataFrame([
        {"game_id": gid, "game_date": day, "player_lookup": p, "is_active": True, "minutes_played": 30.0}
        for gid, day, away, home in league.games([d("2023-11-07"), d("2023-11-08")])
        for p in (f"{away.lower()}one", f"{home.lower()}one")
    ])
    create_table(warehouse, "nba_analytics.player_game_summary", pgs)
    create_table(warehouse, "nba_precompute.player_shot_zone_analysis", pd.DataFrame([
        {"analysis_date": d("2023-11-10"), "player_lookup": "aaaone", "window_start_date": d("2023-11-07"),
         "games_in_sample_10": 2, "games_without_shot_zones_10": 1, "paint_rate_last_10": None},
        {"analysis_date": d("2023-11-10"), "player_lookup": "cccone", "window_start_date": d("2023-11-07"),
         "games_in_sample_10": 2, "games_without_shot_zones_10": 2, "paint_rate_last_10": None},
        {"analysis_date": d("2023-11-10"), "player_lookup": "dddone", "window_start_date": d("2023-11-07"),
         "games_in_sample_10": 2, "games_without_shot_zones_10": 0, "paint_rate_last_10": 0.4},
    ]))
    (result,) = run_check(CHECK["player_shot_zone_analysis"], warehouse, d("2023-11-10"), d("2023-11-10")).results
    assert (result.values["rows_checked"], result.values["source_gap_rows"]) == (2, 1)
    assert result.values["paint_rate_last_10_valid_share"] == 0.5  # dddone valid, cccone not
    assert result.outcome is Outcome.WARN


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
