-- failures: nba_processing.analytics_failures rows for team_offense_game_summary (SPEC §5.1)
-- grain:    one row per date x team of a FINAL game whose line is missing or degraded.
-- Categories (what an operator does next):
--   MISSING_DEPENDENCY  no usable team box score AND fewer than 5 usable active gamebook
--                       players: no TOGS row. Fix: re-scrape the box score or gamebook.
--   INCOMPLETE_DATA     the team box score row exists but is unusable (NULL key, impossible
--                       stat): the row was built by reconstruction instead (quality 85).
--                       Fix: re-scrape the box score, then rebuild the date.
--   (PROCESSING_ERROR is reserved for bugs and never written from data.)
-- expected/actual_game_count: team box-score rows expected (1) and usable (0) for the game.
WITH lines AS (
  SELECT *
  FROM nba_analytics.stg_team_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
bad_box AS (
  SELECT game_id, team_abbr, row_problem
  FROM nba_analytics.stg_team_boxscore
  WHERE game_date BETWEEN @start_date AND @end_date AND row_problem IS NOT NULL
),
failed AS (
  SELECT
    l.game_date,
    l.team_abbr AS entity_id,
    IF(l.primary_source IS NULL, 'MISSING_DEPENDENCY', 'INCOMPLETE_DATA') AS failure_category,
    IF(
      l.primary_source IS NULL,
      CONCAT('game ', l.game_id, ': no usable team box score',
             IF(b.row_problem IS NULL, '', CONCAT(' (row unusable: ', b.row_problem, ')')),
             ' and ', CAST(l.active_players AS STRING),
             ' usable active gamebook players (5 needed to reconstruct)'),
      CONCAT('game ', l.game_id, ': team box score row unusable (', b.row_problem,
             '); built from ', CAST(l.active_players AS STRING), ' gamebook players')
    ) AS failure_reason
  FROM lines AS l
  LEFT JOIN bad_box AS b
    ON b.game_id = l.game_id AND b.team_abbr = l.team_abbr
  WHERE l.primary_source IS NULL OR b.row_problem IS NOT NULL
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
  CAST(1 AS INT64) AS expected_game_count,
  CAST(0 AS INT64) AS actual_game_count,
  CONCAT('["', CAST(game_date AS STRING), '"]') AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM failed
