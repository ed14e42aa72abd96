-- failures: nba_processing.analytics_failures rows for team_defense_game_summary (SPEC §5.1)
-- grain:    one row per date x defending team of a FINAL game whose opponent has no line
--           (no usable team box score and fewer than 5 usable active gamebook players).
-- Category: MISSING_DEPENDENCY (entity = the defending team_abbr): the row cannot exist
--           until the opponent's box score or gamebook is re-scraped. Unusable raw rows
--           themselves are reported once, by team_offense_game_summary.
WITH lines AS (
  SELECT *
  FROM nba_analytics.stg_team_lines
  WHERE game_date BETWEEN @start_date AND @end_date
)
SELECT
  CAST(@processor_name AS STRING) AS processor_name,
  CAST(@run_id AS STRING) AS run_id,
  d.game_date AS analysis_date,
  d.team_abbr AS entity_id,
  'MISSING_DEPENDENCY' AS failure_category,
  CONCAT('game ', d.game_id, ': opponent ', d.opponent_team_abbr,
         ' has no usable team box score and ', CAST(o.active_players AS STRING),
         ' usable active gamebook players (5 needed to reconstruct)') AS failure_reason,
  TRUE AS can_retry,
  TRUE AS is_correctable,
  CAST(1 AS INT64) AS expected_game_count,
  CAST(0 AS INT64) AS actual_game_count,
  CONCAT('["', CAST(d.game_date AS STRING), '"]') AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM lines AS d
JOIN lines AS o
  ON o.game_id = d.game_id AND o.team_abbr = d.opponent_team_abbr
WHERE o.primary_source IS NULL
