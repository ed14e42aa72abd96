"""A season's games in the order they are played: the regular season, then the play-in
and playoffs that its standings decide.

``_Season`` accumulates the simulated games and each team's game count (injury spells
and rest are counted in team games). The play-in follows the regular season on Tuesday,
Wednesday and Friday; the playoffs start on Saturday (seeds from the simulated
standings, 2-2-1-1-1 home court). Results do not depend on dates, so the playoffs are
simulated round by round and dated afterwards, the Finals backwards so their last game
falls on the calendar's ``last_day``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nba_backfill.demo.games import _Box, _Sim, _simulate
from nba_backfill.demo.league import N_TEAMS
from nba_backfill.demo.schedule import _MIN_DAYS_FOR_82, _date_games, _matchups

if TYPE_CHECKING:
    from nba_backfill.seasons import Season

REGULAR, PLAY_IN, PLAYOFFS = range(3)
# (days from game 1 of a series, of the Finals, rest days between rounds): the relaxed
# pace (Finals Thu, Sun, Wed, Fri, Mon, Thu, Sun) unless long series force every other day.
_PLAYOFF_PACES = (
    (np.array([0, 2, 5, 7, 9, 11, 13]), np.array([0, 3, 6, 8, 11, 14, 17]), 2),
    (2 * np.arange(7), 2 * np.arange(7), 1),
)
_SERIES_HOME_HIGH = np.array([True, True, False, False, True, False, True])  # 2-2-1-1-1


@dataclass(frozen=True)
class _Games:
    """Game-level facts parallel to a _Box."""

    home: np.ndarray
    away: np.ndarray
    day: np.ndarray  # datetime64[D]
    kind: np.ndarray  # REGULAR / PLAY_IN / PLAYOFFS
    nba_game_id: np.ndarray  # NBA.com 10-digit ids

    def take(self, games: np.ndarray) -> _Games:
        return _Games(*(getattr(self, f)[games] for f in ("home", "away", "day", "kind", "nba_game_id")))

    @staticmethod
    def concat(parts: Sequence[_Games]) -> _Games:
        return _Games(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("home", "away", "day", "kind", "nba_game_id")))


class _Season:
    """Accumulates simulated games in order and tracks each team's game count."""

    def __init__(self, sim: _Sim, season: Season):
        self.sim = sim
        self.yy = f"{season.season_year % 100:02d}"
        self.played = np.zeros(N_TEAMS, int)
        self.games: list[_Games] = []
        self.boxes: list[_Box] = []

    def play(self, home: np.ndarray, away: np.ndarray, ahead: int = 0) -> _Box:
        """Simulate postseason games, each team's ``ahead``-th game from now (no rest nights)."""
        teams = np.column_stack([away, home]).ravel()
        return _simulate(self.sim, teams, self.played[teams] + ahead, np.zeros(teams.size, bool))

    def count(self, home: np.ndarray, away: np.ndarray) -> None:
        np.add.at(self.played, np.concatenate([home, away]), 1)

    def store(self, games: _Games, box: _Box) -> None:
        self.games.append(games)
        self.boxes.append(box)

    def record(self, games: _Games, box: _Box) -> None:
        self.count(games.home, games.away)
        self.store(games, box)


def _play_regular_season(season: _Season, days: np.ndarray, rng: np.random.Generator) -> None:
    home, away = _matchups(rng, short_season=days.size < _MIN_DAYS_FOR_82)
    day_of = _date_games(home, away, days, rng)
    order = np.lexsort((rng.random(home.size), day_of))
    home, away, day = home[order], away[order], days[day_of[order]]
    teams = np.column_stack([away, home]).ravel()
    game_day = np.repeat(day, 2)
    number, second_night = _team_game_numbers(teams, game_day)
    box = _simulate(season.sim, teams, number, second_night)
    ids = np.array([f"002{season.yy}{k:05d}" for k in range(1, home.size + 1)], dtype=object)
    season.record(_Games(home, away, day, np.full(home.size, REGULAR), ids), box)


def _team_game_numbers(teams: np.ndarray, game_day: np.ndarray):
    """Each team-game's index in the team's season, and whether it is a second night."""
    order = np.lexsort((game_day, teams))
    sorted_teams = teams[order]
    first = np.r_[True, sorted_teams[1:] != sorted_teams[:-1]]
    index = np.arange(teams.size) - np.maximum.accumulate(np.where(first, np.arange(teams.size), 0))
    gap = np.r_[0, np.diff(game_day[order].astype(int))]
    number = np.empty_like(index)
    number[order] = index
    second = np.empty(teams.size, bool)
    second[order] = ~first & (gap == 1)
    return number, second


def _standings(season: _Season) -> list[np.ndarray]:
    """Per conference, teams best to worst by wins, then point differential."""
    box = season.boxes[0]
    points = box.points
    wins = np.bincount(box.team, weights=_team_won(box), minlength=N_TEAMS)
    net = np.bincount(box.team, weights=points - points.reshape(-1, 2)[:, ::-1].ravel(), minlength=N_TEAMS)
    order = np.lexsort((-net, -wins))
    return [order[order // 15 == c] for c in (0, 1)]


def _play_postseason(season: _Season, end: dt.date, last_day: dt.date) -> None:
    standings = _standings(season)
    day0 = np.datetime64(end, "D")
    seeds = _play_in(season, standings, day0)
    _play_playoffs(season, seeds, day0 + 6, np.datetime64(last_day, "D"))


def _winners(box: _Box, home: np.ndarray, away: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    home_won = box.points[1::2] > box.points[0::2]
    return np.where(home_won, home, away), np.where(home_won, away, home)


def _play_in(season: _Season, standings, day0) -> list[list[int]]:
    """7 v 8 and 9 v 10 (East Tuesday, West Wednesday), then Friday's game for the 8th
    seed; returns each conference's eight playoff seeds."""
    first_home = np.array([c[k] for c in standings for k in (6, 8)])
    first_away = np.array([c[k] for c in standings for k in (7, 9)])
    box = season.play(first_home, first_away)
    win, lose = _winners(box, first_home, first_away)
    days = day0 + np.array([2, 2, 3, 3])
    ids = [f"005{season.yy}001{k}1" for k in range(4)]
    season.record(_Games(first_home, first_away, days, np.full(4, PLAY_IN), np.array(ids, object)), box)
    final_home, final_away = lose[0::2], win[1::2]  # loser of 7v8 hosts winner of 9v10
    box = season.play(final_home, final_away)
    win8, _ = _winners(box, final_home, final_away)
    ids = [f"005{season.yy}002{k}1" for k in range(2)]
    season.record(_Games(final_home, final_away, np.full(2, day0 + 5), np.full(2, PLAY_IN), np.array(ids, object)), box)
    return [list(standings[c][:6]) + [win[2 * c], win8[c]] for c in (0, 1)]


@dataclass(frozen=True)
class _Series:
    """A round's series, each simulated to all seven games; ``length`` were played."""

    home: np.ndarray  # (series, 7)
    away: np.ndarray
    box: _Box  # game index = k * series + s
    length: np.ndarray
    winner: np.ndarray
    ids: np.ndarray  # (series, 7) NBA.com ids


def _play_playoffs(season: _Season, seeds: list[list[int]], start, last_day) -> None:
    """Four rounds of best-of-7 (series are (home-court team, other)), simulated first and
    dated afterwards, since results do not depend on dates."""
    bracket = [(conf[a], conf[b]) for conf in seeds for a, b in ((0, 7), (3, 4), (1, 6), (2, 5))]
    seed_of = {team: k for conf in seeds for k, team in enumerate(conf)}
    wins = np.bincount(season.boxes[0].team, weights=_team_won(season.boxes[0]), minlength=N_TEAMS)
    rounds: list[_Series] = []
    for round_no in (1, 2, 3, 4):
        rounds.append(_series_games(season, bracket, round_no))
        winners = list(rounds[-1].winner)
        # home court: the better seed, and in the Finals the better record
        key = seed_of.get if round_no < 3 else (lambda t: (-wins[t], t))
        bracket = [tuple(sorted(winners[k : k + 2], key=key)) for k in range(0, len(winners), 2)]
    starts, offsets = _date_playoffs(rounds, start, last_day)
    for series, first, offset in zip(rounds, starts, offsets):
        _store_series(season, series, first[:, None] + offset[None, :])


def _team_won(box: _Box) -> np.ndarray:
    points = box.points
    return points > points.reshape(-1, 2)[:, ::-1].ravel()


def _series_games(season: _Season, pairs, round_no: int) -> _Series:
    """Simulate all seven possible games of each series; count those actually played."""
    high = np.array([p[0] for p in pairs])
    low = np.array([p[1] for p in pairs])
    home = np.where(_SERIES_HOME_HIGH, high[:, None], low[:, None])
    away = np.where(_SERIES_HOME_HIGH, low[:, None], high[:, None])
    box = _Box.concat([season.play(home[:, k], away[:, k], ahead=k) for k in range(7)])
    n = len(pairs)
    high_won = (_winners(box, home.T.ravel(), away.T.ravel())[0] == np.tile(high, 7)).reshape(7, n).T
    high_wins, low_wins = np.cumsum(high_won, axis=1), np.cumsum(~high_won, axis=1)
    length = 1 + np.argmax((high_wins == 4) | (low_wins == 4), axis=1)
    winner = np.where(high_wins[np.arange(n), length - 1] == 4, high, low)
    season.count(np.repeat(high, length), np.repeat(low, length))
    ids = np.array([[f"004{season.yy}00{round_no}{s}{k + 1}" for k in range(7)] for s in range(n)], object)
    return _Series(home, away, box, length, winner, ids)


def _date_playoffs(rounds: list[_Series], start, last_day):
    """First day of every series and its game-day offsets: the first pace under which the
    Finals, dated backwards, still start after both conference finals are over."""
    for series_offsets, finals_offsets, rest in _PLAYOFF_PACES:
        starts = [start + np.tile([1, 0], 4)]  # 1 v 8 and 2 v 7 wait a day for the play-in
        for series in rounds[:-1]:
            ends = starts[-1] + series_offsets[series.length - 1]
            starts.append(np.maximum(ends[0::2], ends[1::2]) + rest + np.arange(ends.size // 2) % 2)
        finals_start = last_day - finals_offsets[rounds[-1].length - 1]
        if finals_start[0] >= starts[-1][0]:
            return starts[:-1] + [finals_start], [series_offsets] * 3 + [finals_offsets]
    raise ValueError(f"demo schedule: the playoffs cannot end by {last_day}")


def _store_series(season: _Season, series: _Series, days: np.ndarray) -> None:
    """Keep the games played (series-major order) out of the game-number-major box."""
    played = np.arange(7)[None, :] < series.length[:, None]
    s, k = np.nonzero(played)
    games = _Games(series.home[s, k], series.away[s, k], days[s, k], np.full(s.size, PLAYOFFS), series.ids[s, k])
    season.store(games, series.box.take(k * series.home.shape[0] + s))
