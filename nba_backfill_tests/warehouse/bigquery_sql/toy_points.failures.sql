-- table:  nba_processing.analytics_failures rows of the toy processor (test fixture)
-- grain:  one row per game on the date without a home score.
SELECT
  @processor_name AS processor_name,
  @run_id AS run_id,
  game_date AS analysis_date,
  game_id AS entity_id,
  'INCOMPLETE_DATA' AS failure_category,
  'no home score' AS failure_reason,
  TRUE AS can_retry,
  FALSE AS is_correctable,
  CAST(1 AS INT64) AS expected_game_count,
  CAST(0 AS INT64) AS actual_game_count,
  CAST(NULL AS STRING) AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM nba_raw.nbac_schedule
WHERE game_date BETWEEN @start_date AND @end_date
  AND home_team_score IS NULL
