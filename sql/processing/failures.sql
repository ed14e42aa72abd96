-- tables: nba_processing.analytics_failures (Phase 3) and nba_processing.precompute_failures
--         (Phase 4), the same columns, partitioning and clustering (SPEC §5.1)
-- grain:  one row per processor x analysis_date x entity that could not be built.
--         Replaced per (processor_name, analysis_date range) by every build, in the same
--         transaction as the processor's own table.
-- entity_id: player_lookup, team_abbr, a game_id, or DATE_LEVEL.
-- failure_category: INSUFFICIENT_DATA / INCOMPLETE_DATA / MISSING_DEPENDENCY / PROCESSING_ERROR.
CREATE TABLE IF NOT EXISTS nba_processing.analytics_failures (
  processor_name STRING,
  run_id STRING,
  analysis_date DATE,
  entity_id STRING,
  failure_category STRING,
  failure_reason STRING,
  can_retry BOOL,
  is_correctable BOOL,
  expected_game_count INT64,
  actual_game_count INT64,
  missing_game_dates STRING,  -- JSON array of ISO dates
  created_at TIMESTAMP
)
PARTITION BY analysis_date
CLUSTER BY processor_name, failure_category;

CREATE TABLE IF NOT EXISTS nba_processing.precompute_failures
PARTITION BY analysis_date
CLUSTER BY processor_name, failure_category
AS SELECT * FROM nba_processing.analytics_failures WHERE FALSE;
