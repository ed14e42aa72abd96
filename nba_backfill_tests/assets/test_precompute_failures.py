"""Phase 4 failure rows (SPEC §5.1): none on bootstrap days or days without games;
MISSING_DEPENDENCY at DATE_LEVEL when an input has no rows for a date it needs."""

from __future__ import annotations

import json

import pandas as pd

from nba_backfill_tests.support.handmade_phase3 import (
    FIRST_DAY,
    LAST_DAY,
    OPENER,
    PHASE4_ORDER,
    build_dates,
    build_phase4,
    day,
    load,
    new_warehouse,
    read,
    tiny_season,
)

FAILURES = "nba_processing.precompute_failures"
RETRY = {  # category: (can_retry, is_correctable), SPEC §5.1
    "INSUFFICIENT_DATA": (True, False),
    "INCOMPLETE_DATA": (True, True),
    "MISSING_DEPENDENCY": (True, True),
}


def test_no_failures_on_bootstrap_days_or_days_without_games(built_season):
    warehouse, frames = built_season
    got = read(warehouse, FAILURES)
    game_days = set(build_dates(frames))
    assert len(got) > 0
    assert all((d - OPENER).days >= 14 for d in got.analysis_date)
    assert set(got.analysis_date) <= game_days
    # not for want of trouble: on day 13 DDD has fewer TDGS games than the day-13 ramp (9)
    tdgs = frames["nba_analytics.team_defense_game_summary"]
    ddd = tdgs[(tdgs.defending_team_abbr == "DDD") & (tdgs.game_date >= OPENER) & (tdgs.game_date < day(13))]
    assert len(ddd) < 9
    # and rest days (6, 13, 20, 27) have no Phase 4 rows at all
    for table, column in (("nba_precompute.team_defense_zone_analysis", "analysis_date"),
                          ("nba_precompute.player_composite_factors", "game_date"),
                          ("nba_predictions.ml_feature_store_v2", "game_date")):
        assert set(read(warehouse, table)[column]) <= game_days


def test_failure_rows_have_the_table_shape(built_season):
    warehouse, _ = built_season
    got = read(warehouse, FAILURES)
    assert set(got.processor_name) <= set(PHASE4_ORDER)
    assert (got.run_id == "test-run").all() and got.created_at.notna().all()
    for category, flags in RETRY.items():
        rows = got[got.failure_category == category]
        assert all((r, c) == flags for r, c in zip(rows.can_retry, rows.is_correctable))
    assert got.failure_reason.str.len().min() > 10


def _without(frame: pd.DataFrame, days: list[int]) -> pd.DataFrame:
    gone = {day(n) for n in days}
    return frame[~frame.game_date.isin(gone)].reset_index(drop=True)


def _reach_gaps(frames, upstream: pd.DataFrame, lookback: int):
    """Per build date: (final games the windows may read, those with rows, dates w/o rows)."""
    schedule = frames["nba_raw.nbac_schedule"]
    have_ids, have_days = set(upstream.game_id), set(upstream.game_date)
    out = {}
    for date in build_dates(frames):
        if (date - OPENER).days < 14:
            continue
        reach = schedule[(schedule.game_date >= OPENER) & (schedule.game_date < date)
                         & schedule.game_date.map(lambda g: (date - g).days <= lookback)]
        missing = sorted({g.isoformat() for g in reach.game_date if g not in have_days})
        if missing:
            out[date] = (len(reach), int(reach.game_id.isin(have_ids).sum()), missing)
    return out


def test_missing_upstream_dates_are_date_level_failures(tmp_path):
    frames = tiny_season()
    # TDGS and PGS lose whole dates (days 0-4 and 16); day 25 has no context rows at all
    frames["nba_analytics.team_defense_game_summary"] = _without(
        frames["nba_analytics.team_defense_game_summary"], [0, 1, 2, 3, 4, 16])
    frames["nba_analytics.player_game_summary"] = _without(frames["nba_analytics.player_game_summary"], [16])
    for table in ("upcoming_player_game_context", "upcoming_team_game_context"):
        frames[f"nba_analytics.{table}"] = _without(frames[f"nba_analytics.{table}"], [25])
    warehouse = new_warehouse(tmp_path)
    load(warehouse, frames)
    build_phase4(warehouse, FIRST_DAY, LAST_DAY)
    got = read(warehouse, FAILURES)
    level = got[got.entity_id == "DATE_LEVEL"]
    assert set(level.failure_category) == {"MISSING_DEPENDENCY"}

    for processor, upstream, lookback in (
        ("team_defense_zone_analysis", "nba_analytics.team_defense_game_summary", 60),
        ("player_shot_zone_analysis", "nba_analytics.player_game_summary", 90),
    ):
        expected = _reach_gaps(frames, frames[upstream], lookback)
        mine = level[level.processor_name == processor].set_index("analysis_date")
        assert sorted(mine.index) == sorted(expected), processor
        for date, (reach, present, missing) in expected.items():
            row = mine.loc[date]
            assert (row.expected_game_count, row.actual_game_count) == (reach, present)
            assert json.loads(row.missing_game_dates) == missing

    # same-date inputs: only day 25 lacks them; on day 14 every team was INSUFFICIENT_DATA,
    # so TDZA wrote no rows but was built: that is no missing dependency for PCF
    same_date = level[~level.processor_name.isin(["team_defense_zone_analysis", "player_shot_zone_analysis"])]
    reasons = {(p, r.split(" ")[0]) for p, r in zip(same_date.processor_name, same_date.failure_reason)}
    assert set(same_date.analysis_date) == {day(25)}
    assert reasons == {
        ("player_composite_factors", "upcoming_player_game_context"),
        ("player_daily_cache", "upcoming_player_game_context"),
        ("ml_feature_store_v2", "upcoming_player_game_context"),
        ("ml_feature_store_v2", "upcoming_team_game_context"),
    }
    tdza = read(warehouse, "nba_precompute.team_defense_zone_analysis")
    assert day(14) not in set(tdza.analysis_date)
    assert ((got.processor_name == "team_defense_zone_analysis") & (got.analysis_date == day(14))
            & (got.failure_category == "INSUFFICIENT_DATA")).sum() == 4
