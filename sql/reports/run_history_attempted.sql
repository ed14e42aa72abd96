-- report:   which dates of one processor some run has already taken its turn on.
-- grain:    one row per data_date in [@start_date, @end_date] with any run-history row of
--           @processor_name, whatever its status (success, skipped by a gate, failed).
-- inputs:   nba_reference.processor_run_history (SPEC §5.4).
-- use:      the build guard's lookback order: a date is not built before every earlier
--           date its window reads has had its turn. A date refused or failed upstream has
--           had it: its readers build with an incomplete window, which their completeness
--           (INCOMPLETE_DATA, SPEC §5.3) reports, and `plan` lists them once it is fixed.
SELECT data_date
FROM nba_reference.processor_run_history
WHERE processor_name = @processor_name AND data_date BETWEEN @start_date AND @end_date
GROUP BY data_date
