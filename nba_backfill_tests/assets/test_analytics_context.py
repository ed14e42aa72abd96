"""UPGC and UTGC on the hand-made warehouse (support/handmade.py): windows strictly before the
date and inside the season, streaks, lines, completeness; every value worked by hand."""

from __future__ import annotations

import pytest

from nba_backfill_tests.support import handmade as h
from nba_backfill_tests.support.handmade import D0, D1, D2, D4, D5, G0, G1, G2, G3, G4, G6, G7, one

UPGC = "nba_analytics.upcoming_player_game_context"
UTGC = "nba_analytics.upcoming_team_game_context"

# usage rates of the PGS rows the windows average (formula checked in the player tests)
U_TATUM_G1 = (22 + 0.44 * 5 + 3) * 48 / (36.5 * (88 + 0.44 * 16 + 13))
U_TATUM_G4 = (21 + 0.44 * 6 + 2) * 48 / (35 * (85 + 0.44 * 19 + 12))
U_BROWN_G4 = (13 + 0.44 * 2 + 1) * 48 / (28 * (85 + 0.44 * 19 + 12))
U_GIANNIS_G1 = (20 + 0.44 * 10 + 4) * 48 / (34 * (86 + 0.44 * 18 + 12))
U_GIANNIS_G3 = (24 + 0.44 * 11 + 5) * 53 / (42 * (95 + 0.44 * 20 + 11))
# TOGS paces and offensive ratings (see the team tests)
PACE = {
    (G1, "BOS"): 88 + 0.44 * 16 + 13 - 10,  # 98.04
    (G1, "MIL"): 86 + 0.44 * 18 + 12 - 9,  # 96.92
    (G2, "NYK"): 84 + 0.44 * 20 + 14 - 11,  # 95.8
    (G3, "MIL"): (95 + 0.44 * 20 + 11 - 12) * 48 / 53,  # 93.10, overtime
    (G4, "BOS"): 85 + 0.44 * 19 + 12 - 8,  # 97.36
    (h.G6, "BOS"): 90 + 0.44 * 20 + 12 - 9,  # 101.8
}
ORTG = {
    (G1, "BOS"): 100 * 100 / (88 + 0.44 * 16 + 13 - 10),
    (G1, "MIL"): 100 * 110 / (86 + 0.44 * 18 + 12 - 9),
    (G2, "LAL"): 100 * 89 / (72 + 0.44 * 18 + 12 - 7),
    (G4, "LAL"): 100 * 99 / (87 + 0.44 * 15 + 13 - 10),
    (h.G6, "NYK"): 100 * 108 / (88 + 0.44 * 21 + 14 - 10),
}


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return h.built_copy(tmp_path_factory, "context")


@pytest.fixture(scope="module")
def upgc(wh):
    return h.table(wh, UPGC)


@pytest.fixture(scope="module")
def utgc(wh):
    return h.table(wh, UTGC)


def test_upgc_has_a_row_per_usable_gamebook_row_of_final_games(upgc):
    # D1: G1 7 + G2 7; D2: G3 7 + G4's lone gamebook row (vincent); D4: G6 has no gamebook
    assert upgc.groupby("game_date").size().to_dict() == {D0: 2, D1: 14, D2: 8, D5: 3}
    assert not upgc.duplicated(["game_id", "player_lookup"]).any()


def test_first_game_of_the_season_ignores_the_previous_season(upgc):
    tatum = one(upgc, game_id=G1, player_lookup="jaytatum")  # played G0 in April 2023
    assert tatum["days_rest"] is None and tatum["back_to_back"] == False  # noqa: E712
    assert (tatum["games_in_last_7_days"], tatum["games_in_last_14_days"]) == (0, 0)
    assert tatum["minutes_in_last_7_days"] == 0.0
    assert tatum["avg_minutes_per_game_last_7"] is None
    assert tatum["points_avg_last_5"] is None and tatum["avg_usage_rate_last_7_games"] is None
    assert (tatum["prop_over_streak"], tatum["prop_under_streak"]) == (0, 0)
    assert tatum["opponent_pace_last_10"] is None  # MIL's only earlier TOGS row is G0
    # odds api draftkings: opening = earliest snapshot 27.5, current = latest pre-tip 28.5
    assert (tatum["opening_points_line"], tatum["current_points_line"]) == (27.5, 28.5)
    assert (tatum["line_movement"], tatum["prop_source"], tatum["has_prop_line"]) == (1.0, "odds_api", True)
    assert tatum["season_phase"] == "early"
    assert (tatum["expected_games_count"], tatum["completeness_pct"]) == (0, 100.0)
    assert (tatum["quality_score"], tatum["is_production_ready"]) == (100, True)
    assert one(upgc, game_id=G0, player_lookup="jaytatum")["season_phase"] == "late"  # April


def test_back_to_back_and_windows_the_next_day(upgc):
    giannis = one(upgc, game_id=G3, player_lookup="giannisantetokounmpo")
    assert (giannis["days_rest"], giannis["back_to_back"]) == (1, True)  # Nov 1 -> Nov 2
    assert (giannis["games_in_last_7_days"], giannis["minutes_in_last_7_days"]) == (1, 34.0)
    assert giannis["back_to_backs_last_14_days"] == 0
    assert giannis["avg_usage_rate_last_7_games"] == pytest.approx(U_GIANNIS_G1)
    assert (giannis["points_avg_last_5"], giannis["points_avg_last_10"]) == (32.0, 32.0)
    # bettingpros FanDuel: opening 35.5, current 36.5
    assert (giannis["opening_points_line"], giannis["current_points_line"]) == (35.5, 36.5)
    assert (giannis["line_movement"], giannis["prop_source"]) == (1.0, "bettingpros")
    assert (giannis["prop_over_streak"], giannis["prop_under_streak"]) == (1, 0)  # G1 OVER
    # opponent NYK's TOGS before Nov 2: G2 only; the rating NYK allowed is LAL's ORtg
    assert giannis["opponent_pace_last_10"] == pytest.approx(PACE[(G2, "NYK")])
    assert giannis["opponent_def_rating_last_10"] == pytest.approx(ORTG[(G2, "LAL")])
    assert giannis["pace_differential"] == pytest.approx(PACE[(G1, "MIL")] - PACE[(G2, "NYK")])


def test_windows_streaks_lines_and_completeness_of_a_player(upgc):
    tatum = one(upgc, game_id=G7, player_lookup="jaytatum")  # Nov 5
    # played Nov 1 (36.5 min, 30 pts) and Nov 2 (35 min, 28 pts); G6 (Nov 4) has no rows
    assert (tatum["days_rest"], tatum["back_to_back"]) == (3, False)
    assert (tatum["games_in_last_7_days"], tatum["games_in_last_14_days"]) == (2, 2)
    assert tatum["minutes_in_last_7_days"] == pytest.approx(36.5 + 35)
    assert tatum["avg_minutes_per_game_last_7"] == pytest.approx((36.5 + 35) / 2)
    assert tatum["back_to_backs_last_14_days"] == 1  # Nov 2 came the day after Nov 1
    assert tatum["avg_usage_rate_last_7_games"] == pytest.approx((U_TATUM_G1 + U_TATUM_G4) / 2)
    assert tatum["points_avg_last_5"] == pytest.approx((30 + 28) / 2)
    # bettingpros DraftKings: opening 25.5, current 26.5
    assert (tatum["opening_points_line"], tatum["current_points_line"]) == (25.5, 26.5)
    assert (tatum["line_movement"], tatum["prop_source"]) == (1.0, "bettingpros")
    # newest first: Nov 2 PUSH (skipped), Nov 1 OVER -> 1 over, 0 under; the April OVER
    # (previous season) would make it 2
    assert (tatum["prop_over_streak"], tatum["prop_under_streak"]) == (1, 0)
    mil_pace = (PACE[(G1, "MIL")] + PACE[(G3, "MIL")]) / 2
    bos_pace = (PACE[(G1, "BOS")] + PACE[(G4, "BOS")] + PACE[(h.G6, "BOS")]) / 3
    assert tatum["opponent_pace_last_10"] == pytest.approx(mil_pace)
    # MIL allowed BOS's G1 rating; in G3 NYK has no TOGS row, so that game is skipped
    assert tatum["opponent_def_rating_last_10"] == pytest.approx(ORTG[(G1, "BOS")])
    assert tatum["pace_differential"] == pytest.approx(bos_pace - mil_pace)
    # spreads, latest pre-tip (tip 00:00 UTC from the props): DK -6.5, FD -6.0, BetMGM
    # -(+7.0) -> median -6.5 (DK's -12.5 after tip-off is ignored). Totals: DK 220.5,
    # FD 221.5, BetMGM 219.0 (Under only), Caesars 222.0 -> (220.5 + 221.5) / 2
    assert (tatum["game_spread"], tatum["game_total"]) == (-6.5, 221.0)
    # completeness: BOS's final games G1, G4 (played) and G6 (no PGS rows at all) -> 2/3
    assert (tatum["expected_games_count"], tatum["actual_games_count"]) == (3, 2)
    assert tatum["completeness_pct"] == pytest.approx(200 / 3)
    assert tatum["missing_game_dates"] == '["2023-11-04"]'
    assert (tatum["quality_score"], tatum["quality_tier"], tatum["is_production_ready"]) == (
        49, "poor", False)


def test_dnp_games_are_neither_played_nor_expected(upgc):
    brown = one(upgc, game_id=G7, player_lookup="jaylenbrown")  # DNP Nov 1, played Nov 2
    assert (brown["days_rest"], brown["games_in_last_7_days"]) == (3, 1)
    assert brown["back_to_backs_last_14_days"] == 0  # Nov 1 was a DNP
    assert brown["avg_usage_rate_last_7_games"] == pytest.approx(U_BROWN_G4)
    assert brown["points_avg_last_10"] == 15.0
    # expected: G4 (played) + G6 (missing upstream); G1 was a DNP
    assert (brown["expected_games_count"], brown["actual_games_count"]) == (2, 1)
    assert brown["completeness_pct"] == 50.0 and not brown["is_production_ready"]
    vincent = one(upgc, game_id=G4, player_lookup="gabevincent")  # inactive in G2 too
    assert vincent["days_rest"] is None and vincent["expected_games_count"] == 0
    assert vincent["is_production_ready"]


def test_complete_player_and_opponent_view_of_the_lines(upgc):
    giannis = one(upgc, game_id=G7, player_lookup="giannisantetokounmpo")
    assert (giannis["days_rest"], giannis["games_in_last_7_days"]) == (3, 2)
    assert giannis["minutes_in_last_7_days"] == pytest.approx(34 + 42)
    assert giannis["back_to_backs_last_14_days"] == 1  # Nov 2 after Nov 1
    assert giannis["avg_usage_rate_last_7_games"] == pytest.approx((U_GIANNIS_G1 + U_GIANNIS_G3) / 2)
    assert giannis["points_avg_last_5"] == pytest.approx((32 + 35) / 2)
    assert (giannis["opening_points_line"], giannis["line_movement"]) == (29.5, 0.0)
    # newest first: G3 UNDER (35 on 36.5), then G1 OVER ends it -> 0 over, 1 under
    assert (giannis["prop_over_streak"], giannis["prop_under_streak"]) == (0, 1)
    assert giannis["opponent_def_rating_last_10"] == pytest.approx(
        (ORTG[(G1, "MIL")] + ORTG[(G4, "LAL")] + ORTG[(h.G6, "NYK")]) / 3)
    assert (giannis["game_spread"], giannis["game_total"], giannis["home_game"]) == (6.5, 221.0, False)
    assert (giannis["completeness_pct"], giannis["quality_tier"]) == (100.0, "gold")


def test_utgc_rows_come_from_the_schedule(utgc):
    # G3 has UTGC rows for both teams even though NYK has no TOGS row
    assert utgc.groupby("game_date").size().to_dict() == {D0: 2, D1: 4, D2: 4, D4: 2, D5: 2}


@pytest.mark.parametrize(
    ("game", "team", "expected"),
    [
        # first game of 2023-24 (the April game is the previous season)
        (G1, "BOS", dict(days_rest=None, back_to_back=False, games_in_last_7_days=0,
                         game_number_in_season=1, win_streak_entering=0,
                         loss_streak_entering=0, last_game_margin=None, last_game_result=None)),
        # after G1 (lost 100-110) the day before
        (G4, "BOS", dict(days_rest=1, back_to_back=True, games_in_last_7_days=1,
                         game_number_in_season=2, win_streak_entering=0,
                         loss_streak_entering=1, last_game_margin=-10, last_game_result="L")),
        # L (Nov 1), W (Nov 2, 105-99), W (Nov 4, 112-108); Nov 3 was only scheduled
        (G7, "BOS", dict(days_rest=1, back_to_back=True, games_in_last_7_days=3,
                         games_in_last_14_days=3, game_number_in_season=4,
                         win_streak_entering=2, loss_streak_entering=0, last_game_margin=4,
                         last_game_result="W", game_spread=-6.5, game_total=221.0,
                         completeness_pct=100.0, is_production_ready=True)),
        # W (Nov 1, 110-100), L in overtime (Nov 2, 118-120)
        (G7, "MIL", dict(days_rest=3, back_to_back=False, games_in_last_7_days=2,
                         game_number_in_season=3, win_streak_entering=0,
                         loss_streak_entering=1, last_game_margin=-2, last_game_result="L",
                         game_spread=6.5, game_total=221.0, home_game=False)),
        # W, W; but G3 has no NYK TOGS row: 1 of 2 games complete
        (h.G6, "NYK", dict(days_rest=2, games_in_last_7_days=2, game_number_in_season=3,
                           win_streak_entering=2, loss_streak_entering=0, last_game_margin=2,
                           expected_games_count=2, actual_games_count=1,
                           completeness_pct=50.0, missing_game_dates='["2023-11-02"]',
                           quality_score=49, quality_tier="poor", is_production_ready=False)),
    ],
)
def test_team_context(utgc, game, team, expected):
    row = one(utgc, game_id=game, team_abbr=team)
    assert {k: row[k] for k in expected} == expected


def test_context_failure_rows(wh):
    failures = h.table(wh, "nba_processing.analytics_failures")
    upgc = failures[failures.processor_name == "upcoming_player_game_context"]
    assert sorted(zip(upgc.analysis_date, upgc.entity_id, upgc.failure_category)) == [
        (D4, G6, "MISSING_DEPENDENCY"),
        (D5, "jaylenbrown", "INCOMPLETE_DATA"),
        (D5, "jaytatum", "INCOMPLETE_DATA"),
    ]
    tatum = one(upgc, entity_id="jaytatum")
    assert (tatum["expected_game_count"], tatum["actual_game_count"]) == (3, 2)
    assert tatum["missing_game_dates"] == '["2023-11-04"]'
    utgc = failures[failures.processor_name == "upcoming_team_game_context"]
    assert sorted(zip(utgc.analysis_date, utgc.entity_id, utgc.failure_category)) == [
        (D4, "NYK", "INCOMPLETE_DATA")]
    assert D1 not in set(failures.analysis_date[failures.processor_name.str.startswith("upcoming")])
