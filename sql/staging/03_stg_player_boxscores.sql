-- view:   nba_analytics.stg_player_boxscores   (staging over nba_raw.nbac_player_boxscores,
--         the fallback player stats: players who appeared, no DNP rows)
-- grain:  one row per game x player: re-scrapes collapse to the latest processed_at.
-- minutes_played, row_problem: exactly as in stg_gamebook (02_stg_gamebook.sql).
-- row_problem: NULL for a usable row, else why the row is unusable. Unusable rows are
--         kept here, not dropped, so the failure SQL can report them (INCOMPLETE_DATA);
--         every Phase 3 query reads only `row_problem IS NULL`. A row is unusable with
--         a NULL key, negative minutes or a stat that cannot happen (negative counts,
--         made > attempted, threes beyond field goals).
CREATE OR REPLACE VIEW nba_analytics.stg_player_boxscores AS
WITH latest AS (
  SELECT
    *,
    SAFE_CAST(REGEXP_EXTRACT(minutes, r'^\s*(-?\d+)') AS INT64) AS minutes_part,
    SAFE_CAST(REGEXP_EXTRACT(minutes, r':(\d+)\s*$') AS INT64) AS seconds_part
  FROM nba_raw.nbac_player_boxscores
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, game_id, player_lookup
    ORDER BY processed_at DESC, minutes DESC, points DESC
  ) = 1
),
parsed AS (
  SELECT
    *,
    CASE
      WHEN minutes_part IS NULL THEN CAST(NULL AS FLOAT64)
      WHEN STARTS_WITH(TRIM(minutes), '-') THEN -(ABS(minutes_part) + COALESCE(seconds_part, 0) / 60.0)
      ELSE minutes_part + COALESCE(seconds_part, 0) / 60.0
    END AS minutes_played
  FROM latest
)
SELECT
  game_id,
  game_date,
  player_lookup,
  player_name,
  team_abbr,
  starter,
  minutes,
  minutes_played,
  points,
  field_goals_made,
  field_goals_attempted,
  three_pointers_made,
  three_pointers_attempted,
  free_throws_made,
  free_throws_attempted,
  offensive_rebounds,
  defensive_rebounds,
  total_rebounds,
  assists,
  steals,
  blocks,
  turnovers,
  personal_fouls,
  plus_minus,
  processed_at,
  CASE
    WHEN game_id IS NULL OR game_date IS NULL OR player_lookup IS NULL OR player_lookup = ''
      OR team_abbr IS NULL THEN 'missing key (game_id, game_date, player_lookup or team_abbr)'
    WHEN minutes_played < 0 THEN 'negative minutes'
    WHEN LEAST(COALESCE(points, 0), COALESCE(field_goals_made, 0),
               COALESCE(field_goals_attempted, 0), COALESCE(three_pointers_made, 0),
               COALESCE(three_pointers_attempted, 0), COALESCE(free_throws_made, 0),
               COALESCE(free_throws_attempted, 0), COALESCE(offensive_rebounds, 0),
               COALESCE(defensive_rebounds, 0), COALESCE(total_rebounds, 0),
               COALESCE(assists, 0), COALESCE(steals, 0), COALESCE(blocks, 0),
               COALESCE(turnovers, 0), COALESCE(personal_fouls, 0)) < 0 THEN 'negative stat'
    WHEN field_goals_made > field_goals_attempted
      OR three_pointers_made > three_pointers_attempted
      OR free_throws_made > free_throws_attempted THEN 'made > attempted'
    WHEN three_pointers_made > field_goals_made
      OR three_pointers_attempted > field_goals_attempted THEN 'threes exceed field goals'
    ELSE CAST(NULL AS STRING)
  END AS row_problem
FROM parsed;
