-- table:    nba_processing.precompute_failures, rows of processor ml_feature_store_v2
-- grain:    one row per missing upstream x game_date, entity DATE_LEVEL.
-- MLFS has no window of its own (its season fallbacks always give a value), so its only
-- failures are MISSING_DEPENDENCY: on a date with final games, outside bootstrap (days
-- 0-13), a same-date input has nothing:
--   upcoming_player_game_context, upcoming_team_game_context: no rows;
--   player_daily_cache, player_composite_factors, player_shot_zone_analysis,
--   team_defense_zone_analysis: neither rows nor failure rows of that processor (a date
--   where every entity was INSUFFICIENT_DATA was built and is not a missing dependency).
-- MLFS still writes its rows then (features fall back, and the quality score shows it);
-- this row says why. expected/actual_game_count: the date's final games / 0.
-- shared:   build_dates from shared/final_game_dates.sql (day_index >= 14); what is present
--           from shared/present_upstreams.sql, plus UTGC, PDC, PCF.
WITH build_dates AS (
  SELECT game_date, final_games FROM shared.final_game_dates AS d WHERE day_index >= 14
),
present AS (
  SELECT * FROM shared.present_upstreams AS u
  UNION DISTINCT
  SELECT DISTINCT 'upcoming_team_game_context', game_date
  FROM nba_analytics.upcoming_team_game_context WHERE game_date BETWEEN @start_date AND @end_date
  UNION DISTINCT
  SELECT DISTINCT 'player_daily_cache', cache_date
  FROM nba_precompute.player_daily_cache WHERE cache_date BETWEEN @start_date AND @end_date
  UNION DISTINCT
  SELECT DISTINCT 'player_composite_factors', game_date
  FROM nba_precompute.player_composite_factors WHERE game_date BETWEEN @start_date AND @end_date
  UNION DISTINCT
  SELECT DISTINCT processor_name, analysis_date
  FROM nba_processing.precompute_failures
  WHERE analysis_date BETWEEN @start_date AND @end_date
    AND processor_name IN ('player_daily_cache', 'player_composite_factors')
),
required AS (
  SELECT 'upcoming_player_game_context' AS upstream
  UNION ALL SELECT 'upcoming_team_game_context'
  UNION ALL SELECT 'player_daily_cache'
  UNION ALL SELECT 'player_composite_factors'
  UNION ALL SELECT 'player_shot_zone_analysis'
  UNION ALL SELECT 'team_defense_zone_analysis'
)
SELECT
  CAST(@processor_name AS STRING) AS processor_name,
  CAST(@run_id AS STRING) AS run_id,
  b.game_date AS analysis_date,
  'DATE_LEVEL' AS entity_id,
  'MISSING_DEPENDENCY' AS failure_category,
  CONCAT(r.upstream, ' has no rows for ', CAST(b.game_date AS STRING), ' (',
    CAST(b.final_games AS STRING), ' final games scheduled)') AS failure_reason,
  TRUE AS can_retry,
  TRUE AS is_correctable,
  CAST(b.final_games AS INT64) AS expected_game_count,
  CAST(0 AS INT64) AS actual_game_count,
  CAST(NULL AS STRING) AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM build_dates AS b
CROSS JOIN required AS r
LEFT JOIN present AS p ON p.upstream = r.upstream AND p.game_date = b.game_date
WHERE p.upstream IS NULL
