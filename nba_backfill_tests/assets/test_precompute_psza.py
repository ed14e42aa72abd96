"""player_shot_zone_analysis (SPEC §3) against an independent pandas re-derivation of
the tiny season, and one hand-worked player."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nba_backfill.seasons import psza_min_games
from nba_backfill_tests.support.handmade_phase3 import (
    OPENER,
    assert_rows_match,
    build_dates,
    build_phase4,
    day,
    failures,
    read,
)
from nba_backfill_tests.support.warehouse_sql import create_table

TABLE = "nba_precompute.player_shot_zone_analysis"
ZONES = [("paint", "paint_attempts", "paint_makes"),
         ("mid_range", "mid_range_attempts", "mid_range_makes"),
         ("three_pt", "three_attempts", "three_makes")]


def _ramp(d: int) -> int:  # SPEC §3, written out again on purpose
    return min(3 + d // 3, 9) if d <= 21 else 10


def _played(pgs: pd.DataFrame) -> pd.Series:
    return pgs.is_active.fillna(False).astype(bool) & (pgs.minutes_played.fillna(0) > 0)


def _zone_columns(window: pd.DataFrame, suffix: str) -> dict:
    complete = window[[a for _, a, _ in ZONES]].notna().all(axis=None)
    total = sum(window[a].sum() for _, a, _ in ZONES)
    out = {}
    for zone, att, made in ZONES:
        ok = complete and total > 0
        out[f"{zone}_rate_{suffix}"] = window[att].sum() / total if ok else np.nan
        attempts = window[att].sum()
        out[f"{zone}_pct_{suffix}"] = window[made].sum() / attempts if complete and attempts > 0 else np.nan
        out[f"{zone}_per_game"] = attempts / len(window) if complete else np.nan
    out["total"] = int(total) if complete else None
    return out


def expected_psza(frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    pgs = frames["nba_analytics.player_game_summary"].copy()
    pgs["played"] = _played(pgs)
    schedule = frames["nba_raw.nbac_schedule"]
    rows, short = [], []
    for date in build_dates(frames):
        d = (date - OPENER).days
        if d < 14:
            continue
        back = pgs.game_date.map(lambda g: (date - g).days)
        season = pgs[(pgs.game_date >= OPENER) & (back >= 1) & (back <= 90)]
        for player, games in season[season.played].groupby("player_lookup"):
            games = games.sort_values(["game_date", "game_id"], ascending=False)
            last10, last20 = games.head(10), games.head(20)
            if len(last10) < _ramp(d):
                short.append(dict(analysis_date=date, entity_id=player,
                                  expected_game_count=_ramp(d), actual_game_count=len(last10)))
                continue
            z10, z20 = _zone_columns(last10, "last_10"), _zone_columns(last20, "last_20")
            long_ok = len(last20) >= 15
            both = last10.assisted_fg_makes.notna() & last10.unassisted_fg_makes.notna()
            assisted = last10[both]
            fg = (assisted.assisted_fg_makes + assisted.unassisted_fg_makes).sum()
            paint, mid, three = (z10["paint_rate_last_10"], z10["mid_range_rate_last_10"],
                                 z10["three_pt_rate_last_10"])
            zone = (None if np.isnan(paint) else "paint" if paint >= 0.40
                    else "perimeter" if three >= 0.40 else "mid_range" if mid >= 0.35 else "balanced")
            # completeness: the newest game's team; its games in the window's span, less DNPs
            team = games.iloc[0].team_abbr
            start = last10.game_date.min() if len(last10) == 10 else OPENER
            team_games = schedule[((schedule.home_team_tricode == team) | (schedule.away_team_tricode == team))
                                  & (schedule.game_date >= start) & (schedule.game_date < date)]
            own = pgs[pgs.player_lookup == player]
            played_ids = set(own.game_id[own.played])
            dnp_ids = set(own.game_id) - played_ids  # a row, but he did not play
            expected_ids = [g for g in team_games.game_id if g not in dnp_ids]
            expected_games = len(expected_ids)
            actual = sum(g in played_ids for g in expected_ids)
            completeness = 100.0 * actual / expected_games if expected_games else 100.0
            def lacking(window: pd.DataFrame) -> int:  # games without play-by-play (NULL zones)
                return int(window[[a for _, a, _ in ZONES]].isna().any(axis=1).sum())

            rows.append(dict(
                player_lookup=player, analysis_date=date, team_abbr=team, days_since_opener=d,
                min_games_required=_ramp(d), games_in_sample_10=len(last10),
                games_in_sample_20=len(last20), window_start_date=last10.game_date.min(),
                games_without_shot_zones_10=lacking(last10), games_without_shot_zones_20=lacking(last20),
                paint_rate_last_10=paint, mid_range_rate_last_10=mid, three_pt_rate_last_10=three,
                paint_pct_last_10=z10["paint_pct_last_10"],
                mid_range_pct_last_10=z10["mid_range_pct_last_10"],
                three_pt_pct_last_10=z10["three_pt_pct_last_10"],
                paint_attempts_per_game=z10["paint_per_game"],
                mid_range_attempts_per_game=z10["mid_range_per_game"],
                three_pt_attempts_per_game=z10["three_pt_per_game"],
                total_shots_last_10=z10["total"],
                paint_rate_last_20=z20["paint_rate_last_20"] if long_ok else np.nan,
                paint_pct_last_20=z20["paint_pct_last_20"] if long_ok else np.nan,
                assisted_rate_last_10=assisted.assisted_fg_makes.sum() / fg if fg > 0 else np.nan,
                primary_scoring_zone=zone, early_season_flag=_ramp(d) < 10,
                expected_game_count=expected_games, actual_game_count=actual,
                completeness_pct=completeness, is_production_ready=completeness >= 70,
            ))
    return pd.DataFrame(rows), pd.DataFrame(short)


def test_every_row_and_column_matches_the_pandas_rederivation(built_season):
    warehouse, frames = built_season
    expected, _ = expected_psza(frames)
    assert_rows_match(read(warehouse, TABLE), expected, ["player_lookup", "analysis_date"])
    # the season exercises the branches: NULL and known rates, the 20-game columns,
    # several primary zones, incomplete windows
    assert expected.paint_rate_last_10.isna().any() and expected.paint_rate_last_10.notna().any()
    # a NULL rate always comes with the row saying its window lacks play-by-play
    assert (expected.paint_rate_last_10.isna() == (expected.games_without_shot_zones_10 > 0)).all()
    assert expected.paint_rate_last_20.notna().any()
    assert expected.primary_scoring_zone.nunique() >= 2
    assert (~expected.is_production_ready).any()


def test_ramp_and_insufficient_players(built_season):
    warehouse, frames = built_season
    built = read(warehouse, TABLE)
    assert all(m == psza_min_games(d) for d, m in zip(built.analysis_date, built.min_games_required))
    by_day = dict(zip(built.days_since_opener, built.min_games_required))
    assert (by_day[14], by_day[21], by_day[22]) == (7, 9, 10)  # 3 + 14//3, min(3 + 21//3, 9), then 10
    assert built.early_season_flag.tolist() == (built.days_since_opener <= 21).tolist()
    _, short = expected_psza(frames)
    got = failures(warehouse, "player_shot_zone_analysis")
    got = got[got.failure_category == "INSUFFICIENT_DATA"]
    assert "bbbrookie" in set(short.entity_id)  # two games, never enough
    assert_rows_match(got[["analysis_date", "entity_id", "expected_game_count", "actual_game_count"]],
                      short, ["analysis_date", "entity_id"])


def test_incomplete_windows_are_failures(built_season):
    warehouse, _ = built_season
    built = read(warehouse, TABLE)
    incomplete = built[built.completeness_pct < 70]
    got = failures(warehouse, "player_shot_zone_analysis")
    got = got[got.failure_category == "INCOMPLETE_DATA"]
    assert set(incomplete.player_lookup) == {"aaaplayer1"}  # his PGS rows vanish on days 19-26
    assert sorted(zip(got.analysis_date, got.entity_id)) == sorted(
        zip(incomplete.analysis_date, incomplete.player_lookup))
    assert got.missing_game_dates.notna().all()


def test_hand_worked_player(warehouse):
    """One player, 12 games on days 0-11 (a DNP on day 5); analysis on day 14 (minimum 7).
    Every game: paint 4/6, mid 1/2, three 2/4 (12 shots); assisted 3 of 7 makes, except
    the oldest game has no bigdataball data."""
    rows, schedule = [], []
    for n in range(12):
        game_id = f"{day(n):%Y%m%d}_BBB_AAA"
        schedule.append(dict(game_id=game_id, game_date=day(n), game_status=3,
                             home_team_tricode="AAA", away_team_tricode="BBB",
                             processed_at=pd.Timestamp(day(n))))
        dnp = n == 5
        rows.append(dict(game_id=game_id, game_date=day(n), player_lookup="hand", team_abbr="AAA",
                         is_active=not dnp, minutes_played=0.0 if dnp else 30.0,
                         paint_attempts=6, paint_makes=4, mid_range_attempts=2, mid_range_makes=1,
                         three_attempts=4, three_makes=2,
                         assisted_fg_makes=None if n == 0 else 3,
                         unassisted_fg_makes=None if n == 0 else 4))
    schedule.append(dict(game_id="x", game_date=day(14), game_status=3, home_team_tricode="AAA",
                         away_team_tricode="BBB", processed_at=pd.Timestamp(day(14))))
    warehouse.load_dataframe("nba_raw.nbac_schedule", pd.DataFrame(schedule))
    frame = pd.DataFrame(rows).astype({"assisted_fg_makes": "Int64", "unassisted_fg_makes": "Int64"})
    create_table(warehouse, "nba_analytics.player_game_summary", frame)
    build_phase4(warehouse, day(14), day(14), names=["player_shot_zone_analysis"])
    (row,) = read(warehouse, TABLE).itertuples()
    assert (row.games_in_sample_10, row.games_in_sample_20, row.min_games_required) == (10, 11, 7)
    assert (row.games_without_shot_zones_10, row.games_without_shot_zones_20) == (0, 0)
    assert row.window_start_date == day(1)  # games 11..1 less the DNP on day 5
    assert (row.paint_rate_last_10, row.mid_range_rate_last_10, row.three_pt_rate_last_10) == \
        pytest.approx((0.5, 2 / 12, 4 / 12))
    assert (row.paint_pct_last_10, row.mid_range_pct_last_10, row.three_pt_pct_last_10) == \
        pytest.approx((4 / 6, 0.5, 0.5))
    assert (row.paint_attempts_per_game, row.total_shots_last_10) == (6, 120)
    assert pd.isna(row.paint_rate_last_20)  # 11 games < 15
    assert row.assisted_rate_last_10 == pytest.approx(3 / 7)  # day 0 is outside the last 10
    assert row.primary_scoring_zone == "paint" and row.early_season_flag
    # completeness: 10 played of the 11 team games from day 1 on (the DNP is not expected)
    assert (row.expected_game_count, row.actual_game_count, row.completeness_pct) == (10, 10, 100)
