-- table:  nba_raw.nbac_play_by_play        (Phase 2, fallback shot source)
-- grain:  one play-by-play event; event_type fieldgoal / freethrow / ...; no assist or
--         block roles. Re-scrapes: readers keep the latest processed_at.
CREATE TABLE IF NOT EXISTS nba_raw.nbac_play_by_play (
  game_id STRING,
  game_date DATE,
  event_id INT64,
  period INT64,
  event_type STRING,
  shot_made BOOL,
  shot_type STRING,
  shot_distance FLOAT64,
  player_1_lookup STRING,
  player_1_team_abbr STRING,
  processed_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY game_id;
