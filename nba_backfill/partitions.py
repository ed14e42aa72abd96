"""Season calendar → Dagster's game-date partitions (the calendar itself: ``seasons``)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import dagster as dg

from nba_backfill.seasons import SeasonCalendar, load_calendar


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
