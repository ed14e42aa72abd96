-- shared:   the newest run-history row per processor and date of [@start_date, @end_date]
--           (`FROM shared.newest_run`): the daily sensor's and the deadline check's "built".
-- inputs:   nba_reference.processor_run_history (SPEC §5.4).
-- choice:   "built" = the NEWEST run of the processor on the date succeeded: a newer refusal
--           (skipped) or failure unbuilds an older success; on a tie in started_at (or
--           none) the non-success row wins.
SELECT processor_name, data_date, status
FROM nba_reference.processor_run_history
WHERE data_date BETWEEN @start_date AND @end_date
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY processor_name, data_date
  ORDER BY started_at DESC NULLS LAST, IF(status = 'success', 1, 0)
) = 1
