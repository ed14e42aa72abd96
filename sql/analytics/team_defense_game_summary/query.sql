-- table:    nba_analytics.team_defense_game_summary (TDGS), partitioned by game_date
-- grain:    one row per defending team x FINAL game; a date without final games is empty.
-- inputs:   same-date raw only, through stg_team_lines (the TOGS line of each team, same
--           source chain) and stg_shots (the opponent's shot zones).
-- shared:   the game's shot feed from shared/game_shot_source.sql, the opponent's zone
--           counts from shared/team_shot_zones.sql (both over stg_shots).
-- lookback: none.
-- Choices the spec leaves open:
--   * The row is the OPPONENT's line seen from the defense, so it exists when the opponent
--     has a line; primary_source / quality_score are that line's (team_boxscore 100,
--     reconstructed 85). A defending team whose opponent has no line gets no row and a
--     failure row (failures.sql beside this file).
--   * steals, blocks_total, defensive_rebounds are the defending team's own; NULL when the
--     defending team itself has no line.
--   * opponent_pace = the opponent's possessions x 48 / (team_minutes / 5), as TOGS pace.
--   * opp_rebounds = the opponent's total rebounds.
--   * win_flag / margin_of_victory for the defending team, from the schedule's final score
--     (fallback: the two lines' points), as in TOGS.
--   * Opponent zone columns NULL (never 0) when the game has no play-by-play.
WITH lines AS (
  SELECT *
  FROM nba_analytics.stg_team_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
built AS (
  SELECT
    d.game_id, d.game_date, d.season_year, d.team_abbr AS defending_team_abbr,
    d.opponent_team_abbr, d.home_game,
    o.points AS opp_points, o.fg_attempted AS opp_fga, o.fg_made AS opp_fgm,
    o.three_pt_attempted AS opp_3pa, o.three_pt_made AS opp_3pm,
    o.ft_attempted AS opp_fta, o.ft_made AS opp_ftm,
    o.total_rebounds AS opp_reb, o.assists AS opp_ast, o.turnovers AS opp_tov,
    d.steals AS own_steals, d.blocks AS own_blocks, d.defensive_rebounds AS own_dreb,
    o.fg_attempted + 0.44 * o.ft_attempted + o.turnovers - o.offensive_rebounds AS opp_poss,
    o.team_minutes AS opp_minutes,
    COALESCE(d.team_score - d.opponent_score, d.points - o.points) AS margin,
    o.primary_source,
    IF(o.primary_source = 'team_boxscore', 100, 85) AS quality,
    g.shot_source AS shot_zones_source,
    z.paint_attempts, z.paint_makes, z.mid_range_attempts, z.mid_range_makes
  FROM lines AS d
  JOIN lines AS o
    ON o.game_id = d.game_id AND o.team_abbr = d.opponent_team_abbr
  LEFT JOIN shared.game_shot_source AS g
    ON g.game_id = d.game_id
  LEFT JOIN shared.team_shot_zones AS z
    ON z.game_id = d.game_id AND z.team_abbr = d.opponent_team_abbr
  WHERE o.primary_source IS NOT NULL
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  opp_points AS points_allowed,
  opp_fga AS opp_fg_attempts,
  opp_fgm AS opp_fg_makes,
  opp_3pa AS opp_three_pt_attempts,
  opp_3pm AS opp_three_pt_makes,
  opp_fta AS opp_ft_attempts,
  opp_ftm AS opp_ft_makes,
  opp_reb AS opp_rebounds,
  opp_ast AS opp_assists,
  opp_tov AS turnovers_forced,
  own_steals AS steals,
  own_blocks AS blocks_total,
  own_dreb AS defensive_rebounds,
  opp_poss AS opp_possessions,
  SAFE_DIVIDE(100 * opp_points, opp_poss) AS defensive_rating,
  SAFE_DIVIDE(opp_poss * 48, opp_minutes / 5) AS opponent_pace,
  SAFE_DIVIDE(opp_points, 2 * (opp_fga + 0.44 * opp_fta)) AS opponent_ts_pct,
  IF(shot_zones_source IS NULL, NULL, COALESCE(paint_attempts, 0)) AS opp_paint_attempts,
  IF(shot_zones_source IS NULL, NULL, COALESCE(paint_makes, 0)) AS opp_paint_makes,
  IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_attempts, 0)) AS opp_mid_range_attempts,
  IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_makes, 0)) AS opp_mid_range_makes,
  IF(shot_zones_source IS NULL, NULL, 2 * COALESCE(paint_makes, 0)) AS points_in_paint_allowed,
  IF(shot_zones_source IS NULL, NULL, 2 * COALESCE(mid_range_makes, 0)) AS mid_range_points_allowed,
  3 * opp_3pm AS three_pt_points_allowed,
  margin > 0 AS win_flag,
  margin AS margin_of_victory,
  quality AS quality_score,
  CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver'
       WHEN quality >= 50 THEN 'bronze' WHEN quality >= 25 THEN 'poor'
       ELSE 'unusable' END AS quality_tier,
  quality >= 50 AS is_production_ready
FROM built
