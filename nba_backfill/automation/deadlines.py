"""When each phase of a game date is due, and how late a date is.

Games end by ~1am US/Eastern and the scrapers finish in the morning, so the deadlines are
US/Eastern wall-clock times on the morning after the game date (issue #12): Phase 3 by
10:00, Phase 4 by 12:00. A late date is a WARN for its first two hours, then an ERROR.
Every function takes ``now`` (an aware datetime): the caller owns the clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ET = ZoneInfo("America/New_York")
DEADLINE_HOUR = {"phase3": 10, "phase4": 12}  # US/Eastern, the morning after the game date
ERROR_AFTER = dt.timedelta(hours=2)  # late longer than this: ERROR, before it: WARN


def utc_now() -> dt.datetime:
    """The real clock (sensors and checks take a clock so that tests can set it)."""
    return dt.datetime.now(dt.timezone.utc)


def eastern_today(now: dt.datetime) -> dt.date:
    return now.astimezone(ET).date()


def deadline(day: dt.date, phase: str) -> dt.datetime:
    """When ``phase`` of game date ``day`` must be built (aware, US/Eastern)."""
    following = day + dt.timedelta(days=1)
    return dt.datetime(following.year, following.month, following.day, DEADLINE_HOUR[phase], tzinfo=ET)


def late_by(day: dt.date, phase: str, now: dt.datetime) -> dt.timedelta | None:
    """How late ``day`` is at ``now`` (> 0), or None before its deadline: never negative."""
    late = now - deadline(day, phase)
    return late if late > dt.timedelta(0) else None


def human(delta: dt.timedelta) -> str:
    """"2h 05m" (whole minutes, rounded down; never negative)."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    return f"{minutes // 60}h {minutes % 60:02d}m"
