"""Known defects planted in a simulated season, and the source gaps no feed ever had.

Defects never fall in a season's first 14 days, never after the regular season, and
never two kinds on one date (nor on a source-gap date), so each one is seen alone
downstream. A missing raw game keeps its schedule row, prop and game lines: only the
box-score and play-by-play scrapers failed for it. A re-scrape leaves an internally
consistent stale copy three hours older. Source gaps (SPEC §6: public shot charts cover
the regular season only and miss whole ranges) are keyed by season, not drawn, so the
other seasons' rows are unchanged: in 2023-24 no play-in or playoff game has
play-by-play in either feed, and in 2024-25 no game of December 2024 has any. All of
them are listed in ``demo_defects``; a source gap as ``source_gap_no_pbp`` (a row per
game and feed), whose NULL zones the contamination checks count apart (NO_SOURCE),
never as contamination.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nba_backfill.demo.games import ACTIVE, _Box
from nba_backfill.demo.league import ROSTER
from nba_backfill.demo.postseason import REGULAR
from nba_backfill.demo.season import _dates, _Played

if TYPE_CHECKING:
    from nba_backfill.seasons import Season

# Source gaps (SPEC §6), by season_year: no play-by-play in either feed for ...
_NO_POSTSEASON_PBP = frozenset({2023})  # ... any play-in or playoff game (2023-24)
_NO_PBP_MONTH = {2024: 12}  # ... any game of that calendar month (December 2024, 2024-25)
_SOURCE_GAP_TABLES = ("bigdataball_play_by_play", "nbac_play_by_play")

# A missing raw game is missing from these; a re-scraped game is doubled in those.
_PER_GAME_TABLES = (
    "nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_player_boxscores",
    "bigdataball_play_by_play", "nbac_play_by_play",
)
_DUPLICATED_TABLES = ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats")
_STALE_HOURS_EARLIER = 3  # the stale copy's processed_at, before the final scrape


@dataclass(frozen=True)
class _Defects:
    """Planted defects (game indexes into _Played), on distinct regular-season dates
    from day 14 on."""

    no_team_box: np.ndarray  # every game of ~3 dates: no nbac_team_boxscore rows
    no_bigdataball: np.ndarray  # every game of 7-10 consecutive game dates
    missing: np.ndarray  # ~2 games with no box-score or play-by-play rows at all
    duplicated: np.ndarray  # ~3 games re-scraped: an earlier, stale copy stays behind
    no_player_box_days: np.ndarray  # datetime64[D]: dates without nbac_player_boxscores
    stale_box: _Box  # the box as first scraped; differs from the final one in `duplicated`
    stale_players: dict[int, list[str]]  # game -> names whose stale stats differ
    no_pbp: np.ndarray  # source gaps: games no play-by-play feed ever had
    no_pbp_detail: str  # what the source gap is, for the manifest


def _source_gaps(played: _Played) -> tuple[np.ndarray, str]:
    """Games without play-by-play in either feed (SPEC §6 source gaps), and why."""
    games, year = played.games, played.season_year
    if year in _NO_POSTSEASON_PBP:
        return np.flatnonzero(games.kind != REGULAR), (
            "play-in/playoff game: neither play-by-play feed has it (a source gap: zones NULL, "
            "counted apart by the contamination checks)"
        )
    if year in _NO_PBP_MONTH:
        month = _NO_PBP_MONTH[year]
        in_month = games.day.astype("datetime64[M]").astype(int) % 12 + 1 == month
        name = dt.date(2000, month, 1).strftime("%B")
        return np.flatnonzero(in_month), (
            f"no play-by-play in either feed for all of {name} (a source gap: zones NULL, "
            "counted apart by the contamination checks)"
        )
    return np.array([], dtype=np.int64), ""


def _plant_defects(played: _Played, season: Season, rng: np.random.Generator) -> _Defects:
    games = played.games
    no_pbp, no_pbp_detail = _source_gaps(played)
    eligible = np.unique(games.day[(games.kind == REGULAR) & (games.day >= np.datetime64(season.opener) + 14)])
    eligible = np.setdiff1d(eligible, games.day[no_pbp])  # never two kinds on one date
    gap_len = int(rng.integers(7, 11))
    gap_start = int(rng.integers(0, eligible.size * 2 // 3))
    gap_days = eligible[gap_start : gap_start + gap_len]
    rest = np.setdiff1d(eligible, gap_days)
    n_player_box = int(rng.integers(3, 6))
    picked = rng.choice(rest, 3 + 2 + 3 + n_player_box, replace=False)
    team_box_days, missing_days, dup_days = picked[:3], picked[3:5], picked[5:8]
    missing = np.array([rng.choice(np.flatnonzero(games.day == d)) for d in missing_days])
    duplicated = np.array([rng.choice(np.flatnonzero(games.day == d)) for d in dup_days])
    stale_box, stale_players = _stale_copy(played, duplicated, rng)
    return _Defects(
        no_team_box=np.flatnonzero(np.isin(games.day, team_box_days)),
        no_bigdataball=np.flatnonzero(np.isin(games.day, gap_days)),
        missing=np.sort(missing),
        duplicated=np.sort(duplicated),
        no_player_box_days=np.sort(picked[8:]),
        stale_box=stale_box,
        stale_players=stale_players,
        no_pbp=no_pbp,
        no_pbp_detail=no_pbp_detail,
    )


def _stale_copy(played: _Played, games: np.ndarray, rng: np.random.Generator):
    """The box as first scraped: two players per game not yet credited with a made two
    (and one defensive rebound each). Every stale row is internally consistent."""
    stats = {k: v.copy() for k, v in played.box.stats.items()}
    stale = replace(played.box, stats=stats)
    names: dict[int, list[str]] = {}
    for g in games:
        rows = np.array([2 * g, 2 * g + 1])
        twos = stats["paint_m"][rows] + stats["mid_m"][rows]
        candidates = np.argwhere((twos > 0) & (played.box.status[rows] == ACTIVE))
        chosen = candidates[rng.choice(len(candidates), 2, replace=False)]
        names[int(g)] = []
        for side, rank in chosen:
            row = rows[side]
            zone = "paint" if stats["paint_m"][row, rank] > 0 else "mid"
            for stat in (f"{zone}_m", f"{zone}_a"):
                stats[stat][row, rank] -= 1
            stats["dreb"][row, rank] -= stats["dreb"][row, rank] > 0
            names[int(g)].append(played.roster.name[played.box.team[row] * ROSTER + rank])
    return stale, names


def _kept(played: _Played, *dropped: np.ndarray) -> np.ndarray:
    """Game indexes not in any of the dropped sets."""
    return np.setdiff1d(np.arange(played.games.day.size), np.concatenate(dropped))


def _defects_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    rows: list[tuple] = []
    listed = [
        ("no_team_boxscore", defects.no_team_box, ("nbac_team_boxscore",),
         "no team box-score rows; the gamebook has the game, so TOGS reconstructs it"),
        ("no_bigdataball_pbp", defects.no_bigdataball, ("bigdataball_play_by_play",),
         "no bigdataball events; nbac_play_by_play has the game's shots"),
        ("missing_raw_game", defects.missing, _PER_GAME_TABLES,
         "final in the schedule, but no box-score or play-by-play rows anywhere"),
        ("source_gap_no_pbp", defects.no_pbp, _SOURCE_GAP_TABLES, defects.no_pbp_detail),
    ]
    for kind, games, tables, detail in listed:
        rows += [(kind, played.day_ns[g], played.game_id[g], t, detail) for g in games for t in tables]
    for g in defects.duplicated:
        detail = (
            "re-scraped: an earlier processed_at copy with stale stats for "
            f"{' and '.join(defects.stale_players[int(g)])}; keep the latest processed_at"
        )
        rows += [("duplicate_rescrape", played.day_ns[g], played.game_id[g], t, detail) for t in _DUPLICATED_TABLES]
    for day in defects.no_player_box_days:
        n = int((played.games.day == day).sum())
        detail = f"no player box scores for the date's {n} games; the gamebook is complete"
        rows.append(("no_player_boxscores", np.datetime64(day, "ns").astype(np.int64), None, "nbac_player_boxscores", detail))
    frame = pd.DataFrame(rows, columns=["defect_type", "game_date", "game_id", "raw_table", "detail"])
    frame["game_date"] = _dates(frame["game_date"].to_numpy(np.int64))
    return frame.sort_values(["game_date", "defect_type", "game_id", "raw_table"], ignore_index=True)
