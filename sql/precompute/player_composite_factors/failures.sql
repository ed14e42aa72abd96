-- table:    nba_processing.precompute_failures, rows of processor player_composite_factors
-- grain:    one row per missing upstream x game_date, entity DATE_LEVEL.
-- PCF has no window of its own, so its only failures are MISSING_DEPENDENCY: on a date
-- with final games, outside bootstrap (days 0-13), a same-date input has nothing:
--   upcoming_player_game_context: no rows;
--   player_shot_zone_analysis / team_defense_zone_analysis: neither rows nor failure rows
--   of that processor (a date where every entity was INSUFFICIENT_DATA was built, early in
--   the season, and is not a missing dependency).
-- PCF still writes its rows then (with the documented defaults); this row says why they
-- are weak. expected/actual_game_count: the date's final games / 0.
-- shared:   build_dates from shared/final_game_dates.sql (day_index >= 14); what is present
--           from shared/present_upstreams.sql.
WITH build_dates AS (
  SELECT game_date, final_games FROM shared.final_game_dates AS d WHERE day_index >= 14
),
required AS (
  SELECT 'upcoming_player_game_context' AS upstream
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
LEFT JOIN shared.present_upstreams AS p ON p.upstream = r.upstream AND p.game_date = b.game_date
WHERE p.upstream IS NULL
