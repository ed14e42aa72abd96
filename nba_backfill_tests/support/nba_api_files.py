"""Hand-made stats.nba.com player game logs (PlayerGameLogs style) and a CSV writer.

Shared by the loader's tests and the reliability tests that load files through the CLI:
one game, LAL @ DEN on 2023-10-24, five players a side, written as nba_api writes them.
"""

from __future__ import annotations

import csv
from pathlib import Path

PLAYER_LOG_HEADER = [
    "SEASON_YEAR", "PLAYER_ID", "PLAYER_NAME", "TEAM_ID", "TEAM_ABBREVIATION", "GAME_ID",
    "GAME_DATE", "MATCHUP", "WL", "MIN", "PTS", "FGM", "FGA", "FG3M", "FG3A", "FTM", "FTA",
    "OREB", "DREB", "REB", "AST", "TOV", "STL", "BLK", "PF", "PLUS_MINUS",
]  # fmt: skip
# name, MIN, PTS, FGM, FGA, FG3M, FG3A, FTM, FTA, OREB, DREB, REB, AST, TOV, STL, BLK, PF, +/-
DEN = [
    ("Nikola Jokić", "48.0", 29, 12, 20, 1, 3, 4, 5, 3, 10, 13, 11, 2, 1, 1, 2, 12),
    ("Jamal Murray", "47.983333", 21, 8, 17, 3, 7, 2, 2, 0, 4, 4, 6, 1, 1, 0, 3, 10),
    ("Michael Porter Jr.", "48.0", 25, 10, 16, 3, 6, 2, 2, 2, 5, 7, 1, 1, 0, 1, 2, 8),
    ("Aaron Gordon", "48.0", 15, 6, 11, 0, 1, 3, 4, 2, 4, 6, 3, 2, 0, 0, 3, 14),
    ("Kentavious Caldwell-Pope", "48.0", 10, 4, 9, 2, 5, 0, 0, 0, 2, 2, 2, 1, 2, 0, 2, 16),
]
LAL = [
    ("LeBron James", "48.0", 21, 10, 18, 1, 4, 0, 1, 1, 7, 8, 5, 3, 1, 0, 1, -14),
    ("Anthony Davis", "48.0", 17, 6, 17, 0, 1, 5, 6, 4, 4, 8, 4, 1, 1, 2, 3, -10),
    ("D'Angelo Russell", "48.0", 12, 5, 13, 2, 6, 0, 0, 0, 3, 3, 7, 2, 0, 0, 2, -13),
    ("Austin Reaves", "48.0", 14, 5, 10, 1, 4, 3, 4, 1, 3, 4, 3, 1, 0, 0, 2, -9),
    ("Taurean Prince", "48.0", 24, 9, 15, 4, 7, 2, 2, 0, 2, 2, 1, 0, 1, 1, 1, -14),
]
TEAM_IDS = {"DEN": 1610612743, "LAL": 1610612747, "BOS": 1610612738, "NYK": 1610612752}


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def player_row(player, team, opp, home, game_id="0022300061", date="2023-10-24T00:00:00", season="2023-24"):
    name, minutes, *stats = player
    matchup = f"{team} vs. {opp}" if home else f"{team} @ {opp}"
    wl = "W" if stats[-1] > 0 else "L"
    return [season, 1, name, TEAM_IDS.get(team, ""), team, game_id, date, matchup, wl, minutes, *stats]
