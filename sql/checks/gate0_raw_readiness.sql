-- check:    Gate 0, raw readiness (SPEC §6), attached to nbac_schedule; guards every
--           Phase 3/4 asset that reads the team box score or the gamebook on the same date.
-- grain:    one row per date in [@start_date, @end_date] with at least one final game
--           (dates without final games return no row: complete by definition).
-- inputs:   nba_analytics.stg_schedule (deduplicated schedule, is_final),
--           nba_analytics.stg_team_boxscore and stg_gamebook (latest scrape, usable rows
--           only: row_problem IS NULL), all for the range only.
-- shared:   each final game's two teams (sides) from shared/final_team_games.sql.
-- verdict inputs: expected = final games; actual = games ready; missing = the games not
--           ready, with why. A game is ready when, for BOTH teams, there is a usable team
--           box-score row or at least 5 usable 'active' gamebook players (TOGS can then
--           reconstruct the line), AND the team has at least one usable gamebook row
--           (PGS and UPGC are built from the gamebook). Counting per team (not "2 rows per
--           game") lets one team fall back to reconstruction while the other has its box.
--           A schedule row nothing can be keyed on (stg_schedule_rows.row_problem: a NULL
--           key, one team on both sides, a game_date other than its game_id's) with no
--           usable row of the same game counts as one more game, never ready, on the date
--           its game_id names (else its game_date): its game cannot be built, and a
--           silently dropped game would let the date pass.
WITH sides AS (
  SELECT * FROM shared.final_team_games AS s
  WHERE game_date BETWEEN @start_date AND @end_date
),
box AS (
  SELECT DISTINCT game_id, team_abbr
  FROM nba_analytics.stg_team_boxscore
  WHERE game_date BETWEEN @start_date AND @end_date AND row_problem IS NULL
),
gamebook AS (
  SELECT
    game_id,
    team_abbr,
    COUNT(DISTINCT player_lookup) AS players,
    COUNT(DISTINCT IF(player_status = 'active', player_lookup, NULL)) AS active_players
  FROM nba_analytics.stg_gamebook
  WHERE game_date BETWEEN @start_date AND @end_date AND row_problem IS NULL
  GROUP BY game_id, team_abbr
),
teams AS (
  SELECT
    s.game_id,
    s.game_date,
    s.team_abbr,
    b.team_abbr IS NOT NULL AS has_box,
    COALESCE(g.players, 0) AS players,
    COALESCE(g.active_players, 0) AS active_players
  FROM sides AS s
  LEFT JOIN box AS b ON b.game_id = s.game_id AND b.team_abbr = s.team_abbr
  LEFT JOIN gamebook AS g ON g.game_id = s.game_id AND g.team_abbr = s.team_abbr
),
broken_schedule AS (
  SELECT
    COALESCE(r.game_id, '(no game_id)') AS game_id,
    r.report_date AS game_date,
    CONCAT('schedule row unusable: ', r.row_problem) AS problems
  FROM nba_analytics.stg_schedule_rows AS r
  LEFT JOIN nba_analytics.stg_schedule AS s
    ON s.game_id = r.game_id AND s.game_date = r.report_date
  WHERE r.report_date BETWEEN @start_date AND @end_date
    AND r.row_problem IS NOT NULL
    AND s.game_id IS NULL
),
games AS (
  SELECT
    game_id,
    game_date,
    COUNTIF(NOT ((has_box OR active_players >= 5) AND players > 0)) AS teams_not_ready,
    STRING_AGG(
      CASE
        WHEN players = 0 AND NOT has_box THEN CONCAT(team_abbr, ': no team box score, no gamebook rows')
        WHEN players = 0 THEN CONCAT(team_abbr, ': no gamebook rows')
        WHEN NOT has_box AND active_players < 5 THEN CONCAT(
          team_abbr, ': no team box score and only ', CAST(active_players AS STRING),
          ' active gamebook players')
      END,
      '; ' ORDER BY team_abbr
    ) AS problems
  FROM teams
  GROUP BY game_id, game_date
  UNION ALL
  SELECT DISTINCT game_id, game_date, 1, problems
  FROM broken_schedule
)
SELECT
  game_date AS check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNTIF(teams_not_ready = 0) AS INT64) AS actual,
  STRING_AGG(
    IF(teams_not_ready = 0, CAST(NULL AS STRING), CONCAT(game_id, ' (', problems, ')')),
    ', ' ORDER BY game_id
  ) AS missing
FROM games
GROUP BY game_date
