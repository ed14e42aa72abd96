-- rows:     what the cascade-contamination check (SPEC §6, sql/checks/templates/
--           contamination.sql) judges on nba_precompute.team_defense_zone_analysis, with the predicates of table.toml.
-- grain:    one row per TDZA row in [@start_date, @end_date].
-- inputs:   nba_precompute.team_defense_zone_analysis; to confirm source gaps,
--           nba_analytics.stg_schedule (each team's final games, shared/final_team_games.sql) and nba_analytics.stg_shots
--           (games with play-by-play in either raw feed), both views over the raw tables.
-- source gap (SPEC §6): a row whose window has no zone data at all (games_without_shot_zones
--           = games_in_sample, so its paint and mid-range values are rightly NULL) AND whose
--           team has no final game with raw play-by-play from window_start_date to the day
--           before analysis_date: the raw source never had the data. A row that says its
--           window lacks zones while the raw play-by-play has some of those games is NOT a
--           source gap: its upstream (team_defense_game_summary) was built without data
--           that exists, which is contamination.
-- columns:  source_gap (counted apart, never judged); the three *_defense_vs_league_avg
--           values (valid: NOT NULL). A date whose rows are all source gaps passes with a
--           NO_SOURCE note.
WITH tdza AS (
  SELECT
    analysis_date,
    team_abbr,
    window_start_date,
    games_in_sample,
    games_without_shot_zones,
    paint_defense_vs_league_avg,
    mid_range_defense_vs_league_avg,
    three_pt_defense_vs_league_avg
  FROM nba_precompute.team_defense_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
team_games AS (
  SELECT * FROM shared.final_team_games AS s
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
shot_games AS (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_shots
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
-- rows whose window the build saw without any zone data, and whether the raw agrees
claimed AS (
  SELECT
    c.analysis_date,
    c.team_abbr,
    COUNT(s.game_id) AS games_with_play_by_play
  FROM tdza AS c
  LEFT JOIN team_games AS g
    ON g.team_abbr = c.team_abbr
    AND g.game_date >= c.window_start_date
    AND g.game_date < c.analysis_date
  LEFT JOIN shot_games AS s ON s.game_id = g.game_id
  WHERE c.games_without_shot_zones >= c.games_in_sample
  GROUP BY c.analysis_date, c.team_abbr
)
SELECT
  t.*,
  t.analysis_date AS check_date,
  COALESCE(c.games_with_play_by_play = 0, FALSE) AS source_gap
FROM tdza AS t
LEFT JOIN claimed AS c ON c.analysis_date = t.analysis_date AND c.team_abbr = t.team_abbr
