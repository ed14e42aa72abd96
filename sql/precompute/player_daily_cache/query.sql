-- table:    nba_precompute.player_daily_cache (PDC, SPEC §3)
-- grain:    one row per player x cache_date, for players with an
--           upcoming_player_game_context row on the date and ≥ 3 games played this
--           season before it (fewer: no row, INSUFFICIENT_DATA). Bootstrap days 0-13: none.
-- inputs:   same date: nba_analytics.upcoming_player_game_context (who, fatigue inputs),
--           nba_precompute.player_shot_zone_analysis (zone rates);
--           earlier dates: nba_analytics.player_game_summary (the season so far),
--           nba_analytics.team_offense_game_summary (team's last 10 games, ≤ 60 days back),
--           nba_analytics.stg_schedule (completeness: team_schedule from
--           shared/final_team_games.sql, bounded here to 366 days).
-- shared:   the UPGC rows with their season (calendar) from shared/upgc_days.sql; the games
--           played this season before the date, ranked, from shared/season_games.sql;
--           the PGS rows with their played flag (completeness) from shared/player_games.sql;
--           team_schedule (above).
-- lookback: the season so far (the date's season in nba_reference.season_calendar, never
--           the previous one). The read filter of 366 days only has to hold a season.
-- Choices the spec leaves open:
--   * Games played = is_active and minutes_played > 0 (as PSZA).
--   * points_std_last_10: sample standard deviation (n − 1), NULL under 2 games.
--   * usage_rate_last_10: mean of the games' usage_rate (NULLs skipped);
--     ts_pct_last_10: pooled, ΣPTS / (2·(ΣFGA + 0.44·ΣFTA)) over the last 10 games.
--   * team_pace_last_10, team_off_rating_last_10: means over the UPGC team's last 10 TOGS
--     games this season, at most 60 days back (the TOGS partition mapping).
--   * Fatigue columns are copied from UPGC, zone rates and primary_scoring_zone from PSZA
--     (NULL without a PSZA row).
--   * early_season_flag: fewer than 10 games played this season.
--   * Completeness (§5.3) of the last-10 window: expected = the team's (of the player's
--     newest game) final schedule games from the oldest window game (from the opener when
--     he has fewer than 10 games) to the day before, minus games he has a DNP/inactive row
--     for; actual = games he played. is_production_ready = ≥ 70%.
WITH upgc AS (
  SELECT
    u.player_lookup,
    u.game_date AS cache_date,
    u.game_id,
    u.team_abbr,
    u.opponent_team_abbr,
    u.days_rest,
    u.back_to_back,
    u.games_in_last_7_days,
    u.games_in_last_14_days,
    u.minutes_in_last_7_days,
    u.avg_minutes_per_game_last_7,
    u.back_to_backs_last_14_days,
    u.calendar_season_year AS season_year,
    u.opener,
    u.day_index
  FROM shared.upgc_days AS u
  WHERE u.day_index >= 14
),
ranked AS (
  SELECT g.target_date AS cache_date, g.*
  FROM shared.season_games AS g
  WHERE g.day_index >= 14
),
history AS (
  SELECT
    cache_date,
    player_lookup,
    COUNT(*) AS games_played_season,
    MAX(IF(game_rank = 1, team_abbr, NULL)) AS last_team_abbr,
    MIN(IF(game_rank <= 10, game_date, NULL)) AS window_start_date,
    AVG(IF(game_rank <= 5, points, NULL)) AS points_avg_last_5,
    AVG(IF(game_rank <= 10, points, NULL)) AS points_avg_last_10,
    AVG(points) AS points_avg_season,
    IF(COUNTIF(game_rank <= 10) >= 2, STDDEV_SAMP(IF(game_rank <= 10, points, NULL)), NULL)
      AS points_std_last_10,
    AVG(IF(game_rank <= 10, minutes_played, NULL)) AS minutes_avg_last_10,
    AVG(IF(game_rank <= 10, usage_rate, NULL)) AS usage_rate_last_10,
    SAFE_DIVIDE(
      SUM(IF(game_rank <= 10, points, NULL)),
      2 * (SUM(IF(game_rank <= 10, field_goals_attempted, NULL))
        + 0.44 * SUM(IF(game_rank <= 10, free_throws_attempted, NULL)))) AS ts_pct_last_10
  FROM ranked
  GROUP BY cache_date, player_lookup
),
team_ranked AS (
  SELECT
    u.cache_date,
    u.player_lookup,
    t.pace,
    t.offensive_rating,
    ROW_NUMBER() OVER (
      PARTITION BY u.cache_date, u.player_lookup ORDER BY t.game_date DESC, t.game_id DESC
    ) AS game_rank
  FROM upgc AS u
  JOIN nba_analytics.team_offense_game_summary AS t
    ON t.team_abbr = u.team_abbr
    AND t.game_date >= u.opener
    AND t.game_date < u.cache_date
    AND DATE_DIFF(u.cache_date, t.game_date, DAY) <= 60
  WHERE t.game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
team_context AS (
  SELECT
    cache_date,
    player_lookup,
    AVG(pace) AS team_pace_last_10,
    AVG(offensive_rating) AS team_off_rating_last_10
  FROM team_ranked
  WHERE game_rank <= 10
  GROUP BY cache_date, player_lookup
),
psza AS (
  SELECT analysis_date, player_lookup, paint_rate_last_10, mid_range_rate_last_10,
    three_pt_rate_last_10, primary_scoring_zone
  FROM nba_precompute.player_shot_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
team_schedule AS (
  SELECT * FROM shared.final_team_games AS s
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 366 DAY)) AND @end_date
),
player_rows AS (
  SELECT game_id, player_lookup, LOGICAL_OR(played) AS played
  FROM shared.player_games AS g
  GROUP BY game_id, player_lookup
),
-- the window's first date (the opener under 10 games), known before the schedule is
-- joined: joined on the opener alone, every UPGC row met every later schedule game first
-- (94M rows for one season of a four-season warehouse, 26 s)
completeness_windows AS (
  SELECT
    h.cache_date,
    h.player_lookup,
    h.last_team_abbr,
    IF(h.games_played_season < 10, u.opener, GREATEST(u.opener, h.window_start_date)) AS window_from
  FROM history AS h
  JOIN upgc AS u ON u.cache_date = h.cache_date AND u.player_lookup = h.player_lookup
),
completeness AS (
  SELECT
    w.cache_date,
    w.player_lookup,
    COUNTIF(r.played IS NULL OR r.played) AS expected_games,
    COUNTIF(r.played) AS actual_games,
    CONCAT('[', STRING_AGG(
      IF(r.played IS NULL, CONCAT('"', CAST(s.game_date AS STRING), '"'), NULL), ','
      ORDER BY s.game_date), ']') AS missing_game_dates
  FROM completeness_windows AS w
  JOIN team_schedule AS s
    ON s.team_abbr = w.last_team_abbr
    AND s.game_date >= w.window_from
    AND s.game_date < w.cache_date
  LEFT JOIN player_rows AS r ON r.game_id = s.game_id AND r.player_lookup = w.player_lookup
  GROUP BY w.cache_date, w.player_lookup
),
cached AS (
  SELECT
    u.*,
    h.* EXCEPT (cache_date, player_lookup),
    t.team_pace_last_10,
    t.team_off_rating_last_10,
    p.paint_rate_last_10,
    p.mid_range_rate_last_10,
    p.three_pt_rate_last_10,
    p.primary_scoring_zone,
    COALESCE(c.expected_games, 0) AS expected_games,
    COALESCE(c.actual_games, 0) AS actual_games,
    c.missing_game_dates,
    IF(COALESCE(c.expected_games, 0) = 0, 100.0, 100.0 * c.actual_games / c.expected_games)
      AS completeness_pct
  FROM upgc AS u
  JOIN history AS h ON h.cache_date = u.cache_date AND h.player_lookup = u.player_lookup
  LEFT JOIN team_context AS t ON t.cache_date = u.cache_date AND t.player_lookup = u.player_lookup
  LEFT JOIN psza AS p
    ON p.analysis_date = u.cache_date AND p.player_lookup = u.player_lookup
  LEFT JOIN completeness AS c ON c.cache_date = u.cache_date AND c.player_lookup = u.player_lookup
  WHERE h.games_played_season >= 3
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  games_played_season < 10 AS early_season_flag,
  expected_games AS expected_game_count,
  actual_games AS actual_game_count,
  completeness_pct >= 70 AS is_production_ready,
  CURRENT_TIMESTAMP() AS processed_at
FROM cached
