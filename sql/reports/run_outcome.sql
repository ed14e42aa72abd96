-- report:   what one run did, from run history (the `backfill` command's summary).
-- grain:    one row per processor_name x status x skip_reason of run @run_id.
-- inputs:   nba_reference.processor_run_history (SPEC §5.4).
-- columns:  dates (partition dates with that outcome), first_date (the earliest of them),
--           errors (one failed build's error, for failed rows).
SELECT
  processor_name,
  status,
  skip_reason,
  CAST(COUNT(*) AS INT64) AS dates,
  MIN(data_date) AS first_date,
  ANY_VALUE(errors) AS errors
FROM nba_reference.processor_run_history
WHERE run_id = @run_id
GROUP BY processor_name, status, skip_reason
ORDER BY first_date, processor_name
