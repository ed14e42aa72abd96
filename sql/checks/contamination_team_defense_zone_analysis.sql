-- check:    cascade contamination (SPEC §6), on nba_precompute.team_defense_zone_analysis
-- grain:    one row per date in [@start_date, @end_date] that has TDZA rows.
-- inputs:   nba_precompute.team_defense_zone_analysis.
-- verdict inputs: rows_checked = the date's TDZA rows; valid_<field> = rows where the
--           vs-league value is NOT NULL. Shares: CLEAN ≥ 99%, PARTIAL ≥ 50%, else CONTAMINATED.
SELECT
  analysis_date AS check_date,
  CAST(COUNT(*) AS INT64) AS rows_checked,
  CAST(COUNTIF(paint_defense_vs_league_avg IS NOT NULL) AS INT64) AS valid_paint_defense_vs_league_avg,
  CAST(COUNTIF(mid_range_defense_vs_league_avg IS NOT NULL) AS INT64) AS valid_mid_range_defense_vs_league_avg,
  CAST(COUNTIF(three_pt_defense_vs_league_avg IS NOT NULL) AS INT64) AS valid_three_pt_defense_vs_league_avg
FROM nba_precompute.team_defense_zone_analysis
WHERE analysis_date BETWEEN @start_date AND @end_date
GROUP BY analysis_date
