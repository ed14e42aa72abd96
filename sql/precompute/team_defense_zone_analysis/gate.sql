-- check:    Gate 2, Phase 4 complete (SPEC §6), on nba_precompute.team_defense_zone_analysis
-- grain:    one row per date in [@start_date, @end_date] with at least one final game.
--           Bootstrap days (0-13 after the opener) come back too; the check treats them as
--           complete (nba_backfill.checks.gates), as it does dates without final games.
-- inputs:   nba_analytics.stg_schedule (the teams playing), nba_reference.season_calendar,
--           nba_analytics.team_defense_game_summary (each team's window, 60 days back: the
--           asset's declared lookback, and the bound its SQL applies),
--           nba_precompute.team_defense_zone_analysis, nba_processing.precompute_failures
--           (rows of @processor_name).
-- shared:   the teams playing from shared/final_team_games.sql; the failure rows from
--           shared/failed_entities.sql.
-- verdict inputs: expected = the teams playing on the date; actual = those accounted for:
--           a TDZA row, or fewer TDGS games in the window (same season, before the date,
--           ≤ 60 days back, counted up to 15) than the ramp minimum min(5 + d/3, 14)
--           through day 21, then 15, AND an INSUFFICIENT_DATA-style failure row (not needed
--           when the window holds no game). A team meeting the minimum needs a row.
--           missing = the teams not accounted for, with their window games.
WITH playing AS (
  SELECT DISTINCT s.game_date AS check_date, s.team_abbr, c.opener,
    DATE_DIFF(s.game_date, c.opener, DAY) AS day_index
  FROM shared.final_team_games AS s
  JOIN nba_reference.season_calendar AS c ON s.game_date BETWEEN c.opener AND c.last_day
  WHERE s.game_date BETWEEN @start_date AND @end_date
),
defense AS (
  SELECT DISTINCT game_id, game_date, defending_team_abbr AS team_abbr
  FROM nba_analytics.team_defense_game_summary
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
window_games AS (
  SELECT p.check_date, p.team_abbr, p.day_index, COUNT(d.game_id) AS games
  FROM playing AS p
  LEFT JOIN defense AS d
    ON d.team_abbr = p.team_abbr
    AND d.game_date >= p.opener
    AND d.game_date < p.check_date
    AND DATE_DIFF(p.check_date, d.game_date, DAY) <= 60
  GROUP BY p.check_date, p.team_abbr, p.day_index
),
built AS (
  SELECT DISTINCT analysis_date, team_abbr
  FROM nba_precompute.team_defense_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
judged AS (
  SELECT
    w.check_date,
    w.team_abbr,
    w.games,
    CASE WHEN w.day_index <= 21 THEN LEAST(5 + DIV(w.day_index, 3), 14) ELSE 15 END AS min_games,
    b.team_abbr IS NOT NULL AS has_row,
    f.entity_id IS NOT NULL AS has_failure
  FROM window_games AS w
  LEFT JOIN built AS b ON b.analysis_date = w.check_date AND b.team_abbr = w.team_abbr
  LEFT JOIN shared.failed_entities AS f ON f.analysis_date = w.check_date AND f.entity_id = w.team_abbr
),
accounted AS (
  SELECT
    *,
    has_row OR (LEAST(games, 15) < min_games AND (has_failure OR games = 0)) AS ok
  FROM judged
)
SELECT
  check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNTIF(ok) AS INT64) AS actual,
  STRING_AGG(
    IF(ok, CAST(NULL AS STRING),
       CONCAT(team_abbr, ' (', CAST(games AS STRING), ' games, minimum ', CAST(min_games AS STRING), ')')),
    ', ' ORDER BY team_abbr
  ) AS missing
FROM accounted
GROUP BY check_date
