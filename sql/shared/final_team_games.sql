-- shared:   every final game once per team that played it, home and away
--           (`FROM shared.final_team_games`): a team's schedule for windows and completeness.
-- grain:    one row per game_id x team_abbr (with the game's game_date and season_year).
-- inputs:   nba_analytics.stg_schedule (is_final).
-- choice:   no date bound here: each reader bounds game_date by its own lookback
--           (`WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL n DAY)) AND @end_date`),
--           which the engines push down into both halves.
SELECT game_id, game_date, season_year, home_team_abbr AS team_abbr
FROM nba_analytics.stg_schedule
WHERE is_final
UNION ALL
SELECT game_id, game_date, season_year, away_team_abbr AS team_abbr
FROM nba_analytics.stg_schedule
WHERE is_final
