-- report:   when each processor last built each date successfully (staleness, `plan`).
-- grain:    one row per processor_name x data_date in [@start_date, @end_date] with a
--           successful run (refused dates are 'skipped' and do not count).
-- inputs:   nba_reference.processor_run_history (SPEC §5.4).
-- columns:  last_built_at = the started_at of the latest successful build: within one run
--           an asset starts after the assets it reads, so "upstream built after me" is
--           "upstream.last_built_at > mine".
SELECT
  processor_name,
  data_date,
  MAX(started_at) AS last_built_at,
  CAST(COUNT(*) AS INT64) AS successful_builds
FROM nba_reference.processor_run_history
WHERE data_date BETWEEN @start_date AND @end_date AND status = 'success'
GROUP BY processor_name, data_date
