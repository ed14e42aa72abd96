-- shared:   which dates of [@start_date, @end_date] UPGC, PSZA and TDZA have answered for
--           (`FROM shared.present_upstreams`): rows in the table, or (PSZA, TDZA) failure
--           rows. The MISSING_DEPENDENCY inputs common to PDC, PCF and MLFS failures; each
--           reader keeps the upstreams it requires.
-- grain:    one row per upstream x game_date.
-- inputs:   nba_analytics.upcoming_player_game_context, nba_precompute.player_shot_zone_analysis,
--           nba_precompute.team_defense_zone_analysis, nba_processing.precompute_failures
--           (rows of player_shot_zone_analysis and team_defense_zone_analysis).
SELECT DISTINCT 'upcoming_player_game_context' AS upstream, game_date
FROM nba_analytics.upcoming_player_game_context
WHERE game_date BETWEEN @start_date AND @end_date
UNION DISTINCT
SELECT DISTINCT 'player_shot_zone_analysis', analysis_date
FROM nba_precompute.player_shot_zone_analysis
WHERE analysis_date BETWEEN @start_date AND @end_date
UNION DISTINCT
SELECT DISTINCT 'team_defense_zone_analysis', analysis_date
FROM nba_precompute.team_defense_zone_analysis
WHERE analysis_date BETWEEN @start_date AND @end_date
UNION DISTINCT
SELECT DISTINCT processor_name, analysis_date
FROM nba_processing.precompute_failures
WHERE analysis_date BETWEEN @start_date AND @end_date
  AND processor_name IN ('player_shot_zone_analysis', 'team_defense_zone_analysis')
