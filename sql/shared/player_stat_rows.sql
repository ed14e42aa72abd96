-- shared:   the player stat rows of both player feeds, deduplicated and judged
--           (`FROM shared.player_stat_rows`): the staging views stg_gamebook and
--           stg_player_boxscores are this, one feed each (`WHERE feed = ...`), so both
--           feeds get one dedup rule, one minutes parse and one set of row_problem rules.
-- grain:    one row per feed x game x player: re-scrapes collapse to the latest
--           processed_at (the latest scrape is the truth, even when it is the broken one).
-- inputs:   nba_raw.nbac_gamebook_player_stats (feed 'gamebook'),
--           nba_raw.nbac_player_boxscores (feed 'player_boxscores'); no parameters.
-- columns:  the gamebook's player_status (lower case) and dnp_reason are NULL on box-score
--           rows, the box score's starter is NULL on gamebook rows; readers drop the
--           columns their feed does not have.
-- minutes_played: "MM:SS" as decimal minutes ("34:30" -> 34.5); NULL when absent or
--           unreadable (DNP and inactive rows carry no minutes).
-- row_problem: NULL for a usable row, else why the row is unusable. A row is unusable with
--           a NULL key; minutes that are unreadable (not "M:SS" with seconds < 60: "99:99",
--           "abc"), negative, or beyond any game (over 78:00, a six-overtime game, the
--           longest ever played); a game_date other than the date in its system game_id
--           (YYYYMMDD_AWAY_HOME, SPEC §0; other id formats are not judged on it); a team
--           that is not one of the game's two; the player listed for both teams in one
--           scrape (same processed_at: which one is true cannot be told, so neither is
--           used; a later scrape settles it); or a stat that cannot happen (negative
--           counts, made > attempted, threes beyond field goals, points other than
--           2 x FGM + 3PM + FTM where all four are given: "200 points" from 10 made shots).
--           A dnp / inactive row with points or minutes is unusable too (it cannot be both;
--           gamebook rows only: box-score rows have no player_status).
SELECT
  feed,
  game_id,
  game_date,
  player_lookup,
  player_name,
  team_abbr,
  LOWER(player_status) AS player_status,
  dnp_reason,
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
    WHEN minutes_unreadable THEN 'unreadable minutes'
    WHEN minutes_played < 0 THEN 'negative minutes'
    WHEN minutes_played > 78 THEN 'minutes beyond any game (over 78:00, six overtimes)'
    WHEN REGEXP_CONTAINS(game_id, r'^\d{8}_[A-Z]+_[A-Z]+$')
      AND SUBSTR(game_id, 1, 8) != FORMAT_DATE('%Y%m%d', game_date)
      THEN 'game_date does not match game_id'
    WHEN REGEXP_CONTAINS(game_id, r'^\d{8}_[A-Z]+_[A-Z]+$')
      AND team_abbr NOT IN (REGEXP_EXTRACT(game_id, r'^\d{8}_([A-Z]+)_'),
                            REGEXP_EXTRACT(game_id, r'_([A-Z]+)$'))
      THEN 'team not in the game'
    WHEN on_two_teams THEN 'player listed for both teams in one scrape'
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
    WHEN points != 2 * field_goals_made + three_pointers_made + free_throws_made
      THEN 'points do not add up (2 x FGM + 3PM + FTM)'
    WHEN LOWER(player_status) IN ('dnp', 'inactive')
      AND (COALESCE(points, 0) > 0 OR COALESCE(minutes_played, 0) > 0)
      THEN 'points or minutes on a player who did not play'
    ELSE CAST(NULL AS STRING)
  END AS row_problem
FROM (
  SELECT
    *,
    CASE
      WHEN minutes_part IS NULL OR minutes_unreadable THEN CAST(NULL AS FLOAT64)
      WHEN STARTS_WITH(TRIM(minutes), '-') THEN -(ABS(minutes_part) + COALESCE(seconds_part, 0) / 60.0)
      ELSE minutes_part + COALESCE(seconds_part, 0) / 60.0
    END AS minutes_played
  FROM (
    SELECT
      *,
      SAFE_CAST(REGEXP_EXTRACT(minutes, r'^\s*(-?\d+)') AS INT64) AS minutes_part,
      SAFE_CAST(REGEXP_EXTRACT(minutes, r':(\d+)\s*$') AS INT64) AS seconds_part,
      -- "M:SS" (or whole minutes), seconds below 60; blank counts as missing
      NULLIF(TRIM(minutes), '') IS NOT NULL
        AND NOT REGEXP_CONTAINS(minutes, r'^\s*-?\d+(:[0-5]?\d)?\s*$') AS minutes_unreadable,
      -- one scrape (one processed_at) listing the player for two teams of the game
      MIN(team_abbr) OVER (PARTITION BY feed, game_date, game_id, player_lookup, processed_at)
        != MAX(team_abbr) OVER (PARTITION BY feed, game_date, game_id, player_lookup, processed_at)
        AS on_two_teams
    FROM (
      -- the gamebook's columns in its table's order, starter last; the box score's the same
      SELECT 'gamebook' AS feed, *, CAST(NULL AS BOOL) AS starter
      FROM nba_raw.nbac_gamebook_player_stats
      UNION ALL
      SELECT
        'player_boxscores', game_id, game_date, player_lookup, player_name, team_abbr,
        CAST(NULL AS STRING), CAST(NULL AS STRING), minutes, points,
        field_goals_made, field_goals_attempted, three_pointers_made, three_pointers_attempted,
        free_throws_made, free_throws_attempted, offensive_rebounds, defensive_rebounds,
        total_rebounds, assists, steals, blocks, turnovers, personal_fouls, plus_minus,
        processed_at, starter
      FROM nba_raw.nbac_player_boxscores
    )
    QUALIFY ROW_NUMBER() OVER (
      PARTITION BY feed, game_date, game_id, player_lookup
      ORDER BY processed_at DESC, minutes DESC, points DESC
    ) = 1
  )
)
