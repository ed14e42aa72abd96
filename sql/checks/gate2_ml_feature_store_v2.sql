-- check:    Gate 2, Phase 4 complete (SPEC §6), on nba_predictions.ml_feature_store_v2
-- grain:    one row per date in [@start_date, @end_date] with at least one final game.
--           Bootstrap days come back too: complete when every player has his placeholder
--           row (SPEC §3); a bootstrap day without them is missing.
-- inputs:   nba_analytics.stg_schedule + stg_gamebook (usable rows: the date's players,
--           which is the upcoming_player_game_context population), nba_predictions.ml_feature_store_v2.
-- verdict inputs: expected = the players of the date's final games; actual = those with a
--           row on game_date (SPEC §3: one row per UPGC player); missing = "game_id:player_lookup" of the others.
WITH finals AS (
  SELECT game_id, game_date
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date BETWEEN @start_date AND @end_date
),
players AS (
  SELECT DISTINCT g.game_date AS check_date, g.game_id, g.player_lookup
  FROM nba_analytics.stg_gamebook AS g
  JOIN finals AS f ON f.game_id = g.game_id AND f.game_date = g.game_date
  WHERE g.game_date BETWEEN @start_date AND @end_date AND g.row_problem IS NULL
),
built AS (
  SELECT DISTINCT game_date AS built_date, player_lookup
  FROM nba_predictions.ml_feature_store_v2
  WHERE game_date BETWEEN @start_date AND @end_date
)
SELECT
  p.check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNT(b.player_lookup) AS INT64) AS actual,
  STRING_AGG(
    IF(b.player_lookup IS NULL, CONCAT(p.game_id, ':', p.player_lookup), CAST(NULL AS STRING)),
    ', ' ORDER BY p.game_id, p.player_lookup
  ) AS missing
FROM players AS p
LEFT JOIN built AS b ON b.built_date = p.check_date AND b.player_lookup = p.player_lookup
GROUP BY p.check_date
