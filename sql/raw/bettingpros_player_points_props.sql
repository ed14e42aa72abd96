-- table:  nba_raw.bettingpros_player_points_props (Phase 2, fallback prop lines)
-- grain:  date x player x bookmaker x side x market. No game_id: readers join on
--         game_date + player_lookup. Only market_type = 'points' is used downstream;
--         duplicates are resolved by the latest bookmaker_last_update.
CREATE TABLE IF NOT EXISTS nba_raw.bettingpros_player_points_props (
  game_date DATE,
  player_lookup STRING,
  market_type STRING,
  bet_side STRING,
  bookmaker STRING,
  points_line FLOAT64,
  opening_line FLOAT64,
  is_active BOOL,
  is_best_line BOOL,
  bookmaker_last_update TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY player_lookup, bookmaker;
