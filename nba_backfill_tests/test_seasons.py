"""Season rules at the edges, checked against the calendar written out by hand (SPEC §7)."""

import datetime as dt

import pytest

from nba_backfill import seasons as p
from nba_backfill.errors import DateOutsideSeasonsError, InvalidDateRangeError, UnknownSeasonError

D = dt.date


@pytest.mark.parametrize(
    "day, year",
    [
        (D(2020, 12, 22), 2020),  # the late 2020-21 opener
        (D(2021, 7, 20), 2020),  # its Finals in July still belong to 2020
        (D(2021, 10, 19), 2021),
        (D(2022, 1, 1), 2021),  # January belongs to the season that started the year before
        (D(2024, 6, 17), 2023),
        (D(2024, 10, 22), 2024),
    ],
)
def test_season_year_follows_the_calendar(day, year):
    assert p.season_year(day) == year


@pytest.mark.parametrize("day", [D(2020, 12, 21), D(2021, 7, 21), D(2021, 10, 18), D(2024, 8, 1)])
def test_off_season_days_are_outside_every_season(day):
    with pytest.raises(DateOutsideSeasonsError, match=day.isoformat()):
        p.season_year(day)


def test_unknown_season_names_the_known_ones():
    with pytest.raises(UnknownSeasonError, match="2023-24"):
        p.load_calendar().by_label("1999-00")


@pytest.mark.parametrize(
    "day, bootstrap",
    [
        (D(2023, 10, 24), True),  # day 0
        (D(2023, 11, 6), True),  # day 13
        (D(2023, 11, 7), False),  # day 14
        (D(2021, 1, 4), True),  # 2020-21: day 13 after 2020-12-22
        (D(2021, 1, 5), False),  # day 14
    ],
)
def test_bootstrap_is_days_0_to_13(day, bootstrap):
    assert p.is_bootstrap(day) is bootstrap


@pytest.mark.parametrize(
    "days_after_opener, tdza, psza",
    [
        (0, 5, 3),
        (14, 9, 7),  # 5 + 14//3 = 9; 3 + 4 = 7
        (20, 11, 9),  # 5 + 6; min(3 + 6, 9)
        (21, 12, 9),  # 5 + 7 = 12; min(10, 9) = 9
        (22, 15, 10),  # after day 21 the full minimums
        (100, 15, 10),
    ],
)
def test_minimum_games_ramp(days_after_opener, tdza, psza):
    day = D(2023, 10, 24) + dt.timedelta(days=days_after_opener)
    assert p.tdza_min_games(day) == tdza
    assert p.psza_min_games(day) == psza


def test_in_season_days_skip_the_off_season():
    days = p.in_season_days(D(2022, 6, 15), D(2022, 10, 19))
    assert days == [D(2022, 6, 15), D(2022, 6, 16), D(2022, 10, 18), D(2022, 10, 19)]


@pytest.mark.parametrize(
    "start, end, clipped",
    [
        # neither edge in an off-season: unchanged
        (D(2023, 11, 1), D(2024, 1, 31), (D(2023, 11, 1), D(2024, 1, 31))),
        (D(2023, 10, 24), D(2024, 6, 17), (D(2023, 10, 24), D(2024, 6, 17))),  # exactly one season
        # start in the off-season: the opener of the season it leads into
        (D(2023, 10, 1), D(2023, 12, 31), (D(2023, 10, 24), D(2023, 12, 31))),
        (D(2023, 10, 23), D(2023, 10, 24), (D(2023, 10, 24), D(2023, 10, 24))),  # one day short
        # end in the off-season: the last day of the season it follows
        (D(2024, 3, 1), D(2024, 8, 15), (D(2024, 3, 1), D(2024, 6, 17))),
        (D(2024, 6, 17), D(2024, 6, 18), (D(2024, 6, 17), D(2024, 6, 17))),
        # both (the example)
        (D(2023, 10, 1), D(2024, 6, 30), (D(2023, 10, 24), D(2024, 6, 17))),
        # an entire off-season inside the range stays in (in_season_days skips it)
        (D(2022, 6, 15), D(2022, 10, 19), (D(2022, 6, 15), D(2022, 10, 19))),
        # from one off-season, across an entire season and the next off-season, into another
        (D(2023, 7, 1), D(2024, 10, 30), (D(2023, 10, 24), D(2024, 10, 30))),
        (D(2023, 7, 1), D(2025, 8, 1), (D(2023, 10, 24), D(2025, 6, 22))),
        # before the first / after the last season in the calendar, overlapping it
        (D(2020, 1, 1), D(2021, 1, 5), (D(2020, 12, 22), D(2021, 1, 5))),
        (D(2027, 5, 1), D(2028, 1, 1), (D(2027, 5, 1), D(2027, 6, 30))),
        (D(2019, 1, 1), D(2030, 1, 1), (D(2020, 12, 22), D(2027, 6, 30))),  # the whole calendar
    ],
)
def test_clip_to_seasons_drops_off_season_edges(start, end, clipped):
    first, last = p.clip_to_seasons(start, end)
    assert (first, last) == clipped
    # the clipped range holds exactly the in-season days of the original one
    every_day = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    in_season = [d for d in every_day if any(s.contains(d) for s in p.load_calendar().seasons)]
    assert p.in_season_days(first, last) == in_season


@pytest.mark.parametrize(
    "start, end, where",
    [
        (D(2024, 6, 18), D(2024, 10, 21), "between 2023-24 (last day 2024-06-17) and 2024-25 (opener 2024-10-22)"),
        (D(2024, 7, 1), D(2024, 7, 1), "between 2023-24"),
        (D(2019, 10, 1), D(2020, 12, 21), "the calendar starts 2020-12-22"),
        (D(2027, 7, 1), D(2027, 9, 1), "the calendar ends 2027-06-30"),
    ],
)
def test_a_range_with_no_in_season_day_is_an_error(start, end, where):
    with pytest.raises(DateOutsideSeasonsError, match=f"{start} .. {end} has no in-season day") as raised:
        p.clip_to_seasons(start, end)
    assert where in str(raised.value)


def test_clip_to_seasons_rejects_an_end_before_the_start():
    with pytest.raises(InvalidDateRangeError, match="before"):
        p.clip_to_seasons(D(2024, 1, 10), D(2024, 1, 1))
