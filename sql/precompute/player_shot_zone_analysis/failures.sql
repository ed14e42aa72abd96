-- table:    nba_processing.precompute_failures, rows of processor player_shot_zone_analysis
-- grain:    one row per player (or DATE_LEVEL) x analysis_date that could not be built well.
-- inputs:   as player_shot_zone_analysis.sql, plus the PSZA rows this same build has just
--           written (the asset factory writes the table before its failures, in one
--           transaction), so completeness is computed once, in the table's own SQL.
-- Only dates with final games, outside bootstrap (days 0-13), get failure rows.
--   INSUFFICIENT_DATA  player with 1+ games played in his window but fewer (counted up to
--                      10) than the ramp minimum (expected = minimum, actual = games).
--   INCOMPLETE_DATA    a PSZA row whose last-10 window is < 70% complete (DNP-aware).
--   MISSING_DEPENDENCY DATE_LEVEL: a date the windows may read (same season, 90 days
--                      back) has final games but no player_game_summary rows at all.
-- shared:   build_dates from shared/final_game_dates.sql (day_index >= 14); the window games
--           (INSUFFICIENT_DATA counts) from shared/psza_window_games.sql and the PGS rows
--           from shared/psza_player_games.sql, as the table's own query reads them.
WITH final_games AS (
  SELECT game_id, game_date
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 90 DAY)) AND @end_date
),
build_dates AS (
  SELECT game_date AS analysis_date, opener, day_index
  FROM shared.final_game_dates AS d
  WHERE day_index >= 14
),
player_counts AS (
  SELECT
    analysis_date,
    player_lookup,
    LEAST(COUNT(*), 10) AS games_in_sample,
    ANY_VALUE(
      CASE WHEN day_index <= 21 THEN LEAST(3 + DIV(day_index, 3), 9) ELSE 10 END
    ) AS min_games_required
  FROM shared.psza_window_games AS w
  WHERE day_index >= 14
  GROUP BY analysis_date, player_lookup
),
upstream_games AS (
  SELECT DISTINCT game_id, game_date FROM shared.psza_player_games AS g
),
final_flags AS (
  SELECT
    g.game_id,
    g.game_date,
    g.game_id IN (SELECT game_id FROM upstream_games) AS has_rows,
    g.game_date IN (SELECT game_date FROM upstream_games) AS date_has_rows
  FROM final_games AS g
),
-- the final games each build date's windows may read
reach_games AS (
  SELECT b.analysis_date, f.*
  FROM build_dates AS b
  JOIN final_flags AS f
    ON f.game_date >= b.opener
    AND f.game_date < b.analysis_date
    AND DATE_DIFF(b.analysis_date, f.game_date, DAY) <= 90
),
reach AS (
  SELECT
    analysis_date,
    COUNT(*) AS expected_games,
    COUNTIF(has_rows) AS actual_games,
    COUNTIF(NOT date_has_rows) AS games_on_missing_dates
  FROM reach_games
  GROUP BY analysis_date
),
reach_missing AS (
  SELECT
    analysis_date,
    CONCAT('[', STRING_AGG(CONCAT('"', CAST(game_date AS STRING), '"'), ','
      ORDER BY game_date), ']') AS missing_game_dates
  FROM (SELECT DISTINCT analysis_date, game_date FROM reach_games WHERE NOT date_has_rows)
  GROUP BY analysis_date
),
failures AS (
  SELECT
    analysis_date,
    player_lookup AS entity_id,
    'INSUFFICIENT_DATA' AS failure_category,
    CONCAT(CAST(games_in_sample AS STRING), ' games played in the window, ',
      CAST(min_games_required AS STRING), ' needed') AS failure_reason,
    TRUE AS can_retry,
    FALSE AS is_correctable,
    min_games_required AS expected_game_count,
    games_in_sample AS actual_game_count,
    CAST(NULL AS STRING) AS missing_game_dates
  FROM player_counts
  WHERE games_in_sample < min_games_required

  UNION ALL

  SELECT
    analysis_date,
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
  FROM nba_precompute.player_shot_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
    AND completeness_pct < 70

  UNION ALL

  SELECT
    analysis_date,
    'DATE_LEVEL',
    'MISSING_DEPENDENCY',
    CONCAT('player_game_summary has no rows for ',
      CAST(games_on_missing_dates AS STRING), ' final games in the lookback: ', missing_game_dates),
    TRUE,
    TRUE,
    expected_games,
    actual_games,
    missing_game_dates
  FROM reach
  JOIN reach_missing USING (analysis_date)
  WHERE games_on_missing_dates > 0
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
