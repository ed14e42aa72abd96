-- rows:     what the cascade-contamination check (SPEC §6, sql/checks/templates/
--           contamination.sql) judges on nba_precompute.player_shot_zone_analysis, with the predicates of table.toml.
-- grain:    one row per PSZA row in [@start_date, @end_date].
-- inputs:   nba_precompute.player_shot_zone_analysis; to confirm source gaps,
--           nba_analytics.player_game_summary (the games the player played in his last-10
--           window: window_start_date to the day before analysis_date; the played rows of
--           shared/psza_player_games.sql, the table's own rule) and
--           nba_analytics.stg_shots (games with play-by-play in either raw feed: a view
--           over the raw tables).
-- source gap (SPEC §6): paint_rate_last_10 is NULL by rule when any game of the last-10
--           window lacks zones. A row is a source gap when it says so
--           (games_without_shot_zones_10 > 0) AND at least one game the player played in
--           that window has no raw play-by-play: the raw source never had the data. A row
--           that says its window lacks zones while the raw play-by-play has every one of
--           its games is NOT a source gap: player_game_summary was built without data that
--           exists, which is contamination.
-- columns:  source_gap (counted apart, never judged); paint_rate_last_10 (valid: NOT
--           NULL) and games_in_sample_10 (valid: > 0). A date whose rows are all source
--           gaps passes with a NO_SOURCE note.
WITH psza AS (
  SELECT
    analysis_date,
    player_lookup,
    window_start_date,
    games_in_sample_10,
    games_without_shot_zones_10,
    paint_rate_last_10
  FROM nba_precompute.player_shot_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
shot_games AS (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_shots
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 90 DAY)) AND @end_date
),
played AS (
  SELECT game_id, game_date, player_lookup
  FROM shared.psza_player_games AS g
  WHERE played
),
-- rows whose window the build saw with games lacking zones, and whether the raw agrees
claimed AS (
  SELECT
    c.analysis_date,
    c.player_lookup,
    COUNTIF(g.game_id IS NOT NULL AND s.game_id IS NULL) AS games_without_play_by_play
  FROM psza AS c
  LEFT JOIN played AS g
    ON g.player_lookup = c.player_lookup
    AND g.game_date >= c.window_start_date
    AND g.game_date < c.analysis_date
  LEFT JOIN shot_games AS s ON s.game_id = g.game_id
  WHERE c.games_without_shot_zones_10 > 0
  GROUP BY c.analysis_date, c.player_lookup
)
SELECT
  p.*,
  p.analysis_date AS check_date,
  COALESCE(c.games_without_play_by_play > 0, FALSE) AS source_gap
FROM psza AS p
LEFT JOIN claimed AS c ON c.analysis_date = p.analysis_date AND c.player_lookup = p.player_lookup
