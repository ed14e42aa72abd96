-- shared:   the staging player rows of [@start_date, @end_date] with the source PGS takes
--           for their game (`FROM shared.pgs_player_rows`): player_game_summary is built
--           from the rows with used = TRUE, and its failures report the unusable rows of
--           the same rule, so the table and its failures cannot disagree on the source.
-- grain:    one row per staging row (source x game x player), usable or not.
-- inputs:   nba_analytics.stg_gamebook, nba_analytics.stg_player_boxscores.
-- choices:  game_source: the gamebook when the game has at least one usable 'active'
--           gamebook row, else the player box scores (all active, no DNP rows).
--           used = the row is usable (row_problem IS NULL) and from its game's source.
--           Box-score rows read as active (player_status 'active', is_active TRUE).
--           starter_flag: the player box score's starter flag (the gamebook has none); on
--           a usable gamebook row, that of the usable box-score row of the same player
--           and game (NULL without one).
SELECT
  r.*,
  IF(gg.game_id IS NULL, 'player_boxscores', 'gamebook') AS game_source,
  r.row_problem IS NULL
    AND r.primary_source = IF(gg.game_id IS NULL, 'player_boxscores', 'gamebook') AS used
FROM (
  SELECT
    gb.game_id, gb.game_date, gb.player_lookup, gb.player_name, gb.team_abbr,
    gb.player_status = 'active' AS is_active, gb.player_status, gb.dnp_reason, gb.minutes_played,
    gb.points, gb.field_goals_made, gb.field_goals_attempted, gb.three_pointers_made,
    gb.three_pointers_attempted, gb.free_throws_made, gb.free_throws_attempted,
    gb.offensive_rebounds, gb.defensive_rebounds, gb.total_rebounds, gb.assists, gb.steals,
    gb.blocks, gb.turnovers, gb.personal_fouls, gb.plus_minus,
    bx.starter AS starter_flag, 'gamebook' AS primary_source, gb.row_problem
  FROM nba_analytics.stg_gamebook AS gb
  LEFT JOIN nba_analytics.stg_player_boxscores AS bx
    ON bx.game_id = gb.game_id AND bx.player_lookup = gb.player_lookup
    AND gb.row_problem IS NULL AND bx.row_problem IS NULL
    AND bx.game_date BETWEEN @start_date AND @end_date
  WHERE gb.game_date BETWEEN @start_date AND @end_date
  UNION ALL
  SELECT
    bx.game_id, bx.game_date, bx.player_lookup, bx.player_name, bx.team_abbr,
    TRUE, 'active', CAST(NULL AS STRING), bx.minutes_played,
    bx.points, bx.field_goals_made, bx.field_goals_attempted, bx.three_pointers_made,
    bx.three_pointers_attempted, bx.free_throws_made, bx.free_throws_attempted,
    bx.offensive_rebounds, bx.defensive_rebounds, bx.total_rebounds, bx.assists, bx.steals,
    bx.blocks, bx.turnovers, bx.personal_fouls, bx.plus_minus,
    bx.starter, 'player_boxscores', bx.row_problem
  FROM nba_analytics.stg_player_boxscores AS bx
  WHERE bx.game_date BETWEEN @start_date AND @end_date
) AS r
LEFT JOIN (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_gamebook
  WHERE game_date BETWEEN @start_date AND @end_date
    AND row_problem IS NULL AND player_status = 'active'
) AS gg
  ON gg.game_id = r.game_id
