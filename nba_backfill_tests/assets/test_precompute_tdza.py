"""team_defense_zone_analysis (SPEC §3) against an independent pandas re-derivation of
the tiny season, and one hand-worked team."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from nba_backfill.seasons import tdza_min_games
from nba_backfill_tests.support.handmade_phase3 import (
    OPENER,
    SeasonShape,
    assert_rows_match,
    build_dates,
    build_phase4,
    day,
    failures,
    load,
    new_warehouse,
    read,
    tiny_season,
)
from nba_backfill_tests.support.warehouse_sql import create_table

TABLE = "nba_precompute.team_defense_zone_analysis"
FALLBACK = {"paint": 0.580, "mid_range": 0.410, "three_pt": 0.355}
ZONE_NAMES = {"paint": "paint", "mid_range": "mid_range", "three_pt": "perimeter"}


def _ramp(d: int) -> int:  # SPEC §3, written out again on purpose
    return min(5 + d // 3, 14) if d <= 21 else 15


def _pct(makes: pd.Series, attempts: pd.Series) -> float:
    return makes.sum() / attempts.sum() if attempts.notna().any() and attempts.sum() > 0 else np.nan


def _window(tdgs: pd.DataFrame, team: str, date: dt.date) -> pd.DataFrame:
    days_back = tdgs.game_date.map(lambda g: (date - g).days)
    mine = tdgs[(tdgs.defending_team_abbr == team) & (tdgs.game_date >= OPENER)
                & (days_back >= 1) & (days_back <= 60)]
    return mine.sort_values(["game_date", "game_id"], ascending=False).head(15)


def expected_tdza(frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows, INSUFFICIENT_DATA failures) recomputed from the hand-made frames."""
    tdgs = frames["nba_analytics.team_defense_game_summary"]
    schedule = frames["nba_raw.nbac_schedule"]
    rows, short = [], []
    for date in build_dates(frames):
        d = (date - OPENER).days
        teams = {}
        for team in sorted(set(tdgs.defending_team_abbr)):
            window = _window(tdgs, team, date)
            if len(window):
                teams[team] = window
        pcts = {
            team: {z: _pct(w[f"opp_{z}_makes"], w[f"opp_{z}_attempts"]) for z in FALLBACK}
            for team, w in teams.items()
        }
        qualified = [t for t, w in teams.items() if len(w) >= 10]
        league = dict(FALLBACK)
        if len(qualified) >= 10:
            for z in FALLBACK:  # teams without zone data have no pct to average
                known = [pcts[t][z] for t in qualified if not np.isnan(pcts[t][z])]
                league[z] = float(np.mean(known)) if known else FALLBACK[z]
        if d < 14:
            continue
        for team, w in teams.items():
            if len(w) < _ramp(d):
                short.append(dict(analysis_date=date, entity_id=team,
                                  expected_game_count=_ramp(d), actual_game_count=len(w)))
                continue
            vs = {z: (pcts[team][z] - league[z]) * 100 for z in FALLBACK}
            # games without play-by-play: NULL paint or mid-range zones (a source gap)
            no_zones = int((w.opp_paint_attempts.isna() | w.opp_mid_range_attempts.isna()).sum())
            zone_games = len(w) - no_zones
            known = not any(np.isnan(v) for v in vs.values())
            # schedule games in the window's span (completeness, SPEC §5.3)
            start = w.game_date.min() if len(w) == 15 else OPENER
            mine = schedule[((schedule.home_team_tricode == team) | (schedule.away_team_tricode == team))
                            & (schedule.game_date >= start) & (schedule.game_date < date)
                            & (schedule.game_date >= OPENER)
                            & schedule.game_date.map(lambda g: (date - g).days <= 60)]
            present = mine.game_id.isin(w.game_id)
            completeness = 100.0 * present.sum() / len(mine) if len(mine) else 100.0
            rows.append(dict(
                team_abbr=team, analysis_date=date, days_since_opener=d,
                min_games_required=_ramp(d), games_in_sample=len(w), games_without_shot_zones=no_zones,
                window_start_date=w.game_date.min(), last_game_date=w.game_date.max(),
                paint_pct_allowed_last_15=pcts[team]["paint"],
                mid_range_pct_allowed_last_15=pcts[team]["mid_range"],
                three_pt_pct_allowed_last_15=pcts[team]["three_pt"],
                paint_attempts_allowed_per_game=w.opp_paint_attempts.mean(),
                mid_range_attempts_allowed_per_game=w.opp_mid_range_attempts.mean(),
                three_pt_attempts_allowed_per_game=w.opp_three_pt_attempts.mean(),
                paint_points_allowed_per_game=w.points_in_paint_allowed.mean(),
                league_paint_pct=league["paint"], league_mid_range_pct=league["mid_range"],
                league_three_pt_pct=league["three_pt"], league_teams_in_average=len(qualified),
                league_average_source="league" if len(qualified) >= 10 else "fallback",
                paint_defense_vs_league_avg=vs["paint"],
                mid_range_defense_vs_league_avg=vs["mid_range"],
                three_pt_defense_vs_league_avg=vs["three_pt"],
                # min/max keep the first of equal values: paint, mid_range, perimeter
                strongest_zone=ZONE_NAMES[min(vs, key=vs.get)] if known else None,
                weakest_zone=ZONE_NAMES[max(vs, key=vs.get)] if known else None,
                defensive_rating_last_15=w.defensive_rating.mean(),
                opponent_pace_last_15=w.opponent_pace.mean(),
                # the tier counts the games with zone data: a source gap lowers it
                data_quality_tier="high" if zone_games >= 15 else "medium" if zone_games >= 10 else "low",
                expected_game_count=len(mine), actual_game_count=int(present.sum()),
                completeness_pct=completeness, is_production_ready=completeness >= 70,
            ))
    return pd.DataFrame(rows), pd.DataFrame(short)


def test_every_row_and_column_matches_the_pandas_rederivation(built_season):
    warehouse, frames = built_season
    expected, _ = expected_tdza(frames)
    assert_rows_match(read(warehouse, TABLE), expected, ["team_abbr", "analysis_date"])
    # the season exercises what it should: a team under the minimum, NULL zones,
    # and an incomplete window
    assert set(expected.team_abbr) == {"AAA", "BBB", "CCC", "DDD"}
    assert (~expected.is_production_ready).any()
    assert expected.league_average_source.eq("fallback").all()  # 4 teams < 10
    # windows holding a game without play-by-play (days 1 and 28) have a lower tier
    gaps = expected[expected.games_without_shot_zones > 0]
    assert len(gaps) > 0 and (gaps.games_in_sample == 15).any()
    assert not gaps[gaps.games_in_sample == 15].data_quality_tier.eq("high").any()


def test_league_average_needs_ten_teams_with_ten_games(tmp_path):
    # ten teams; JJJ's first games are missing, so early dates have 9 qualifying teams
    shape = SeasonShape(teams=10, players_per_team=1, days=26, prior_season=False, rookie=None,
                        defense_gaps=(("JJJ", tuple(range(0, 8))),), player_gaps=())
    frames = tiny_season(shape)
    warehouse = new_warehouse(tmp_path)
    load(warehouse, frames)
    build_phase4(warehouse, day(0), day(25), names=["team_defense_zone_analysis"])
    expected, _ = expected_tdza(frames)
    assert_rows_match(read(warehouse, TABLE), expected, ["team_abbr", "analysis_date"])
    assert set(expected.league_average_source) == {"league", "fallback"}


def test_ramp_minimum_is_the_partitions_rule_and_teams_below_it_fail(built_season):
    warehouse, frames = built_season
    built = read(warehouse, TABLE)
    for date, minimum in zip(built.analysis_date, built.min_games_required):
        assert minimum == tdza_min_games(date)
    by_day = dict(zip(built.days_since_opener, built.min_games_required))
    assert (by_day[14], by_day[21], by_day[22], by_day[33]) == (9, 12, 15, 15)  # by hand
    assert (built.games_in_sample >= built.min_games_required).all()
    _, short = expected_tdza(frames)
    got = failures(warehouse, "team_defense_zone_analysis")
    got = got[got.failure_category == "INSUFFICIENT_DATA"]
    assert len(short) > 0
    assert_rows_match(got[["analysis_date", "entity_id", "expected_game_count", "actual_game_count"]],
                      short, ["analysis_date", "entity_id"])


def test_incomplete_windows_are_failures_with_their_missing_dates(built_season):
    warehouse, _ = built_season
    built = read(warehouse, TABLE)
    incomplete = built[built.completeness_pct < 70]
    got = failures(warehouse, "team_defense_zone_analysis")
    got = got[got.failure_category == "INCOMPLETE_DATA"]
    assert len(incomplete) > 0
    assert sorted(zip(got.analysis_date, got.entity_id)) == sorted(
        zip(incomplete.analysis_date, incomplete.team_abbr))
    # CCC lost its TDGS rows on days 8-17: those are the missing dates it reports
    ccc = got[got.entity_id == "CCC"].iloc[0]
    missing = json.loads(ccc.missing_game_dates)
    assert missing and all(8 <= (dt.date.fromisoformat(m) - OPENER).days <= 17 for m in missing)
    assert ccc.actual_game_count == 15 and ccc.expected_game_count == 15 + len(missing)


def _hand_frames():
    """AAA hosts BBB every day 0-22. AAA's defense allows the same every game: paint
    18/30, mid 8/20, three 12/30; BBB's games have no play-by-play (NULL zones)."""
    schedule, tdgs = [], []
    for n in range(23):
        game_id = f"{day(n):%Y%m%d}_BBB_AAA"
        schedule.append(dict(game_id=game_id, game_date=day(n), game_status=3,
                             home_team_tricode="AAA", away_team_tricode="BBB",
                             processed_at=pd.Timestamp(day(n))))
        for team, zones in (("AAA", (30, 18, 20, 8, 30, 12)), ("BBB", (None,) * 6)):
            pa, pm, ma, mm, ta, tm = zones
            tdgs.append(dict(game_id=game_id, game_date=day(n), defending_team_abbr=team,
                             opp_paint_attempts=pa, opp_paint_makes=pm,
                             opp_mid_range_attempts=ma, opp_mid_range_makes=mm,
                             opp_three_pt_attempts=ta, opp_three_pt_makes=tm,
                             points_in_paint_allowed=None if pm is None else 2 * pm,
                             defensive_rating=110.0, opponent_pace=100.0))
    return pd.DataFrame(schedule), pd.DataFrame(tdgs).astype(
        {c: "Int64" for c in ["opp_paint_attempts", "opp_paint_makes", "opp_mid_range_attempts",
                              "opp_mid_range_makes", "opp_three_pt_attempts",
                              "opp_three_pt_makes", "points_in_paint_allowed"]})


def test_hand_worked_team(warehouse):
    schedule, tdgs = _hand_frames()
    warehouse.load_dataframe("nba_raw.nbac_schedule", schedule)
    create_table(warehouse, "nba_analytics.team_defense_game_summary", tdgs)
    build_phase4(warehouse, day(21), day(22), names=["team_defense_zone_analysis"])
    built = read(warehouse, TABLE).set_index(["team_abbr", "days_since_opener"])
    aaa = built.loc[("AAA", 22)]
    assert aaa.games_in_sample == 15 and aaa.min_games_required == 15
    assert aaa.window_start_date == day(7) and aaa.last_game_date == day(21)
    assert (aaa.paint_pct_allowed_last_15, aaa.mid_range_pct_allowed_last_15,
            aaa.three_pt_pct_allowed_last_15) == pytest.approx((0.6, 0.4, 0.4))
    assert aaa.league_average_source == "fallback"  # two teams
    # (team pct − league pct)·100: .600 − .580, .400 − .410, .400 − .355
    assert (aaa.paint_defense_vs_league_avg, aaa.mid_range_defense_vs_league_avg,
            aaa.three_pt_defense_vs_league_avg) == pytest.approx((2.0, -1.0, 4.5))
    assert (aaa.strongest_zone, aaa.weakest_zone) == ("mid_range", "perimeter")
    assert (aaa.paint_attempts_allowed_per_game, aaa.paint_points_allowed_per_game) == (30, 36)
    assert (aaa.defensive_rating_last_15, aaa.opponent_pace_last_15) == (110, 100)
    assert (aaa.data_quality_tier, aaa.completeness_pct) == ("high", 100)
    assert aaa.games_without_shot_zones == 0
    assert built.loc[("AAA", 21)].min_games_required == 12  # min(5 + 21 // 3, 14)
    bbb = built.loc[("BBB", 22)]  # no zone data at all: NULL, never zero
    assert pd.isna(bbb.paint_pct_allowed_last_15) and pd.isna(bbb.paint_defense_vs_league_avg)
    assert bbb.strongest_zone is None and bbb.defensive_rating_last_15 == 110
    # the row says why (a source gap: none of its 15 games has play-by-play), and its
    # tier counts the games with zone data (0 → low), not the 15 games it has
    assert (bbb.games_in_sample, bbb.games_without_shot_zones) == (15, 15)
    assert (bbb.data_quality_tier, bbb.completeness_pct) == ("low", 100)
