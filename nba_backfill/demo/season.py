"""One season played end to end: what every table, line and defect is built from.

``_play_season`` runs the stages in order (roster, regular season, postseason, events)
on their own random streams, sorts the games by date and credits assists and blocks
from the events. It also fixes what the scrapers would have seen of each game: the
system game id, the tip-off and how late the scrapers ran, so that every table of one
game shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nba_backfill.demo.events import _Events, _events
from nba_backfill.demo.games import _Box, _Sim
from nba_backfill.demo.league import (
    _EVENTS,
    _GAMES,
    _SCHEDULE,
    TRICODES,
    _injury_table,
    _rng,
    _Roster,
    _roster,
    _team_ratings,
)
from nba_backfill.demo.postseason import _Games, _play_postseason, _play_regular_season, _Season
from nba_backfill.demo.schedule import _regular_season_days, _regular_season_end

if TYPE_CHECKING:
    from nba_backfill.seasons import Season

_NS_PER_MINUTE = 60 * 10**9
_NS_PER_HOUR = 60 * _NS_PER_MINUTE
# Scrapers run the morning after (UTC): hours after the game date's midnight.
_PROCESSED_AT_HOURS = {
    "nbac_schedule": 29.0, "nbac_team_boxscore": 30.0, "nbac_gamebook_player_stats": 30.5,
    "nbac_player_boxscores": 31.0, "nbac_play_by_play": 32.0, "bigdataball_play_by_play": 33.0,
}


@dataclass(frozen=True)
class _Played:
    """One simulated season, games in date order, with what every table is built from."""

    season_year: int
    roster: _Roster
    games: _Games
    box: _Box
    events: _Events
    game_id: np.ndarray  # system ids, YYYYMMDD_AWAY_HOME
    day_ns: np.ndarray  # game date as int64 nanoseconds
    tip_ns: np.ndarray  # tip-off, UTC nanoseconds
    jitter_ns: np.ndarray  # how late the scrapers ran for the game


def _play_season(season: Season, seed: int) -> _Played:
    year = season.season_year
    roster = _roster(year, seed)
    rng = _rng(seed, _GAMES, year)
    offense, defense = _team_ratings(roster, rng)
    state = _Season(_Sim(roster, offense, defense, _injury_table(rng), rng), season)
    _play_regular_season(state, _regular_season_days(season), _rng(seed, _SCHEDULE, year))
    _play_postseason(state, _regular_season_end(season), season.last_day)
    games, box = _Games.concat(state.games), _Box.concat(state.boxes)
    order = np.argsort(games.day, kind="stable")
    games, box = games.take(order), box.take(order)
    events = _events(box, roster.skill, _rng(seed, _EVENTS, year))
    # assists and blocks are credited from the events, so box score and play-by-play agree
    cells = box.status.size
    box.stats["ast"] = np.bincount(events.helper[events.helper_is_assist], minlength=cells).reshape(box.status.shape)
    blocked = (events.helper >= 0) & ~events.helper_is_assist
    box.stats["blk"] = np.bincount(events.helper[blocked], minlength=cells).reshape(box.status.shape)
    day_ns = games.day.astype("datetime64[ns]").astype(np.int64)
    jitter = (rng.uniform(0, 40, games.day.size) * _NS_PER_MINUTE).astype(np.int64)
    return _Played(year, roster, games, box, events, _system_ids(games), day_ns, _tipoffs(games, day_ns, rng), jitter)


def _system_ids(games: _Games) -> np.ndarray:
    ymd = np.char.replace(np.datetime_as_string(games.day), "-", "")
    return np.array(
        [f"{d}_{TRICODES[a]}_{TRICODES[h]}" for d, a, h in zip(ymd, games.away, games.home)], dtype=object
    )


def _tipoffs(games: _Games, day_ns: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """UTC tip-off: 7-10:30 pm Eastern, some weekend games in the afternoon."""
    minutes = rng.choice([0, 30, 60, 90, 120, 150, 210], games.day.size, p=[0.15, 0.25, 0.2, 0.1, 0.1, 0.1, 0.1])
    weekend = ((games.day.astype(int) + 3) % 7) >= 5
    matinee = weekend & (rng.random(games.day.size) < 0.25)
    return day_ns + (23 * 60 + minutes - 360 * matinee) * _NS_PER_MINUTE


def _processed_ns(played: _Played, table: str, games: np.ndarray) -> np.ndarray:
    """processed_at per game for a scraper: the morning after, a game's jitter shared."""
    return played.day_ns[games] + int(_PROCESSED_AT_HOURS[table] * _NS_PER_HOUR) + played.jitter_ns[games]


def _utc(ns: np.ndarray) -> pd.DatetimeIndex:
    return pd.to_datetime(ns, utc=True)


def _dates(ns: np.ndarray) -> np.ndarray:
    return ns.astype("datetime64[ns]")
