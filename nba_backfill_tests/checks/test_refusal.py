"""The guard's lookback order (checks/refusal.py ``lookback_waits``) on a real warehouse:
a date waits while an earlier date of its upstream's window, in the same season, has no
run-history row. The expected reasons are worked out by hand from the calendar."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.assets import run_history
from nba_backfill.checks.refusal import lookback_waits
from nba_backfill.checks.registry import Evaluator
from nba_backfill_tests.support.chain import SPECS, TDGS, TDZA, TOGS, UPGC
from nba_backfill_tests.support.warehouse_sql import create_table

OPENER = dt.date(2023, 10, 24)  # 2023-24 (seasons.toml)


def _day(n: int) -> dt.date:
    return OPENER + dt.timedelta(days=n)


def _attempted(warehouse, asset: str, days: list[dt.date]) -> None:
    frame = run_history.rows(SPECS[asset], "r1", True, days, dt.datetime(2024, 1, 1), 1.0)
    warehouse.load_dataframe(run_history.TABLE, frame)


def test_a_date_waits_for_the_unattempted_dates_in_its_window_only(warehouse):
    # UPGC reads TOGS on the same date and the 2 days before it
    create_table(warehouse, SPECS[TOGS].table, pd.DataFrame({"game_date": [OPENER]}))
    _attempted(warehouse, TOGS, [_day(n) for n in range(10) if n not in (3, 4, 7)])
    days = [_day(n) for n in range(3, 10)]

    waits = lookback_waits(SPECS[UPGC], days, Evaluator(warehouse, SPECS))

    reason = "waiting on lookback: team_offense_game_summary not built yet for {}{} in its 2-day window"
    assert waits == {
        _day(4): reason.format(_day(3), ""),  # window days 2-3: day 3
        _day(5): reason.format(_day(3), " (+1 more dates)"),  # days 3-4
        _day(6): reason.format(_day(4), ""),  # days 4-5
        _day(8): reason.format(_day(7), ""),  # days 6-7
        _day(9): reason.format(_day(7), ""),  # days 7-8
    }  # day 3 (window 1-2) and day 7 (window 5-6) read only attempted dates


def test_a_window_never_reaches_into_the_previous_season(warehouse):
    create_table(warehouse, SPECS[TDGS].table, pd.DataFrame({"game_date": [OPENER]}))
    _attempted(warehouse, TDGS, [_day(0), _day(1)])  # nothing of 2022-23 was attempted

    waits = lookback_waits(SPECS[TDZA], [_day(1), _day(2), _day(3)], Evaluator(warehouse, SPECS))

    assert waits == {
        _day(3): "waiting on lookback: team_defense_game_summary not built yet for "
                 f"{_day(2)} in its 60-day window",
    }


def test_an_upstream_never_built_makes_every_date_wait(warehouse):
    _attempted(warehouse, TOGS, [_day(0)])  # refused on its first build: no table

    waits = lookback_waits(SPECS[UPGC], [_day(1), _day(2)], Evaluator(warehouse, SPECS))

    assert set(waits) == {_day(1), _day(2)}
    assert all("team_offense_game_summary has never been built" in r for r in waits.values())
