"""player_daily_cache (SPEC §3) against an independent pandas re-derivation of the tiny
season (its Phase 3 frames and the built PSZA rows), and its failures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_backfill_tests.support.handmade_phase3 import (
    OPENER,
    assert_rows_match,
    failures,
    read,
)

TABLE = "nba_precompute.player_daily_cache"
COPIED_FROM_UPGC = ["days_rest", "back_to_back", "games_in_last_7_days", "games_in_last_14_days",
                    "minutes_in_last_7_days", "avg_minutes_per_game_last_7",
                    "back_to_backs_last_14_days"]
COPIED_FROM_PSZA = ["paint_rate_last_10", "mid_range_rate_last_10", "three_pt_rate_last_10",
                    "primary_scoring_zone"]


def _completeness(pgs, schedule, player, team, last10, date):
    start = last10.game_date.min() if len(last10) == 10 else OPENER
    team_games = schedule[((schedule.home_team_tricode == team) | (schedule.away_team_tricode == team))
                          & (schedule.game_date >= start) & (schedule.game_date < date)]
    own = pgs[pgs.player_lookup == player]
    played_ids = set(own.game_id[own.played])
    dnp_ids = set(own.game_id) - played_ids
    expected = [g for g in team_games.game_id if g not in dnp_ids]
    actual = sum(g in played_ids for g in expected)
    return len(expected), actual, 100.0 * actual / len(expected) if expected else 100.0


def expected_pdc(frames, psza: pd.DataFrame):
    pgs = frames["nba_analytics.player_game_summary"].copy()
    pgs["played"] = pgs.is_active.fillna(False).astype(bool) & (pgs.minutes_played.fillna(0) > 0)
    togs = frames["nba_analytics.team_offense_game_summary"]
    schedule = frames["nba_raw.nbac_schedule"]
    psza = psza.set_index(["player_lookup", "analysis_date"])
    rows, short = [], []
    for u in frames["nba_analytics.upcoming_player_game_context"].to_dict("records"):
        date, player = u["game_date"], u["player_lookup"]
        if (date - OPENER).days < 14:
            continue
        games = pgs[(pgs.player_lookup == player) & pgs.played & (pgs.game_date >= OPENER)
                    & (pgs.game_date < date)].sort_values(["game_date", "game_id"], ascending=False)
        if len(games) < 3:
            short.append(dict(analysis_date=date, entity_id=player, actual_game_count=len(games)))
            continue
        last10 = games.head(10)
        team_games = togs[(togs.team_abbr == u["team_abbr"]) & (togs.game_date >= OPENER)
                          & (togs.game_date < date)
                          & togs.game_date.map(lambda g: (date - g).days <= 60)]
        team10 = team_games.sort_values(["game_date", "game_id"], ascending=False).head(10)
        expected, actual, pct = _completeness(pgs, schedule, player, games.iloc[0].team_abbr, last10, date)
        zones = psza.loc[(player, date)] if (player, date) in psza.index else None
        rows.append(dict(
            player_lookup=player, cache_date=date, team_abbr=u["team_abbr"],
            points_avg_last_5=games.head(5).points.mean(), points_avg_last_10=last10.points.mean(),
            points_avg_season=games.points.mean(),
            points_std_last_10=float(np.std(last10.points.astype(float), ddof=1)),
            minutes_avg_last_10=last10.minutes_played.mean(),
            usage_rate_last_10=last10.usage_rate.dropna().mean() if last10.usage_rate.notna().any() else np.nan,
            ts_pct_last_10=last10.points.sum() / (2 * (last10.field_goals_attempted.sum()
                                                       + 0.44 * last10.free_throws_attempted.sum())),
            games_played_season=len(games),
            team_pace_last_10=team10.pace.mean() if len(team10) else np.nan,
            team_off_rating_last_10=team10.offensive_rating.mean() if len(team10) else np.nan,
            **{c: u[c] for c in COPIED_FROM_UPGC},
            **{c: (zones[c] if zones is not None else None) for c in COPIED_FROM_PSZA},
            early_season_flag=len(games) < 10,
            expected_game_count=expected, actual_game_count=actual, completeness_pct=pct,
            is_production_ready=pct >= 70,
        ))
    return pd.DataFrame(rows), pd.DataFrame(short)


def test_every_row_and_column_matches_the_pandas_rederivation(built_season):
    warehouse, frames = built_season
    psza = read(warehouse, "nba_precompute.player_shot_zone_analysis")
    expected, _ = expected_pdc(frames, psza)
    built = read(warehouse, TABLE)
    assert_rows_match(built, expected, ["player_lookup", "cache_date"])
    assert expected.early_season_flag.any() and (~expected.early_season_flag).any()
    assert expected.primary_scoring_zone.isna().any() and expected.primary_scoring_zone.notna().any()
    # the prior season (90-point games) never reaches the season average
    assert built.points_avg_season.max() < 40


def test_players_under_three_games_fail_and_incomplete_windows_are_reported(built_season):
    warehouse, frames = built_season
    psza = read(warehouse, "nba_precompute.player_shot_zone_analysis")
    expected, short = expected_pdc(frames, psza)
    got = failures(warehouse, "player_daily_cache")
    insufficient = got[got.failure_category == "INSUFFICIENT_DATA"]
    assert set(short.entity_id) == {"bbbrookie"} and set(short.actual_game_count) == {0, 1, 2}
    assert_rows_match(insufficient[["analysis_date", "entity_id", "actual_game_count"]], short,
                      ["analysis_date", "entity_id"])
    assert set(insufficient.expected_game_count) == {3}
    incomplete = got[got.failure_category == "INCOMPLETE_DATA"]
    weak = expected[expected.completeness_pct < 70]
    assert len(weak) > 0
    assert sorted(zip(incomplete.analysis_date, incomplete.entity_id)) == sorted(
        zip(weak.cache_date, weak.player_lookup))
    assert set(got.failure_category) == {"INSUFFICIENT_DATA", "INCOMPLETE_DATA"}
