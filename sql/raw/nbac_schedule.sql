-- table:  nba_raw.nbac_schedule            (Phase 2, upstream of this project)
-- grain:  one row per game per scrape; re-scrapes duplicate a game. Readers keep the
--         highest game_status, then the latest processed_at (SPEC §1).
-- keys:   game_id is the system id YYYYMMDD_AWAY_HOME; nba_game_id the NBA.com 10-digit id.
CREATE TABLE IF NOT EXISTS nba_raw.nbac_schedule (
  nba_game_id STRING,
  game_id STRING,
  game_date DATE,
  season_year INT64,
  game_status INT64,            -- 1 scheduled, 2 live, 3 final
  home_team_tricode STRING,
  away_team_tricode STRING,
  home_team_score INT64,
  away_team_score INT64,
  is_regular_season BOOL,
  is_playoffs BOOL,
  is_play_in BOOL,
  processed_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY game_id;
