"""The season calendar and the season rules every phase shares (SPEC §7).

The calendar lives in ``seasons.toml``. A partition is one in-season day: off-season days
are excluded, in-season days without games are valid (empty) partitions. Pure Python:
the catalog, the checks and the demo generator read it without Dagster.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nba_backfill.errors import DateOutsideSeasonsError, InvalidDateRangeError, UnknownSeasonError

CALENDAR_FILE = Path(__file__).with_name("seasons.toml")

BOOTSTRAP_DAYS = 14  # days 0–13 after an opener write no Phase 4 rows (SPEC §3)
RAMP_LAST_DAY = 21  # the minimum-games ramp covers days 0–21; full minimums after


@dataclass(frozen=True)
class Season:
    label: str  # "2023-24"
    season_year: int  # 2023
    opener: dt.date
    last_day: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.opener <= day <= self.last_day

    def days(self) -> list[dt.date]:
        n = (self.last_day - self.opener).days + 1
        return [self.opener + dt.timedelta(days=i) for i in range(n)]


@dataclass(frozen=True)
class SeasonCalendar:
    seasons: tuple[Season, ...]

    def by_label(self, label: str) -> Season:
        for season in self.seasons:
            if season.label == label:
                return season
        known = ", ".join(s.label for s in self.seasons)
        raise UnknownSeasonError(f"unknown season {label!r}; the calendar has {known}")

    def season_of(self, day: dt.date) -> Season:
        for season in self.seasons:
            if season.contains(day):
                return season
        raise DateOutsideSeasonsError(
            f"{day.isoformat()} is outside every season in the calendar "
            f"({self.seasons[0].opener} .. {self.seasons[-1].last_day}, off-seasons excluded)"
        )

    def off_season_days(self) -> list[dt.date]:
        days: list[dt.date] = []
        for previous, following in zip(self.seasons, self.seasons[1:]):
            day = previous.last_day + dt.timedelta(days=1)
            while day < following.opener:
                days.append(day)
                day += dt.timedelta(days=1)
        return days


@cache
def load_calendar(path: Path = CALENDAR_FILE) -> SeasonCalendar:
    raw = tomllib.loads(path.read_text())["seasons"]
    seasons = tuple(
        sorted(
            (
                Season(label, int(v["season_year"]), v["opener"], v["last_day"])
                for label, v in raw.items()
            ),
            key=lambda s: s.opener,
        )
    )
    return SeasonCalendar(seasons)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidDateRangeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def season_year(day: dt.date) -> int:
    return load_calendar().season_of(day).season_year


def days_since_opener(day: dt.date) -> int:
    return (day - load_calendar().season_of(day).opener).days


def is_bootstrap(day: dt.date) -> bool:
    """Days 0–13 of a season: Phase 4 has too little history and writes no rows."""
    return days_since_opener(day) < BOOTSTRAP_DAYS


def tdza_min_games(day: dt.date) -> int:
    """Games a team needs for a TDZA row: min(5 + d/3, 14) through day 21, then 15.

    d/3 is whole-number division (floor), the reading that keeps the minimum an integer.
    """
    d = days_since_opener(day)
    return min(5 + d // 3, 14) if d <= RAMP_LAST_DAY else 15


def psza_min_games(day: dt.date) -> int:
    """Games a player needs for a PSZA row: min(3 + d/3, 9) through day 21, then 10."""
    d = days_since_opener(day)
    return min(3 + d // 3, 9) if d <= RAMP_LAST_DAY else 10


def in_season_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The partition days of [start, end]; both ends must be in a season."""
    calendar = load_calendar()
    if end < start:
        raise InvalidDateRangeError(f"end {end} is before start {start}")
    calendar.season_of(start)
    calendar.season_of(end)
    return season_days(start, end)


def season_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The in-season days (partitions) of [start, end], whatever its ends: off-season days
    are not partitions, so they are never checked or built."""
    return [d for s in load_calendar().seasons for d in s.days() if start <= d <= end]


def clip_to_seasons(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end] narrowed to its in-season dates: the first in-season day >= start and
    the last in-season day <= end. Off-season days at either edge, or before the first /
    after the last season in the calendar, are dropped; off-seasons inside the range are
    left to ``in_season_days``. A range with no in-season day at all is an error."""
    if end < start:
        raise InvalidDateRangeError(f"end {end} is before start {start}")
    seasons = load_calendar().seasons
    firsts = [max(s.opener, start) for s in seasons if s.last_day >= start and s.opener <= end]
    lasts = [min(s.last_day, end) for s in seasons if s.last_day >= start and s.opener <= end]
    if not firsts:
        raise DateOutsideSeasonsError(f"{start} .. {end} has no in-season day: {_where(start, seasons)}")
    return min(firsts), max(lasts)


def _where(day: dt.date, seasons: tuple[Season, ...]) -> str:
    """Where an off-season ``day`` lies, for the error message."""
    if day < seasons[0].opener:
        return f"the calendar starts {seasons[0].opener} ({seasons[0].label})"
    if day > seasons[-1].last_day:
        return f"the calendar ends {seasons[-1].last_day} ({seasons[-1].label})"
    for previous, following in zip(seasons, seasons[1:]):
        if previous.last_day < day < following.opener:
            break
    return (
        f"it is inside the off-season between {previous.label} (last day {previous.last_day}) "
        f"and {following.label} (opener {following.opener})"
    )


def split_by_season(days: list[dt.date]) -> list[list[dt.date]]:
    """In-season days grouped by season, in order: the unit a build walks (lookbacks never
    cross a season)."""
    calendar = load_calendar()
    seasons: dict[str, list[dt.date]] = {}
    for day in days:
        seasons.setdefault(calendar.season_of(day).label, []).append(day)
    return list(seasons.values())
