-- view:   nba_analytics.stg_schedule   (staging over nba_raw.nbac_schedule)
-- grain:  one row per game: re-scrapes collapse to the highest game_status, then the
--         latest processed_at (SPEC §1). Rows without game_id, game_date or either team
--         are dropped: nothing downstream can be keyed on them.
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
FROM nba_raw.nbac_schedule AS s
LEFT JOIN nba_reference.season_calendar AS c
  ON s.game_date BETWEEN c.opener AND c.last_day
WHERE s.game_id IS NOT NULL
  AND s.game_date IS NOT NULL
  AND s.home_team_tricode IS NOT NULL
  AND s.away_team_tricode IS NOT NULL
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY s.game_date, s.game_id
  ORDER BY s.game_status DESC, s.processed_at DESC, s.home_team_score DESC, s.away_team_score DESC
) = 1;
