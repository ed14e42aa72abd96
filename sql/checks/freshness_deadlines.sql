-- check:  per-date freshness with deadlines: which game dates of [@start_date, @end_date]
--         had final games, and what the newest run of each processor did on them.
-- grain:  one row per date with final games x processor with run history on that date;
--         a date no processor has run on yet comes back once, processor_name NULL.
-- inputs: nba_analytics.stg_schedule (deduplicated schedule: a re-scraped game counts once,
--         final when any scrape says game_status 3), shared/newest_run.sql (run history:
--         "built" = the newest run of the processor on the date succeeded).
-- choice: dates without final games return no row: a no-game day is never late. Deadlines
--         (US/Eastern, per phase) are applied by nba_backfill/automation/freshness.py,
--         which owns the clock.
WITH finals AS (
  SELECT game_date, CAST(COUNT(*) AS INT64) AS final_games
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date BETWEEN @start_date AND @end_date
  GROUP BY game_date
)
SELECT finals.game_date, finals.final_games, newest_run.processor_name, newest_run.status
FROM finals
LEFT JOIN shared.newest_run AS newest_run ON newest_run.data_date = finals.game_date
ORDER BY finals.game_date, newest_run.processor_name
