-- check:  is a processor built through the latest final game in the schedule?
-- grain:  one row.
-- inputs: nba_analytics.stg_schedule (the deduplicated schedule: a re-scraped game counts
--         once, final when any scrape says game_status 3; final games before @today),
--         nba_reference.processor_run_history (one row per processor x date x run).
-- choice: "current" is the newest final game in the schedule, whatever its season, so an
--         off-season warehouse is judged against the Finals; raw scrapers falling behind is a
--         Phase 2 problem, seen on the raw assets' observations instead.
-- choice: built_through = the newest date <= latest_final_game_date whose NEWEST run for
--         this processor is 'success'. So:
--         - dates after the newest final game never count (a widened backfill records
--           'success' for empty future/off-season dates: built_through never passes the
--           newest final game, and days_behind is never negative);
--         - a date whose newest run is 'skipped' (refused by a gate) or 'failed' is not
--           built, whatever older runs said; "newest" is the latest started_at, and on a tie
--           (or rows without started_at, ordered oldest) the non-success row wins;
--         - empty dates count: a built no-game day or bootstrap day is built.
--         It is the frontier, not contiguity: an unbuilt date BEHIND the frontier (an old
--         hole, a date Gate 0 refuses for missing raw data) does not make the asset stale;
--         holes are what `nba-backfill plan` / `gaps` list. Freshness answers "has the
--         asset kept up with the games?", and its fix command rebuilds the frontier onward.
-- days_behind = latest_final_game_date - built_through in days (>= 0), NULL if never built.
WITH latest_game AS (
  SELECT MAX(game_date) AS latest_final_game_date
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date < @today
),
newest_run AS (
  SELECT data_date, status
  FROM nba_reference.processor_run_history
  WHERE processor_name = @processor_name AND data_date < @today
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY data_date
    ORDER BY started_at DESC NULLS LAST, IF(status = 'success', 1, 0)
  ) = 1
),
built AS (
  SELECT MAX(newest_run.data_date) AS built_through
  FROM newest_run CROSS JOIN latest_game
  WHERE newest_run.status = 'success'
    AND newest_run.data_date <= latest_game.latest_final_game_date
)
SELECT
  latest_game.latest_final_game_date,
  built.built_through,
  DATE_DIFF(latest_game.latest_final_game_date, built.built_through, DAY) AS days_behind
FROM latest_game CROSS JOIN built
