-- rows:     what the cascade-contamination check (SPEC §6, sql/checks/templates/
--           contamination.sql) judges on nba_analytics.team_defense_game_summary.
-- grain:    one row per TDGS row in [@start_date, @end_date].
-- inputs:   nba_analytics.team_defense_game_summary, nba_analytics.stg_shots (which games
--           have play-by-play shots, from either source: a view over the raw tables).
-- columns:  source_gap = the row's game has no play-by-play in either raw feed (SPEC §6:
--           its zones are rightly NULL, "where shot data exists"; counted apart, never
--           judged); the opp_*_attempts fields, valid when > 0 (NULL counts as invalid,
--           table.toml). A date whose rows are all source gaps passes with a NO_SOURCE note.
WITH shot_games AS (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_shots
  WHERE game_date BETWEEN @start_date AND @end_date
)
SELECT
  t.game_date AS check_date,
  s.game_id IS NULL AS source_gap,
  t.opp_paint_attempts,
  t.opp_mid_range_attempts,
  t.opp_three_pt_attempts
FROM nba_analytics.team_defense_game_summary AS t
LEFT JOIN shot_games AS s ON s.game_id = t.game_id
WHERE t.game_date BETWEEN @start_date AND @end_date
