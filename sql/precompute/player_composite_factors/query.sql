-- table:    nba_precompute.player_composite_factors (PCF, SPEC §3)
-- grain:    one row per player x game_date: every upcoming_player_game_context row
--           outside bootstrap (days 0-13 after the opener write no rows).
-- inputs:   same date: nba_analytics.upcoming_player_game_context (UPGC),
--           nba_precompute.player_shot_zone_analysis (PSZA, the player),
--           nba_precompute.team_defense_zone_analysis (TDZA, the opponent);
--           earlier dates: nba_analytics.player_game_summary (season usage).
-- shared:   the UPGC rows with their season (calendar) from shared/upgc_days.sql; the
--           games played this season before the date (season usage) from
--           shared/season_games.sql.
-- lookback: season usage = mean usage_rate of the player's games played (is_active,
--           minutes > 0, usage_rate not NULL) this season before the date.
-- Formulas (SPEC §3) and the choices the spec leaves open:
--   * fatigue_score: 100; back-to-back -15, else days_rest ≥ 3 +5; games_in_last_7_days
--     ≥ 4 -10; minutes_in_last_7_days > 240 -10; avg_minutes_per_game_last_7 > 35 -8;
--     back_to_backs_last_14_days ≥ 2 -12, = 1 -5; clamp 0-100. NULL inputs take defaults
--     (days_rest 1, games 3, minutes 200, mpg 30, b2b 0). Back-to-back is read as
--     days_rest = 1 (SPEC §0), so the days_rest default also decides it.
--   * shot_zone_mismatch_score: zone = PSZA primary_scoring_zone (balanced/NULL → paint),
--     rate = that zone's last-10 rate (default .5; perimeter = three), d = the opponent's
--     <zone>_defense_vs_league_avg (default 0); d·min(rate/0.5, 1), ×1.2 when |score| > 5,
--     clamp ±10; 0 when the PSZA or the TDZA row is missing.
--   * pace_score = clamp(pace_differential / 2, ±3); 0 when pace_differential is NULL.
--   * usage_spike_score = clamp((season usage − avg_usage_rate_last_7_games)·30, ±3);
--     0 when either is NULL (usage as fractions).
--   * total_composite_adjustment = (fatigue_score − 100)/20 + mismatch + pace + usage.
--   * data_completeness_pct = share of {UPGC row, PSZA row, TDZA row, pace_differential}
--     present, ·100 (the UPGC row is always there: it defines the rows).
WITH upgc AS (
  SELECT
    u.player_lookup,
    u.game_date,
    u.game_id,
    u.team_abbr,
    u.opponent_team_abbr,
    u.days_rest,
    u.games_in_last_7_days,
    u.minutes_in_last_7_days,
    u.avg_minutes_per_game_last_7,
    u.back_to_backs_last_14_days,
    u.pace_differential,
    u.avg_usage_rate_last_7_games,
    u.calendar_season_year AS season_year,
    u.opener
  FROM shared.upgc_days AS u
  WHERE u.day_index >= 14
),
psza AS (
  SELECT *
  FROM nba_precompute.player_shot_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
tdza AS (
  SELECT *
  FROM nba_precompute.team_defense_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
season_usage AS (
  SELECT player_lookup, target_date AS game_date, AVG(usage_rate) AS season_usage_rate
  FROM shared.season_games AS g
  WHERE day_index >= 14
  GROUP BY player_lookup, target_date
),
inputs AS (
  SELECT
    u.player_lookup,
    u.game_date,
    u.game_id,
    u.season_year,
    u.team_abbr,
    u.opponent_team_abbr,
    COALESCE(u.days_rest, 1) AS days_rest,
    COALESCE(u.games_in_last_7_days, 3) AS games_7,
    COALESCE(u.minutes_in_last_7_days, 200) AS minutes_7,
    COALESCE(u.avg_minutes_per_game_last_7, 30) AS mpg_7,
    COALESCE(u.back_to_backs_last_14_days, 0) AS b2b_14,
    u.pace_differential,
    u.avg_usage_rate_last_7_games,
    s.season_usage_rate,
    p.player_lookup IS NOT NULL AS has_psza,
    t.team_abbr IS NOT NULL AS has_tdza,
    CASE
      WHEN p.primary_scoring_zone IN ('mid_range', 'perimeter') THEN p.primary_scoring_zone
      ELSE 'paint'
    END AS mismatch_zone,
    p.primary_scoring_zone,
    p.paint_rate_last_10,
    p.mid_range_rate_last_10,
    p.three_pt_rate_last_10,
    t.paint_defense_vs_league_avg,
    t.mid_range_defense_vs_league_avg,
    t.three_pt_defense_vs_league_avg
  FROM upgc AS u
  LEFT JOIN psza AS p
    ON p.player_lookup = u.player_lookup AND p.analysis_date = u.game_date
  LEFT JOIN tdza AS t
    ON t.team_abbr = u.opponent_team_abbr AND t.analysis_date = u.game_date
  LEFT JOIN season_usage AS s
    ON s.player_lookup = u.player_lookup AND s.game_date = u.game_date
),
zone_inputs AS (
  SELECT
    *,
    COALESCE(CASE mismatch_zone
      WHEN 'paint' THEN paint_rate_last_10
      WHEN 'mid_range' THEN mid_range_rate_last_10
      ELSE three_pt_rate_last_10 END, 0.5) AS zone_rate,
    COALESCE(CASE mismatch_zone
      WHEN 'paint' THEN paint_defense_vs_league_avg
      WHEN 'mid_range' THEN mid_range_defense_vs_league_avg
      ELSE three_pt_defense_vs_league_avg END, 0) AS zone_defense_vs_league
  FROM inputs
),
raw_scores AS (
  SELECT
    *,
    100
      + CASE WHEN days_rest = 1 THEN -15 WHEN days_rest >= 3 THEN 5 ELSE 0 END
      + IF(games_7 >= 4, -10, 0)
      + IF(minutes_7 > 240, -10, 0)
      + IF(mpg_7 > 35, -8, 0)
      + CASE WHEN b2b_14 >= 2 THEN -12 WHEN b2b_14 = 1 THEN -5 ELSE 0 END AS fatigue_raw,
    zone_defense_vs_league * LEAST(zone_rate / 0.5, 1) AS mismatch_raw
  FROM zone_inputs
),
scores AS (
  SELECT
    *,
    GREATEST(0, LEAST(100, fatigue_raw)) AS fatigue_score,
    IF(has_psza AND has_tdza,
      GREATEST(-10, LEAST(10, IF(ABS(mismatch_raw) > 5, mismatch_raw * 1.2, mismatch_raw))),
      0) AS mismatch_score,
    COALESCE(GREATEST(-3, LEAST(3, pace_differential / 2)), 0) AS pace_score,
    COALESCE(GREATEST(-3, LEAST(3, (season_usage_rate - avg_usage_rate_last_7_games) * 30)), 0)
      AS usage_spike_score
  FROM raw_scores
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  mismatch_score AS shot_zone_mismatch_score,
  (fatigue_score - 100) / 20 + mismatch_score + pace_score + usage_spike_score
    AS total_composite_adjustment,
  zone_rate AS mismatch_zone_rate,
  zone_defense_vs_league AS opponent_zone_defense_vs_league_avg,
  has_psza AS has_shot_zone_analysis,
  has_tdza AS has_opponent_defense_analysis,
  25 * (1 + IF(has_psza, 1, 0) + IF(has_tdza, 1, 0) + IF(pace_differential IS NOT NULL, 1, 0))
    AS data_completeness_pct,
  CURRENT_TIMESTAMP() AS processed_at
FROM scores
