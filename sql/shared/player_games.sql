-- shared:   the player_game_summary rows Phase 4's player windows may read, each with whether
--           the player played (`FROM shared.player_games`): the one "games played" rule of
--           PSZA, PDC, PCF and MLFS (windows, failures and gates).
-- grain:    one row per PGS row (player x game) from 366 days before @start_date to
--           @end_date (a season is shorter; readers with a shorter lookback bound it further,
--           e.g. shared/psza_player_games.sql): all of its columns, plus played and
--           played_number (the player's played games counted in game order, this one
--           included), from which readers rank a window's games by subtraction instead of
--           sorting every (date, game) pair again.
-- inputs:   nba_analytics.player_game_summary.
-- choices:  played = is_active AND minutes_played > 0 (a DNP or inactive row, or 0 minutes,
--           is a game the player did not play). The bound is here, not only in the readers:
--           DuckDB materializes a CTE read twice, and a filter outside it would then not
--           reach the table.
WITH pgs AS (
  SELECT *, COALESCE(is_active, FALSE) AND COALESCE(minutes_played, 0) > 0 AS played
  FROM nba_analytics.player_game_summary
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND @end_date
)
SELECT
  *,
  SUM(IF(played, 1, 0)) OVER (
    PARTITION BY player_lookup ORDER BY game_date, game_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS played_number
FROM pgs
