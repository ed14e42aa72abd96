"""A tiny hand-made league for the check and operations tests.

Four teams of six players play on a few 2023-24 dates (opener 2023-10-24, so days 0-13,
2023-10-24 .. 2023-11-06, are bootstrap days). Raw rows are complete unless a test takes
some away; the ``*_rows`` functions give what complete Phase 3/4 builds hold, for
hand-made tables (``create_table``) and for the pass-through test assets of ``chain``.

  2023-10-25  AAA@BBB, CCC@DDD     a bootstrap day with games
  2023-11-07  AAA@CCC, BBB@DDD     day 14: Phase 4's first day
  2023-11-08  CCC@DDD, AAA@BBB
  2023-11-09  (no games)
  2023-11-10  AAA@BBB, DDD@CCC
  2023-11-11  BBB@CCC, DDD@AAA
  2023-11-12  (no games)
  2023-11-13  CCC@AAA, BBB@DDD
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

import pandas as pd

OPENER = dt.date(2023, 10, 24)
TEAMS = ("AAA", "BBB", "CCC", "DDD")
NUMBERS = ("one", "two", "three", "four", "five", "six")
PLAYERS = {team: [f"{team.lower()}{n}" for n in NUMBERS] for team in TEAMS}
TEAM_OF = {p: team for team, players in PLAYERS.items() for p in players}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


GAMES: list[tuple[dt.date, str, str]] = [  # (date, away, home)
    (d("2023-10-25"), "AAA", "BBB"), (d("2023-10-25"), "CCC", "DDD"),
    (d("2023-11-07"), "AAA", "CCC"), (d("2023-11-07"), "BBB", "DDD"),
    (d("2023-11-08"), "CCC", "DDD"), (d("2023-11-08"), "AAA", "BBB"),
    (d("2023-11-10"), "AAA", "BBB"), (d("2023-11-10"), "DDD", "CCC"),
    (d("2023-11-11"), "BBB", "CCC"), (d("2023-11-11"), "DDD", "AAA"),
    (d("2023-11-13"), "CCC", "AAA"), (d("2023-11-13"), "BBB", "DDD"),
]  # fmt: skip
GAME_DAYS = sorted({day for day, _, _ in GAMES})
FIRST, LAST = d("2023-10-24"), d("2023-11-13")


def game_id(day: dt.date, away: str, home: str) -> str:
    return f"{day:%Y%m%d}_{away}_{home}"


def games(days: Iterable[dt.date] | None = None) -> list[tuple[str, dt.date, str, str]]:
    chosen = set(days) if days is not None else None
    return [(game_id(day, a, h), day, a, h) for day, a, h in GAMES if chosen is None or day in chosen]


def is_bootstrap(day: dt.date) -> bool:
    return (day - OPENER).days < 14


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day, tz="UTC") + pd.Timedelta(hours=30)


# -- raw ----------------------------------------------------------------------------------


def raw_frames(
    missing_games: Iterable[str] = (),
    no_box: Iterable[tuple[str, str]] = (),
    active: Mapping[tuple[str, str], int] | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Schedule (all final), team box scores and gamebook rows.

    ``missing_games``: no box score and no gamebook rows at all; ``no_box``: (game, team)
    without a team box score; ``active``: (game, team) -> how many of its six players are
    'active' (the rest 'inactive'); ``only``: keep just these games' box/gamebook rows.
    """
    missing, boxless, keep = set(missing_games), set(no_box), set(only) if only is not None else None
    active = dict(active or {})
    schedule, box, gamebook = [], [], []
    for gid, day, away, home in games():
        schedule.append({
            "nba_game_id": f"00{len(schedule):08d}", "game_id": gid, "game_date": day, "season_year": 2023,
            "game_status": 3, "home_team_tricode": home, "away_team_tricode": away,
            "home_team_score": 110, "away_team_score": 100, "is_regular_season": True,
            "is_playoffs": False, "is_play_in": False, "processed_at": _ts(day),
        })
        if gid in missing or (keep is not None and gid not in keep):
            continue
        for team in (away, home):
            if (gid, team) not in boxless:
                box.append({
                    "game_id": gid, "game_date": day, "team_abbr": team, "is_home": team == home,
                    "minutes": "240:00", "fg_made": 40 if team == home else 35, "fg_attempted": 85, "three_pt_made": 12,
                    "three_pt_attempted": 34, "ft_made": 18, "ft_attempted": 22,
                    "offensive_rebounds": 10, "defensive_rebounds": 33, "total_rebounds": 43,
                    "assists": 25, "steals": 7, "blocks": 5, "turnovers": 13, "personal_fouls": 19,
                    # points = 2 x FGM + 3PM + FTM, as in every real box score (staging rejects lines that do not add up)
                    "points": 110 if team == home else 100, "plus_minus": 0, "processed_at": _ts(day),
                })
            n_active = active.get((gid, team), 6)
            for i, player in enumerate(PLAYERS[team]):
                is_active = i < n_active
                gamebook.append({
                    "game_id": gid, "game_date": day, "player_lookup": player, "player_name": player.title(),
                    "team_abbr": team, "player_status": "active" if is_active else "inactive",
                    "dnp_reason": None if is_active else "Injury/Illness",
                    "minutes": "40:00" if is_active else None,
                    "points": 18 if is_active else None, "processed_at": _ts(day),
                })
    return {
        "nbac_schedule": pd.DataFrame(schedule),
        "nbac_team_boxscore": pd.DataFrame(box),
        "nbac_gamebook_player_stats": pd.DataFrame(gamebook),
    }


def load_raw(warehouse, frames: Mapping[str, pd.DataFrame]) -> None:
    for table, frame in frames.items():
        if len(frame):
            warehouse.load_dataframe(f"nba_raw.{table}", frame)


# -- what complete Phase 3 / Phase 4 builds hold --------------------------------------------


def togs_rows(days=None) -> pd.DataFrame:
    return pd.DataFrame([
        {"game_id": gid, "game_date": day, "team_abbr": team, "opponent_team_abbr": other}
        for gid, day, away, home in games(days) for team, other in ((away, home), (home, away))
    ])


def tdgs_rows(days=None) -> pd.DataFrame:
    return pd.DataFrame([
        {"game_id": gid, "game_date": day, "defending_team_abbr": team, "opponent_team_abbr": other,
         "opp_paint_attempts": 30, "opp_mid_range_attempts": 20, "opp_three_pt_attempts": 34}
        for gid, day, away, home in games(days) for team, other in ((away, home), (home, away))
    ])


def upgc_rows(days=None) -> pd.DataFrame:
    return pd.DataFrame([
        {"game_id": gid, "game_date": day, "player_lookup": p, "team_abbr": team, "opponent_team_abbr": other}
        for gid, day, away, home in games(days) for team, other in ((away, home), (home, away))
        for p in PLAYERS[team]
    ])


def tdza_rows(days=None) -> pd.DataFrame:
    """Every playing team, game days outside bootstrap (the test league's teams all
    meet the minimum by construction of these rows: the gate accepts any row). Every
    window game has zone data (games_without_shot_zones 0): no row is a source gap."""
    return pd.DataFrame([
        {"analysis_date": day, "team_abbr": team, "window_start_date": OPENER,
         "games_in_sample": 15, "games_without_shot_zones": 0, "paint_defense_vs_league_avg": 1.5,
         "mid_range_defense_vs_league_avg": -0.5, "three_pt_defense_vs_league_avg": 0.25}
        for gid, day, away, home in games(days) if not is_bootstrap(day) for team in (away, home)
    ])


def pcf_rows(days=None) -> pd.DataFrame:
    return pd.DataFrame([
        {"game_date": day, "game_id": gid, "player_lookup": p, "shot_zone_mismatch_score": 0.5}
        for gid, day, away, home in games(days) if not is_bootstrap(day)
        for team in (away, home) for p in PLAYERS[team]
    ])
