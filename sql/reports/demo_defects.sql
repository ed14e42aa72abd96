-- report:   the defects `nba-backfill demo-data` planted, per date (the demo's report
--           shows which of them the gates found).
-- grain:    one row per defect_type x game_date in [@start_date, @end_date].
-- inputs:   nba_raw.demo_defects.
-- columns:  games (the affected game ids, or NULL for a date-level defect), raw_tables,
--           and one detail line.
SELECT
  defect_type,
  game_date,
  STRING_AGG(DISTINCT game_id, ', ' ORDER BY game_id) AS games,
  STRING_AGG(DISTINCT raw_table, ', ' ORDER BY raw_table) AS raw_tables,
  ANY_VALUE(detail) AS detail
FROM nba_raw.demo_defects
WHERE game_date BETWEEN @start_date AND @end_date
GROUP BY defect_type, game_date
