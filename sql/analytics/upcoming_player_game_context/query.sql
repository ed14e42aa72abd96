-- table:    nba_analytics.upcoming_player_game_context (UPGC), partitioned by game_date
-- grain:    one row per player x FINAL game on the date: every usable gamebook row
--           (active, DNP or inactive) of the date's final games (historical backfill).
-- inputs:   same date: stg_gamebook, stg_schedule, stg_prop_lines (cascade, SPEC §2.5),
--           stg_game_lines; history: player_game_summary and team_offense_game_summary rows
--           of the same season strictly before the date, and the season's schedule.
-- shared:   each team's final games (completeness) from shared/final_team_games.sql.
-- lookback: season-to-date, bounded per target date D (never D itself, never another
--           season: joined on season_year from nba_reference.season_calendar). The read is
--           also pruned to 366 days before @start_date (a season is shorter). Dagster's
--           mapping declares 30 partitions (SPEC §4); windows reaching further back (days_rest
--           after a long absence, a returning player's last 10 games) read those older
--           rows as they are when this partition is built.
--           Every window is computed per (player, D), so a range build equals date-by-date.
-- Choices the spec leaves open:
--   * "Played" = a PGS row with is_dnp false (minutes > 0). games_in_last_N_days and
--     minutes_in_last_7_days count played games in the open interval (D - N, D), i.e.
--     1..N-1 days before D; avg_minutes_per_game_last_7 = minutes / games over that window
--     (NULL with no games). back_to_backs_last_14_days = played games in (D - 14, D) that
--     came the day after the player's previous played game. back_to_back is FALSE (not
--     NULL) before his first game.
--   * avg_usage_rate_last_7_games / points_avg_last_5 / _10: the last 7 / 5 / 10 played
--     games of the season (NULL values skipped).
--   * Prop streaks: previous played games newest first, only games with OVER/UNDER (pushes
--     and games without a line are skipped); the streak counts games until the first
--     result of the other side.
--   * opponent_def_rating_last_10 = the average, over the opponent's last 10 TOGS games, of
--     the points per 100 possessions it allowed (its opponents' TOGS offensive_rating,
--     i.e. TDGS defensive_rating); pace_differential = team L10 pace - opponent L10 pace.
--   * game_spread / game_total from stg_game_lines: median across bookmakers of each
--     bookmaker's latest pre-tip snapshot; spread from the player's team's point of view
--     (negative = his team is favoured).
--   * season_phase: playoffs for playoff and play-in games, else by month: early Oct-Nov,
--     mid Dec-Feb, late Mar and later.
--   * Completeness (SPEC §5.3) over the team's last 10 final games of the season before D
--     (schedule): a game counts as expected when the player has a played PGS row for it,
--     or when PGS has no row of his team for it at all (a gap upstream). A DNP row, or a
--     game his team has rows for without him (not on the roster, e.g. before a trade), is
--     not expected. completeness_pct = 100 x actual / expected (100 when none expected).
--   * Quality: primary_source 'gamebook'; quality_score = completeness_pct rounded, held
--     below 50 when completeness < 70%, so that quality_tier (SPEC §0) and
--     is_production_ready (completeness >= 70%, SPEC §5.3) always agree.
WITH targets AS (
  SELECT
    gb.player_lookup, gb.player_name, gb.game_id, gb.game_date, gb.team_abbr,
    s.season_year, s.is_playoffs, s.is_play_in,
    CASE gb.team_abbr WHEN s.home_team_abbr THEN s.away_team_abbr
                      WHEN s.away_team_abbr THEN s.home_team_abbr END AS opponent_team_abbr,
    CASE gb.team_abbr WHEN s.home_team_abbr THEN TRUE
                      WHEN s.away_team_abbr THEN FALSE END AS home_game
  FROM nba_analytics.stg_gamebook AS gb
  JOIN nba_analytics.stg_schedule AS s
    ON s.game_id = gb.game_id AND s.game_date = gb.game_date
  WHERE gb.game_date BETWEEN @start_date AND @end_date
    AND s.game_date BETWEEN @start_date AND @end_date
    AND gb.row_problem IS NULL
    AND s.is_final
),
pgs AS (
  SELECT game_id, game_date, season_year, player_lookup, team_abbr, is_dnp, minutes_played,
         points, usage_rate, over_under_result
  FROM nba_analytics.player_game_summary
  WHERE game_date >= DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND game_date < @end_date
),
played AS (
  SELECT
    *,
    LAG(game_date) OVER (
      PARTITION BY player_lookup, season_year ORDER BY game_date) AS previous_played_date
  FROM pgs
  WHERE NOT is_dnp
),
history AS (
  SELECT
    t.player_lookup, t.game_id,
    h.game_date, h.minutes_played, h.points, h.usage_rate, h.over_under_result,
    DATE_DIFF(t.game_date, h.game_date, DAY) AS days_ago,
    COALESCE(DATE_DIFF(h.game_date, h.previous_played_date, DAY) = 1, FALSE) AS after_previous_day,
    ROW_NUMBER() OVER (
      PARTITION BY t.player_lookup, t.game_id ORDER BY h.game_date DESC) AS recency
  FROM targets AS t
  JOIN played AS h
    ON h.player_lookup = t.player_lookup
   AND h.season_year = t.season_year
   AND h.game_date < t.game_date
),
player_windows AS (
  SELECT
    player_lookup, game_id,
    MIN(days_ago) AS days_rest,
    COUNTIF(days_ago < 7) AS games_in_last_7_days,
    COUNTIF(days_ago < 14) AS games_in_last_14_days,
    SUM(IF(days_ago < 7, minutes_played, 0)) AS minutes_in_last_7_days,
    COUNTIF(days_ago < 14 AND after_previous_day) AS back_to_backs_last_14_days,
    AVG(IF(recency <= 7, usage_rate, NULL)) AS avg_usage_rate_last_7_games,
    AVG(IF(recency <= 5, points, NULL)) AS points_avg_last_5,
    AVG(IF(recency <= 10, points, NULL)) AS points_avg_last_10
  FROM history
  GROUP BY player_lookup, game_id
),
streak_games AS (
  SELECT
    player_lookup, game_id, over_under_result,
    ROW_NUMBER() OVER (PARTITION BY player_lookup, game_id ORDER BY game_date DESC) AS position
  FROM history
  WHERE over_under_result IN ('OVER', 'UNDER')
),
streaks AS (
  SELECT
    player_lookup, game_id,
    COALESCE(MIN(IF(over_under_result = 'UNDER', position, NULL)) - 1, COUNT(*)) AS prop_over_streak,
    COALESCE(MIN(IF(over_under_result = 'OVER', position, NULL)) - 1, COUNT(*)) AS prop_under_streak
  FROM streak_games
  GROUP BY player_lookup, game_id
),
togs AS (
  SELECT game_id, game_date, season_year, team_abbr, pace, offensive_rating
  FROM nba_analytics.team_offense_game_summary
  WHERE game_date >= DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND game_date < @end_date
),
team_games AS (
  SELECT t.*, o.offensive_rating AS rating_allowed
  FROM togs AS t
  LEFT JOIN togs AS o
    ON o.game_id = t.game_id AND o.team_abbr != t.team_abbr
),
target_teams AS (
  SELECT DISTINCT game_date, season_year, team_abbr FROM targets
  UNION DISTINCT
  SELECT DISTINCT game_date, season_year, opponent_team_abbr FROM targets
),
team_recent AS (
  SELECT
    tt.team_abbr, tt.game_date, g.pace, g.rating_allowed,
    ROW_NUMBER() OVER (PARTITION BY tt.team_abbr, tt.game_date ORDER BY g.game_date DESC) AS recency
  FROM target_teams AS tt
  JOIN team_games AS g
    ON g.team_abbr = tt.team_abbr
   AND g.season_year = tt.season_year
   AND g.game_date < tt.game_date
),
team_last_10 AS (
  SELECT
    team_abbr, game_date,
    AVG(IF(recency <= 10, pace, NULL)) AS pace_last_10,
    AVG(IF(recency <= 10, rating_allowed, NULL)) AS def_rating_last_10
  FROM team_recent
  GROUP BY team_abbr, game_date
),
team_schedule AS (
  SELECT * FROM shared.final_team_games AS s
  WHERE game_date >= DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND game_date < @end_date
),
team_present AS (
  SELECT DISTINCT game_id, team_abbr
  FROM pgs
),
-- a team's last 10 final games before a date, once per team and date (not per player)
team_window AS (
  SELECT tt.team_abbr, tt.game_date AS target_date, ts.game_id, ts.game_date
  FROM target_teams AS tt
  JOIN team_schedule AS ts
    ON ts.team_abbr = tt.team_abbr
   AND ts.season_year = tt.season_year
   AND ts.game_date < tt.game_date
  QUALIFY ROW_NUMBER() OVER (PARTITION BY tt.team_abbr, tt.game_date ORDER BY ts.game_date DESC) <= 10
),
window_games AS (
  SELECT t.player_lookup, t.game_id AS target_game_id, t.team_abbr, w.game_id, w.game_date
  FROM targets AS t
  JOIN team_window AS w
    ON w.team_abbr = t.team_abbr AND w.target_date = t.game_date
),
completeness AS (
  SELECT
    w.player_lookup, w.target_game_id AS game_id,
    COUNTIF(p.is_dnp = FALSE) AS actual,
    COUNTIF(p.is_dnp = FALSE OR tp.game_id IS NULL) AS expected,
    STRING_AGG(IF(p.is_dnp IS NULL AND tp.game_id IS NULL,
                  CONCAT('"', CAST(w.game_date AS STRING), '"'), NULL), ','
               ORDER BY w.game_date) AS missing_dates
  FROM window_games AS w
  LEFT JOIN pgs AS p
    ON p.game_id = w.game_id AND p.player_lookup = w.player_lookup
  LEFT JOIN team_present AS tp
    ON tp.game_id = w.game_id AND tp.team_abbr = w.team_abbr
  GROUP BY w.player_lookup, w.target_game_id
),
props AS (
  SELECT *
  FROM nba_analytics.stg_prop_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
game_lines AS (
  SELECT *
  FROM nba_analytics.stg_game_lines
  WHERE game_date BETWEEN @start_date AND @end_date
),
assembled AS (
  SELECT
    t.*,
    w.days_rest,
    COALESCE(w.games_in_last_7_days, 0) AS games_in_last_7_days,
    COALESCE(w.games_in_last_14_days, 0) AS games_in_last_14_days,
    COALESCE(w.minutes_in_last_7_days, 0) AS minutes_in_last_7_days,
    COALESCE(w.back_to_backs_last_14_days, 0) AS back_to_backs_last_14_days,
    w.avg_usage_rate_last_7_games, w.points_avg_last_5, w.points_avg_last_10,
    pl.opening_points_line, pl.current_points_line, pl.points_line_source,
    COALESCE(st.prop_over_streak, 0) AS prop_over_streak,
    COALESCE(st.prop_under_streak, 0) AS prop_under_streak,
    own.pace_last_10 AS team_pace_last_10,
    opp.pace_last_10 AS opponent_pace_last_10,
    opp.def_rating_last_10 AS opponent_def_rating_last_10,
    gl.game_spread, gl.game_total,
    COALESCE(c.expected, 0) AS expected,
    COALESCE(c.actual, 0) AS actual,
    IF(COALESCE(c.expected, 0) = 0, 100.0, 100.0 * c.actual / c.expected) AS pct,
    c.missing_dates
  FROM targets AS t
  LEFT JOIN player_windows AS w
    ON w.player_lookup = t.player_lookup AND w.game_id = t.game_id
  LEFT JOIN streaks AS st
    ON st.player_lookup = t.player_lookup AND st.game_id = t.game_id
  LEFT JOIN props AS pl
    ON pl.game_date = t.game_date AND pl.player_lookup = t.player_lookup
  LEFT JOIN team_last_10 AS own
    ON own.team_abbr = t.team_abbr AND own.game_date = t.game_date
  LEFT JOIN team_last_10 AS opp
    ON opp.team_abbr = t.opponent_team_abbr AND opp.game_date = t.game_date
  LEFT JOIN game_lines AS gl
    ON gl.game_id = t.game_id AND gl.team_abbr = t.team_abbr
  LEFT JOIN completeness AS c
    ON c.player_lookup = t.player_lookup AND c.game_id = t.game_id
),
scored AS (
  SELECT *, CAST(IF(pct >= 70, ROUND(pct), LEAST(ROUND(pct), 49)) AS INT64) AS quality
  FROM assembled
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  COALESCE(days_rest = 1, FALSE) AS back_to_back,
  SAFE_DIVIDE(minutes_in_last_7_days, games_in_last_7_days) AS avg_minutes_per_game_last_7,
  current_points_line - opening_points_line AS line_movement,
  points_line_source AS prop_source,
  current_points_line IS NOT NULL AS has_prop_line,
  team_pace_last_10 - opponent_pace_last_10 AS pace_differential,
  CASE
    WHEN is_playoffs OR is_play_in THEN 'playoffs'
    WHEN EXTRACT(MONTH FROM game_date) IN (10, 11) THEN 'early'
    WHEN EXTRACT(MONTH FROM game_date) IN (12, 1, 2) THEN 'mid'
    ELSE 'late'
  END AS season_phase,
  expected AS expected_games_count,
  actual AS actual_games_count,
  pct AS completeness_pct,
  IF(missing_dates IS NULL, CAST(NULL AS STRING), CONCAT('[', missing_dates, ']')) AS missing_game_dates,
  quality AS quality_score,
  CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver'
       WHEN quality >= 50 THEN 'bronze' WHEN quality >= 25 THEN 'poor'
       ELSE 'unusable' END AS quality_tier,
  'gamebook' AS primary_source,
  pct >= 70 AS is_production_ready
FROM scored
