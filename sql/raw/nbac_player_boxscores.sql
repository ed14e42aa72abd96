-- table:  nba_raw.nbac_player_boxscores    (Phase 2, fallback player stats)
-- grain:  player x game for players who appeared (no DNP rows); the gamebook's stat
--         columns plus starter. Re-scrapes: readers keep the latest processed_at.
CREATE TABLE IF NOT EXISTS nba_raw.nbac_player_boxscores (
  game_id STRING,
  game_date DATE,
  player_lookup STRING,
  player_name STRING,
  team_abbr STRING,
  starter BOOL,
  minutes STRING,
  points INT64,
  field_goals_made INT64,
  field_goals_attempted INT64,
  three_pointers_made INT64,
  three_pointers_attempted INT64,
  free_throws_made INT64,
  free_throws_attempted INT64,
  offensive_rebounds INT64,
  defensive_rebounds INT64,
  total_rebounds INT64,
  assists INT64,
  steals INT64,
  blocks INT64,
  turnovers INT64,
  personal_fouls INT64,
  plus_minus INT64,
  processed_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY game_id, player_lookup;
