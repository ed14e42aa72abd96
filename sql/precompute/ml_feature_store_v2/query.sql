-- table:    nba_predictions.ml_feature_store_v2 (MLFS, SPEC §3)
-- grain:    one row per upcoming_player_game_context row (player x game_date).
-- inputs:   same date: nba_analytics.upcoming_player_game_context (UPGC),
--           nba_analytics.upcoming_team_game_context (UTGC, the opponent's rest),
--           nba_precompute.player_daily_cache (PDC), player_composite_factors (PCF),
--           player_shot_zone_analysis (PSZA), team_defense_zone_analysis (TDZA, the
--           opponent), nba_analytics.stg_gamebook (the player's status and DNP reason
--           on the date: injury risk; pre-game information, unlike the game's box score);
--           earlier dates: player_game_summary and team_offense_game_summary, this season.
-- lookback: the season so far (nba_reference.season_calendar), never the previous season.
-- shared:   the UPGC rows with their season (calendar) from shared/upgc_days.sql; the games
--           played this season before the date, ranked, from shared/season_games.sql.
-- Bootstrap (days 0-13 after the opener): placeholder rows: early_season_flag TRUE,
--           no features (features and feature_sources are empty arrays, feature_count 0:
--           BigQuery stores a NULL array as an empty one, so both engines write empty),
--           feature_quality_score 0, tier critical, data_source 'early_season', not
--           production ready.
-- features: ARRAY<FLOAT64> of 25, in the order of feature_names (feature_version
--   'v1_25features'); feature_sources[i] says where feature i came from:
--   phase4 (a Phase 4 table), phase3 (a Phase 3 table), calculated (derived here from
--   Phase 3 history: features 9-12, 21, 24), default (the SPEC §3 default).
--   0-3  PDC points_avg_last_5/_10/_season, points_std_last_10; without a PDC value the
--        same from the player's games played this season (phase3; std needs 2 games);
--        else 10, 10, 10, 5.
--   4    UPGC games_in_last_7_days, else 3.
--   5-8  PCF fatigue, mismatch, pace, usage spike, else 50, 0, 0, 0.
--   9    clamp(days_rest − the opponent's UTGC days_rest, ±2); 0 when either is NULL.
--   10   3 when the gamebook status is inactive, or dnp with an injury reason (the
--        keywords player_game_summary uses for dnp_reason_category 'injury'); 0 otherwise;
--        0 (default) without a usable gamebook row.
--   11   newest 2 games' mean − the next 3 games' mean: ≥ 5 → 2, ≥ 2 → 1, ≤ −5 → −2,
--        ≤ −2 → −1, else 0; needs 5 games played (else 0, default).
--   12   (last-10 mean minutes − season mean)/season mean: ≥ .2 → 2, ≥ .1 → 1, ≤ −.2 → −2,
--        ≤ −.1 → −1, else 0; needs a game with minutes (else 0, default).
--   13,14 opponent TDZA defensive_rating_last_15, opponent_pace_last_15, else 112, 100.
--   15-17 UPGC home_game, back_to_back, season_phase = 'playoffs' as 1/0 (NULL: 0 default).
--   18-20 PSZA paint/mid_range/three_pt_rate_last_10. Default "NULL" is stored as NaN:
--        BigQuery cannot store an array with NULL elements; read NaN as missing.
--   21   ΣFTM/ΣPTS over the last 10 games, capped at .5; needs 5 games and points; else .15.
--   22,23 PDC team_pace_last_10, team_off_rating_last_10, else 100, 112.
--   24   the team's TOGS win share this season before the date; needs 5 games; else .5.
-- quality: weight per source phase4 100, phase3 87, calculated 100, default 40;
--   feature_quality_score = mean weight; quality_tier gold ≥ 95, silver ≥ 85, bronze ≥ 70,
--   poor ≥ 50, else critical. data_source: the share of the 15 features Phase 4 can supply
--   (0-3, 5-8, 13, 14, 18-20, 22, 23) that it did: ≥ 90% phase4, ≥ 50% phase4_partial, else
--   mixed, or phase3 when none (counting all 25 features, 90% could never be reached).
--   early_season_flag: days 0-21 (bootstrap and the minimum-games ramp).
--   is_production_ready: not a placeholder and tier gold, silver or bronze.
WITH players AS (
  SELECT
    u.player_lookup,
    u.game_date,
    u.game_id,
    u.team_abbr,
    u.opponent_team_abbr,
    u.home_game,
    u.back_to_back,
    u.days_rest,
    u.games_in_last_7_days,
    u.season_phase,
    u.calendar_season_year AS season_year,
    u.opener,
    u.day_index
  FROM shared.upgc_days AS u
),
ranked AS (
  SELECT g.target_date AS feature_date, g.*
  FROM shared.season_games AS g
),
history AS (
  SELECT
    feature_date AS game_date,
    player_lookup,
    COUNT(*) AS games,
    AVG(IF(game_rank <= 5, points, NULL)) AS points_avg_last_5,
    AVG(IF(game_rank <= 10, points, NULL)) AS points_avg_last_10,
    AVG(points) AS points_avg_season,
    IF(COUNTIF(game_rank <= 10) >= 2, STDDEV_SAMP(IF(game_rank <= 10, points, NULL)), NULL)
      AS points_std_last_10,
    AVG(IF(game_rank <= 2, points, NULL)) AS points_newest_2,
    AVG(IF(game_rank BETWEEN 3 AND 5, points, NULL)) AS points_next_3,
    AVG(IF(game_rank <= 10, minutes_played, NULL)) AS minutes_last_10,
    AVG(minutes_played) AS minutes_season,
    COUNTIF(game_rank <= 10) AS games_10,
    SUM(IF(game_rank <= 10, free_throws_made, NULL)) AS ftm_10,
    SUM(IF(game_rank <= 10, points, NULL)) AS points_10
  FROM ranked
  GROUP BY feature_date, player_lookup
),
team_record AS (
  SELECT
    p.game_date,
    p.player_lookup,
    COUNT(*) AS team_games,
    SUM(CAST(t.win_flag AS INT64)) AS team_wins
  FROM players AS p
  JOIN nba_analytics.team_offense_game_summary AS t
    ON t.team_abbr = p.team_abbr
    AND t.game_date >= p.opener
    AND t.game_date < p.game_date
  WHERE t.game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND @end_date
  GROUP BY p.game_date, p.player_lookup
),
status AS (
  SELECT
    game_date,
    player_lookup,
    ANY_VALUE(player_status) AS player_status,
    LOGICAL_OR(REGEXP_CONTAINS(LOWER(COALESCE(dnp_reason, '')),
      r'injur|illness|sprain|strain|sore|surgery|fracture|contusion|concussion|protocol'))
      AS injury_reason
  FROM nba_analytics.stg_gamebook
  WHERE game_date BETWEEN @start_date AND @end_date
    AND row_problem IS NULL
  GROUP BY game_date, player_lookup
),
pdc AS (
  SELECT * FROM nba_precompute.player_daily_cache
  WHERE cache_date BETWEEN @start_date AND @end_date
),
pcf AS (
  SELECT * FROM nba_precompute.player_composite_factors
  WHERE game_date BETWEEN @start_date AND @end_date
),
psza AS (
  SELECT * FROM nba_precompute.player_shot_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
tdza AS (
  SELECT * FROM nba_precompute.team_defense_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
utgc AS (
  SELECT game_date, team_abbr, ANY_VALUE(days_rest) AS days_rest
  FROM nba_analytics.upcoming_team_game_context
  WHERE game_date BETWEEN @start_date AND @end_date
  GROUP BY game_date, team_abbr
),
inputs AS (
  SELECT
    p.*,
    h.games,
    h.points_avg_last_5 AS h_avg_5,
    h.points_avg_last_10 AS h_avg_10,
    h.points_avg_season AS h_avg_season,
    h.points_std_last_10 AS h_std_10,
    h.points_newest_2 - h.points_next_3 AS trend,
    SAFE_DIVIDE(h.minutes_last_10 - h.minutes_season, h.minutes_season) AS minutes_ratio,
    IF(h.games_10 >= 5, SAFE_DIVIDE(h.ftm_10, h.points_10), NULL) AS ft_share,
    IF(r.team_games >= 5, r.team_wins / r.team_games, NULL) AS team_win_share,
    o.days_rest AS opponent_days_rest,
    s.player_status,
    s.injury_reason,
    d.points_avg_last_5 AS d_avg_5,
    d.points_avg_last_10 AS d_avg_10,
    d.points_avg_season AS d_avg_season,
    d.points_std_last_10 AS d_std_10,
    d.team_pace_last_10,
    d.team_off_rating_last_10,
    f.fatigue_score,
    f.shot_zone_mismatch_score,
    f.pace_score,
    f.usage_spike_score,
    z.paint_rate_last_10,
    z.mid_range_rate_last_10,
    z.three_pt_rate_last_10,
    t.defensive_rating_last_15,
    t.opponent_pace_last_15
  FROM players AS p
  LEFT JOIN history AS h ON h.game_date = p.game_date AND h.player_lookup = p.player_lookup
  LEFT JOIN team_record AS r ON r.game_date = p.game_date AND r.player_lookup = p.player_lookup
  LEFT JOIN utgc AS o ON o.game_date = p.game_date AND o.team_abbr = p.opponent_team_abbr
  LEFT JOIN status AS s ON s.game_date = p.game_date AND s.player_lookup = p.player_lookup
  LEFT JOIN pdc AS d ON d.cache_date = p.game_date AND d.player_lookup = p.player_lookup
  LEFT JOIN pcf AS f ON f.game_date = p.game_date AND f.player_lookup = p.player_lookup
  LEFT JOIN psza AS z ON z.analysis_date = p.game_date AND z.player_lookup = p.player_lookup
  LEFT JOIN tdza AS t ON t.analysis_date = p.game_date AND t.team_abbr = p.opponent_team_abbr
),
vectors AS (
  SELECT
    player_lookup,
    game_date,
    game_id,
    season_year,
    team_abbr,
    opponent_team_abbr,
    day_index,
    [
      CAST(COALESCE(d_avg_5, h_avg_5, 10) AS FLOAT64),
      CAST(COALESCE(d_avg_10, h_avg_10, 10) AS FLOAT64),
      CAST(COALESCE(d_avg_season, h_avg_season, 10) AS FLOAT64),
      CAST(COALESCE(d_std_10, h_std_10, 5) AS FLOAT64),
      CAST(COALESCE(games_in_last_7_days, 3) AS FLOAT64),
      CAST(COALESCE(fatigue_score, 50) AS FLOAT64),
      CAST(COALESCE(shot_zone_mismatch_score, 0) AS FLOAT64),
      CAST(COALESCE(pace_score, 0) AS FLOAT64),
      CAST(COALESCE(usage_spike_score, 0) AS FLOAT64),
      CAST(COALESCE(GREATEST(-2, LEAST(2, days_rest - opponent_days_rest)), 0) AS FLOAT64),
      CAST(CASE
        WHEN player_status = 'inactive' THEN 3
        WHEN player_status = 'dnp' AND injury_reason THEN 3
        ELSE 0 END AS FLOAT64),
      CAST(CASE
        WHEN games < 5 OR trend IS NULL THEN 0
        WHEN trend >= 5 THEN 2
        WHEN trend >= 2 THEN 1
        WHEN trend <= -5 THEN -2
        WHEN trend <= -2 THEN -1
        ELSE 0 END AS FLOAT64),
      CAST(CASE
        WHEN minutes_ratio IS NULL THEN 0
        WHEN minutes_ratio >= 0.2 THEN 2
        WHEN minutes_ratio >= 0.1 THEN 1
        WHEN minutes_ratio <= -0.2 THEN -2
        WHEN minutes_ratio <= -0.1 THEN -1
        ELSE 0 END AS FLOAT64),
      CAST(COALESCE(defensive_rating_last_15, 112) AS FLOAT64),
      CAST(COALESCE(opponent_pace_last_15, 100) AS FLOAT64),
      CAST(COALESCE(IF(home_game, 1, 0), 0) AS FLOAT64),
      CAST(COALESCE(IF(back_to_back, 1, 0), 0) AS FLOAT64),
      CAST(COALESCE(IF(season_phase = 'playoffs', 1, 0), 0) AS FLOAT64),
      COALESCE(CAST(paint_rate_last_10 AS FLOAT64), CAST('NaN' AS FLOAT64)),
      COALESCE(CAST(mid_range_rate_last_10 AS FLOAT64), CAST('NaN' AS FLOAT64)),
      COALESCE(CAST(three_pt_rate_last_10 AS FLOAT64), CAST('NaN' AS FLOAT64)),
      CAST(COALESCE(LEAST(ft_share, 0.5), 0.15) AS FLOAT64),
      CAST(COALESCE(team_pace_last_10, 100) AS FLOAT64),
      CAST(COALESCE(team_off_rating_last_10, 112) AS FLOAT64),
      CAST(COALESCE(team_win_share, 0.5) AS FLOAT64)
    ] AS features,
    [
      CASE WHEN d_avg_5 IS NOT NULL THEN 'phase4' WHEN h_avg_5 IS NOT NULL THEN 'phase3' ELSE 'default' END,
      CASE WHEN d_avg_10 IS NOT NULL THEN 'phase4' WHEN h_avg_10 IS NOT NULL THEN 'phase3' ELSE 'default' END,
      CASE WHEN d_avg_season IS NOT NULL THEN 'phase4' WHEN h_avg_season IS NOT NULL THEN 'phase3' ELSE 'default' END,
      CASE WHEN d_std_10 IS NOT NULL THEN 'phase4' WHEN h_std_10 IS NOT NULL THEN 'phase3' ELSE 'default' END,
      IF(games_in_last_7_days IS NOT NULL, 'phase3', 'default'),
      IF(fatigue_score IS NOT NULL, 'phase4', 'default'),
      IF(shot_zone_mismatch_score IS NOT NULL, 'phase4', 'default'),
      IF(pace_score IS NOT NULL, 'phase4', 'default'),
      IF(usage_spike_score IS NOT NULL, 'phase4', 'default'),
      IF(days_rest IS NOT NULL AND opponent_days_rest IS NOT NULL, 'calculated', 'default'),
      IF(player_status IS NOT NULL, 'calculated', 'default'),
      IF(games >= 5 AND trend IS NOT NULL, 'calculated', 'default'),
      IF(minutes_ratio IS NOT NULL, 'calculated', 'default'),
      IF(defensive_rating_last_15 IS NOT NULL, 'phase4', 'default'),
      IF(opponent_pace_last_15 IS NOT NULL, 'phase4', 'default'),
      IF(home_game IS NOT NULL, 'phase3', 'default'),
      IF(back_to_back IS NOT NULL, 'phase3', 'default'),
      IF(season_phase IS NOT NULL, 'phase3', 'default'),
      IF(paint_rate_last_10 IS NOT NULL, 'phase4', 'default'),
      IF(mid_range_rate_last_10 IS NOT NULL, 'phase4', 'default'),
      IF(three_pt_rate_last_10 IS NOT NULL, 'phase4', 'default'),
      IF(ft_share IS NOT NULL, 'calculated', 'default'),
      IF(team_pace_last_10 IS NOT NULL, 'phase4', 'default'),
      IF(team_off_rating_last_10 IS NOT NULL, 'phase4', 'default'),
      IF(team_win_share IS NOT NULL, 'calculated', 'default')
    ] AS feature_sources
  FROM inputs
),
quality AS (
  SELECT
    *,
    (SELECT AVG(CASE s WHEN 'phase4' THEN 100 WHEN 'phase3' THEN 87 WHEN 'calculated' THEN 100
                ELSE 40 END) FROM UNNEST(feature_sources) AS s) AS quality_score,
    (SELECT COUNTIF(s = 'phase4') FROM UNNEST(feature_sources) AS s) AS phase4_count,
    (SELECT COUNTIF(s = 'default') FROM UNNEST(feature_sources) AS s) AS default_count
  FROM vectors
),
graded AS (
  SELECT
    *,
    day_index < 14 AS is_placeholder,
    CASE
      WHEN quality_score >= 95 THEN 'gold'
      WHEN quality_score >= 85 THEN 'silver'
      WHEN quality_score >= 70 THEN 'bronze'
      WHEN quality_score >= 50 THEN 'poor'
      ELSE 'critical'
    END AS tier,
    CASE
      WHEN phase4_count >= 0.9 * 15 THEN 'phase4'
      WHEN phase4_count >= 0.5 * 15 THEN 'phase4_partial'
      WHEN phase4_count > 0 THEN 'mixed'
      ELSE 'phase3'
    END AS source_mix
  FROM quality
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  * REPLACE (
    IF(is_placeholder, CAST([] AS ARRAY<FLOAT64>), features) AS features,
    IF(is_placeholder, CAST([] AS ARRAY<STRING>), feature_sources) AS feature_sources
  ),
  day_index AS days_since_opener,
  [
    'points_avg_last_5', 'points_avg_last_10', 'points_avg_season', 'points_std_last_10',
    'games_in_last_7_days', 'fatigue_score', 'shot_zone_mismatch_score', 'pace_score',
    'usage_spike_score', 'rest_advantage', 'injury_risk', 'recent_trend', 'minutes_change',
    'opponent_def_rating', 'opponent_pace', 'home_away', 'back_to_back', 'playoff_game',
    'pct_paint', 'pct_mid_range', 'pct_three', 'pct_free_throw', 'team_pace',
    'team_off_rating', 'team_win_pct'
  ] AS feature_names,
  'v1_25features' AS feature_version,
  IF(is_placeholder, 0, 25) AS feature_count,
  IF(is_placeholder, 0, phase4_count) AS phase4_feature_count,
  IF(is_placeholder, 0, default_count) AS default_feature_count,
  IF(is_placeholder, 0, quality_score) AS feature_quality_score,
  IF(is_placeholder, 'critical', tier) AS quality_tier,
  IF(is_placeholder, 'early_season', source_mix) AS data_source,
  day_index <= 21 AS early_season_flag,
  NOT is_placeholder AND tier IN ('gold', 'silver', 'bronze') AS is_production_ready,
  CURRENT_TIMESTAMP() AS processed_at
FROM graded
