-- check:    completeness by player (SPEC §6): Gate 1 on UPGC, Gate 2 on PCF and MLFS
--           (SPEC §3: each has a row for every UPGC player; MLFS on bootstrap days too,
--           as placeholder rows, which the check asks for).
-- template: __table__ = the table checked, __date__ = its partition column.
-- grain:    one row per date in [@start_date, @end_date] with at least one final game
--           (dates without final games return no row: an empty partition is complete).
--           Phase 4 bootstrap days come back too; the check judges them.
-- inputs:   nba_analytics.stg_schedule (is_final), nba_analytics.stg_gamebook (usable rows:
--           row_problem IS NULL, the rows UPGC is built from), the table.
-- verdict inputs: expected = the distinct players with a usable gamebook row in the date's
--           final games (active, DNP and inactive alike); actual = those with a row on
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
  SELECT DISTINCT __date__ AS built_date, player_lookup
  FROM __table__
  WHERE __date__ BETWEEN @start_date AND @end_date
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
LEFT JOIN built AS b ON b.built_date = p.game_date AND b.player_lookup = p.player_lookup
GROUP BY p.game_date
