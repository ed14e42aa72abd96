-- report: the raw data's version per date: rows per raw table and game date in
--         [@start_date, @end_date] (what the raw assets' observation records as the data
--         version, "N rows"), for the daily build sensor.
-- grain:  one row per raw table x game_date with rows.
-- inputs: every nba_raw table (SPEC §1), raw: re-scrapes included.
-- choice: a re-scrape appends rows (readers keep the latest processed_at), so a changed
--         count is a changed date; row counts are cheap and partition-pruned on BigQuery.
SELECT 'bettingpros_player_points_props' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.bettingpros_player_points_props WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'bigdataball_play_by_play' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.bigdataball_play_by_play WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'nbac_gamebook_player_stats' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.nbac_gamebook_player_stats WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'nbac_play_by_play' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.nbac_play_by_play WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'nbac_player_boxscores' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.nbac_player_boxscores WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'nbac_schedule' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.nbac_schedule WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'nbac_team_boxscore' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.nbac_team_boxscore WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'odds_api_game_lines' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.odds_api_game_lines WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
UNION ALL
SELECT 'odds_api_player_points_props' AS raw_table, game_date, CAST(COUNT(*) AS INT64) AS row_count
FROM nba_raw.odds_api_player_points_props WHERE game_date BETWEEN @start_date AND @end_date GROUP BY game_date
