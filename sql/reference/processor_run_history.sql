-- table:  nba_reference.processor_run_history (SPEC §5.4)
-- grain:  one row per asset x partition date x run. Appended, never rewritten: it is the
--         history analysts have always queried. run_id is the Dagster run id.
CREATE TABLE IF NOT EXISTS nba_reference.processor_run_history (
  processor_name STRING,
  phase STRING,
  data_date DATE,
  run_id STRING,
  status STRING,              -- success / failed / skipped
  skip_reason STRING,
  records_processed INT64,
  duration_seconds FLOAT64,
  backfill_mode BOOL,
  started_at TIMESTAMP,
  errors STRING
)
PARTITION BY data_date
CLUSTER BY processor_name;
