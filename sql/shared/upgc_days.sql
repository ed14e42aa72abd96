-- shared:   the upcoming_player_game_context rows of [@start_date, @end_date] with their
--           season from the calendar (`FROM shared.upgc_days`): the player x date rows
--           PDC, PCF and MLFS build for (or judge), with the opener their windows start at.
-- grain:    one row per UPGC row (player x game_date): all of its columns, plus the date's
--           season from the calendar.
-- inputs:   nba_analytics.upcoming_player_game_context, nba_reference.season_calendar.
-- columns:  calendar_season_year, opener and day_index (days since the opener) of the date's
--           season (named apart from UPGC's own season_year: readers take the calendar's);
--           readers apply their own bootstrap bound (day_index >= 14) where they have one.
SELECT
  u.*,
  c.season_year AS calendar_season_year,
  c.opener,
  DATE_DIFF(u.game_date, c.opener, DAY) AS day_index
FROM nba_analytics.upcoming_player_game_context AS u
JOIN nba_reference.season_calendar AS c ON u.game_date BETWEEN c.opener AND c.last_day
WHERE u.game_date BETWEEN @start_date AND @end_date
