-- failures: nba_processing.analytics_failures rows for upcoming_team_game_context (SPEC §5.1)
-- grain:    one row per date x team whose window is incomplete.
-- Reads the UTGC rows just written for the range: the factory replaces the table before
-- its failure rows, in the same transaction, so completeness is computed once.
-- Category: INCOMPLETE_DATA (entity team_abbr): fewer than 70% of the team's last 10 final
--           games of the season have a team_offense_game_summary row (SPEC §5.3); the row
--           exists with is_production_ready = FALSE and missing_game_dates lists the gaps.
--           Fix: repair TOGS (its raw inputs) for those dates, then rebuild.
SELECT
  CAST(@processor_name AS STRING) AS processor_name,
  CAST(@run_id AS STRING) AS run_id,
  game_date AS analysis_date,
  team_abbr AS entity_id,
  'INCOMPLETE_DATA' AS failure_category,
  CONCAT('window ', CAST(actual_games_count AS STRING), '/',
         CAST(expected_games_count AS STRING), ' games have TOGS rows (',
         CAST(ROUND(completeness_pct, 1) AS STRING), '% < 70%)') AS failure_reason,
  TRUE AS can_retry,
  TRUE AS is_correctable,
  expected_games_count AS expected_game_count,
  actual_games_count AS actual_game_count,
  missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM nba_analytics.upcoming_team_game_context
WHERE game_date BETWEEN @start_date AND @end_date
  AND NOT is_production_ready
