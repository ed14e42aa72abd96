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
--           from shared/present_upgc_psza.sql.
WITH calendar AS (
  SELECT season_year, opener, last_day FROM nba_reference.season_calendar
),
upgc AS (
  SELECT u.player_lookup, u.game_date, c.opener
  FROM nba_analytics.upcoming_player_game_context AS u
  JOIN calendar AS c ON u.game_date BETWEEN c.opener AND c.last_day
  WHERE u.game_date BETWEEN @start_date AND @end_date
    AND DATE_DIFF(u.game_date, c.opener, DAY) >= 14
),
games_played AS (
  SELECT u.player_lookup, u.game_date, COUNTIF(g.game_id IS NOT NULL) AS games
  FROM upgc AS u
  LEFT JOIN nba_analytics.player_game_summary AS g
    ON g.player_lookup = u.player_lookup
    AND g.game_date >= u.opener
    AND g.game_date < u.game_date
    AND g.game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND @end_date
    AND COALESCE(g.is_active, FALSE)
    AND COALESCE(g.minutes_played, 0) > 0
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
  LEFT JOIN shared.present_upgc_psza AS p ON p.upstream = r.upstream AND p.game_date = b.game_date
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
