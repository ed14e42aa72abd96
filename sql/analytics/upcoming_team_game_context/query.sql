-- table:    nba_analytics.upcoming_team_game_context (UTGC), partitioned by game_date
-- grain:    one row per team x FINAL game on the date (2 per game).
-- inputs:   same date: stg_schedule, stg_game_lines; history: the season's final games
--           in stg_schedule strictly before the date, and team_offense_game_summary rows
--           (completeness only).
-- lookback: season-to-date, bounded per target date D (never D itself, never another
--           season: season_year from nba_reference.season_calendar); the read is pruned to
--           366 days before @start_date. Dagster's mapping declares 30 partitions (SPEC
--           §4); game_number_in_season and long streaks read older rows as they are when
--           this partition is built. Every window is per (team, D): range = date-by-date.
-- Choices the spec leaves open:
--   * History = the team's FINAL games of the season in the schedule (playoffs and
--     play-in included), results from the schedule's final scores.
--   * days_rest = days since the team's previous game (NULL before its first);
--     back_to_back FALSE then. games_in_last_N_days: games in (D - N, D).
--   * game_number_in_season = previous final games of the season + 1.
--   * win/loss_streak_entering: consecutive wins / losses ending with the previous game
--     (0 when the previous game went the other way or there is none); a game without a
--     score ends a streak. last_game_margin = team points - opponent points of the
--     previous game; last_game_result 'W' / 'L'.
--   * game_spread (team's point of view, negative = favoured) / game_total: median across
--     bookmakers of each bookmaker's latest pre-tip snapshot (stg_game_lines).
--   * Completeness (SPEC §5.3) over the team's last 10 final games of the season: expected
--     = those games, actual = those with a TOGS row for the team. primary_source
--     'schedule'; quality_score = completeness_pct rounded, held below 50 under 70%, so
--     quality_tier and is_production_ready (completeness >= 70%) agree.
WITH sides AS (
  SELECT game_id, game_date, season_year, home_team_abbr AS team_abbr,
         away_team_abbr AS opponent_team_abbr, TRUE AS home_game,
         home_team_score - away_team_score AS margin
  FROM nba_analytics.stg_schedule
  WHERE is_final
    AND game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND @end_date
  UNION ALL
  SELECT game_id, game_date, season_year, away_team_abbr, home_team_abbr, FALSE,
         away_team_score - home_team_score
  FROM nba_analytics.stg_schedule
  WHERE is_final
    AND game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND @end_date
),
targets AS (
  SELECT *
  FROM sides
  WHERE game_date BETWEEN @start_date AND @end_date
),
togs AS (
  SELECT game_id, team_abbr
  FROM nba_analytics.team_offense_game_summary
  WHERE game_date >= DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND game_date < @end_date
),
history AS (
  SELECT
    t.team_abbr, t.game_id,
    h.game_date, h.margin, tg.game_id IS NOT NULL AS has_togs,
    DATE_DIFF(t.game_date, h.game_date, DAY) AS days_ago,
    ROW_NUMBER() OVER (PARTITION BY t.team_abbr, t.game_id ORDER BY h.game_date DESC) AS recency
  FROM targets AS t
  JOIN sides AS h
    ON h.team_abbr = t.team_abbr
   AND h.season_year = t.season_year
   AND h.game_date < t.game_date
  LEFT JOIN togs AS tg
    ON tg.game_id = h.game_id AND tg.team_abbr = h.team_abbr
),
windows AS (
  SELECT
    team_abbr, game_id,
    MIN(days_ago) AS days_rest,
    COUNTIF(days_ago < 7) AS games_in_last_7_days,
    COUNTIF(days_ago < 14) AS games_in_last_14_days,
    COUNT(*) AS previous_games,
    MAX(IF(recency = 1, margin, NULL)) AS last_game_margin,
    COALESCE(MIN(IF(COALESCE(margin, 0) <= 0, recency, NULL)) - 1, COUNT(*)) AS win_streak,
    COALESCE(MIN(IF(COALESCE(margin, 0) >= 0, recency, NULL)) - 1, COUNT(*)) AS loss_streak,
    COUNTIF(recency <= 10) AS expected,
    COUNTIF(recency <= 10 AND has_togs) AS actual,
    STRING_AGG(IF(recency <= 10 AND NOT has_togs,
                  CONCAT('"', CAST(game_date AS STRING), '"'), NULL), ','
               ORDER BY game_date) AS missing_dates
  FROM history
  GROUP BY team_abbr, game_id
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
    COALESCE(w.previous_games, 0) + 1 AS game_number_in_season,
    COALESCE(w.win_streak, 0) AS win_streak_entering,
    COALESCE(w.loss_streak, 0) AS loss_streak_entering,
    w.last_game_margin,
    gl.game_spread, gl.game_total,
    COALESCE(w.expected, 0) AS expected,
    COALESCE(w.actual, 0) AS actual,
    IF(COALESCE(w.expected, 0) = 0, 100.0, 100.0 * w.actual / w.expected) AS pct,
    w.missing_dates
  FROM targets AS t
  LEFT JOIN windows AS w
    ON w.team_abbr = t.team_abbr AND w.game_id = t.game_id
  LEFT JOIN game_lines AS gl
    ON gl.game_id = t.game_id AND gl.team_abbr = t.team_abbr
),
scored AS (
  SELECT *, CAST(IF(pct >= 70, ROUND(pct), LEAST(ROUND(pct), 49)) AS INT64) AS quality
  FROM assembled
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  COALESCE(days_rest = 1, FALSE) AS back_to_back,
  CASE WHEN last_game_margin > 0 THEN 'W' WHEN last_game_margin < 0 THEN 'L'
       ELSE CAST(NULL AS STRING) END AS last_game_result,
  expected AS expected_games_count,
  actual AS actual_games_count,
  pct AS completeness_pct,
  IF(missing_dates IS NULL, CAST(NULL AS STRING), CONCAT('[', missing_dates, ']')) AS missing_game_dates,
  quality AS quality_score,
  CASE WHEN quality >= 95 THEN 'gold' WHEN quality >= 75 THEN 'silver'
       WHEN quality >= 50 THEN 'bronze' WHEN quality >= 25 THEN 'poor'
       ELSE 'unusable' END AS quality_tier,
  'schedule' AS primary_source,
  pct >= 70 AS is_production_ready
FROM scored
