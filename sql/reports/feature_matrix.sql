-- report:   the feature matrix a model-training notebook wants: one row per player x
--           game_date of nba_predictions.ml_feature_store_v2 in [@start_date, @end_date],
--           one column per feature (in feature_names order, feature_version 'v1_25features'),
--           plus the quality columns.
-- Missing features (stored as NaN: BigQuery arrays cannot hold NULL) come out as NULL.
-- Bootstrap placeholder rows (early_season_flag, empty features) are kept, with NULL
-- features, so a notebook sees every date; filter on is_production_ready to train.
-- Used by nba_backfill.features.feature_matrix().
SELECT
  player_lookup,
  game_date,
  game_id,
  team_abbr,
  opponent_team_abbr,
  IF(IS_NAN(features[SAFE_OFFSET(0)]), NULL, features[SAFE_OFFSET(0)]) AS points_avg_last_5,
  IF(IS_NAN(features[SAFE_OFFSET(1)]), NULL, features[SAFE_OFFSET(1)]) AS points_avg_last_10,
  IF(IS_NAN(features[SAFE_OFFSET(2)]), NULL, features[SAFE_OFFSET(2)]) AS points_avg_season,
  IF(IS_NAN(features[SAFE_OFFSET(3)]), NULL, features[SAFE_OFFSET(3)]) AS points_std_last_10,
  IF(IS_NAN(features[SAFE_OFFSET(4)]), NULL, features[SAFE_OFFSET(4)]) AS games_in_last_7_days,
  IF(IS_NAN(features[SAFE_OFFSET(5)]), NULL, features[SAFE_OFFSET(5)]) AS fatigue_score,
  IF(IS_NAN(features[SAFE_OFFSET(6)]), NULL, features[SAFE_OFFSET(6)]) AS shot_zone_mismatch_score,
  IF(IS_NAN(features[SAFE_OFFSET(7)]), NULL, features[SAFE_OFFSET(7)]) AS pace_score,
  IF(IS_NAN(features[SAFE_OFFSET(8)]), NULL, features[SAFE_OFFSET(8)]) AS usage_spike_score,
  IF(IS_NAN(features[SAFE_OFFSET(9)]), NULL, features[SAFE_OFFSET(9)]) AS rest_advantage,
  IF(IS_NAN(features[SAFE_OFFSET(10)]), NULL, features[SAFE_OFFSET(10)]) AS injury_risk,
  IF(IS_NAN(features[SAFE_OFFSET(11)]), NULL, features[SAFE_OFFSET(11)]) AS recent_trend,
  IF(IS_NAN(features[SAFE_OFFSET(12)]), NULL, features[SAFE_OFFSET(12)]) AS minutes_change,
  IF(IS_NAN(features[SAFE_OFFSET(13)]), NULL, features[SAFE_OFFSET(13)]) AS opponent_def_rating,
  IF(IS_NAN(features[SAFE_OFFSET(14)]), NULL, features[SAFE_OFFSET(14)]) AS opponent_pace,
  IF(IS_NAN(features[SAFE_OFFSET(15)]), NULL, features[SAFE_OFFSET(15)]) AS home_away,
  IF(IS_NAN(features[SAFE_OFFSET(16)]), NULL, features[SAFE_OFFSET(16)]) AS back_to_back,
  IF(IS_NAN(features[SAFE_OFFSET(17)]), NULL, features[SAFE_OFFSET(17)]) AS playoff_game,
  IF(IS_NAN(features[SAFE_OFFSET(18)]), NULL, features[SAFE_OFFSET(18)]) AS pct_paint,
  IF(IS_NAN(features[SAFE_OFFSET(19)]), NULL, features[SAFE_OFFSET(19)]) AS pct_mid_range,
  IF(IS_NAN(features[SAFE_OFFSET(20)]), NULL, features[SAFE_OFFSET(20)]) AS pct_three,
  IF(IS_NAN(features[SAFE_OFFSET(21)]), NULL, features[SAFE_OFFSET(21)]) AS pct_free_throw,
  IF(IS_NAN(features[SAFE_OFFSET(22)]), NULL, features[SAFE_OFFSET(22)]) AS team_pace,
  IF(IS_NAN(features[SAFE_OFFSET(23)]), NULL, features[SAFE_OFFSET(23)]) AS team_off_rating,
  IF(IS_NAN(features[SAFE_OFFSET(24)]), NULL, features[SAFE_OFFSET(24)]) AS team_win_pct,
  feature_version,
  feature_quality_score,
  quality_tier,
  data_source,
  phase4_feature_count,
  default_feature_count,
  early_season_flag,
  is_production_ready
FROM nba_predictions.ml_feature_store_v2
WHERE game_date BETWEEN @start_date AND @end_date
ORDER BY game_date, player_lookup
