-- table:  nba_raw.nbac_team_boxscore       (Phase 2)
-- grain:  team x game (2 rows per game); re-scrapes duplicate rows, readers keep the
--         latest processed_at.
-- minutes is the summed player minutes as "MMM:SS": "240:00" regulation, "265:00" one OT.
CREATE TABLE IF NOT EXISTS nba_raw.nbac_team_boxscore (
  game_id STRING,
  game_date DATE,
  team_abbr STRING,
  is_home BOOL,
  minutes STRING,
  fg_made INT64,
  fg_attempted INT64,
  three_pt_made INT64,
  three_pt_attempted INT64,
  ft_made INT64,
  ft_attempted INT64,
  offensive_rebounds INT64,
  defensive_rebounds INT64,
  total_rebounds INT64,
  assists INT64,
  steals INT64,
  blocks INT64,
  turnovers INT64,
  personal_fouls INT64,
  points INT64,
  plus_minus INT64,
  processed_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY game_id, team_abbr;
