"""A tiny hand-made Phase 2 warehouse for the Phase 3 tests: eight games over six dates.

Every value here is typed by hand so the tests can work their expected outputs out on
paper (the arithmetic is written in the tests). What each game exercises:

  G0 2023-04-09 BOS@MIL  previous season (2022-23): must never enter a 2023-24 window
  G1 2023-11-01 BOS@MIL  both box scores (MIL re-scraped), bigdataball shots, odds-api
                         props, DNP keyword rows, two unusable gamebook rows
  G2 2023-11-01 NYK@LAL  LAL box score unusable -> reconstruction from 5 active players;
                         nbac play-by-play only; BettingPros lines
  G3 2023-11-02 MIL@NYK  one overtime ("265:00"); NYK: no box score, 4 active -> no line
  G4 2023-11-02 LAL@BOS  schedule re-scraped (status 1, 3, then a late 2); gamebook has
                         no active row -> player box scores
  G5 2023-11-03 BOS@NYK  scheduled only (status 1): 2023-11-03 has no final game
  G6 2023-11-04 NYK@BOS  box scores only, no player rows at all
  G7 2023-11-05 MIL@BOS  gamebook, no play-by-play, spreads/totals from 4 bookmakers
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

D0 = dt.date(2023, 4, 9)
D1 = dt.date(2023, 11, 1)
D2 = dt.date(2023, 11, 2)
D3 = dt.date(2023, 11, 3)
D4 = dt.date(2023, 11, 4)
D5 = dt.date(2023, 11, 5)

G0, G1, G2 = "20230409_BOS_MIL", "20231101_BOS_MIL", "20231101_NYK_LAL"
G3, G4, G5 = "20231102_MIL_NYK", "20231102_LAL_BOS", "20231103_BOS_NYK"
G6, G7 = "20231104_NYK_BOS", "20231105_MIL_BOS"
DATE_OF = {G0: D0, G1: D1, G2: D1, G3: D2, G4: D2, G5: D3, G6: D4, G7: D5}

STATS = [
    "points", "field_goals_made", "field_goals_attempted", "three_pointers_made",
    "three_pointers_attempted", "free_throws_made", "free_throws_attempted",
    "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists", "steals",
    "blocks", "turnovers", "personal_fouls", "plus_minus",
]  # fmt: skip
TEAM_STATS = [
    "fg_made", "fg_attempted", "three_pt_made", "three_pt_attempted", "ft_made",
    "ft_attempted", "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists",
    "steals", "blocks", "turnovers", "personal_fouls", "points",
]  # fmt: skip


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def schedule() -> pd.DataFrame:
    # game, status, home, away, home score, away score, processed_at
    rows = [
        (G0, 3, "MIL", "BOS", 120, 130, "2023-04-10 06:00"),
        (G1, 2, "MIL", "BOS", 50, 48, "2023-11-01 01:00"),  # live scrape, superseded
        (G1, 3, "MIL", "BOS", 110, 100, "2023-11-02 06:00"),
        (G2, 3, "LAL", "NYK", 95, 101, "2023-11-02 06:00"),
        (G3, 3, "NYK", "MIL", 120, 118, "2023-11-03 06:00"),
        (G4, 1, "BOS", "LAL", None, None, "2023-11-01 10:00"),
        (G4, 3, "BOS", "LAL", 105, 99, "2023-11-03 06:00"),
        (G4, 2, "BOS", "LAL", 60, 58, "2023-11-04 06:00"),  # later, but status 3 wins
        (G5, 1, "NYK", "BOS", None, None, "2023-11-03 06:00"),
        (G6, 3, "BOS", "NYK", 112, 108, "2023-11-05 06:00"),
        (G7, 3, "BOS", "MIL", 100, 90, "2023-11-06 06:00"),
    ]
    return _frame(
        [
            {
                "nba_game_id": f"00223{i:05d}", "game_id": g, "game_date": DATE_OF[g],
                "season_year": 2022 if g == G0 else 2023, "game_status": status,
                "home_team_tricode": home, "away_team_tricode": away,
                "home_team_score": hs, "away_team_score": aws,
                "is_regular_season": True, "is_playoffs": False, "is_play_in": False,
                "processed_at": ts(at),
            }
            for i, (g, status, home, away, hs, aws, at) in enumerate(rows)
        ]
    )


# minutes, FGM, FGA, 3PM, 3PA, FTM, FTA, OREB, DREB, REB, AST, STL, BLK, TOV, PF, PTS
TEAM_BOX = [
    (G0, "BOS", False, "240:00", (45, 90, 15, 38, 25, 30, 10, 40, 50, 28, 9, 6, 10, 20, 130), "2023-04-10 06:00"),
    (G0, "MIL", True, "240:00", (44, 92, 12, 35, 20, 24, 12, 36, 48, 25, 7, 4, 14, 22, 120), "2023-04-10 06:00"),
    (G1, "BOS", False, "240:00", (38, 88, 12, 35, 12, 16, 10, 34, 44, 22, 7, 5, 13, 19, 100), "2023-11-02 05:00"),
    # MIL re-scraped: the 01:00 row is stale, the 05:00 row is the truth
    (G1, "MIL", True, "240:00", (40, 85, 14, 30, 14, 18, 9, 36, 45, 25, 8, 6, 12, 20, 108), "2023-11-02 01:00"),
    (G1, "MIL", True, "240:00", (41, 86, 14, 30, 14, 18, 9, 36, 45, 25, 8, 6, 12, 20, 110), "2023-11-02 05:00"),
    (G2, "NYK", False, "240:00", (37, 84, 13, 33, 14, 20, 11, 33, 44, 21, 9, 4, 14, 18, 101), "2023-11-02 05:00"),
    # LAL: 50 made of 40 attempted cannot happen -> unusable -> reconstruction
    (G2, "LAL", True, "240:00", (50, 40, 10, 30, 10, 15, 8, 30, 38, 20, 5, 5, 10, 20, 95), "2023-11-02 05:00"),
    (G3, "MIL", False, "265:00", (45, 95, 12, 36, 16, 20, 12, 40, 52, 24, 6, 5, 11, 22, 118), "2023-11-03 05:00"),
    (G4, "BOS", True, "240:00", (40, 85, 10, 30, 15, 19, 8, 35, 43, 23, 7, 3, 12, 20, 105), "2023-11-03 05:00"),
    (G4, "LAL", False, "240:00", (38, 87, 11, 31, 12, 15, 10, 32, 42, 20, 6, 4, 13, 21, 99), "2023-11-03 05:00"),
    (G6, "BOS", True, "240:00", (42, 90, 13, 34, 15, 20, 9, 37, 46, 26, 8, 5, 12, 18, 112), "2023-11-05 05:00"),
    (G6, "NYK", False, "240:00", (40, 88, 12, 32, 16, 21, 10, 33, 43, 22, 6, 3, 14, 20, 108), "2023-11-05 05:00"),
    (G7, "BOS", True, "240:00", (37, 82, 12, 33, 14, 18, 9, 35, 44, 24, 7, 4, 13, 19, 100), "2023-11-06 05:00"),
    (G7, "MIL", False, "240:00", (34, 86, 10, 35, 12, 16, 11, 31, 42, 19, 6, 5, 12, 21, 90), "2023-11-06 05:00"),
]  # fmt: skip


def team_boxscore() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": g, "game_date": DATE_OF[g], "team_abbr": team, "is_home": home,
                "minutes": minutes, **dict(zip(TEAM_STATS, stats)), "plus_minus": None,
                "processed_at": ts(at),
            }
            for g, team, home, minutes, stats, at in TEAM_BOX
        ]
    )


# PTS, FGM, FGA, 3PM, 3PA, FTM, FTA, OREB, DREB, REB, AST, STL, BLK, TOV, PF, +/-
ZERO = (0,) * 16
NONE = (None,) * 16
# game, player, team, status, dnp_reason, minutes, stats, processed_at
GAMEBOOK = [
    (G0, "jaytatum", "BOS", "active", None, "38:00", (40, 14, 25, 5, 10, 7, 8, 1, 8, 9, 4, 1, 1, 2, 2, 10), "2023-04-10 05:00"),
    (G0, "giannisantetokounmpo", "MIL", "active", None, "36:00", (30, 12, 22, 0, 2, 6, 9, 3, 10, 13, 5, 1, 2, 3, 3, -10), "2023-04-10 05:00"),
    # G1 -- tatum re-scraped: the 01:00 row (28 points) is stale
    (G1, "jaytatum", "BOS", "active", None, "36:30", (28, 10, 22, 4, 9, 4, 5, 1, 7, 8, 5, 1, 0, 3, 2, -5), "2023-11-02 01:00"),
    (G1, "jaytatum", "BOS", "active", None, "36:30", (30, 11, 22, 4, 9, 4, 5, 1, 7, 8, 5, 1, 0, 3, 2, -5), "2023-11-02 05:00"),
    (G1, "jaylenbrown", "BOS", "dnp", "DNP - Coach's Decision", None, NONE, "2023-11-02 05:00"),
    (G1, "jrueholiday", "BOS", "active", None, "0:00", ZERO, "2023-11-02 05:00"),
    (G1, "giannisantetokounmpo", "MIL", "active", None, "34:00", (32, 12, 20, 1, 3, 7, 10, 3, 9, 12, 6, 1, 2, 4, 3, None), "2023-11-02 05:00"),
    (G1, "damianlillard", "MIL", "inactive", "Injury/Illness - Rest", None, NONE, "2023-11-02 05:00"),
    (G1, "khrismiddleton", "MIL", "dnp", "Rest", None, NONE, "2023-11-02 05:00"),
    (G1, "bobbyportis", "MIL", "dnp", "Personal Reasons", None, NONE, "2023-11-02 05:00"),
    # two unusable rows: 5 made of 3 attempted; negative minutes
    (G1, "patconnaughton", "MIL", "active", None, "20:00", (8, 5, 3, 0, 1, 0, 0, 0, 2, 2, 1, 0, 0, 1, 1, 2), "2023-11-02 05:00"),
    (G1, "marjonbeauchamp", "MIL", "active", None, "-5:00", ZERO, "2023-11-02 05:00"),
    # G2 -- NYK has a box score; LAL's is unusable, so its 5 active players rebuild it
    (G2, "jalenbrunson", "NYK", "active", None, "38:00", (31, 11, 24, 3, 8, 6, 7, 0, 4, 4, 8, 1, 0, 2, 2, 6), "2023-11-02 05:00"),
    (G2, "lebronjames", "LAL", "active", None, "35:00", (25, 10, 20, 2, 6, 3, 4, 1, 7, 8, 9, 1, 1, 4, 1, -4), "2023-11-02 05:00"),
    (G2, "anthonydavis", "LAL", "active", None, "36:00", (24, 10, 18, 0, 1, 4, 6, 4, 10, 14, 3, 2, 3, 2, 3, -2), "2023-11-02 05:00"),
    (G2, "austinreaves", "LAL", "active", None, "34:00", (16, 5, 12, 2, 5, 4, 4, 0, 3, 3, 5, 0, 0, 2, 2, -8), "2023-11-02 05:00"),
    (G2, "dangelorussell", "LAL", "active", None, "30:00", (14, 5, 13, 3, 8, 1, 2, 0, 2, 2, 6, 1, 0, 3, 1, -6), "2023-11-02 05:00"),
    (G2, "ruihachimura", "LAL", "active", None, "25:30", (10, 4, 9, 1, 3, 1, 2, 2, 3, 5, 1, 0, 1, 1, 2, 0), "2023-11-02 05:00"),
    (G2, "gabevincent", "LAL", "inactive", "Injury/Illness - Left Knee; Surgery", None, NONE, "2023-11-02 05:00"),
    # G3 -- NYK: 4 active players and no box score -> no line
    (G3, "giannisantetokounmpo", "MIL", "active", None, "42:00", (35, 13, 24, 1, 4, 8, 11, 4, 11, 15, 7, 1, 1, 5, 4, -2), "2023-11-03 05:00"),
    (G3, "jalenbrunson", "NYK", "active", None, "44:00", (40, 15, 30, 4, 10, 6, 6, 0, 3, 3, 9, 1, 0, 3, 2, 2), "2023-11-03 05:00"),
    (G3, "juliusrandle", "NYK", "active", None, "40:00", (25, 9, 20, 2, 6, 5, 6, 3, 8, 11, 4, 1, 0, 3, 3, 1), "2023-11-03 05:00"),
    (G3, "joshhart", "NYK", "active", None, "38:00", (10, 4, 8, 0, 1, 2, 2, 4, 7, 11, 5, 2, 0, 1, 2, 5), "2023-11-03 05:00"),
    (G3, "rjbarrett", "NYK", "active", None, "35:00", (18, 7, 15, 2, 5, 2, 3, 1, 3, 4, 2, 0, 1, 2, 2, -3), "2023-11-03 05:00"),
    (G3, "mitchellrobinson", "NYK", "dnp", "DNP - Injury/Illness", None, NONE, "2023-11-03 05:00"),
    (G3, "milesmcbride", "NYK", "dnp", "G League - Two-Way; Restricted", None, NONE, "2023-11-03 05:00"),
    # G4 -- no active gamebook row: the game falls back to player box scores
    (G4, "gabevincent", "LAL", "inactive", "Injury/Illness - Left Knee; Surgery", None, NONE, "2023-11-03 05:00"),
    # G7
    (G7, "jaytatum", "BOS", "active", None, "37:00", (24, 9, 20, 3, 9, 3, 4, 0, 8, 8, 6, 1, 1, 3, 2, 12), "2023-11-06 05:00"),
    (G7, "jaylenbrown", "BOS", "active", None, "33:00", (20, 8, 16, 2, 5, 2, 2, 1, 5, 6, 3, 1, 0, 2, 3, 8), "2023-11-06 05:00"),
    (G7, "giannisantetokounmpo", "MIL", "active", None, "35:00", (29, 11, 19, 0, 2, 7, 9, 2, 10, 12, 6, 0, 2, 4, 3, -10), "2023-11-06 05:00"),
]  # fmt: skip


def gamebook() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": g, "game_date": DATE_OF[g], "player_lookup": player,
                "player_name": player.title(), "team_abbr": team, "player_status": status,
                "dnp_reason": reason, "minutes": minutes, **dict(zip(STATS, stats)),
                "processed_at": ts(at),
            }
            for g, player, team, status, reason, minutes, stats, at in GAMEBOOK
        ]
    )


# game, player, team, starter, minutes, stats, processed_at
PLAYER_BOX = [
    # G1: only the starter flag is used (the gamebook has the game); 99 points proves it
    (G1, "jaytatum", "BOS", True, "36:30", (99, 40, 50, 4, 9, 15, 20, 1, 7, 8, 5, 1, 0, 3, 2, -5), "2023-11-02 05:00"),
    # G4: the game's source. tatum re-scraped: the 01:00 row (20 points) is stale
    (G4, "jaytatum", "BOS", True, "35:00", (20, 7, 21, 3, 8, 3, 6, 1, 6, 7, 4, 2, 1, 2, 3, 8), "2023-11-03 01:00"),
    (G4, "jaytatum", "BOS", True, "35:00", (28, 10, 21, 3, 8, 5, 6, 1, 6, 7, 4, 2, 1, 2, 3, 8), "2023-11-03 05:00"),
    (G4, "jaylenbrown", "BOS", False, "28:00", (15, 6, 13, 1, 4, 2, 2, 1, 4, 5, 2, 1, 0, 1, 2, 4), "2023-11-03 05:00"),
    (G4, "samhauser", "BOS", False, "12:00", (6, 2, 3, 2, 3, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 2), "2023-11-03 05:00"),
    (G4, "jordanwalsh", "BOS", False, "1:00", (0, 0, 4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, -2), "2023-11-03 05:00"),
    (G4, "lebronjames", "LAL", True, "36:00", (27, 11, 21, 2, 5, 3, 4, 1, 8, 9, 10, 1, 1, 5, 2, -6), "2023-11-03 05:00"),
]  # fmt: skip


def player_boxscores() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": g, "game_date": DATE_OF[g], "player_lookup": player,
                "player_name": player.title(), "team_abbr": team, "starter": starter,
                "minutes": minutes, **dict(zip(STATS, stats)), "processed_at": ts(at),
            }
            for g, player, team, starter, minutes, stats, at in PLAYER_BOX
        ]
    )


# game, event, type, made, shot_type, distance, shooter, team, player_2, role, processed_at
BIGDATABALL = [
    (G1, 1, "shot", True, "3PT", 25.0, "jaytatum", "BOS", "jaylenbrown", "assist", "2023-11-02 05:00"),
    (G1, 2, "shot", False, "2PT", 5.0, "jaytatum", "BOS", None, None, "2023-11-02 01:00"),  # stale
    (G1, 2, "shot", True, "2PT", 5.0, "jaytatum", "BOS", None, None, "2023-11-02 05:00"),
    (G1, 3, "shot", False, "2PT", 15.0, "jaytatum", "BOS", None, None, "2023-11-02 05:00"),
    (G1, 4, "shot", False, None, 24.0, "jaytatum", "BOS", None, None, "2023-11-02 05:00"),
    (G1, 5, "shot", True, None, 8.0, "jaytatum", "BOS", "jrueholiday", "assist", "2023-11-02 05:00"),
    (G1, 6, "free throw", True, "FT", None, "jaytatum", "BOS", None, None, "2023-11-02 05:00"),
    (G1, 7, "shot", False, "2PT", 2.0, "giannisantetokounmpo", "MIL", "jaytatum", "block", "2023-11-02 05:00"),
    (G1, 8, "shot", True, "2PT", 3.0, "giannisantetokounmpo", "MIL", "damianlillard", "assist", "2023-11-02 05:00"),
    (G1, 9, "shot", True, "2PT", None, "giannisantetokounmpo", "MIL", None, None, "2023-11-02 05:00"),
    (G1, 10, "rebound", None, None, None, "giannisantetokounmpo", "MIL", None, None, "2023-11-02 05:00"),
    (G1, 11, "shot", True, None, None, "giannisantetokounmpo", "MIL", None, None, "2023-11-02 05:00"),
    (G4, 1, "shot", False, "3PT", 25.0, "samhauser", "BOS", None, None, "2023-11-03 01:00"),  # stale
    (G4, 1, "shot", True, "3PT", 25.0, "samhauser", "BOS", "jaytatum", "assist", "2023-11-03 05:00"),
    (G4, 2, "shot", True, "3PT", 24.0, "samhauser", "BOS", None, None, "2023-11-03 05:00"),
    (G4, 3, "shot", False, "3PT", 26.0, "samhauser", "BOS", None, None, "2023-11-03 05:00"),
    (G4, 4, "shot", True, "2PT", 12.0, "jaytatum", "BOS", None, None, "2023-11-03 05:00"),
]  # fmt: skip


def bigdataball() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": g, "game_date": DATE_OF[g], "event_id": event, "period": 1,
                "event_type": kind, "shot_made": made, "shot_type": shot_type,
                "shot_distance": distance, "player_1_lookup": shooter,
                "player_1_team_abbr": team, "player_2_lookup": other, "player_2_role": role,
                "processed_at": ts(at),
            }
            for g, event, kind, made, shot_type, distance, shooter, team, other, role, at in BIGDATABALL
        ]
    )


NBAC_PBP = [
    # G1 has bigdataball: this nbac shot must be ignored
    (G1, 1, "fieldgoal", True, "2PT", 3.0, "jaytatum", "BOS"),
    (G2, 1, "fieldgoal", True, "3PT", 26.0, "jalenbrunson", "NYK"),
    (G2, 2, "fieldgoal", False, "2PT", 10.0, "jalenbrunson", "NYK"),
    (G2, 3, "fieldgoal", True, "2PT", 1.0, "lebronjames", "LAL"),
    (G2, 4, "fieldgoal", False, None, 23.75, "lebronjames", "LAL"),
    (G2, 5, "freethrow", True, "FT", None, "lebronjames", "LAL"),
]


def nbac_play_by_play() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": g, "game_date": DATE_OF[g], "event_id": event, "period": 1,
                "event_type": kind, "shot_made": made, "shot_type": shot_type,
                "shot_distance": distance, "player_1_lookup": shooter,
                "player_1_team_abbr": team, "processed_at": ts("2023-11-02 05:00"),
            }
            for g, event, kind, made, shot_type, distance, shooter, team in NBAC_PBP
        ]
    )


# game, player, bookmaker, snapshot, minutes_before_tipoff, line
ODDS_PROPS = [
    (G1, "jaytatum", "draftkings", "2023-11-01 18:00", 360, 27.5),
    (G1, "jaytatum", "draftkings", "2023-11-01 23:00", 60, 28.5),
    (G1, "jaytatum", "draftkings", "2023-11-02 00:30", -30, 35.5),  # in-game: ignored
    (G1, "jaytatum", "fanduel", "2023-11-01 17:00", 420, 26.5),
    (G1, "jaytatum", "fanduel", "2023-11-01 23:30", 30, 29.5),
    (G1, "giannisantetokounmpo", "caesars", "2023-11-01 21:00", 180, 30.5),
    (G1, "giannisantetokounmpo", "betmgm", "2023-11-01 20:00", 240, 31.5),
    (G4, "jaytatum", "draftkings", "2023-11-02 22:00", 90, 28.0),
    (G7, "giannisantetokounmpo", "draftkings", "2023-11-05 23:00", 60, 29.5),
]


def odds_props() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": g, "game_date": DATE_OF[g], "player_lookup": player,
                "bookmaker": book, "snapshot_timestamp": ts(at),
                "minutes_before_tipoff": before, "points_line": line,
                "over_price_american": -110, "under_price_american": -110,
            }
            for g, player, book, at, before, line in ODDS_PROPS
        ]
    )


# date, player, market, side, bookmaker, line, opening, active, best, last update
BETTINGPROS = [
    (D1, "jaytatum", "points", "over", "DraftKings", 20.5, 20.5, True, False, "2023-11-01 20:00"),  # odds api wins
    (D1, "jalenbrunson", "points", "over", "DraftKings", 30.5, 30.5, False, False, "2023-11-01 20:00"),
    (D1, "jalenbrunson", "points", "under", "FanDuel", 28.5, 28.5, True, False, "2023-11-01 20:00"),
    (D1, "jalenbrunson", "points", "over", "FanDuel", 29.5, 28.5, True, False, "2023-11-01 20:00"),
    (D1, "jalenbrunson", "points", "over", "BetMGM", 31.5, 31.5, True, True, "2023-11-01 20:00"),
    (D1, "jalenbrunson", "points", "over", "BettingPros Consensus", 30.0, 30.0, True, False, "2023-11-01 20:00"),
    (D1, "lebronjames", "rebounds", "over", "DraftKings", 8.5, 8.5, True, False, "2023-11-01 20:00"),
    (D1, "lebronjames", "points", "over", "DraftKings", 24.5, 24.5, True, False, "2023-11-01 12:00"),
    (D1, "lebronjames", "points", "over", "DraftKings", 24.5, 24.5, False, False, "2023-11-01 15:00"),
    (D1, "lebronjames", "points", "over", "BetMGM", 25.5, 24.5, True, False, "2023-11-01 19:00"),
    (D1, "lebronjames", "points", "over", "Caesars", 26.5, 25.0, True, True, "2023-11-01 18:00"),
    (D1, "lebronjames", "points", "over", "BettingPros Consensus", 25.0, 25.0, True, True, "2023-11-01 21:00"),
    (D1, "anthonydavis", "points", "over", "BettingPros Consensus", 22.5, 23.5, True, False, "2023-11-01 20:00"),
    (D1, "austinreaves", "points", "over", "BetMGM", 15.5, 15.5, True, False, "2023-11-01 18:00"),
    (D1, "austinreaves", "points", "over", "PointsBet", 16.5, 16.0, True, False, "2023-11-01 20:00"),
    (D2, "giannisantetokounmpo", "points", "over", "FanDuel", 36.5, 35.5, True, False, "2023-11-02 20:00"),
    (D5, "jaytatum", "points", "over", "DraftKings", 26.5, 25.5, True, False, "2023-11-05 20:00"),
    # previous season: an OVER that must never extend a 2023-24 streak
    (D0, "jaytatum", "points", "over", "DraftKings", 35.5, 35.5, True, False, "2023-04-09 20:00"),
]  # fmt: skip


def bettingpros() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_date": day, "player_lookup": player, "market_type": market,
                "bet_side": side, "bookmaker": book, "points_line": line,
                "opening_line": opening, "is_active": active, "is_best_line": best,
                "bookmaker_last_update": ts(at),
            }
            for day, player, market, side, book, line, opening, active, best, at in BETTINGPROS
        ]
    )


# bookmaker, market, outcome, point, snapshot (G7 tips at 2023-11-06 00:00 UTC)
GAME_LINES = [
    ("draftkings", "spreads", "BOS", -5.5, "2023-11-05 20:00"),
    ("draftkings", "spreads", "MIL", 5.5, "2023-11-05 20:00"),
    ("draftkings", "spreads", "BOS", -6.5, "2023-11-05 23:30"),
    ("draftkings", "spreads", "MIL", 6.5, "2023-11-05 23:30"),
    ("draftkings", "spreads", "BOS", -12.5, "2023-11-06 00:30"),  # after tip-off
    ("draftkings", "spreads", "MIL", 12.5, "2023-11-06 00:30"),
    ("fanduel", "spreads", "BOS", -6.0, "2023-11-05 23:00"),
    ("fanduel", "spreads", "MIL", 6.0, "2023-11-05 23:00"),
    ("betmgm", "spreads", "MIL", 7.0, "2023-11-05 22:00"),  # only the MIL side
    ("draftkings", "totals", "Over", 220.5, "2023-11-05 23:30"),
    ("draftkings", "totals", "Under", 220.5, "2023-11-05 23:30"),
    ("draftkings", "totals", "Over", 230.0, "2023-11-06 00:30"),  # after tip-off
    ("fanduel", "totals", "Over", 221.5, "2023-11-05 23:00"),
    ("betmgm", "totals", "Under", 219.0, "2023-11-05 22:00"),
    ("caesars", "totals", "Over", 222.0, "2023-11-05 21:00"),
]


def game_lines() -> pd.DataFrame:
    return _frame(
        [
            {
                "game_id": G7, "game_date": D5, "bookmaker_key": book, "market_key": market,
                "outcome_name": outcome, "outcome_point": point, "snapshot_timestamp": ts(at),
            }
            for book, market, outcome, point, at in GAME_LINES
        ]
    )


FRAMES = {
    "nbac_schedule": schedule,
    "nbac_team_boxscore": team_boxscore,
    "nbac_gamebook_player_stats": gamebook,
    "nbac_player_boxscores": player_boxscores,
    "bigdataball_play_by_play": bigdataball,
    "nbac_play_by_play": nbac_play_by_play,
    "odds_api_player_points_props": odds_props,
    "bettingpros_player_points_props": bettingpros,
    "odds_api_game_lines": game_lines,
}


def load(warehouse) -> None:
    """Write every hand-made raw table into a set-up warehouse."""
    for table, build in FRAMES.items():
        warehouse.load_dataframe(f"nba_raw.{table}", build())


# -- building and reading -------------------------------------------------------------


def build_all(warehouse, start: dt.date, end: dt.date, run_id: str = "test") -> None:
    """Build the five Phase 3 tables for [start, end] as one range each, in SPEC §4 order."""
    from nba_backfill import catalog
    from nba_backfill.assets.sql_asset import build_range

    for spec in catalog.tables().values():
        if spec.phase == "phase3":
            build_range(spec, warehouse, start, end, run_id)


def built_warehouse(path) -> "DuckDBWarehouse":  # noqa: F821 - imported lazily
    """A warehouse file holding the hand-made raw tables and every Phase 3 table built:
    the previous-season date first, then 2023-11-01 .. 2023-11-05 as one range."""
    from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=1)
    warehouse.setup()
    load(warehouse)
    build_all(warehouse, D0, D0)
    build_all(warehouse, D1, D5)
    return warehouse


_TEMPLATE: dict[str, object] = {}


def built_copy(tmp_path_factory, name: str) -> "DuckDBWarehouse":  # noqa: F821
    """A private copy of the built hand-made warehouse: built once per test session
    (the builds are the slow part), copied per test module, so modules may rebuild."""
    import shutil

    from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

    if "path" not in _TEMPLATE:
        path = tmp_path_factory.mktemp("handmade_template") / "warehouse.duckdb"
        built_warehouse(path)
        _TEMPLATE["path"] = path
    copy = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
    shutil.copyfile(_TEMPLATE["path"], copy)
    wal = _TEMPLATE["path"].with_name("warehouse.duckdb.wal")  # if not yet checkpointed
    if wal.exists():
        shutil.copyfile(wal, copy.with_name("warehouse.duckdb.wal"))
    return DuckDBWarehouse(path=str(copy), lock_timeout_seconds=5)


def table(warehouse, name: str, order: str = "ALL") -> pd.DataFrame:
    """Every row of a table (dataset.name), sorted, with DATE columns as datetime.date."""
    dataset, short = name.split(".")
    with warehouse.connect(read_only=True) as connection:
        frame = connection.execute(
            f'SELECT * FROM "{warehouse.dataset_prefix}{dataset}"."{short}" ORDER BY {order}'
        ).df()
    for column in ("game_date", "analysis_date"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def one(frame: pd.DataFrame, **keys) -> dict:
    """The single row of ``frame`` matching every key=value, as a dict."""
    mask = pd.Series(True, index=frame.index)
    for column, value in keys.items():
        mask &= frame[column] == value
    matched = frame[mask]
    assert len(matched) == 1, f"{keys}: {len(matched)} rows"
    return {k: (None if _missing(v) else v) for k, v in matched.iloc[0].to_dict().items()}


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
