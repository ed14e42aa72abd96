-- shared:   the dates of [@start_date, @end_date] TDZA has answered for (rows, or failure
--           rows) (`FROM shared.present_tdza`): a MISSING_DEPENDENCY input of PCF and MLFS.
-- grain:    one row per game_date (upstream = 'team_defense_zone_analysis').
-- inputs:   nba_precompute.team_defense_zone_analysis, nba_processing.precompute_failures
--           (rows of team_defense_zone_analysis).
SELECT DISTINCT 'team_defense_zone_analysis' AS upstream, analysis_date AS game_date
FROM nba_precompute.team_defense_zone_analysis
WHERE analysis_date BETWEEN @start_date AND @end_date
UNION DISTINCT
SELECT DISTINCT processor_name, analysis_date
FROM nba_processing.precompute_failures
WHERE analysis_date BETWEEN @start_date AND @end_date
  AND processor_name = 'team_defense_zone_analysis'
