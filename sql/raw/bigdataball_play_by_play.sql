-- table:  nba_raw.bigdataball_play_by_play (Phase 2, primary shot source)
-- grain:  one play-by-play event; re-scrapes duplicate (game_id, event_id), readers keep
--         the latest processed_at.
-- event_type: shot, free throw, rebound, turnover, ...; shot_type 2PT / 3PT / FT;
-- player_1 is the shooter, player_2 the assister or blocker (player_2_role).
CREATE TABLE IF NOT EXISTS nba_raw.bigdataball_play_by_play (
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
  player_2_lookup STRING,
  player_2_role STRING,
  processed_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY game_id;
