-- report: per date of [@start_date, @end_date], how many processors have run on it and
--         how many are built (their newest run succeeded), for the daily build sensor.
-- grain:  one row per data_date with any run-history row.
-- inputs: shared/newest_run.sql (run history: "built" = the newest run of the
--         processor on the date succeeded).
SELECT
  data_date,
  CAST(COUNT(*) AS INT64) AS processors_run,
  CAST(COUNTIF(status = 'success') AS INT64) AS processors_built
FROM shared.newest_run
GROUP BY data_date
ORDER BY data_date
