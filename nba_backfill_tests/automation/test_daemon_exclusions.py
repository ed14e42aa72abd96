"""The daemon's remembered off-season test answers as the calendar says, day by day, and
asks Dagster once per day however often the backfill daemon asks it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dagster._core.definitions.partitions.definition.time_window import TimeWindowPartitionsDefinition

from nba_backfill.automation.daemon import remember_excluded_window_starts
from nba_backfill.partitions import game_date_partitions
from nba_backfill.seasons import load_calendar


def test_remembered_exclusions_are_the_calendars_off_season_days(monkeypatch):
    dagsters = TimeWindowPartitionsDefinition.is_window_start_excluded
    asked: list[dt.datetime] = []

    def counting(self, window_start):
        asked.append(window_start)
        return dagsters(self, window_start)

    monkeypatch.setattr(TimeWindowPartitionsDefinition, "is_window_start_excluded", counting)  # restored after
    remember_excluded_window_starts()
    remember_excluded_window_starts()  # a second call does not wrap twice
    remembered = TimeWindowPartitionsDefinition.is_window_start_excluded
    assert remembered is not counting

    calendar = load_calendar()
    off = set(calendar.off_season_days())
    first, last = calendar.seasons[0].opener, calendar.seasons[-1].last_day
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    definition = game_date_partitions()
    zone = ZoneInfo(definition.timezone)  # window starts are aware datetimes, as Dagster's
    for _ in range(3):  # the daemon asks every tick
        answers = {d: remembered(definition, dt.datetime(d.year, d.month, d.day, tzinfo=zone)) for d in days}
        assert {d for d, excluded in answers.items() if excluded} == off
    assert len(asked) == len(days)  # Dagster asked once per day
    assert off and len(off) < len(days)

    # and Dagster's partition keys, built with the remembered test, are the in-season days
    # up to yesterday (daily partitions end there)
    keys = definition.get_partition_keys()
    assert keys == [d.isoformat() for d in days if d not in off and d.isoformat() <= keys[-1]]
    assert keys[-1] == (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat() or keys[-1] == days[-1].isoformat()
