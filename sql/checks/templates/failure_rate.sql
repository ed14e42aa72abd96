-- check:    failure-rate band (SPEC §5.1, §6 Gate 2), on every Phase 4 table.
-- template: __table__ = the table checked, __date__ = its partition column, __entity__ =
--           what one row is about (player_lookup, or team_abbr on TDZA).
-- grain:    one row per date in [@start_date, @end_date] with rows or failure rows.
-- inputs:   the table (its entities per date), nba_processing.precompute_failures
--           (rows of @processor_name).
-- verdict inputs: entities = distinct entities the processor considered on the date (a row,
--           or a failure row; DATE_LEVEL rows are not entities); entities_failed = those
--           with a failure row (INSUFFICIENT_DATA, INCOMPLETE_DATA, ... any category);
--           processing_errors = PROCESSING_ERROR rows (DATE_LEVEL included). The check
--           compares entities_failed / entities with the band for the week of the season
--           and fails on any processing error.
WITH built AS (
  SELECT DISTINCT __date__ AS check_date, __entity__ AS entity_id, FALSE AS failed
  FROM __table__
  WHERE __date__ BETWEEN @start_date AND @end_date
),
failures AS (
  SELECT analysis_date AS check_date, entity_id, failure_category
  FROM nba_processing.precompute_failures
  WHERE processor_name = @processor_name AND analysis_date BETWEEN @start_date AND @end_date
),
entities AS (
  SELECT check_date, entity_id, failed FROM built
  UNION ALL
  SELECT DISTINCT check_date, entity_id, TRUE AS failed
  FROM failures
  WHERE entity_id IS NOT NULL AND entity_id != 'DATE_LEVEL'
),
per_entity AS (
  SELECT check_date, entity_id, LOGICAL_OR(failed) AS failed
  FROM entities
  GROUP BY check_date, entity_id
),
per_date AS (
  SELECT check_date, COUNT(*) AS entities, COUNTIF(failed) AS entities_failed
  FROM per_entity
  GROUP BY check_date
),
errors AS (
  SELECT check_date, COUNTIF(failure_category = 'PROCESSING_ERROR') AS processing_errors
  FROM failures
  GROUP BY check_date
)
SELECT
  COALESCE(d.check_date, e.check_date) AS check_date,
  CAST(COALESCE(d.entities, 0) AS INT64) AS entities,
  CAST(COALESCE(d.entities_failed, 0) AS INT64) AS entities_failed,
  CAST(COALESCE(e.processing_errors, 0) AS INT64) AS processing_errors
FROM per_date AS d
FULL OUTER JOIN errors AS e ON e.check_date = d.check_date
