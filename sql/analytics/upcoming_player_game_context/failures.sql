-- failures: nba_processing.analytics_failures rows for upcoming_player_game_context (SPEC §5.1)
-- grain:    one row per date x entity (a player_lookup or a game_id).
-- Reads the UPGC rows just written for the range: the factory replaces the table before
-- its failure rows, in the same transaction, so completeness is computed once.
-- Categories:
--   INCOMPLETE_DATA     entity player_lookup: the player's window (his team's last 10 final
--                       games) is < 70% complete against the schedule (SPEC §5.3); the row
--                       exists with is_production_ready = FALSE. missing_game_dates lists
--                       the games PGS lacks. Fix: repair PGS for those dates, rebuild.
--   MISSING_DEPENDENCY  entity game_id: a FINAL game of the date without one usable gamebook
--                       row, so none of its players has a row. Fix: re-scrape the gamebook.
WITH context AS (
  SELECT *
  FROM nba_analytics.upcoming_player_game_context
  WHERE game_date BETWEEN @start_date AND @end_date
),
games AS (
  SELECT *
  FROM nba_analytics.stg_schedule
  WHERE game_date BETWEEN @start_date AND @end_date AND is_final
),
gamebook_games AS (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_gamebook
  WHERE game_date BETWEEN @start_date AND @end_date AND row_problem IS NULL
),
failed AS (
  SELECT
    game_date, player_lookup AS entity_id, 'INCOMPLETE_DATA' AS failure_category,
    CONCAT('window ', CAST(actual_games_count AS STRING), '/',
           CAST(expected_games_count AS STRING), ' games complete (',
           CAST(ROUND(completeness_pct, 1) AS STRING), '% < 70%)') AS failure_reason,
    expected_games_count AS expected, actual_games_count AS actual,
    missing_game_dates AS missing
  FROM context
  WHERE NOT is_production_ready
  UNION ALL
  SELECT
    g.game_date, g.game_id, 'MISSING_DEPENDENCY',
    CONCAT('final game ', g.game_id, ' has no usable gamebook rows'),
    1, 0, CONCAT('["', CAST(g.game_date AS STRING), '"]')
  FROM games AS g
  LEFT JOIN gamebook_games AS gb
    ON gb.game_id = g.game_id
  WHERE gb.game_id IS NULL
)
SELECT
  CAST(@processor_name AS STRING) AS processor_name,
  CAST(@run_id AS STRING) AS run_id,
  game_date AS analysis_date,
  entity_id,
  failure_category,
  failure_reason,
  TRUE AS can_retry,
  TRUE AS is_correctable,
  CAST(expected AS INT64) AS expected_game_count,
  CAST(actual AS INT64) AS actual_game_count,
  missing AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM failed
