"""The feature store as a model-training notebook wants it: one column per feature.

    from nba_backfill.features import FEATURE_NAMES, feature_matrix
    frame = feature_matrix(warehouse, "2023-11-07", "2023-11-30")
    train = frame[frame.is_production_ready]
    X = train[list(FEATURE_NAMES)]

``nba_predictions.ml_feature_store_v2`` stores each row's 25 features as one array
(``features``) with ``feature_names`` beside it; the SELECT in
``sql/reports/feature_matrix.sql`` spreads the array into columns in the warehouse, so
the same code reads DuckDB and BigQuery.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.seasons import parse_date
from nba_backfill.warehouse import Warehouse

FEATURE_VERSION = "v1_25features"
# The order of ml_feature_store_v2.feature_names (SPEC §3 table): column i is feature i.
FEATURE_NAMES = (
    "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
    "games_in_last_7_days", "fatigue_score", "shot_zone_mismatch_score", "pace_score",
    "usage_spike_score", "rest_advantage", "injury_risk", "recent_trend", "minutes_change",
    "opponent_def_rating", "opponent_pace", "home_away", "back_to_back", "playoff_game",
    "pct_paint", "pct_mid_range", "pct_three", "pct_free_throw", "team_pace",
    "team_off_rating", "team_win_pct",
)
QUALITY_COLUMNS = (
    "feature_version", "feature_quality_score", "quality_tier", "data_source",
    "phase4_feature_count", "default_feature_count", "early_season_flag", "is_production_ready",
)
REPORT = "reports/feature_matrix.sql"


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else parse_date(value)


def feature_matrix(warehouse: Warehouse, start: dt.date | str, end: dt.date | str) -> pd.DataFrame:
    """Feature-store rows with game_date in [start, end] as a flat frame.

    Columns: player_lookup, game_date (datetime.date), game_id, team_abbr,
    opponent_team_abbr, one float column per name in ``FEATURE_NAMES`` (NaN = missing,
    e.g. zone shares without a shot-zone profile, or every feature on a bootstrap
    placeholder row), then ``QUALITY_COLUMNS``. Sorted by game_date, player_lookup.
    """
    frame = warehouse.query(REPORT, {"start_date": _date(start), "end_date": _date(end)})
    frame["game_date"] = pd.to_datetime(frame["game_date"]).dt.date
    frame[list(FEATURE_NAMES)] = frame[list(FEATURE_NAMES)].astype("float64")
    return frame.reset_index(drop=True)
