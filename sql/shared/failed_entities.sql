-- shared:   the entities (and DATE_LEVEL) of [@start_date, @end_date] that the processor
--           @processor_name wrote a failure row for (`FROM shared.failed_entities`): a gate
--           counts an entity without a row as accounted for when it failed for a reason.
-- grain:    one row per analysis_date x entity_id.
-- inputs:   nba_processing.precompute_failures.
-- choice:   PROCESSING_ERROR rows do not account for a missing row (the build broke; the
--           entity was not judged).
SELECT DISTINCT analysis_date, entity_id
FROM nba_processing.precompute_failures
WHERE processor_name = @processor_name
  AND analysis_date BETWEEN @start_date AND @end_date
  AND failure_category != 'PROCESSING_ERROR'
