-- shared:   the dates of [@start_date, @end_date] with final games, inside a season of the
--           calendar (`FROM shared.final_game_dates`): the dates Phase 4 builds and judges.
-- grain:    one row per game_date.
-- inputs:   nba_analytics.stg_schedule (is_final), nba_reference.season_calendar.
-- columns:  season_year, opener, day_index (days since the opener; readers apply their own
--           bootstrap bound, e.g. day_index >= 14) and final_games (final games that date).
SELECT game_date, season_year, opener, DATE_DIFF(game_date, opener, DAY) AS day_index, final_games
FROM (
  SELECT s.game_date, c.season_year, c.opener, COUNT(*) AS final_games
  FROM nba_analytics.stg_schedule AS s
  JOIN nba_reference.season_calendar AS c ON s.game_date BETWEEN c.opener AND c.last_day
  WHERE s.is_final AND s.game_date BETWEEN @start_date AND @end_date
  GROUP BY s.game_date, c.season_year, c.opener
)
