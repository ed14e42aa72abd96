-- view:   nba_analytics.stg_shots   (field-goal attempts with their zone, SPEC §2.6)
-- grain:  one field-goal attempt of one game, from ONE source per game: bigdataball
--         (event_type 'shot', free throws excluded) when it has any usable shot for the
--         game, else nbac play-by-play (event_type 'fieldgoal'). A game in neither source
--         has no rows here, which is how readers know to leave zone columns NULL.
-- Re-scrapes: each source collapses (game_id, event_id) to the latest processed_at (one
--       rule, applied to both feeds' events at once).
-- zone: 'three' = shot_type '3PT', or distance >= 23.75 ft when shot_type is missing;
--       'paint' = any other shot <= 8 ft; 'mid_range' = every other 2-point shot (a '2PT'
--       without a distance included). A shot with neither type nor distance cannot be
--       placed and is dropped, as are shots without game_id, shooter or shooter team.
-- is_assisted: bigdataball only (player_2_role 'assist' on a made shot); NULL for nbac,
--       which has no assist roles.
CREATE OR REPLACE VIEW nba_analytics.stg_shots AS
WITH events AS (
  -- both feeds' events; one dedup rule for both: the latest scrape of each event
  SELECT *
  FROM (
    SELECT 'bigdataball' AS feed, game_id, game_date, event_id, event_type, shot_made,
      shot_type, shot_distance, player_1_lookup, player_1_team_abbr, player_2_role, processed_at
    FROM nba_raw.bigdataball_play_by_play
    UNION ALL
    SELECT 'nbac_pbp', game_id, game_date, event_id, event_type, shot_made,
      shot_type, shot_distance, player_1_lookup, player_1_team_abbr, CAST(NULL AS STRING), processed_at
    FROM nba_raw.nbac_play_by_play
  )
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY feed, game_date, game_id, event_id ORDER BY processed_at DESC
  ) = 1
),
attempts AS (
  SELECT
    game_id, game_date, event_id, 'bigdataball' AS shot_source, 1 AS source_rank,
    player_1_lookup AS player_lookup, player_1_team_abbr AS team_abbr,
    COALESCE(shot_made, FALSE) AS shot_made, UPPER(shot_type) AS shot_type, shot_distance,
    COALESCE(shot_made, FALSE) AND COALESCE(player_2_role = 'assist', FALSE) AS is_assisted
  FROM events
  WHERE feed = 'bigdataball' AND LOWER(event_type) = 'shot' AND COALESCE(UPPER(shot_type), '') != 'FT'
  UNION ALL
  SELECT
    game_id, game_date, event_id, 'nbac_pbp', 2,
    player_1_lookup, player_1_team_abbr,
    COALESCE(shot_made, FALSE), UPPER(shot_type), shot_distance,
    CAST(NULL AS BOOL)
  FROM events
  WHERE feed = 'nbac_pbp' AND LOWER(event_type) = 'fieldgoal' AND COALESCE(UPPER(shot_type), '') != 'FT'
),
placed AS (
  SELECT
    * EXCEPT (source_rank),
    CASE
      WHEN shot_type = '3PT' OR (shot_type IS NULL AND shot_distance >= 23.75) THEN 'three'
      WHEN shot_type IS NULL AND shot_distance IS NULL THEN CAST(NULL AS STRING)
      WHEN shot_distance <= 8 THEN 'paint'
      ELSE 'mid_range'
    END AS zone,
    source_rank
  FROM attempts
  WHERE game_id IS NOT NULL AND player_lookup IS NOT NULL AND team_abbr IS NOT NULL
)
SELECT * EXCEPT (source_rank)
FROM placed
WHERE zone IS NOT NULL
QUALIFY source_rank = MIN(source_rank) OVER (PARTITION BY game_date, game_id);
