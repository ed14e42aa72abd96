-- shared:   the player_game_summary rows PSZA's windows may read, with the played flag of
--           shared/player_games.sql (`FROM shared.psza_player_games`): PSZA's table,
--           failures, gate and contamination rows count games by this one rule.
-- grain:    one row per PGS row (player x game) from 90 days before @start_date to @end_date
--           (the asset's lookback: its partition mapping).
-- inputs:   nba_analytics.player_game_summary.
SELECT *
FROM shared.player_games AS g
WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 90 DAY)) AND @end_date
