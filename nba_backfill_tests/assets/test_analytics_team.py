"""TOGS and TDGS on the hand-made warehouse (support/handmade.py): every formula column worked
out by hand from the raw rows typed there. Arithmetic in the comments and expressions."""

from __future__ import annotations

import pytest

from nba_backfill_tests.support import handmade as h
from nba_backfill_tests.support.handmade import D0, D1, D2, D3, D4, D5, G1, G2, G3, G4, one

TOGS = "nba_analytics.team_offense_game_summary"
TDGS = "nba_analytics.team_defense_game_summary"
FAILURES = "nba_processing.analytics_failures"


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return h.built_copy(tmp_path_factory, "team")


@pytest.fixture(scope="module")
def togs(wh):
    return h.table(wh, TOGS)


@pytest.fixture(scope="module")
def tdgs(wh):
    return h.table(wh, TDGS)


def test_one_row_per_team_with_a_line_and_none_on_a_date_without_final_games(togs, tdgs):
    per_date = togs.groupby("game_date").size().to_dict()
    # G0 2, G1 + G2 4, G3 (MIL only: NYK has no line) + G4 = 3, G5 scheduled only -> 0,
    # G6 2, G7 2. The re-scraped MIL box (G1) and schedule rows never add a row.
    assert per_date == {D0: 2, D1: 4, D2: 3, D4: 2, D5: 2}
    assert D3 not in set(tdgs.game_date)
    assert not togs.duplicated(["game_id", "team_abbr"]).any()
    # TDGS: G3's MIL has no row (its opponent NYK has no line); NYK's row exists.
    assert tdgs.groupby("game_date").size().to_dict() == {D0: 2, D1: 4, D2: 3, D4: 2, D5: 2}
    assert set(tdgs[tdgs.game_id == G3].defending_team_abbr) == {"NYK"}


def test_box_score_line_and_formulas(togs):
    bos = one(togs, game_id=G1, team_abbr="BOS")
    assert (bos["opponent_team_abbr"], bos["home_game"], bos["season_year"]) == ("MIL", False, 2023)
    box = dict(zip(h.TEAM_STATS, (38, 88, 12, 35, 12, 16, 10, 34, 44, 22, 7, 5, 13, 19, 100)))
    for column, value in box.items():
        name = "points_scored" if column == "points" else column
        assert bos[name] == value, column
    possessions = 88 + 0.44 * 16 + 13 - 10  # FGA + 0.44 FTA + TOV - OREB = 98.04
    assert bos["possessions"] == pytest.approx(98.04)
    assert bos["offensive_rating"] == pytest.approx(100 * 100 / possessions)  # 101.999
    assert bos["pace"] == pytest.approx(possessions * 48 / (240 / 5))  # = 98.04
    assert bos["ts_pct"] == pytest.approx(100 / (2 * (88 + 0.44 * 16)))  # 100/190.08 = 0.526
    assert (bos["team_minutes"], bos["overtime_periods"]) == (240, 0)
    assert (bos["win_flag"], bos["margin_of_victory"]) == (False, -10)  # 100 - 110
    assert (bos["primary_source"], bos["quality_score"], bos["quality_tier"]) == (
        "team_boxscore", 100, "gold")
    assert bos["is_production_ready"]


def test_rescraped_box_score_uses_the_latest_processed_at(togs):
    mil = one(togs, game_id=G1, team_abbr="MIL")
    # the 05:00 row: 41 made, 110 points (the stale 01:00 row has 40 and 108)
    assert (mil["fg_made"], mil["points_scored"]) == (41, 110)
    assert mil["possessions"] == pytest.approx(86 + 0.44 * 18 + 12 - 9)  # 96.92
    assert (mil["win_flag"], mil["margin_of_victory"]) == (True, 10)


def test_overtime_changes_pace_through_team_minutes(togs):
    mil = one(togs, game_id=G3, team_abbr="MIL")  # "265:00"
    assert (mil["team_minutes"], mil["overtime_periods"]) == (265, 1)  # (265-240)/25
    possessions = 95 + 0.44 * 20 + 11 - 12  # 102.8
    assert mil["pace"] == pytest.approx(possessions * 48 / (265 / 5))  # 93.102
    assert mil["offensive_rating"] == pytest.approx(100 * 118 / possessions)
    assert (mil["win_flag"], mil["margin_of_victory"]) == (False, -2)  # 118 - 120


def test_reconstruction_from_five_active_gamebook_players(togs):
    lal = one(togs, game_id=G2, team_abbr="LAL")  # box row unusable (50 made of 40)
    # lebron + davis + reaves + russell + hachimura (vincent is inactive):
    expected = {
        "points_scored": 25 + 24 + 16 + 14 + 10,  # 89
        "fg_made": 10 + 10 + 5 + 5 + 4,  # 34
        "fg_attempted": 20 + 18 + 12 + 13 + 9,  # 72
        "three_pt_made": 2 + 0 + 2 + 3 + 1,  # 8
        "three_pt_attempted": 6 + 1 + 5 + 8 + 3,  # 23
        "ft_made": 3 + 4 + 4 + 1 + 1,  # 13
        "ft_attempted": 4 + 6 + 4 + 2 + 2,  # 18
        "offensive_rebounds": 1 + 4 + 0 + 0 + 2,  # 7
        "defensive_rebounds": 7 + 10 + 3 + 2 + 3,  # 25
        "total_rebounds": 8 + 14 + 3 + 2 + 5,  # 32
        "assists": 9 + 3 + 5 + 6 + 1,  # 24
        "steals": 1 + 2 + 0 + 1 + 0,  # 4
        "blocks": 1 + 3 + 0 + 0 + 1,  # 5
        "turnovers": 4 + 2 + 2 + 3 + 1,  # 12
        "personal_fouls": 1 + 3 + 2 + 1 + 2,  # 9
    }
    assert {k: lal[k] for k in expected} == expected
    possessions = 72 + 0.44 * 18 + 12 - 7  # 84.92
    assert lal["possessions"] == pytest.approx(possessions)
    # 160.5 summed minutes (a partial roster) -> regulation: 240 minutes, no overtime
    assert (lal["team_minutes"], lal["overtime_periods"]) == (240, 0)
    assert lal["pace"] == pytest.approx(possessions)
    assert lal["ts_pct"] == pytest.approx(89 / (2 * (72 + 0.44 * 18)))
    # result from the schedule's final score (95 - 101), not the 89 reconstructed points
    assert (lal["win_flag"], lal["margin_of_victory"]) == (False, -6)
    assert (lal["primary_source"], lal["quality_score"], lal["quality_tier"]) == (
        "reconstructed", 85, "silver")


def test_team_shot_zones_by_source(togs):
    # G1 bigdataball (the nbac shot for G1 is ignored). BOS: paint = event 2 (5 ft, the
    # latest re-scrape: made) + event 5 (no type, 8 ft: made) -> 2/2; mid = event 3 -> 1/0;
    # events 1 and 4 are threes (3PT; no type at 24 ft); the free throw is not a shot.
    bos = one(togs, game_id=G1, team_abbr="BOS")
    assert [bos[c] for c in ("team_paint_attempts", "team_paint_makes",
                             "team_mid_range_attempts", "team_mid_range_makes")] == [2, 2, 1, 0]
    assert bos["shot_zones_source"] == "bigdataball"
    # MIL: paint 2/1 (events 7 miss, 8 make); mid 1/1 (a 2PT without distance); the shot
    # with neither type nor distance is dropped.
    mil = one(togs, game_id=G1, team_abbr="MIL")
    assert [mil[c] for c in ("team_paint_attempts", "team_paint_makes",
                             "team_mid_range_attempts", "team_mid_range_makes")] == [2, 1, 1, 1]
    # G2 nbac only. LAL: paint 1/1; the 23.75 ft shot without type is a three, not mid.
    lal = one(togs, game_id=G2, team_abbr="LAL")
    assert [lal[c] for c in ("team_paint_attempts", "team_paint_makes",
                             "team_mid_range_attempts", "team_mid_range_makes")] == [1, 1, 0, 0]
    assert lal["shot_zones_source"] == "nbac_pbp"
    # G4: LAL took no shot in the events, but the game has play-by-play: zeros
    lal4 = one(togs, game_id=G4, team_abbr="LAL")
    assert [lal4[c] for c in ("team_paint_attempts", "team_mid_range_attempts")] == [0, 0]
    # G3 has no play-by-play at all: NULL, never 0
    mil3 = one(togs, game_id=G3, team_abbr="MIL")
    assert mil3["team_paint_attempts"] is None and mil3["team_mid_range_makes"] is None
    assert mil3["shot_zones_source"] is None


def test_defense_is_the_opponent_line_seen_from_the_defense(tdgs):
    bos = one(tdgs, game_id=G1, defending_team_abbr="BOS")  # opponent MIL (latest box)
    expected = {
        "opponent_team_abbr": "MIL", "home_game": False, "points_allowed": 110,
        "opp_fg_attempts": 86, "opp_fg_makes": 41, "opp_three_pt_attempts": 30,
        "opp_three_pt_makes": 14, "opp_ft_attempts": 18, "opp_ft_makes": 14,
        "opp_rebounds": 45, "opp_assists": 25, "turnovers_forced": 12,
        "steals": 7, "blocks_total": 5, "defensive_rebounds": 34,  # BOS's own
        "opp_paint_attempts": 2, "opp_paint_makes": 1, "opp_mid_range_attempts": 1,
        "opp_mid_range_makes": 1, "points_in_paint_allowed": 2,  # 2 x 1
        "mid_range_points_allowed": 2, "three_pt_points_allowed": 42,  # 3 x 14
        "win_flag": False, "margin_of_victory": -10, "quality_score": 100,
        "primary_source": "team_boxscore",
    }
    assert {k: bos[k] for k in expected} == expected
    opp_possessions = 86 + 0.44 * 18 + 12 - 9  # 96.92
    assert bos["defensive_rating"] == pytest.approx(100 * 110 / opp_possessions)
    assert bos["opponent_pace"] == pytest.approx(opp_possessions * 48 / 48)
    assert bos["opponent_ts_pct"] == pytest.approx(110 / (2 * (86 + 0.44 * 18)))


def test_defense_against_an_overtime_opponent_without_own_line(tdgs):
    nyk = one(tdgs, game_id=G3, defending_team_abbr="NYK")
    opp_possessions = 95 + 0.44 * 20 + 11 - 12  # MIL, 102.8
    assert nyk["opponent_pace"] == pytest.approx(opp_possessions * 48 / 53)
    assert nyk["defensive_rating"] == pytest.approx(100 * 118 / opp_possessions)
    # NYK has no line: its own steals/blocks/rebounds are unknown; no play-by-play
    assert nyk["steals"] is None and nyk["blocks_total"] is None
    assert nyk["defensive_rebounds"] is None
    assert nyk["opp_paint_attempts"] is None and nyk["points_in_paint_allowed"] is None
    assert nyk["three_pt_points_allowed"] == 36  # 3 x 12
    assert (nyk["win_flag"], nyk["margin_of_victory"]) == (True, 2)  # 120 - 118


def test_defense_against_a_reconstructed_line_carries_its_quality(tdgs):
    nyk = one(tdgs, game_id=G2, defending_team_abbr="NYK")
    assert nyk["defensive_rating"] == pytest.approx(100 * 89 / (72 + 0.44 * 18 + 12 - 7))
    assert (nyk["primary_source"], nyk["quality_score"]) == ("reconstructed", 85)
    lal = one(tdgs, game_id=G2, defending_team_abbr="LAL")
    assert (lal["steals"], lal["blocks_total"], lal["defensive_rebounds"]) == (4, 5, 25)


def test_team_failure_rows(wh):
    failures = h.table(wh, FAILURES)
    togs = failures[failures.processor_name == "team_offense_game_summary"]
    rows = sorted(zip(togs.analysis_date, togs.entity_id, togs.failure_category))
    assert rows == [(D1, "LAL", "INCOMPLETE_DATA"), (D2, "NYK", "MISSING_DEPENDENCY")]
    nyk = one(togs, entity_id="NYK")
    assert "4 usable active gamebook players" in nyk["failure_reason"]
    assert (nyk["expected_game_count"], nyk["actual_game_count"]) == (1, 0)
    assert nyk["missing_game_dates"] == '["2023-11-02"]'
    assert (nyk["run_id"], nyk["can_retry"]) == ("test", True)
    assert "made > attempted" in one(togs, entity_id="LAL")["failure_reason"]
    tdgs = failures[failures.processor_name == "team_defense_game_summary"]
    assert sorted(zip(tdgs.analysis_date, tdgs.entity_id, tdgs.failure_category)) == [
        (D2, "MIL", "MISSING_DEPENDENCY")]
    assert "PROCESSING_ERROR" not in set(failures.failure_category)
