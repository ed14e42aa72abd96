-- check:    Gate 1, Phase 3 complete (SPEC §6), on nba_analytics.upcoming_player_game_context
-- grain:    one row per date in [@start_date, @end_date] with at least one final game
--           (dates without final games return no row: an empty partition is complete).
-- inputs:   nba_analytics.stg_schedule (is_final), nba_analytics.stg_gamebook (usable rows:
--           row_problem IS NULL, the rows UPGC is built from), the UPGC table.
-- verdict inputs: expected = the distinct players with a usable gamebook row in the date's
--           final games (active, DNP and inactive alike); actual = those with a UPGC row on
--           the date (matched on date + player: a player plays one game a date);
--           missing = "game_id:player_lookup" of the others.
WITH finals AS (
  SELECT game_id, game_date
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date BETWEEN @start_date AND @end_date
),
players AS (
  SELECT DISTINCT g.game_date, g.game_id, g.player_lookup
  FROM nba_analytics.stg_gamebook AS g
  JOIN finals AS f ON f.game_id = g.game_id AND f.game_date = g.game_date
  WHERE g.game_date BETWEEN @start_date AND @end_date AND g.row_problem IS NULL
),
built AS (
  SELECT DISTINCT game_date, player_lookup
  FROM nba_analytics.upcoming_player_game_context
  WHERE game_date BETWEEN @start_date AND @end_date
)
SELECT
  p.game_date AS check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNT(b.player_lookup) AS INT64) AS actual,
  STRING_AGG(
    IF(b.player_lookup IS NULL, CONCAT(p.game_id, ':', p.player_lookup), CAST(NULL AS STRING)),
    ', ' ORDER BY p.game_id, p.player_lookup
  ) AS missing
FROM players AS p
LEFT JOIN built AS b ON b.game_date = p.game_date AND b.player_lookup = p.player_lookup
GROUP BY p.game_date
