-- shared:   the season so far of each UPGC player x date of [@start_date, @end_date]: the
--           games he played this season before the date (`FROM shared.season_games`),
--           what PDC's and MLFS's windows, PCF's season usage and PDC's minimum-games
--           failures all start from.
-- grain:    one row per UPGC row (target_date x player_lookup, from shared/upgc_days.sql) x
--           game played (played, from shared/player_games.sql) with opener <= game_date <
--           target_date. A player with no such game has no row (readers LEFT JOIN).
-- inputs:   nba_analytics.upcoming_player_game_context, nba_reference.season_calendar,
--           nba_analytics.player_game_summary (from 366 days back: a season is shorter).
-- columns:  target_date, day_index (of target_date); the game's PGS columns and played.
--           Readers rank the games themselves (newest first) where they need a last-N
--           window, and apply their own bootstrap bound (day_index >= 14).
SELECT u.game_date AS target_date, u.day_index, g.*
FROM shared.upgc_days AS u
JOIN shared.player_games AS g
  ON g.player_lookup = u.player_lookup
  AND g.played
  AND g.game_date >= u.opener
  AND g.game_date < u.game_date
