"""PGS on the hand-made warehouse (support/handmade.py): formulas, DNP handling, the gamebook ->
player box-score fallback, shot zones and the prop line cascade, all worked by hand."""

from __future__ import annotations

import pytest

from nba_backfill_tests.support import handmade as h
from nba_backfill_tests.support.handmade import D0, D1, D2, D4, D5, G1, G2, G3, G4, G6, G7, one

PGS = "nba_analytics.player_game_summary"
ZONES = ("paint_attempts", "paint_makes", "mid_range_attempts", "mid_range_makes",
         "three_attempts", "three_makes")  # fmt: skip


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return h.built_copy(tmp_path_factory, "player")


@pytest.fixture(scope="module")
def pgs(wh):
    return h.table(wh, PGS)


def test_rows_per_game_include_dnp_and_exclude_unusable_rows(pgs):
    counts = pgs.groupby("game_id").size().to_dict()
    # G1: tatum (twice in raw: one row), brown, holiday, giannis, lillard, middleton, portis;
    #     patconnaughton (5 made of 3) and beauchamp (-5:00) are unusable.
    # G2: brunson + 5 active LAL + vincent (inactive). G3: 7 gamebook rows.
    # G4: the 5 player box-score rows (the gamebook's lone inactive row is not used).
    assert counts == {h.G0: 2, G1: 7, G2: 7, G3: 7, G4: 5, G7: 3}
    assert G6 not in counts  # no player rows anywhere
    assert not pgs.duplicated(["game_id", "player_lookup"]).any()
    assert set(pgs[pgs.game_id == G1].player_lookup).isdisjoint({"patconnaughton", "marjonbeauchamp"})
    assert pgs.groupby("game_date").size().to_dict() == {D0: 2, D1: 14, D2: 12, D5: 3}


def test_box_stats_and_rates_of_a_gamebook_row(pgs):
    tatum = one(pgs, game_id=G1, player_lookup="jaytatum")  # the 05:00 re-scrape
    stats = dict(zip(h.STATS, (30, 11, 22, 4, 9, 4, 5, 1, 7, 8, 5, 1, 0, 3, 2, -5)))
    assert {k: tatum[k] for k in stats} == stats
    assert (tatum["team_abbr"], tatum["opponent_team_abbr"], tatum["home_game"]) == ("BOS", "MIL", False)
    assert (tatum["is_active"], tatum["is_dnp"], tatum["dnp_reason_category"]) == (True, False, None)
    assert tatum["minutes_played"] == pytest.approx(36.5)  # "36:30"
    assert tatum["ts_pct"] == pytest.approx(30 / (2 * (22 + 0.44 * 5)))  # 0.6198
    assert tatum["efg_pct"] == pytest.approx((11 + 0.5 * 4) / 22)  # 0.5909
    # usage = (FGA + 0.44 FTA + TOV) * (team_minutes / 5) / (minutes * (tFGA + 0.44 tFTA + tTOV))
    assert tatum["usage_rate"] == pytest.approx(
        (22 + 0.44 * 5 + 3) * (240 / 5) / (36.5 * (88 + 0.44 * 16 + 13)))  # 0.3311
    assert tatum["starter_flag"] == True  # noqa: E712 - from the player box score
    assert tatum["win_flag"] == False  # noqa: E712 - BOS lost 100-110
    assert (tatum["primary_source"], tatum["quality_score"], tatum["quality_tier"]) == (
        "gamebook", 100, "gold")
    assert tatum["is_production_ready"]
    assert tatum["season_year"] == 2023


def test_usage_with_a_reconstructed_team_line_and_with_overtime(pgs):
    lebron = one(pgs, game_id=G2, player_lookup="lebronjames")
    # LAL line reconstructed: tFGA 72, tFTA 18, tTOV 12, 240 minutes
    assert lebron["usage_rate"] == pytest.approx(
        (20 + 0.44 * 4 + 4) * 48 / (35 * (72 + 0.44 * 18 + 12)))  # 0.3843
    assert lebron["win_flag"] == False  # noqa: E712 - schedule: LAL 95, NYK 101
    giannis = one(pgs, game_id=G3, player_lookup="giannisantetokounmpo")
    # MIL in overtime: team_minutes 265
    assert giannis["usage_rate"] == pytest.approx(
        (24 + 0.44 * 11 + 5) * (265 / 5) / (42 * (95 + 0.44 * 20 + 11)))  # 0.3720


def test_usage_is_null_without_team_line_without_minutes_or_above_one(pgs):
    # NYK has no line in G3
    assert one(pgs, game_id=G3, player_lookup="jalenbrunson")["usage_rate"] is None
    # 0:00 minutes
    assert one(pgs, game_id=G1, player_lookup="jrueholiday")["usage_rate"] is None
    # walsh: (4 + 0 + 1) * 48 / (1 * (85 + 0.44 * 19 + 12)) = 2.28 > 1
    assert one(pgs, game_id=G4, player_lookup="jordanwalsh")["usage_rate"] is None
    # his ts is 0 / (2 * 4) = 0; efg 0 / 4 = 0 (FGA > 0, so not NULL)
    walsh = one(pgs, game_id=G4, player_lookup="jordanwalsh")
    assert (walsh["ts_pct"], walsh["efg_pct"]) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("game", "player", "category"),
    [
        (G1, "jaylenbrown", "coach_decision"),  # "DNP - Coach's Decision"
        (G1, "damianlillard", "injury"),  # "Injury/Illness - Rest": injury comes first
        (G1, "khrismiddleton", "rest"),  # "Rest"
        (G1, "bobbyportis", "personal"),  # "Personal Reasons"
        (G1, "jrueholiday", "other"),  # active, 0:00, no reason
        (G2, "gabevincent", "injury"),  # "Injury/Illness - Left Knee; Surgery"
        (G3, "mitchellrobinson", "injury"),  # "DNP - Injury/Illness"
        (G3, "milesmcbride", "other"),  # "G League - Two-Way; Restricted": not the word rest
    ],
)
def test_dnp_rows_and_reason_categories(pgs, game, player, category):
    row = one(pgs, game_id=game, player_lookup=player)
    assert row["is_dnp"] and row["dnp_reason_category"] == category
    assert row["minutes_played"] == 0.0
    assert row["usage_rate"] is None and row["efg_pct"] is None and row["ts_pct"] is None
    assert all(row[c] is None for c in ZONES) and row["shot_zones_source"] is None
    assert row["over_under_result"] is None and row["margin"] is None
    assert row["quality_score"] == 100  # no penalties on a row nobody played in


def test_inactive_and_active_flags(pgs):
    assert one(pgs, game_id=G1, player_lookup="damianlillard")["is_active"] == False  # noqa: E712
    assert one(pgs, game_id=G1, player_lookup="jrueholiday")["is_active"] == True  # noqa: E712


def test_shot_zones_from_bigdataball(pgs):
    tatum = one(pgs, game_id=G1, player_lookup="jaytatum")
    # paint: e2 (5 ft, made in the latest re-scrape), e5 (no type, 8 ft, made) -> 2/2
    # mid: e3 (15 ft, missed) -> 1/0; three: e1 (3PT, made), e4 (no type, 24 ft) -> 2/1
    assert [tatum[c] for c in ZONES] == [2, 2, 1, 0, 2, 1]
    # assisted: e1 and e5 (player_2_role 'assist'); unassisted: e2
    assert (tatum["assisted_fg_makes"], tatum["unassisted_fg_makes"]) == (2, 1)
    assert tatum["shot_zones_source"] == "bigdataball"
    assert tatum["has_complete_shot_zones"] == False  # noqa: E712 - 5 shots of 22 FGA
    giannis = one(pgs, game_id=G1, player_lookup="giannisantetokounmpo")
    # paint e7 (miss, blocked), e8 (make, assisted); mid e9 (2PT, no distance, made)
    assert [giannis[c] for c in ZONES] == [2, 1, 1, 1, 0, 0]
    assert (giannis["assisted_fg_makes"], giannis["unassisted_fg_makes"]) == (1, 1)
    # no plus_minus: 100 - 5
    assert (giannis["quality_score"], giannis["quality_tier"]) == (95, "gold")


def test_shot_zones_complete_and_not_doubled_by_a_rescrape(pgs):
    hauser = one(pgs, game_id=G4, player_lookup="samhauser")
    # three 3PT attempts (event 1 re-scraped: counted once, made), 2 made
    assert [hauser[c] for c in ZONES] == [0, 0, 0, 0, 3, 2]
    assert hauser["has_complete_shot_zones"] == True  # noqa: E712 - 3 zone shots = 3 FGA
    assert (hauser["assisted_fg_makes"], hauser["unassisted_fg_makes"]) == (1, 1)
    assert hauser["ts_pct"] == pytest.approx(6 / (2 * 3)) and hauser["efg_pct"] == pytest.approx((2 + 1) / 3)


def test_shot_zones_from_nbac_play_by_play(pgs):
    lebron = one(pgs, game_id=G2, player_lookup="lebronjames")
    # paint: 1 ft make; three: no type at exactly 23.75 ft (missed); the free throw is out
    assert [lebron[c] for c in ZONES] == [1, 1, 0, 0, 1, 0]
    assert lebron["shot_zones_source"] == "nbac_pbp"
    assert lebron["assisted_fg_makes"] is None and lebron["unassisted_fg_makes"] is None
    brunson = one(pgs, game_id=G2, player_lookup="jalenbrunson")
    assert [brunson[c] for c in ZONES] == [0, 0, 1, 0, 1, 1]
    davis = one(pgs, game_id=G2, player_lookup="anthonydavis")  # no shot in the events
    assert [davis[c] for c in ZONES] == [0] * 6


def test_no_play_by_play_means_null_zones_and_a_quality_penalty(pgs):
    brunson = one(pgs, game_id=G3, player_lookup="jalenbrunson")
    assert all(brunson[c] is None for c in ZONES)
    assert brunson["shot_zones_source"] is None
    assert brunson["has_complete_shot_zones"] == False  # noqa: E712
    assert brunson["quality_score"] == 95  # 100 - 5 (no zones); plus_minus present


def test_player_box_score_fallback(pgs):
    g4 = pgs[pgs.game_id == G4]
    assert set(g4.primary_source) == {"player_boxscores"}
    assert "gabevincent" not in set(g4.player_lookup)
    tatum = one(pgs, game_id=G4, player_lookup="jaytatum")
    assert (tatum["points"], tatum["field_goals_made"]) == (28, 10)  # latest re-scrape
    assert (tatum["starter_flag"], tatum["win_flag"], tatum["home_game"]) == (True, True, True)
    assert tatum["usage_rate"] == pytest.approx(
        (21 + 0.44 * 6 + 2) * 48 / (35 * (85 + 0.44 * 19 + 12)))  # 0.3337
    assert (tatum["quality_score"], tatum["quality_tier"]) == (85, "silver")
    assert one(pgs, game_id=G4, player_lookup="jaylenbrown")["starter_flag"] == False  # noqa: E712


@pytest.mark.parametrize(
    ("game", "player", "line", "source", "result", "margin"),
    [
        # odds api: draftkings first; its latest pre-tip snapshot 28.5 (the -30 min 35.5 is
        # in-game); fanduel's later 29.5 does not count. 30 > 28.5.
        (G1, "jaytatum", 28.5, "odds_api", "OVER", 1.5),
        # no draftkings/fanduel: alphabetical -> betmgm 31.5 (before caesars 30.5)
        (G1, "giannisantetokounmpo", 31.5, "odds_api", "OVER", 0.5),
        # bettingpros: DraftKings over is inactive, FanDuel over 29.5 wins (the FanDuel
        # under side, BetMGM's best line and the Consensus do not)
        (G2, "jalenbrunson", 29.5, "bettingpros", "OVER", 1.5),
        # DraftKings' latest update pulled the line; other books: Caesars is the best
        # line (26.5); the Consensus comes last even as a best line. 25 < 26.5
        (G2, "lebronjames", 26.5, "bettingpros", "UNDER", -1.5),
        (G2, "anthonydavis", 22.5, "bettingpros", "OVER", 1.5),  # Consensus only
        # two other books, neither best: the latest update (PointsBet 16.5)
        (G2, "austinreaves", 16.5, "bettingpros", "UNDER", -0.5),
        (G4, "jaytatum", 28.0, "odds_api", "PUSH", 0.0),  # 28 points on 28.0
        (G7, "jaytatum", 26.5, "bettingpros", "UNDER", -2.5),
        (G3, "giannisantetokounmpo", 36.5, "bettingpros", "UNDER", -1.5),  # 35 < 36.5
        (G2, "dangelorussell", None, None, None, None),  # no line anywhere
    ],
)
def test_prop_line_cascade(pgs, game, player, line, source, result, margin):
    row = one(pgs, game_id=game, player_lookup=player)
    assert (row["points_line"], row["points_line_source"]) == (line, source)
    assert (row["over_under_result"], row["margin"]) == (result, margin)


def test_player_failure_rows(wh):
    failures = h.table(wh, "nba_processing.analytics_failures")
    mine = failures[failures.processor_name == "player_game_summary"]
    assert sorted(zip(mine.analysis_date, mine.entity_id, mine.failure_category)) == [
        (D1, "marjonbeauchamp", "INCOMPLETE_DATA"),
        (D1, "patconnaughton", "INCOMPLETE_DATA"),
        (D4, G6, "MISSING_DEPENDENCY"),
    ]
    assert "negative minutes" in one(mine, entity_id="marjonbeauchamp")["failure_reason"]
    assert "made > attempted" in one(mine, entity_id="patconnaughton")["failure_reason"]
    game = one(mine, entity_id=G6)
    assert (game["expected_game_count"], game["actual_game_count"]) == (1, 0)
    assert game["missing_game_dates"] == '["2023-11-04"]'
