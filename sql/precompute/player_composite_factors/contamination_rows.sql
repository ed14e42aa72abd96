-- rows:     what the cascade-contamination check (SPEC §6, sql/checks/templates/
--           contamination.sql) judges on nba_precompute.player_composite_factors, with the predicates of table.toml.
-- grain:    one row per PCF row in [@start_date, @end_date].
-- inputs:   nba_precompute.player_composite_factors, nba_analytics.upcoming_player_game_context
--           (each player's opponent on the date), nba_precompute.team_defense_zone_analysis
--           and nba_processing.precompute_failures (rows of team_defense_zone_analysis).
-- columns:  shot_zone_mismatch_score (valid: NOT NULL); opponent_tdza = the opponent has
--           a TDZA row on the date, or a TDZA failure row (a team under the minimum games
--           has no row by rule: that is not contamination).
-- source gaps (SPEC §6) never make these fields invalid, so this check counts none: a
--           window without play-by-play leaves the PSZA and TDZA rows in place (with NULL
--           zone values, which PCF reads as its defaults: the mismatch score is still
--           written), while a missing TDZA build (no row, no failure row) is still caught.
WITH opponents AS (
  SELECT DISTINCT game_date, player_lookup, opponent_team_abbr
  FROM nba_analytics.upcoming_player_game_context
  WHERE game_date BETWEEN @start_date AND @end_date
),
tdza AS (
  SELECT DISTINCT analysis_date, team_abbr
  FROM nba_precompute.team_defense_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
  UNION DISTINCT
  SELECT DISTINCT analysis_date, entity_id AS team_abbr
  FROM nba_processing.precompute_failures
  WHERE processor_name = 'team_defense_zone_analysis'
    AND analysis_date BETWEEN @start_date AND @end_date
    AND failure_category IN ('INSUFFICIENT_DATA', 'INCOMPLETE_DATA')
)
SELECT
  p.game_date AS check_date,
  FALSE AS source_gap,
  p.shot_zone_mismatch_score,
  t.team_abbr IS NOT NULL AS opponent_tdza
FROM nba_precompute.player_composite_factors AS p
LEFT JOIN opponents AS o ON o.game_date = p.game_date AND o.player_lookup = p.player_lookup
LEFT JOIN tdza AS t ON t.analysis_date = p.game_date AND t.team_abbr = o.opponent_team_abbr
WHERE p.game_date BETWEEN @start_date AND @end_date
