-- report:   run history per processor over a range (the `report` command).
-- grain:    one row per processor_name with rows in [@start_date, @end_date].
-- inputs:   nba_reference.processor_run_history (SPEC §5.4).
-- columns:  runs (distinct run ids), dates built / failed / skipped (refused by a gate),
--           records written, build seconds (each range build's time is shared by its
--           dates, so the sum is the time spent), the latest run's start.
SELECT
  processor_name,
  ANY_VALUE(phase) AS phase,
  CAST(COUNT(DISTINCT run_id) AS INT64) AS runs,
  CAST(COUNT(DISTINCT IF(status = 'success', data_date, NULL)) AS INT64) AS dates_built,
  CAST(COUNT(DISTINCT IF(status = 'failed', data_date, NULL)) AS INT64) AS dates_failed,
  CAST(COUNT(DISTINCT IF(status = 'skipped', data_date, NULL)) AS INT64) AS dates_skipped,
  CAST(SUM(IF(status = 'success', records_processed, 0)) AS INT64) AS records_processed,
  CAST(SUM(duration_seconds) AS FLOAT64) AS build_seconds,
  MAX(started_at) AS last_started_at
FROM nba_reference.processor_run_history
WHERE data_date BETWEEN @start_date AND @end_date
GROUP BY processor_name
