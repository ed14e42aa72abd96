-- table:  nba_raw.odds_api_game_lines      (Phase 2, spreads and totals)
-- grain:  game x bookmaker x market (spreads/totals) x outcome x snapshot.
--         For spreads outcome_name is the team tricode and outcome_point that team's
--         spread; for totals outcome_name is Over/Under and outcome_point the total.
CREATE TABLE IF NOT EXISTS nba_raw.odds_api_game_lines (
  game_id STRING,
  game_date DATE,
  bookmaker_key STRING,
  market_key STRING,
  outcome_name STRING,
  outcome_point FLOAT64,
  snapshot_timestamp TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY game_id;
