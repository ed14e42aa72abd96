-- view:   nba_analytics.stg_team_lines   (the team box line behind TOGS, TDGS and PGS usage)
-- grain:  one row per FINAL game x team, both teams, also when no line can be built
--         (primary_source NULL, stats NULL): the failure SQL reports those teams.
-- Source chain (SPEC §2 TOGS): the usable team box score -> else the sum of the team's
--   usable gamebook rows with player_status 'active' when there are at least 5 of them
--   ('reconstructed') -> else no line.
-- team_minutes: 240 + 25 x overtime_periods, where overtime_periods = round((minutes -
--   240) / 25), never below 0, from the box score's summed minutes or, reconstructed, the
--   active players' summed minutes (missing -> 240). Rounding to whole periods keeps a
--   box score's "239:59" or a partial gamebook from producing a fractional overtime.
-- team_score / opponent_score: the schedule's final score, the official result that
--   win_flag and margin_of_victory use everywhere (a reconstructed line may miss points).
-- One view so TOGS, TDGS and PGS (usage rate) read the same line: SPEC §4 lets each of
-- them read only raw tables, and this keeps the chain written once.
CREATE OR REPLACE VIEW nba_analytics.stg_team_lines AS
WITH sides AS (
  SELECT game_id, game_date, season_year, home_team_abbr AS team_abbr,
         away_team_abbr AS opponent_team_abbr, TRUE AS home_game,
         home_team_score AS team_score, away_team_score AS opponent_score
  FROM nba_analytics.stg_schedule
  WHERE is_final
  UNION ALL
  SELECT game_id, game_date, season_year, away_team_abbr, home_team_abbr, FALSE,
         away_team_score, home_team_score
  FROM nba_analytics.stg_schedule
  WHERE is_final
),
box AS (
  SELECT *
  FROM nba_analytics.stg_team_boxscore
  WHERE row_problem IS NULL
),
roster AS (
  SELECT
    game_id, game_date, team_abbr,
    COUNT(*) AS active_players,
    SUM(minutes_played) AS minutes_total,
    SUM(field_goals_made) AS fg_made,
    SUM(field_goals_attempted) AS fg_attempted,
    SUM(three_pointers_made) AS three_pt_made,
    SUM(three_pointers_attempted) AS three_pt_attempted,
    SUM(free_throws_made) AS ft_made,
    SUM(free_throws_attempted) AS ft_attempted,
    SUM(offensive_rebounds) AS offensive_rebounds,
    SUM(defensive_rebounds) AS defensive_rebounds,
    SUM(total_rebounds) AS total_rebounds,
    SUM(assists) AS assists,
    SUM(steals) AS steals,
    SUM(blocks) AS blocks,
    SUM(turnovers) AS turnovers,
    SUM(personal_fouls) AS personal_fouls,
    SUM(points) AS points
  FROM nba_analytics.stg_gamebook
  WHERE row_problem IS NULL AND player_status = 'active'
  GROUP BY game_id, game_date, team_abbr
),
lines AS (
  SELECT
    s.*,
    COALESCE(r.active_players, 0) AS active_players,
    CASE
      WHEN b.team_abbr IS NOT NULL THEN 'team_boxscore'
      WHEN r.active_players >= 5 THEN 'reconstructed'
      ELSE CAST(NULL AS STRING)
    END AS primary_source,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.minutes_total
         WHEN r.active_players >= 5 THEN r.minutes_total END AS minutes_total,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.fg_made WHEN r.active_players >= 5 THEN r.fg_made END AS fg_made,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.fg_attempted WHEN r.active_players >= 5 THEN r.fg_attempted END AS fg_attempted,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.three_pt_made WHEN r.active_players >= 5 THEN r.three_pt_made END AS three_pt_made,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.three_pt_attempted WHEN r.active_players >= 5 THEN r.three_pt_attempted END AS three_pt_attempted,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.ft_made WHEN r.active_players >= 5 THEN r.ft_made END AS ft_made,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.ft_attempted WHEN r.active_players >= 5 THEN r.ft_attempted END AS ft_attempted,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.offensive_rebounds WHEN r.active_players >= 5 THEN r.offensive_rebounds END AS offensive_rebounds,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.defensive_rebounds WHEN r.active_players >= 5 THEN r.defensive_rebounds END AS defensive_rebounds,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.total_rebounds WHEN r.active_players >= 5 THEN r.total_rebounds END AS total_rebounds,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.assists WHEN r.active_players >= 5 THEN r.assists END AS assists,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.steals WHEN r.active_players >= 5 THEN r.steals END AS steals,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.blocks WHEN r.active_players >= 5 THEN r.blocks END AS blocks,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.turnovers WHEN r.active_players >= 5 THEN r.turnovers END AS turnovers,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.personal_fouls WHEN r.active_players >= 5 THEN r.personal_fouls END AS personal_fouls,
    CASE WHEN b.team_abbr IS NOT NULL THEN b.points WHEN r.active_players >= 5 THEN r.points END AS points
  FROM sides AS s
  LEFT JOIN box AS b
    ON b.game_date = s.game_date AND b.game_id = s.game_id AND b.team_abbr = s.team_abbr
  LEFT JOIN roster AS r
    ON r.game_date = s.game_date AND r.game_id = s.game_id AND r.team_abbr = s.team_abbr
),
periods AS (
  SELECT
    * EXCEPT (minutes_total),
    CAST(GREATEST(0, ROUND((COALESCE(minutes_total, 240) - 240) / 25)) AS INT64) AS overtime_periods
  FROM lines
)
SELECT *, 240 + 25 * overtime_periods AS team_minutes
FROM periods;
