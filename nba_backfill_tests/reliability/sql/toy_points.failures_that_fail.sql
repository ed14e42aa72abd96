-- table:  nba_processing.analytics_failures rows of a toy processor (test fixture)
-- grain:  one row per game on the date without a home score.
-- @fail_failures = TRUE makes every row fail at run time (a bad cast) once the main table
-- holds this run's rows: the failure-table MERGE then fails inside BigQuery right after
-- the main table's MERGE of the same build ran (the dry runs before, which see the
-- previous rows, pass): the server-side twin of a build killed between the two writes.
SELECT
  @processor_name AS processor_name,
  @run_id AS run_id,
  game_date AS analysis_date,
  game_id AS entity_id,
  'INCOMPLETE_DATA' AS failure_category,
  'no home score' AS failure_reason,
  TRUE AS can_retry,
  FALSE AS is_correctable,
  CAST(IF(@fail_failures AND EXISTS (SELECT 1 FROM nba_analytics.toy_points_atomic AS t WHERE t.run_id = @run_id),
          CONCAT('x', game_id), '1') AS INT64) AS expected_game_count,
  CAST(0 AS INT64) AS actual_game_count,
  CAST(NULL AS STRING) AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM nba_raw.nbac_schedule
WHERE game_date BETWEEN @start_date AND @end_date
  AND home_team_score IS NULL
