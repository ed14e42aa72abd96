"""Season calendar → game-date partitions, and the season rules every phase shares.

The calendar lives in ``seasons.toml`` (SPEC §7). A partition is one in-season day:
off-season days are excluded, in-season days without games are valid (empty) partitions.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import dagster as dg

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
    return [d for s in calendar.seasons for d in s.days() if start <= d <= end]


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


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def off_season_exclusions(calendar: SeasonCalendar) -> list[str | dt.datetime]:
    """The off-season days as Dagster exclusions, compactly: the month-days that are
    off-season in every year of the calendar (late July to mid October) become one cron
    string per month, the others single dates. Dagster serializes the partitions
    definition into run and planned-check events, so 170 dates cost a seventh of 704."""
    off = set(calendar.off_season_days())
    first, last = calendar.seasons[0].opener, calendar.seasons[-1].last_day
    always: dict[tuple[int, int], bool] = {}
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        key = (day.month, day.day)
        always[key] = always.get(key, True) and day in off
    by_month: dict[int, list[int]] = {}
    for (month, day), is_off in sorted(always.items()):
        if is_off:
            by_month.setdefault(month, []).append(day)
    crons = [f"0 0 {_day_ranges(days)} {month} *" for month, days in sorted(by_month.items())]
    singles = [_midnight(d) for d in sorted(off) if d.day not in by_month.get(d.month, ())]
    return [*crons, *singles]


def _day_ranges(days: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3,7" (cron day-of-month field)."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@cache
def game_date_partitions() -> dg.DailyPartitionsDefinition:
    """One partition per in-season day; ends yesterday, like any daily partitioning."""
    calendar = load_calendar()
    return dg.DailyPartitionsDefinition(
        start_date=calendar.seasons[0].opener.isoformat(),
        exclusions=off_season_exclusions(calendar),
    )
