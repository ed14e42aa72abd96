-- table:  nba_raw.odds_api_player_points_props   (Phase 2, primary prop lines)
-- grain:  game x player x bookmaker x snapshot. minutes_before_tipoff < 0 is an in-game
--         snapshot and is ignored by readers. No processed_at: a snapshot is its own version.
CREATE TABLE IF NOT EXISTS nba_raw.odds_api_player_points_props (
  game_id STRING,
  game_date DATE,
  player_lookup STRING,
  bookmaker STRING,
  snapshot_timestamp TIMESTAMP,
  minutes_before_tipoff INT64,
  points_line FLOAT64,
  over_price_american INT64,
  under_price_american INT64
)
PARTITION BY game_date
CLUSTER BY player_lookup, bookmaker;
