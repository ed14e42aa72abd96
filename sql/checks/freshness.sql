-- check:  is a processor built through the latest final game in the schedule?
-- grain:  one row.
-- inputs: nba_raw.nbac_schedule (final games before @today), nba_reference.processor_run_history
--         (dates the processor built successfully, empty dates included: a built no-game day
--         or bootstrap day counts as built).
-- choice: "current" is the newest final game in the schedule, whatever its season, so an
--         off-season warehouse is judged against the Finals; raw scrapers falling behind is a
--         Phase 2 problem, seen on the raw assets' observations instead.
WITH latest_game AS (
  SELECT MAX(game_date) AS latest_final_game_date
  FROM nba_raw.nbac_schedule
  WHERE game_status = 3 AND game_date < @today
),
built AS (
  SELECT MAX(data_date) AS built_through
  FROM nba_reference.processor_run_history
  WHERE processor_name = @processor_name AND status = 'success' AND data_date < @today
)
SELECT
  latest_game.latest_final_game_date,
  built.built_through,
  DATE_DIFF(latest_game.latest_final_game_date, built.built_through, DAY) AS days_behind
FROM latest_game CROSS JOIN built
