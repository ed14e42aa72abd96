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
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  points AS points_scored,
  poss AS possessions,
  SAFE_DIVIDE(100 * points, poss) AS offensive_rating,
  SAFE_DIVIDE(poss * 48, team_minutes / 5) AS pace,
  SAFE_DIVIDE(points, 2 * (fg_attempted + 0.44 * ft_attempted)) AS ts_pct,
  margin > 0 AS win_flag,
  margin AS margin_of_victory,
  IF(shot_zones_source IS NULL, NULL, COALESCE(paint_attempts, 0)) AS team_paint_attempts,
  IF(shot_zones_source IS NULL, NULL, COALESCE(paint_makes, 0)) AS team_paint_makes,
  IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_attempts, 0)) AS team_mid_range_attempts,
  IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_makes, 0)) AS team_mid_range_makes,
  quality AS quality_score,
  CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver'
       WHEN quality >= 50 THEN 'bronze' WHEN quality >= 25 THEN 'poor'
       ELSE 'unusable' END AS quality_tier,
  quality >= 50 AS is_production_ready
FROM built
