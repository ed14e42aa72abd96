-- table:  toy points (test fixture for the BigQuery engine tests)
-- grain:  one row per schedule row on the date: home team and home points.
-- @fail = TRUE makes every row fail at run time (a bad cast), to prove a failing build
-- leaves the previous rows in place.
SELECT
  game_id,
  game_date,
  home_team_tricode AS team_abbr,
  CAST(IF(@fail, CONCAT('x', game_id), CAST(home_team_score AS STRING)) AS INT64) AS points,
  @run_id AS run_id
FROM nba_raw.nbac_schedule
WHERE game_date BETWEEN @start_date AND @end_date
