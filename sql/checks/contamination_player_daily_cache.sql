-- check:    cascade contamination (SPEC §6), on nba_precompute.player_daily_cache
-- grain:    one row per date in [@start_date, @end_date] that has PDC rows.
-- inputs:   nba_precompute.player_daily_cache.
-- verdict inputs: rows_checked = the date's PDC rows; valid_points_avg_season = rows with
--           points_avg_season NOT NULL; valid_games_played_season = rows with
--           games_played_season > 0. Shares: CLEAN ≥ 99%, PARTIAL ≥ 50%, else CONTAMINATED.
SELECT
  cache_date AS check_date,
  CAST(COUNT(*) AS INT64) AS rows_checked,
  CAST(COUNTIF(points_avg_season IS NOT NULL) AS INT64) AS valid_points_avg_season,
  CAST(COUNTIF(games_played_season > 0) AS INT64) AS valid_games_played_season
FROM nba_precompute.player_daily_cache
WHERE cache_date BETWEEN @start_date AND @end_date
GROUP BY cache_date
