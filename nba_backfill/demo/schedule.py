"""Regular-season dates: who plays whom, at whose home, and on which night.

The NBA's 82-game formula (4 games against each division rival, 3 or 4 against the
other conference teams, 2 against the other conference; 41 at home). Dates are filled
greedily from the opener (2 games; 5 on Christmas) to the regular-season end, teams
furthest behind first, never three nights in a row; weekday weights (busy Wednesdays and
Fridays) create the back-to-backs, ~14 a team. No games on Thanksgiving, Christmas Eve
or in the All-Star break (Friday to Wednesday around the third Sunday of February). A
season too short for 82 games (2020-21) gets the 72-game format it really had. The
regular season ends on the Sunday at least 64 days before the calendar's ``last_day``
(the real end dates of 2020-21 to 2024-25), which leaves the postseason its room.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from nba_backfill.demo.league import N_TEAMS

if TYPE_CHECKING:
    from nba_backfill.seasons import Season

_MIN_DAYS_FOR_82 = 150  # fewer regular-season game days: the 72-game format


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _regular_season_end(season: Season) -> dt.date:
    """The Sunday on or before last_day - 64 days (the real pattern 2020-21 … 2024-25)."""
    target = season.last_day - dt.timedelta(days=64)
    return target - dt.timedelta(days=(target.weekday() + 1) % 7)


def _regular_season_days(season: Season) -> np.ndarray:
    """Game days: opener .. regular-season end without Thanksgiving, Christmas Eve and
    the All-Star break (Friday before to Wednesday after the third Sunday of February)."""
    year = season.season_year
    all_star = _nth_weekday(year + 1, 2, 6, 3)
    dark = {_nth_weekday(year, 11, 3, 4), dt.date(year, 12, 24)}
    dark |= {all_star + dt.timedelta(days=k) for k in range(-2, 4)}
    days = np.arange(season.opener, _regular_season_end(season) + dt.timedelta(days=1), dtype="datetime64[D]")
    return days[~np.isin(days, np.array(sorted(dark), dtype="datetime64[D]"))]


def _matchups(rng: np.random.Generator, short_season: bool) -> tuple[np.ndarray, np.ndarray]:
    """Home and away team of every game: the NBA formula, half of each team's games at home.

    82 games: 4 against each division rival, 2 against the other conference, and 3 or 4
    against the other ten conference teams; a team's position in its division (shuffled
    each season) picks the four it meets three times, two of them twice at home.
    72 games (a season too short for 82, as 2020-21 was): 3 against every conference
    team, home-heavy against the next seven in a shuffled circle, 2 against the others.
    """
    position = np.concatenate([rng.permutation(5) for _ in range(N_TEAMS // 5)])
    circle = np.concatenate([rng.permutation(15) for _ in range(2)])
    home: list[int] = []
    away: list[int] = []
    for i in range(N_TEAMS):
        for j in range(i + 1, N_TEAMS):
            if short_season:
                home_i, home_j = _home_games_72(i, j, circle)
            else:
                home_i, home_j = _home_games_82(i, j, position)
            home += [i] * home_i + [j] * home_j
            away += [j] * home_i + [i] * home_j
    return np.array(home), np.array(away)


def _home_games_82(i: int, j: int, position: np.ndarray) -> tuple[int, int]:
    """(games at i, games at j) for teams i < j."""
    if i // 15 != j // 15:
        return 1, 1
    if i // 5 == j // 5:
        return 2, 2
    shift = (position[j] - position[i]) % 5
    return {0: (2, 1), 1: (1, 2)}.get(shift, (2, 2))


def _home_games_72(i: int, j: int, circle: np.ndarray) -> tuple[int, int]:
    if i // 15 != j // 15:
        return 1, 1
    return (2, 1) if 1 <= (circle[j] - circle[i]) % 15 <= 7 else (1, 2)


def _date_games(home: np.ndarray, away: np.ndarray, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Day index of every game: greedy day by day, teams furthest behind first."""
    weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weights = np.array([0.85, 0.75, 1.35, 0.6, 1.25, 1.0, 0.8])[weekday] * rng.lognormal(0, 0.2, days.size)
    fixed = {0: 2}  # opening night: two games
    christmas = np.flatnonzero(days == np.datetime64(f"{days[0].astype(object).year}-12-25"))
    fixed.update({int(d): 5 for d in christmas})
    weights_left = np.cumsum(weights[::-1])[::-1]
    day_of = np.full(home.size, -1)
    games_left = np.bincount(home, minlength=N_TEAMS) + np.bincount(away, minlength=N_TEAMS)
    last = np.full(N_TEAMS, -99)
    before_last = np.full(N_TEAMS, -99)
    back_to_backs = np.zeros(N_TEAMS)
    for d, today in enumerate(days.astype(int)):
        pending = np.flatnonzero(day_of < 0)
        target = fixed.get(d, round(pending.size * weights[d] / weights_left[d]))
        played_yesterday = last == today - 1
        pressure = games_left / (days.size - d)
        # a back-to-back costs more for teams that already had many: evens them out
        urgency = pressure + 10.0 * (pressure >= 1.0) - (0.2 + 0.03 * back_to_backs) * played_yesterday
        score = urgency[home[pending]] + urgency[away[pending]] + rng.normal(0, 0.25, pending.size)
        third_night = played_yesterday & (before_last == today - 2)
        score[third_night[home[pending]] | third_night[away[pending]]] = -np.inf
        for g in _pick_disjoint(pending, score, home, away, min(max(target, 1), 15)):
            day_of[g] = d
            for team in (home[g], away[g]):
                games_left[team] -= 1
                back_to_backs[team] += last[team] == today - 1
                before_last[team], last[team] = last[team], today
    _place_leftovers(day_of, home, away, days.astype(int))
    return day_of


def _pick_disjoint(pending, score, home, away, target) -> list[int]:
    """Best-scoring games until target, no team twice."""
    busy = np.zeros(N_TEAMS, bool)
    picked: list[int] = []
    for k in np.argsort(-score, kind="stable"):
        g = pending[k]
        if len(picked) == target or score[k] == -np.inf:
            break
        if not (busy[home[g]] or busy[away[g]]):
            busy[home[g]] = busy[away[g]] = True
            picked.append(g)
    return picked


def _place_leftovers(day_of: np.ndarray, home: np.ndarray, away: np.ndarray, ordinals: np.ndarray) -> None:
    """Games the greedy pass could not fit go to the latest day both teams are free
    without a third straight night, preferring days that add no back-to-back."""
    for g in np.flatnonzero(day_of < 0):
        best = None
        nights = [ordinals[day_of[((home == t) | (away == t)) & (day_of >= 0)]] for t in (home[g], away[g])]
        for d in range(ordinals.size - 1, -1, -1):
            if any(ordinals[d] in n for n in nights):
                continue
            runs = [_longest_run(np.append(n, ordinals[d])) for n in nights]
            if max(runs) > 2:
                continue
            cost = sum(runs)
            if best is None or cost < best[0]:
                best = (cost, d)
        if best is None:
            raise RuntimeError("demo schedule: no day left for a game; the season is too short")
        day_of[g] = best[1]


def _longest_run(nights: np.ndarray) -> int:
    nights = np.unique(nights)
    breaks = np.flatnonzero(np.diff(nights) != 1)
    edges = np.concatenate([[-1], breaks, [nights.size - 1]])
    return int(np.diff(edges).max())
