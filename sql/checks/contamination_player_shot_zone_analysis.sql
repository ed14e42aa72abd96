-- check:    cascade contamination (SPEC §6), on nba_precompute.player_shot_zone_analysis
-- grain:    one row per date in [@start_date, @end_date] that has PSZA rows.
-- inputs:   nba_precompute.player_shot_zone_analysis.
-- verdict inputs: rows_checked = the date's PSZA rows; valid_paint_rate_last_10 = rows with
--           paint_rate_last_10 NOT NULL; valid_games_in_sample_10 = rows with
--           games_in_sample_10 > 0. Shares: CLEAN ≥ 99%, PARTIAL ≥ 50%, else CONTAMINATED.
SELECT
  analysis_date AS check_date,
  CAST(COUNT(*) AS INT64) AS rows_checked,
  CAST(COUNTIF(paint_rate_last_10 IS NOT NULL) AS INT64) AS valid_paint_rate_last_10,
  CAST(COUNTIF(games_in_sample_10 > 0) AS INT64) AS valid_games_in_sample_10
FROM nba_precompute.player_shot_zone_analysis
WHERE analysis_date BETWEEN @start_date AND @end_date
GROUP BY analysis_date
