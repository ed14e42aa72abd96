-- check:    completeness by team-game (SPEC §6): Gate 1 on TOGS, TDGS, PGS and UTGC.
-- template: __table__ = the table checked, __date__ = its partition column, __team__ =
--           the column naming a row's team (defending_team_abbr on TDGS).
-- grain:    one row per date in [@start_date, @end_date] with at least one final game
--           (dates without final games return no row: an empty partition is complete).
-- inputs:   nba_analytics.stg_schedule (deduplicated, is_final), the table.
-- verdict inputs: expected = team-games of the date's final games (2 per game: home and
--           away); actual = those with at least one row of the team in the table;
--           missing = "game_id:team" of the others.
WITH finals AS (
  SELECT game_id, game_date, home_team_abbr, away_team_abbr
  FROM nba_analytics.stg_schedule
  WHERE is_final AND game_date BETWEEN @start_date AND @end_date
),
sides AS (
  SELECT game_id, game_date, home_team_abbr AS team_abbr FROM finals
  UNION ALL
  SELECT game_id, game_date, away_team_abbr AS team_abbr FROM finals
),
built AS (
  SELECT DISTINCT game_id, __team__ AS team_abbr
  FROM __table__
  WHERE __date__ BETWEEN @start_date AND @end_date
)
SELECT
  s.game_date AS check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNT(b.game_id) AS INT64) AS actual,
  STRING_AGG(
    IF(b.game_id IS NULL, CONCAT(s.game_id, ':', s.team_abbr), CAST(NULL AS STRING)),
    ', ' ORDER BY s.game_id, s.team_abbr
  ) AS missing
FROM sides AS s
LEFT JOIN built AS b ON b.game_id = s.game_id AND b.team_abbr = s.team_abbr
GROUP BY s.game_date
