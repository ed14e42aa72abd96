"""feature_matrix(): the feature store as one column per feature, for notebooks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_backfill.features import FEATURE_NAMES, QUALITY_COLUMNS, feature_matrix
from nba_backfill_tests.support.handmade_phase3 import day, read

TABLE = "nba_predictions.ml_feature_store_v2"


def test_one_column_per_feature_in_the_stores_order(built_season):
    warehouse, _ = built_season
    frame = feature_matrix(warehouse, day(10), day(20))
    store = read(warehouse, TABLE)
    assert all(list(names) == list(FEATURE_NAMES) for names in store.feature_names)
    assert list(frame.columns) == ["player_lookup", "game_date", "game_id", "team_abbr",
                                   "opponent_team_abbr", *FEATURE_NAMES, *QUALITY_COLUMNS]
    assert all(frame[name].dtype == np.float64 for name in FEATURE_NAMES)


def test_values_are_the_arrays_elements_and_nan_where_missing(built_season):
    warehouse, _ = built_season
    frame = feature_matrix(warehouse, "2023-11-03", "2023-11-26")  # ISO strings work too
    store = read(warehouse, TABLE)
    store = store[(store.game_date >= day(10)) & (store.game_date <= day(33))]
    assert len(frame) == len(store) and frame.game_date.between(day(10), day(33)).all()
    assert list(zip(frame.game_date, frame.player_lookup)) == sorted(zip(frame.game_date, frame.player_lookup))
    merged = frame.merge(store, on=["player_lookup", "game_date"], suffixes=("", "_store"))
    real = merged[merged.feature_count == 25]
    stored = np.array([list(v) for v in real.features], dtype=float)
    assert np.allclose(real[list(FEATURE_NAMES)].to_numpy(), stored, equal_nan=True)
    assert real.pct_paint.isna().any() and real.pct_paint.notna().any()  # NaN = missing
    placeholders = merged[merged.feature_count == 0]
    assert len(placeholders) > 0 and placeholders[list(FEATURE_NAMES)].isna().all(axis=None)
    assert (placeholders.feature_quality_score == 0).all() and placeholders.early_season_flag.all()
    assert (frame.feature_version == "v1_25features").all()


def test_an_empty_range_is_an_empty_frame_with_the_columns(built_season):
    warehouse, _ = built_season
    frame = feature_matrix(warehouse, "2024-03-01", "2024-03-02")
    assert frame.empty and set(FEATURE_NAMES) <= set(frame.columns)
    assert isinstance(frame, pd.DataFrame)
