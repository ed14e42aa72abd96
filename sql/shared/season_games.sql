-- shared:   the season so far of each UPGC player x date of [@start_date, @end_date]: the
--           games he played this season before the date (`FROM shared.season_games`),
--           what PDC's and MLFS's windows, PCF's season usage and PDC's minimum-games
--           failures all start from.
-- grain:    one row per UPGC row (target_date x player_lookup, from shared/upgc_days.sql) x
--           game played (played, from shared/player_games.sql) with opener <= game_date <
--           target_date. A player with no such game has no row (readers LEFT JOIN).
-- inputs:   nba_analytics.upcoming_player_game_context, nba_reference.season_calendar,
--           nba_analytics.player_game_summary (from 366 days back: a season is shorter).
-- columns:  target_date, day_index (of target_date); the game's PGS columns, played and
--           played_number; game_rank (1 = the newest game before target_date), for last-N
--           windows. Readers apply their own bootstrap bound (day_index >= 14).
-- choice:   game_rank is the newest game's played_number minus this one's (plus one): the
--           same order as ranking by game_date, game_id descending, without sorting every
--           (date, game) pair.
WITH games AS (
  SELECT u.game_date AS target_date, u.day_index, g.*
  FROM shared.upgc_days AS u
  JOIN shared.player_games AS g
    ON g.player_lookup = u.player_lookup
    AND g.played
    AND g.game_date >= u.opener
    AND g.game_date < u.game_date
),
newest AS (
  SELECT target_date, player_lookup, MAX(played_number) AS newest_number
  FROM games
  GROUP BY target_date, player_lookup
)
SELECT g.*, n.newest_number - g.played_number + 1 AS game_rank
FROM games AS g
JOIN newest AS n
  ON n.target_date = g.target_date AND n.player_lookup = g.player_lookup
