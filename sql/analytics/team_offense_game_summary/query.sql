-- table:    nba_analytics.team_offense_game_summary (TOGS), partitioned by game_date
-- grain:    one row per team x FINAL game (game_status 3); a date without final games
--           is an empty partition.
-- inputs:   same-date raw only, through the staging views: stg_team_lines (schedule +
--           team box score, else reconstruction from >= 5 active gamebook players) and
--           stg_shots (bigdataball, else nbac play-by-play). Re-scrapes are collapsed to
--           the latest processed_at in staging, so no stat is ever counted twice.
-- shared:   the game's shot feed from shared/game_shot_source.sql, the team's zone counts
--           from shared/team_shot_zones.sql (both over stg_shots).
-- lookback: none.
-- Choices the spec leaves open:
--   * primary_source team_boxscore (quality 100) / reconstructed (85). A team with neither
--     gets no row; failures.sql beside this file reports it.
--   * team_minutes = 240 + 25 x overtime_periods (overtime rounded to whole periods from
--     the summed minutes, default 240); pace = possessions x 48 / (team_minutes / 5).
--   * win_flag and margin_of_victory use the schedule's final score (the official result;
--     a reconstructed line can miss points), falling back to the two lines' points.
--   * Zone columns: counts from the game's shot source; 0 for a team without shots in a
--     game that has play-by-play; NULL (never 0) when the game has none.
--   * Rates are fractions; every ratio with a zero denominator is NULL.
WITH lines AS (
  SELECT *
  FROM nba_analytics.stg_team_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
built AS (
  SELECT
    l.*,
    l.fg_attempted + 0.44 * l.ft_attempted + l.turnovers - l.offensive_rebounds AS poss,
    COALESCE(l.team_score - l.opponent_score, l.points - o.points) AS margin,
    IF(l.primary_source = 'team_boxscore', 100, 85) AS quality,
    g.shot_source AS shot_zones_source,
    z.paint_attempts, z.paint_makes, z.mid_range_attempts, z.mid_range_makes
  FROM lines AS l
  LEFT JOIN lines AS o
    ON o.game_id = l.game_id AND o.team_abbr = l.opponent_team_abbr
  LEFT JOIN shared.game_shot_source AS g
    ON g.game_id = l.game_id
  LEFT JOIN shared.team_shot_zones AS z
    ON z.game_id = l.game_id AND z.team_abbr = l.team_abbr
  WHERE l.primary_source IS NOT NULL
)
SELECT
  game_id,
  game_date,
  CAST(season_year AS INT64) AS season_year,
  team_abbr,
  opponent_team_abbr,
  home_game,
  CAST(points AS INT64) AS points_scored,
  CAST(fg_made AS INT64) AS fg_made,
  CAST(fg_attempted AS INT64) AS fg_attempted,
  CAST(three_pt_made AS INT64) AS three_pt_made,
  CAST(three_pt_attempted AS INT64) AS three_pt_attempted,
  CAST(ft_made AS INT64) AS ft_made,
  CAST(ft_attempted AS INT64) AS ft_attempted,
  CAST(offensive_rebounds AS INT64) AS offensive_rebounds,
  CAST(defensive_rebounds AS INT64) AS defensive_rebounds,
  CAST(total_rebounds AS INT64) AS total_rebounds,
  CAST(assists AS INT64) AS assists,
  CAST(steals AS INT64) AS steals,
  CAST(blocks AS INT64) AS blocks,
  CAST(turnovers AS INT64) AS turnovers,
  CAST(personal_fouls AS INT64) AS personal_fouls,
  CAST(poss AS FLOAT64) AS possessions,
  CAST(SAFE_DIVIDE(100 * points, poss) AS FLOAT64) AS offensive_rating,
  CAST(SAFE_DIVIDE(poss * 48, team_minutes / 5) AS FLOAT64) AS pace,
  CAST(SAFE_DIVIDE(points, 2 * (fg_attempted + 0.44 * ft_attempted)) AS FLOAT64) AS ts_pct,
  CAST(team_minutes AS INT64) AS team_minutes,
  CAST(overtime_periods AS INT64) AS overtime_periods,
  margin > 0 AS win_flag,
  CAST(margin AS INT64) AS margin_of_victory,
  CAST(IF(shot_zones_source IS NULL, NULL, COALESCE(paint_attempts, 0)) AS INT64) AS team_paint_attempts,
  CAST(IF(shot_zones_source IS NULL, NULL, COALESCE(paint_makes, 0)) AS INT64) AS team_paint_makes,
  CAST(IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_attempts, 0)) AS INT64) AS team_mid_range_attempts,
  CAST(IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_makes, 0)) AS INT64) AS team_mid_range_makes,
  shot_zones_source,
  CAST(quality AS INT64) AS quality_score,
  CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver'
       WHEN quality >= 50 THEN 'bronze' WHEN quality >= 25 THEN 'poor'
       ELSE 'unusable' END AS quality_tier,
  primary_source,
  quality >= 50 AS is_production_ready
FROM built
