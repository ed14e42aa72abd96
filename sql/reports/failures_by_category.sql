-- report:   per-entity failures per processor and category over a range (`report`).
-- grain:    one row per processor_name x failure_category in [@start_date, @end_date].
-- inputs:   nba_processing.analytics_failures and precompute_failures (SPEC §5.1).
-- columns:  phase (the failure table), rows, distinct dates, distinct entities.
WITH failures AS (
  SELECT 'phase3' AS phase, processor_name, failure_category, analysis_date, entity_id
  FROM nba_processing.analytics_failures
  WHERE analysis_date BETWEEN @start_date AND @end_date
  UNION ALL
  SELECT 'phase4' AS phase, processor_name, failure_category, analysis_date, entity_id
  FROM nba_processing.precompute_failures
  WHERE analysis_date BETWEEN @start_date AND @end_date
)
SELECT
  phase,
  processor_name,
  failure_category,
  CAST(COUNT(*) AS INT64) AS failure_rows,
  CAST(COUNT(DISTINCT analysis_date) AS INT64) AS dates,
  CAST(COUNT(DISTINCT entity_id) AS INT64) AS entities
FROM failures
GROUP BY phase, processor_name, failure_category
