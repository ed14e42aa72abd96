-- table:  none (test fixture): reads a column that does not exist, so it never compiles.
SELECT game_id, game_date, no_such_column AS broken
FROM nba_raw.nbac_schedule
WHERE game_date BETWEEN @start_date AND @end_date
