-- rows:     what the cascade-contamination check (SPEC §6, sql/checks/templates/
--           contamination.sql) judges on nba_predictions.ml_feature_store_v2, with the predicates of table.toml.
-- grain:    one row per MLFS row in [@start_date, @end_date]. Bootstrap
--           days (placeholder rows, features NULL by design) are skipped by the check.
-- inputs:   nba_predictions.ml_feature_store_v2, nba_analytics.upcoming_player_game_context
--           (each player's opponent), nba_processing.precompute_failures (rows of
--           team_defense_zone_analysis).
-- columns:  quality_tier (valid: NOT NULL); feature_13_valid = feature_sources[13]
--           (opponent_def_rating) is not 'default' (nor NULL), or the opponent has a TDZA
--           failure row (a team under the minimum games has no TDZA row by rule, so the
--           default is right).
-- source gaps (SPEC §6) never make these fields invalid, so this check counts none:
--           feature 13 is the opponent's TDZA defensive_rating_last_15, from box scores,
--           present on every TDZA row even when its window has no play-by-play (only the
--           zone features 18-20 then take their default, which lowers the quality score);
--           a missing TDZA build (no row, no failure row) still defaults feature 13.
WITH opponents AS (
  SELECT DISTINCT game_date, player_lookup, opponent_team_abbr
  FROM nba_analytics.upcoming_player_game_context
  WHERE game_date BETWEEN @start_date AND @end_date
),
excused AS (
  SELECT DISTINCT analysis_date, entity_id AS team_abbr
  FROM nba_processing.precompute_failures
  WHERE processor_name = 'team_defense_zone_analysis'
    AND analysis_date BETWEEN @start_date AND @end_date
    AND failure_category IN ('INSUFFICIENT_DATA', 'INCOMPLETE_DATA')
),
judged AS (
  SELECT
    m.game_date AS check_date,
    FALSE AS source_gap,
    m.quality_tier,
    -- feature_sources[13], read as the 14th item of the joined list: the BigQuery
    -- emulator mis-reads array subscripts in grouped queries (test_bigquery_parity).
    COALESCE(
      REGEXP_EXTRACT(ARRAY_TO_STRING(m.feature_sources, ','), r'^(?:[^,]*,){13}([^,]*)'), 'default'
    ) != 'default'
      OR e.team_abbr IS NOT NULL AS feature_13_valid
  FROM nba_predictions.ml_feature_store_v2 AS m
  LEFT JOIN opponents AS o ON o.game_date = m.game_date AND o.player_lookup = m.player_lookup
  LEFT JOIN excused AS e ON e.analysis_date = m.game_date AND e.team_abbr = o.opponent_team_abbr
  WHERE m.game_date BETWEEN @start_date AND @end_date
)
SELECT * FROM judged
