-- shared:   the players of each date's final games in [@start_date, @end_date], from the
--           usable gamebook rows (`FROM shared.gamebook_players`): whom a players gate
--           expects a row for.
-- grain:    one row per check_date x player_lookup.
-- inputs:   nba_analytics.stg_schedule (is_final), nba_analytics.stg_gamebook
--           (row_problem IS NULL), nba_reference.season_calendar (opener, day_index).
SELECT DISTINCT g.game_date AS check_date, g.player_lookup, c.opener,
  DATE_DIFF(g.game_date, c.opener, DAY) AS day_index
FROM nba_analytics.stg_gamebook AS g
JOIN nba_analytics.stg_schedule AS f
  ON f.game_id = g.game_id AND f.game_date = g.game_date AND f.is_final
  AND f.game_date BETWEEN @start_date AND @end_date
JOIN nba_reference.season_calendar AS c ON g.game_date BETWEEN c.opener AND c.last_day
WHERE g.game_date BETWEEN @start_date AND @end_date AND g.row_problem IS NULL
