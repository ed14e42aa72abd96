-- table:  toy team form (test fixture for the DuckDB / BigQuery parity tests)
-- grain:  team x game on the date.
-- inputs: nba_raw.nbac_schedule (re-scrapes: highest game_status, then latest
--         processed_at), nba_reference.season_calendar.
-- lookback: the team's earlier games this season, at most 30 days back; never the date
--         being built, never the previous season.
-- Exercises the constructs the real SQL leans on: QUALIFY, window functions over a
-- lookback, SAFE_DIVIDE, DATE_DIFF, DATE_ADD and DATE_SUB (both cast back with
-- DATE: on DuckDB they give a TIMESTAMP), typed NULLs, parameters, a join to the season
-- calendar.
WITH schedule AS (
  SELECT *
  FROM nba_raw.nbac_schedule
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 30 DAY)) AND @end_date
    AND game_status = 3
  QUALIFY ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY game_status DESC, processed_at DESC) = 1
),
team_games AS (
  SELECT game_id, game_date, home_team_tricode AS team_abbr, home_team_score AS points,
         away_team_score AS allowed, TRUE AS is_home
  FROM schedule
  UNION ALL
  SELECT game_id, game_date, away_team_tricode, away_team_score, home_team_score, FALSE
  FROM schedule
),
in_season AS (
  SELECT t.*, c.season_label, c.opener
  FROM team_games AS t
  JOIN nba_reference.season_calendar AS c
    ON t.game_date BETWEEN c.opener AND c.last_day
),
form AS (
  SELECT
    *,
    COUNT(*) OVER prior AS prior_games,
    AVG(points) OVER prior AS avg_points_prior,
    -- SUM(IF(...)), not COUNTIF: the emulator cannot run COUNTIF as a window function.
    SUM(IF(points > allowed, 1, 0)) OVER prior AS prior_wins,
    SUM(points - allowed) OVER prior AS prior_margin,
    LAG(game_date) OVER (PARTITION BY team_abbr, season_label ORDER BY game_date) AS previous_game
  FROM in_season
  WINDOW prior AS (
    PARTITION BY team_abbr, season_label ORDER BY game_date
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
  )
)
SELECT
  game_id,
  game_date,
  team_abbr,
  season_label,
  is_home,
  CAST(points AS INT64) AS points,
  DATE_DIFF(game_date, opener, DAY) AS days_into_season,
  DATE_DIFF(game_date, previous_game, DAY) AS rest_days,
  prior_games,
  avg_points_prior,
  prior_wins,
  SAFE_DIVIDE(prior_wins, prior_games) AS prior_win_rate,
  CAST(prior_margin AS INT64) AS prior_margin,
  DATE(DATE_SUB(game_date, INTERVAL 7 DAY)) AS week_before,
  DATE(DATE_ADD(game_date, INTERVAL 1 DAY)) AS next_day,
  CASE WHEN prior_games = 0 THEN 'first_game' ELSE CAST(NULL AS STRING) END AS note,
  CAST(NULL AS FLOAT64) AS not_yet_known,
  @run_id AS run_id
FROM form
WHERE game_date BETWEEN @start_date AND @end_date
