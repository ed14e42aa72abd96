-- report:   the schedule per date: which in-season dates have final games.
-- grain:    one row per date in [@start_date, @end_date] with at least one game in the
--           (deduplicated) schedule; dates without a row have no games at all.
-- inputs:   nba_analytics.stg_schedule, nba_reference.season_calendar.
-- columns:  final_games (game_status 3: what Phase 3/4 build), other_games (scheduled or
--           live: not due yet), season_label, day_index (days since the season's opener,
--           NULL outside every season).
SELECT
  s.game_date AS check_date,
  CAST(COUNTIF(s.is_final) AS INT64) AS final_games,
  CAST(COUNTIF(NOT s.is_final) AS INT64) AS other_games,
  ANY_VALUE(c.season_label) AS season_label,
  CAST(ANY_VALUE(DATE_DIFF(s.game_date, c.opener, DAY)) AS INT64) AS day_index
FROM nba_analytics.stg_schedule AS s
LEFT JOIN nba_reference.season_calendar AS c ON s.game_date BETWEEN c.opener AND c.last_day
WHERE s.game_date BETWEEN @start_date AND @end_date
GROUP BY s.game_date
