-- table:  nba_raw.demo_defects             (written only by `nba-backfill demo-data`)
-- grain:  one planted defect x affected game (or date, when game_id is NULL).
-- The manifest of what the demo data breaks on purpose, so tests and the demo report can
-- show that every defect is caught where it should be.
-- defect_type: no_team_boxscore (-> TOGS reconstruction), no_bigdataball_pbp
-- (-> nbac play-by-play fallback), missing_raw_game (-> gaps the gates must catch),
-- duplicate_rescrape (-> deduplication), no_player_boxscores (fallback table missing),
-- source_gap_no_pbp (no play-by-play in either feed, SPEC §6: NULL zones that the
-- contamination checks count apart as NO_SOURCE; every check passes on the date).
CREATE TABLE IF NOT EXISTS nba_raw.demo_defects (
  defect_type STRING,
  game_date DATE,
  game_id STRING,
  raw_table STRING,
  detail STRING
)
PARTITION BY game_date;
