-- table:    nba_analytics.player_game_summary (PGS), partitioned by game_date
-- grain:    one row per player x FINAL game, DNP and inactive rows included; a date
--           without final games is an empty partition.
-- inputs:   same-date raw only, through the staging views: stg_gamebook (primary),
--           stg_player_boxscores (fallback; also the starter flag), stg_team_lines (team
--           line for usage rate), stg_shots (zones), stg_prop_lines (line cascade).
--           Re-scrapes are collapsed to the latest processed_at in staging.
-- shared:   the player rows (the source rule below, the starter flag) from
--           shared/pgs_player_rows.sql; the game's shot feed (game_shot_source) from
--           shared/game_shot_source.sql.
-- lookback: none.
-- Choices the spec leaves open:
--   * Source per game: the gamebook when it has at least one usable 'active' row for the
--     game, else every usable player box-score row (all active, no DNP rows).
--     primary_source gamebook (100) / player_boxscores (85); quality -5 without
--     plus_minus and -5 without shot zones, both only for players who played.
--   * is_dnp: status dnp/inactive, or 0 (or missing) minutes. minutes_played is 0.0 on
--     such rows; their box stats stay as the source gives them (NULL for DNP rows).
--   * dnp_reason_category (only on DNP rows), first keyword match, case-insensitive:
--     injury (injur, illness, sprain, strain, sore, surgery, fracture, contusion,
--     concussion, protocol) > rest (the word 'rest', load management) > personal
--     (personal, family, bereavement, not with team) > coach_decision (coach) > other
--     (anything else: G League assignments, suspensions, no reason at all).
--   * starter_flag: the player box score's starter flag (the gamebook has none); NULL
--     when the player has no box-score row.
--   * usage_rate uses the team line of stg_team_lines (box score or reconstruction);
--     NULL without a team line, with 0 minutes, or when above 1.
--   * Zones: counts from the game's shot source (0 when the player took no shot in a game
--     with play-by-play); NULL (never 0) when the game has no play-by-play or the player
--     did not play. has_complete_shot_zones: zones exist and paint + mid-range + three
--     attempts equal field_goals_attempted. assisted/unassisted_fg_makes: bigdataball only.
--   * points_line = the cascade's current (closing) line for the date; over_under_result
--     and margin are NULL for DNP rows (a prop on a player who did not play is void).
--   * win_flag from the schedule's final score (fallback: the two team lines' points).
WITH games AS (
  SELECT *
  FROM nba_analytics.stg_schedule
  WHERE game_date BETWEEN @start_date AND @end_date AND is_final
),
players AS (
  SELECT * EXCEPT (game_date, row_problem, game_source, used)
  FROM shared.pgs_player_rows AS r
  WHERE used
),
team_lines AS (
  SELECT *
  FROM nba_analytics.stg_team_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
shots AS (
  SELECT *
  FROM nba_analytics.stg_shots
  WHERE game_date BETWEEN @start_date AND @end_date
),
player_zones AS (
  SELECT
    game_id, player_lookup,
    COUNTIF(zone = 'paint') AS paint_attempts,
    COUNTIF(zone = 'paint' AND shot_made) AS paint_makes,
    COUNTIF(zone = 'mid_range') AS mid_range_attempts,
    COUNTIF(zone = 'mid_range' AND shot_made) AS mid_range_makes,
    COUNTIF(zone = 'three') AS three_attempts,
    COUNTIF(zone = 'three' AND shot_made) AS three_makes,
    COUNTIF(shot_made AND is_assisted) AS assisted_makes,
    COUNTIF(shot_made AND NOT is_assisted) AS unassisted_makes
  FROM shots
  GROUP BY game_id, player_lookup
),
props AS (
  SELECT *
  FROM nba_analytics.stg_prop_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
joined AS (
  SELECT
    p.*,
    g.game_date,
    g.season_year,
    CASE p.team_abbr WHEN g.home_team_abbr THEN g.away_team_abbr
                     WHEN g.away_team_abbr THEN g.home_team_abbr END AS opponent_team_abbr,
    CASE p.team_abbr WHEN g.home_team_abbr THEN TRUE
                     WHEN g.away_team_abbr THEN FALSE END AS home_game,
    p.player_status IN ('dnp', 'inactive') OR COALESCE(p.minutes_played, 0) = 0 AS is_dnp,
    COALESCE(t.team_score - t.opponent_score, t.points - o.points) AS team_margin,
    IF(t.primary_source IS NULL, NULL,
       t.fg_attempted + 0.44 * t.ft_attempted + t.turnovers) AS team_plays,
    t.team_minutes,
    gz.shot_source AS game_shot_source,
    z.paint_attempts, z.paint_makes, z.mid_range_attempts, z.mid_range_makes,
    z.three_attempts, z.three_makes, z.assisted_makes, z.unassisted_makes,
    pl.current_points_line AS points_line,
    pl.points_line_source
  FROM players AS p
  JOIN games AS g
    ON g.game_id = p.game_id
  LEFT JOIN team_lines AS t
    ON t.game_id = p.game_id AND t.team_abbr = p.team_abbr
  LEFT JOIN team_lines AS o
    ON o.game_id = p.game_id AND o.team_abbr = t.opponent_team_abbr
  LEFT JOIN shared.game_shot_source AS gz
    ON gz.game_id = p.game_id
  LEFT JOIN player_zones AS z
    ON z.game_id = p.game_id AND z.player_lookup = p.player_lookup
  LEFT JOIN props AS pl
    ON pl.game_date = g.game_date AND pl.player_lookup = p.player_lookup
),
derived AS (
  SELECT
    *,
    IF(is_dnp, CAST(NULL AS STRING), game_shot_source) AS shot_zones_source,
    SAFE_DIVIDE(
      (field_goals_attempted + 0.44 * free_throws_attempted + turnovers) * (team_minutes / 5),
      minutes_played * team_plays) AS usage_raw,
    LOWER(COALESCE(dnp_reason, '')) AS reason,
    IF(primary_source = 'gamebook', 100, 85)
      - IF(NOT is_dnp AND plus_minus IS NULL, 5, 0)
      - IF(NOT is_dnp AND game_shot_source IS NULL, 5, 0) AS quality
  FROM joined
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  * REPLACE (
    IF(is_dnp, 0, minutes_played) AS minutes_played,
    IF(shot_zones_source IS NULL, NULL, COALESCE(paint_attempts, 0)) AS paint_attempts,
    IF(shot_zones_source IS NULL, NULL, COALESCE(paint_makes, 0)) AS paint_makes,
    IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_attempts, 0)) AS mid_range_attempts,
    IF(shot_zones_source IS NULL, NULL, COALESCE(mid_range_makes, 0)) AS mid_range_makes,
    IF(shot_zones_source IS NULL, NULL, COALESCE(three_attempts, 0)) AS three_attempts,
    IF(shot_zones_source IS NULL, NULL, COALESCE(three_makes, 0)) AS three_makes
  ),
  CASE
    WHEN NOT is_dnp THEN CAST(NULL AS STRING)
    WHEN REGEXP_CONTAINS(reason, r'injur|illness|sprain|strain|sore|surgery|fracture|contusion|concussion|protocol') THEN 'injury'
    WHEN REGEXP_CONTAINS(reason, r'\brest\b|load management') THEN 'rest'
    WHEN REGEXP_CONTAINS(reason, r'personal|family|bereavement|not with team') THEN 'personal'
    WHEN REGEXP_CONTAINS(reason, r'coach') THEN 'coach_decision'
    ELSE 'other'
  END AS dnp_reason_category,
  SAFE_DIVIDE(points, 2 * (field_goals_attempted + 0.44 * free_throws_attempted)) AS ts_pct,
  SAFE_DIVIDE(field_goals_made + 0.5 * three_pointers_made, field_goals_attempted) AS efg_pct,
  IF(is_dnp OR usage_raw > 1, NULL, usage_raw) AS usage_rate,
  team_margin > 0 AS win_flag,
  IF(shot_zones_source = 'bigdataball', COALESCE(assisted_makes, 0), NULL) AS assisted_fg_makes,
  IF(shot_zones_source = 'bigdataball', COALESCE(unassisted_makes, 0), NULL) AS unassisted_fg_makes,
  COALESCE(shot_zones_source IS NOT NULL
    AND COALESCE(paint_attempts, 0) + COALESCE(mid_range_attempts, 0) + COALESCE(three_attempts, 0)
        = field_goals_attempted, FALSE) AS has_complete_shot_zones,
  CASE
    WHEN is_dnp OR points IS NULL OR points_line IS NULL THEN CAST(NULL AS STRING)
    WHEN points > points_line THEN 'OVER'
    WHEN points < points_line THEN 'UNDER'
    ELSE 'PUSH'
  END AS over_under_result,
  IF(is_dnp, NULL, points - points_line) AS margin,
  quality AS quality_score,
  CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver'
       WHEN quality >= 50 THEN 'bronze' WHEN quality >= 25 THEN 'poor'
       ELSE 'unusable' END AS quality_tier,
  quality >= 50 AS is_production_ready
FROM derived
