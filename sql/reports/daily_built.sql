-- report: per date of [@start_date, @end_date], how many processors have run on it and
--         how many are built (their newest run succeeded), for the daily build sensor.
-- grain:  one row per data_date with any run-history row.
-- inputs: nba_reference.processor_run_history (SPEC §5.4).
-- choice: "built" as in checks/freshness.sql: the newest run per processor and date
--         counts (a newer refusal or failure unbuilds an older success; on a tie the
--         non-success row wins).
WITH newest_run AS (
  SELECT processor_name, data_date, status
  FROM nba_reference.processor_run_history
  WHERE data_date BETWEEN @start_date AND @end_date
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY processor_name, data_date
    ORDER BY started_at DESC NULLS LAST, IF(status = 'success', 1, 0)
  ) = 1
)
SELECT
  data_date,
  CAST(COUNT(*) AS INT64) AS processors_run,
  CAST(COUNTIF(status = 'success') AS INT64) AS processors_built
FROM newest_run
GROUP BY data_date
ORDER BY data_date
