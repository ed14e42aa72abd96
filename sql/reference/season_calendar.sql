-- table:  nba_reference.season_calendar
-- grain:  one row per season, written from nba_backfill/seasons.toml on every setup.
-- Why a table: SQL needs each date's season (lookbacks never cross a season) and its
-- opener (bootstrap days, minimum-games ramp); joining this keeps one calendar for
-- Python and SQL alike.
CREATE TABLE IF NOT EXISTS nba_reference.season_calendar (
  season_label STRING,
  season_year INT64,
  opener DATE,
  last_day DATE
);
