"""Range builds equal date-by-date builds, and no window reaches the previous season."""

from __future__ import annotations

import pandas as pd

from nba_backfill import catalog
from nba_backfill_tests.support.handmade_phase3 import (
    ADJACENT_SEASON,
    FIRST_DAY,
    LAST_DAY,
    PHASE4_ORDER,
    SeasonShape,
    build_phase4,
    day,
    is_missing,
    load,
    new_warehouse,
    read,
    tiny_season,
)

SPECS = catalog.tables_in("precompute")
VOLATILE = ["processed_at", "created_at", "run_id"]  # when and by which run, not what


FAILURE_KEY = ["processor_name", "analysis_date", "entity_id", "failure_category", "failure_reason"]


def _canonical(frame: pd.DataFrame, keys: list[str], dates=None) -> pd.DataFrame:
    """Rows in key order, without volatile columns; arrays as tuples so they compare."""
    frame = frame.drop(columns=[c for c in VOLATILE if c in frame.columns])
    if dates is not None:
        frame = frame[frame[keys[1]].isin(dates)]
    for column in ("features", "feature_names", "feature_sources"):
        if column in frame:
            frame[column] = frame[column].map(
                lambda v: None if is_missing(v) else tuple(None if is_missing(x) else x for x in v))
    return frame.sort_values(keys).reset_index(drop=True)


def _tables(warehouse, dates=None) -> dict[str, pd.DataFrame]:
    tables = {
        spec.table: _canonical(read(warehouse, spec.table), [spec.cluster_by[0], spec.date_column], dates)
        for spec in SPECS.values()
    }
    failures = read(warehouse, "nba_processing.precompute_failures")
    tables["failures"] = _canonical(failures, FAILURE_KEY, dates)
    return tables


def _assert_same(left: dict, right: dict):
    for name in left:
        assert len(left[name]) == len(right[name]), name
        pd.testing.assert_frame_equal(left[name], right[name], check_dtype=False, obj=name)


def test_a_range_build_equals_date_by_date_builds(built_season, tmp_path):
    warehouse, frames = built_season  # days 0-33 built as one range per table
    # the bootstrap edge, both ends of the ramp, the full minimum, the end of the range
    sample = [day(n) for n in (13, 14, 21, 22, 33)]
    one_by_one = new_warehouse(tmp_path)
    load(one_by_one, frames)
    for date in sample:
        build_phase4(one_by_one, date, date)
    ranged = _tables(warehouse, sample)
    assert all(len(ranged[SPECS[n].table]) > 0 for n in PHASE4_ORDER)
    _assert_same(ranged, _tables(one_by_one, sample))


def test_rebuilding_a_range_replaces_it(built_season):
    warehouse, _ = built_season
    before = _tables(warehouse)
    build_phase4(warehouse, day(20), day(25))  # again, inside the built range
    _assert_same(before, _tables(warehouse))


def test_previous_seasons_never_reach_a_window(tmp_path):
    """Same season, with and without earlier games: the end of 2022-23 (June) and a made-up
    season that ends the day before the opener, close enough for every lookback mapping
    (60/90 days, season-long) to reach. Every Phase 4 row must be the same."""
    with_prior = new_warehouse(tmp_path / "with")
    frames = tiny_season(SeasonShape(prior_season=True, adjacent_prior_season=True))
    load(with_prior, frames)
    without = new_warehouse(tmp_path / "without")
    load(without, tiny_season(SeasonShape(prior_season=False)))
    for warehouse in (with_prior, without):
        warehouse.load_dataframe("nba_reference.season_calendar", ADJACENT_SEASON)
        build_phase4(warehouse, FIRST_DAY, LAST_DAY)
    schedule = frames["nba_raw.nbac_schedule"]
    assert (schedule.game_date == day(-1)).any() and (schedule.game_date.map(lambda d: d.month) == 6).any()
    _assert_same(_tables(with_prior), _tables(without))
