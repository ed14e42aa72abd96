-- shared:   each game of [@start_date, @end_date] with play-by-play, and the feed its shots
--           come from (`FROM shared.game_shot_source`): a game absent here has no zones.
-- grain:    one row per game_id.
-- inputs:   nba_analytics.stg_shots (bigdataball, else nbac play-by-play; one feed a game).
SELECT game_id, MIN(shot_source) AS shot_source
FROM nba_analytics.stg_shots
WHERE game_date BETWEEN @start_date AND @end_date
GROUP BY game_id
