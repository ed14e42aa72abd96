-- table:    nba_processing.precompute_failures, rows of processor team_defense_zone_analysis
-- grain:    one row per team (or DATE_LEVEL) x analysis_date that could not be built well.
-- inputs:   as team_defense_zone_analysis.sql, plus the TDZA rows this same build has just
--           written (the asset factory writes the table before its failures, in one
--           transaction), so completeness is computed once, in the table's own SQL.
-- Only dates with final games, outside bootstrap (days 0-13), get failure rows.
--   INSUFFICIENT_DATA  team with 1+ games in its window but fewer than the ramp minimum
--                      (expected = minimum, actual = games).
--   INCOMPLETE_DATA    a TDZA row whose window is < 70% complete against the schedule.
--   MISSING_DEPENDENCY DATE_LEVEL: a date the windows may read (same season, 60 days
--                      back) has final games but no TDGS rows at all (expected/actual =
--                      final games in that reach / those with TDGS rows).
-- shared:   build_dates from shared/final_game_dates.sql (day_index >= 14).
WITH final_games AS (
  SELECT game_id, game_date
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
build_dates AS (
  SELECT game_date AS analysis_date, opener, day_index
  FROM shared.final_game_dates AS d
  WHERE day_index >= 14
),
defense AS (
  SELECT game_id, game_date, defending_team_abbr AS team_abbr
  FROM nba_analytics.team_defense_game_summary
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
team_games AS (
  SELECT
    b.analysis_date,
    d.team_abbr,
    LEAST(COUNT(*), 15) AS games_in_sample,
    ANY_VALUE(
      CASE WHEN b.day_index <= 21 THEN LEAST(5 + DIV(b.day_index, 3), 14) ELSE 15 END
    ) AS min_games_required
  FROM build_dates AS b
  JOIN defense AS d
    ON d.game_date >= b.opener
    AND d.game_date < b.analysis_date
    AND DATE_DIFF(b.analysis_date, d.game_date, DAY) <= 60
  GROUP BY b.analysis_date, d.team_abbr
),
defense_games AS (
  SELECT DISTINCT game_id, game_date FROM defense
),
final_flags AS (
  SELECT
    g.game_id,
    g.game_date,
    g.game_id IN (SELECT game_id FROM defense_games) AS has_rows,
    g.game_date IN (SELECT game_date FROM defense_games) AS date_has_rows
  FROM final_games AS g
),
-- the final games each build date's windows may read
reach_games AS (
  SELECT b.analysis_date, f.*
  FROM build_dates AS b
  JOIN final_flags AS f
    ON f.game_date >= b.opener
    AND f.game_date < b.analysis_date
    AND DATE_DIFF(b.analysis_date, f.game_date, DAY) <= 60
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
    team_abbr AS entity_id,
    'INSUFFICIENT_DATA' AS failure_category,
    CONCAT(CAST(games_in_sample AS STRING), ' games in the window, ',
      CAST(min_games_required AS STRING), ' needed') AS failure_reason,
    TRUE AS can_retry,
    FALSE AS is_correctable,
    min_games_required AS expected_game_count,
    games_in_sample AS actual_game_count,
    CAST(NULL AS STRING) AS missing_game_dates
  FROM team_games
  WHERE games_in_sample < min_games_required

  UNION ALL

  SELECT
    analysis_date,
    team_abbr,
    'INCOMPLETE_DATA',
    CONCAT('window ', CAST(ROUND(completeness_pct, 1) AS STRING), '% complete: ',
      CAST(actual_game_count AS STRING), ' of ', CAST(expected_game_count AS STRING),
      ' scheduled games in team_defense_game_summary'),
    TRUE,
    TRUE,
    expected_game_count,
    actual_game_count,
    missing_game_dates
  FROM nba_precompute.team_defense_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
    AND completeness_pct < 70

  UNION ALL

  SELECT
    analysis_date,
    'DATE_LEVEL',
    'MISSING_DEPENDENCY',
    CONCAT('team_defense_game_summary has no rows for ',
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
