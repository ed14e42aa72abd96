-- table:    nba_processing.precompute_failures, rows of processor player_daily_cache
-- grain:    one row per player (or DATE_LEVEL) x cache_date that could not be built well.
-- inputs:   as player_daily_cache.sql, plus the PDC rows this same build has just written
--           (the asset factory writes the table before its failures, in one transaction).
-- Only dates outside bootstrap (days 0-13) get failure rows; MISSING_DEPENDENCY only on
-- dates with final games.
--   INSUFFICIENT_DATA  a UPGC player with fewer than 3 games played this season before the
--                      date, none included (expected = 3, actual = games).
--   INCOMPLETE_DATA    a PDC row whose last-10 window is < 70% complete (DNP-aware).
--   MISSING_DEPENDENCY DATE_LEVEL: upcoming_player_game_context has no rows for the date,
--                      or player_shot_zone_analysis has neither rows nor failure rows.
-- shared:   build_dates from shared/final_game_dates.sql (day_index >= 14); what is present
--           from shared/present_upstreams.sql; the UPGC rows with their season from
--           shared/upgc_days.sql and the games played this season before the date from
--           shared/season_games.sql, as the table's own query reads them.
WITH upgc AS (
  SELECT player_lookup, game_date
  FROM shared.upgc_days AS u
  WHERE day_index >= 14
),
games_played AS (
  SELECT u.player_lookup, u.game_date, COUNTIF(g.game_id IS NOT NULL) AS games
  FROM upgc AS u
  LEFT JOIN shared.season_games AS g
    ON g.target_date = u.game_date AND g.player_lookup = u.player_lookup
  GROUP BY u.player_lookup, u.game_date
),
build_dates AS (
  SELECT game_date, final_games FROM shared.final_game_dates AS d WHERE day_index >= 14
),

required AS (
  SELECT 'upcoming_player_game_context' AS upstream
  UNION ALL SELECT 'player_shot_zone_analysis'
),
failures AS (
  SELECT
    game_date AS analysis_date,
    player_lookup AS entity_id,
    'INSUFFICIENT_DATA' AS failure_category,
    CONCAT(CAST(games AS STRING), ' games played this season, 3 needed') AS failure_reason,
    TRUE AS can_retry,
    FALSE AS is_correctable,
    3 AS expected_game_count,
    games AS actual_game_count,
    CAST(NULL AS STRING) AS missing_game_dates
  FROM games_played
  WHERE games < 3

  UNION ALL

  SELECT
    cache_date,
    player_lookup,
    'INCOMPLETE_DATA',
    CONCAT('last-10 window ', CAST(ROUND(completeness_pct, 1) AS STRING), '% complete: ',
      CAST(actual_game_count AS STRING), ' of ', CAST(expected_game_count AS STRING),
      ' expected games in player_game_summary'),
    TRUE,
    TRUE,
    expected_game_count,
    actual_game_count,
    missing_game_dates
  FROM nba_precompute.player_daily_cache
  WHERE cache_date BETWEEN @start_date AND @end_date
    AND completeness_pct < 70

  UNION ALL

  SELECT
    b.game_date,
    'DATE_LEVEL',
    'MISSING_DEPENDENCY',
    CONCAT(r.upstream, ' has no rows for ', CAST(b.game_date AS STRING), ' (',
      CAST(b.final_games AS STRING), ' final games scheduled)'),
    TRUE,
    TRUE,
    b.final_games,
    0,
    CAST(NULL AS STRING)
  FROM build_dates AS b
  CROSS JOIN required AS r
  LEFT JOIN shared.present_upstreams AS p ON p.upstream = r.upstream AND p.game_date = b.game_date
  WHERE p.upstream IS NULL
)
SELECT
  CAST(@processor_name AS STRING) AS processor_name,
  CAST(@run_id AS STRING) AS run_id,
  analysis_date,
  CAST(entity_id AS STRING) AS entity_id,
  CAST(failure_category AS STRING) AS failure_category,
  CAST(failure_reason AS STRING) AS failure_reason,
  can_retry,
  is_correctable,
  CAST(expected_game_count AS INT64) AS expected_game_count,
  CAST(actual_game_count AS INT64) AS actual_game_count,
  missing_game_dates,
  CURRENT_TIMESTAMP() AS created_at
FROM failures
