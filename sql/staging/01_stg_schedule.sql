-- view:   nba_analytics.stg_schedule_rows   (every raw nbac_schedule row, judged)
-- grain:  one row per raw row (re-scrapes included), with row_problem: NULL for a usable
--         row, else why nothing can be keyed on it: a NULL game_id, game_date or team; the
--         same team on both sides; a game_date that is not the date in the system game_id
--         (YYYYMMDD_AWAY_HOME, SPEC §0; ids in another format are not judged on it).
-- report_date: the date the row's game belongs to, for Gate 0's report: the date in a
--         system game_id (so a row moved to an off-season date, or with its date lost, is
--         still reported on the date its game was played), else game_date. Gate 0 filters
--         on it, which scans the whole schedule: ~1,300 rows a season, a negligible cost.
-- Gate 0 reports a final game's date as not ready when a row here is unusable and no
-- usable row of the same game exists (checks/gate0_raw_readiness.sql).
CREATE OR REPLACE VIEW nba_analytics.stg_schedule_rows AS
WITH judged AS (
  SELECT
    s.*,
    REGEXP_CONTAINS(COALESCE(s.game_id, ''), r'^\d{8}_[A-Z]+_[A-Z]+$') AS system_game_id
  FROM nba_raw.nbac_schedule AS s
)
SELECT
  * EXCEPT (system_game_id),
  COALESCE(
    IF(system_game_id,
       SAFE_CAST(CONCAT(SUBSTR(game_id, 1, 4), '-', SUBSTR(game_id, 5, 2), '-', SUBSTR(game_id, 7, 2)) AS DATE),
       CAST(NULL AS DATE)),
    game_date
  ) AS report_date,
  CASE
    WHEN game_id IS NULL OR game_date IS NULL OR home_team_tricode IS NULL
      OR away_team_tricode IS NULL
      THEN 'missing key (game_id, game_date, home or away team)'
    WHEN home_team_tricode = away_team_tricode THEN 'home and away are the same team'
    WHEN system_game_id AND SUBSTR(game_id, 1, 8) != FORMAT_DATE('%Y%m%d', game_date)
      THEN 'game_date does not match game_id'
    ELSE CAST(NULL AS STRING)
  END AS row_problem
FROM judged;

-- view:   nba_analytics.stg_schedule   (staging over nba_raw.nbac_schedule)
-- grain:  one row per game: re-scrapes collapse to the highest game_status, then the
--         latest processed_at (SPEC §1). Only usable rows (stg_schedule_rows.row_problem
--         IS NULL) take part: nothing downstream can be keyed on the others, and Gate 0
--         reports them.
-- season_year comes from nba_reference.season_calendar (SPEC §0: the calendar, not month
-- arithmetic), falling back to the scraped value for a date outside every season.
-- is_final = game_status 3: the only games Phase 3 builds.
-- Staging files run in name order at setup (views must exist before views that read
-- them): hence the numeric prefixes. Every file is idempotent DDL.
-- game_date is in every PARTITION BY so a date filter on the view reaches the raw scan.
CREATE OR REPLACE VIEW nba_analytics.stg_schedule AS
SELECT
  s.game_id,
  s.nba_game_id,
  s.game_date,
  COALESCE(c.season_year, s.season_year) AS season_year,
  c.opener AS season_opener,
  s.game_status,
  s.game_status = 3 AS is_final,
  s.home_team_tricode AS home_team_abbr,
  s.away_team_tricode AS away_team_abbr,
  s.home_team_score,
  s.away_team_score,
  COALESCE(s.is_regular_season, FALSE) AS is_regular_season,
  COALESCE(s.is_playoffs, FALSE) AS is_playoffs,
  COALESCE(s.is_play_in, FALSE) AS is_play_in
FROM nba_analytics.stg_schedule_rows AS s
LEFT JOIN nba_reference.season_calendar AS c
  ON s.game_date BETWEEN c.opener AND c.last_day
WHERE s.row_problem IS NULL
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY s.game_date, s.game_id
  ORDER BY s.game_status DESC, s.processed_at DESC, s.home_team_score DESC, s.away_team_score DESC
) = 1;
