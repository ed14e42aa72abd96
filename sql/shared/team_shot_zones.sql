-- shared:   a team's paint and mid-range shot attempts and makes per game of
--           [@start_date, @end_date] (`FROM shared.team_shot_zones`): TOGS's own zones,
--           TDGS's opponent zones.
-- grain:    one row per game_id x team_abbr with at least one shot in stg_shots (a team
--           without shots in a game with play-by-play is absent: readers COALESCE to 0).
-- inputs:   nba_analytics.stg_shots.
SELECT
  game_id, team_abbr,
  COUNTIF(zone = 'paint') AS paint_attempts,
  COUNTIF(zone = 'paint' AND shot_made) AS paint_makes,
  COUNTIF(zone = 'mid_range') AS mid_range_attempts,
  COUNTIF(zone = 'mid_range' AND shot_made) AS mid_range_makes
FROM nba_analytics.stg_shots
WHERE game_date BETWEEN @start_date AND @end_date
GROUP BY game_id, team_abbr
