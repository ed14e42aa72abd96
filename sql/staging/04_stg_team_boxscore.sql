-- view:   nba_analytics.stg_team_boxscore   (staging over nba_raw.nbac_team_boxscore)
-- grain:  one row per game x team: re-scrapes collapse to the latest processed_at.
-- minutes_total: the summed player minutes "MMM:SS" as decimal minutes (240.0 regulation,
--         265.0 one overtime); NULL when absent or unreadable.
-- row_problem: NULL for a usable row, else why it is unusable (NULL key, unreadable
--         minutes, a game_date or team that does not match the system game_id
--         YYYYMMDD_AWAY_HOME, negative stat, made > attempted, threes beyond field goals,
--         points other than 2 x FGM + 3PM + FTM). Kept, not dropped, so the
--         failure SQL can report it; Phase 3 reads only `row_problem IS NULL`, and a team
--         whose box score is unusable falls back to reconstruction from the gamebook.
CREATE OR REPLACE VIEW nba_analytics.stg_team_boxscore AS
WITH latest AS (
  SELECT
    *,
    SAFE_CAST(REGEXP_EXTRACT(minutes, r'^\s*(\d+)') AS INT64) AS minutes_part,
    SAFE_CAST(REGEXP_EXTRACT(minutes, r':(\d+)\s*$') AS INT64) AS seconds_part,
    -- "MMM:SS" (or whole minutes), seconds below 60; blank counts as missing
    NULLIF(TRIM(minutes), '') IS NOT NULL
      AND NOT REGEXP_CONTAINS(minutes, r'^\s*\d+(:[0-5]?\d)?\s*$') AS minutes_unreadable
  FROM nba_raw.nbac_team_boxscore
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, game_id, team_abbr
    ORDER BY processed_at DESC, points DESC, fg_attempted DESC
  ) = 1
)
SELECT
  game_id,
  game_date,
  team_abbr,
  is_home,
  IF(minutes_unreadable, CAST(NULL AS FLOAT64), minutes_part + COALESCE(seconds_part, 0) / 60.0) AS minutes_total,
  fg_made,
  fg_attempted,
  three_pt_made,
  three_pt_attempted,
  ft_made,
  ft_attempted,
  offensive_rebounds,
  defensive_rebounds,
  total_rebounds,
  assists,
  steals,
  blocks,
  turnovers,
  personal_fouls,
  points,
  plus_minus,
  processed_at,
  CASE
    WHEN game_id IS NULL OR game_date IS NULL OR team_abbr IS NULL
      THEN 'missing key (game_id, game_date or team_abbr)'
    WHEN points IS NULL OR fg_made IS NULL OR fg_attempted IS NULL OR ft_made IS NULL
      OR ft_attempted IS NULL OR turnovers IS NULL OR offensive_rebounds IS NULL
      THEN 'missing points, a shooting or a possession stat'
    WHEN minutes_unreadable THEN 'unreadable minutes'
    WHEN REGEXP_CONTAINS(game_id, r'^\d{8}_[A-Z]+_[A-Z]+$')
      AND SUBSTR(game_id, 1, 8) != FORMAT_DATE('%Y%m%d', game_date)
      THEN 'game_date does not match game_id'
    WHEN REGEXP_CONTAINS(game_id, r'^\d{8}_[A-Z]+_[A-Z]+$')
      AND team_abbr NOT IN (REGEXP_EXTRACT(game_id, r'^\d{8}_([A-Z]+)_'),
                            REGEXP_EXTRACT(game_id, r'_([A-Z]+)$'))
      THEN 'team not in the game'
    WHEN LEAST(points, fg_made, fg_attempted, COALESCE(three_pt_made, 0),
               COALESCE(three_pt_attempted, 0), ft_made, ft_attempted, offensive_rebounds,
               COALESCE(defensive_rebounds, 0), COALESCE(total_rebounds, 0),
               COALESCE(assists, 0), COALESCE(steals, 0), COALESCE(blocks, 0), turnovers,
               COALESCE(personal_fouls, 0)) < 0 THEN 'negative stat'
    WHEN fg_made > fg_attempted OR three_pt_made > three_pt_attempted OR ft_made > ft_attempted
      THEN 'made > attempted'
    WHEN three_pt_made > fg_made OR three_pt_attempted > fg_attempted
      THEN 'threes exceed field goals'
    WHEN three_pt_made IS NOT NULL AND points != 2 * fg_made + three_pt_made + ft_made
      THEN 'points do not add up (2 x FGM + 3PM + FTM)'
    ELSE CAST(NULL AS STRING)
  END AS row_problem
FROM latest;
