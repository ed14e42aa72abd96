-- failures: nba_processing.analytics_failures rows for player_game_summary (SPEC §5.1)
-- grain:    one row per date x entity; entity_id is a game_id, a team_abbr or a player.
-- Categories (what an operator does next):
--   MISSING_DEPENDENCY  entity game_id: a FINAL game with no usable player row in the
--                       gamebook nor in the player box scores (the game has no PGS rows);
--                       entity team_abbr: a final game with player rows for one team only.
--                       Fix: re-scrape the gamebook / box scores for the date.
--   INCOMPLETE_DATA     entity player_lookup (game_id when the row has no player_lookup):
--                       raw player rows of a final game excluded as unusable (NULL key,
--                       negative minutes, impossible stats). Gamebook rows are always
--                       reported; box-score rows only where box scores are the game's
--                       source. Fix: re-scrape, then rebuild the date.
--   (PROCESSING_ERROR is reserved for bugs and never written from data.)
-- shared:   the player rows with their game's source (the build's rule) from
--           shared/pgs_player_rows.sql.
WITH games AS (
  SELECT *
  FROM nba_analytics.stg_schedule
  WHERE game_date BETWEEN @start_date AND @end_date AND is_final
),
-- the usable rows the build uses, per game and team (player_game_summary.sql's rule)
used AS (
  SELECT game_id, team_abbr
  FROM shared.pgs_player_rows AS r
  WHERE used
),
sides AS (
  SELECT game_id, game_date, home_team_abbr AS team_abbr FROM games
  UNION ALL
  SELECT game_id, game_date, away_team_abbr FROM games
),
side_rows AS (
  SELECT
    s.game_id, s.game_date, s.team_abbr,
    COUNTIF(u.game_id IS NOT NULL) AS team_rows,
    SUM(COUNTIF(u.game_id IS NOT NULL)) OVER (PARTITION BY s.game_id) AS game_rows
  FROM sides AS s
  LEFT JOIN used AS u
    ON u.game_id = s.game_id AND u.team_abbr = s.team_abbr
  GROUP BY s.game_id, s.game_date, s.team_abbr
),
-- unusable rows: every gamebook one; box-score ones where box scores are the game's source
bad_rows AS (
  SELECT game_id, game_date, player_lookup, primary_source AS source, row_problem
  FROM shared.pgs_player_rows AS r
  WHERE row_problem IS NOT NULL
    AND (primary_source = 'gamebook' OR game_source = 'player_boxscores')
),
failed AS (
  SELECT DISTINCT
    game_date, game_id AS entity_id, 'MISSING_DEPENDENCY' AS failure_category,
    CONCAT('final game ', game_id,
           ' has no usable player rows in the gamebook or the player box scores') AS failure_reason,
    1 AS expected, 0 AS actual, game_date AS missing_date
  FROM side_rows
  WHERE game_rows = 0
  UNION ALL
  SELECT
    game_date, team_abbr, 'MISSING_DEPENDENCY',
    CONCAT('final game ', game_id, ': no usable player rows for ', team_abbr,
           ' (the other team has rows)'),
    1, 0, game_date
  FROM side_rows
  WHERE team_rows = 0 AND game_rows > 0
  UNION ALL
  SELECT
    b.game_date, COALESCE(b.player_lookup, b.game_id), 'INCOMPLETE_DATA',
    STRING_AGG(CONCAT(b.source, ' row excluded in game ', b.game_id, ': ', b.row_problem), '; '
               ORDER BY b.source, b.game_id),
    COUNT(DISTINCT b.game_id), 0, MIN(b.game_date)
  FROM bad_rows AS b
  JOIN games AS g
    ON g.game_id = b.game_id
  GROUP BY b.game_date, COALESCE(b.player_lookup, b.game_id)
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
  CONCAT('["', CAST(missing_date AS STRING), '"]') AS missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM failed
