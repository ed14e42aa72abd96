-- table:    nba_precompute.team_defense_zone_analysis (TDZA, SPEC §3)
-- grain:    one row per team x analysis_date.
-- inputs:   nba_analytics.team_defense_game_summary (dates before analysis_date),
--           nba_analytics.stg_schedule (final games: which dates are built; completeness),
--           nba_reference.season_calendar (season, opener).
-- shared:   build_dates from shared/final_game_dates.sql, team_schedule from
--           shared/final_team_games.sql (bounded here by the lookback).
-- lookback: each team's last 15 TDGS games with game_date < analysis_date in the same
--           season and at most 60 days back. 60 is the asset's partition mapping (15 games
--           take about 30 days); bounding the window by it in SQL makes a range build give
--           exactly the rows of date-by-date builds, and the season bound keeps the
--           window out of the previous season even where 60 partitions would reach it.
-- Choices the spec leaves open:
--   * Rows are written for dates with final games in the schedule, for every team with a
--     game in its window; a date without games is an empty (complete) partition.
--   * Bootstrap: days 0-13 after the opener write no rows.
--   * Ramp (d = days since opener): minimum games min(5 + floor(d/3), 14) through day 21,
--     then 15 (= nba_backfill.partitions.tdza_min_games). Teams under it: no row, and an
--     INSUFFICIENT_DATA failure row (failures.sql beside this file).
--   * Zone pct = Σmakes / Σattempts over the window's games that have zone data (games
--     without play-by-play carry NULL zones and are skipped); attempts per game and
--     paint points per game average over those games too.
--   * Source gaps (SPEC §6): a window game "lacks zones" when its opp_paint_attempts or
--     opp_mid_range_attempts is NULL (the game has no play-by-play; the three-point
--     columns come from the box score). games_without_shot_zones counts them. When every
--     window game lacks zones (e.g. a month without play-by-play), the paint and
--     mid-range pcts and vs-league values are NULL: a source gap, which the contamination
--     check counts apart (NO_SOURCE) after confirming it against the raw play-by-play.
--   * League pct (per date, per zone) = mean of the team pcts of every team with ≥ 10
--     games in its window, including teams below the ramp minimum (a team whose window
--     has no zone data has no pct and is left out of that zone's mean); with fewer than
--     10 such teams the constants paint .580, mid .410, three .355 (league_average_source
--     says which). A zone whose mean has no team pct at all (no such team has play-by-play
--     in its window) takes its constant too (league_average_source still says 'league'),
--     so a team with zone data always gets its vs-league values.
--   * strongest_zone / weakest_zone: lowest / highest vs-league value (paint, mid_range,
--     perimeter = three); ties go in that order; NULL when a zone value is NULL.
--   * data_quality_tier counts the window games WITH zone data (games_in_sample −
--     games_without_shot_zones): high ≥ 15, medium ≥ 10, else low. A source gap lowers
--     the tier; with complete play-by-play it is SPEC §3's games rule.
--   * Completeness (§5.3): expected = the team's final schedule games from its oldest
--     window game (or the earliest date the window may reach, when it holds fewer than 15
--     games) to the day before; actual = those with a TDGS row; missing_game_dates lists
--     the others. is_production_ready = completeness_pct ≥ 70.
WITH team_schedule AS (
  SELECT * FROM shared.final_team_games AS s
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
build_dates AS (
  SELECT game_date AS analysis_date, season_year, opener, day_index FROM shared.final_game_dates AS d
),
defense AS (
  SELECT
    game_id,
    game_date,
    defending_team_abbr AS team_abbr,
    opp_paint_attempts,
    opp_paint_makes,
    opp_mid_range_attempts,
    opp_mid_range_makes,
    opp_three_pt_attempts,
    opp_three_pt_makes,
    points_in_paint_allowed,
    defensive_rating,
    opponent_pace,
    opp_paint_attempts IS NULL OR opp_mid_range_attempts IS NULL AS lacks_zones
  FROM nba_analytics.team_defense_game_summary
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 60 DAY)) AND @end_date
),
ranked AS (
  SELECT
    b.analysis_date,
    b.season_year,
    b.opener,
    b.day_index,
    d.*,
    ROW_NUMBER() OVER (
      PARTITION BY b.analysis_date, d.team_abbr ORDER BY d.game_date DESC, d.game_id DESC
    ) AS game_rank
  FROM build_dates AS b
  JOIN defense AS d
    ON d.game_date >= b.opener
    AND d.game_date < b.analysis_date
    AND DATE_DIFF(b.analysis_date, d.game_date, DAY) <= 60
),
team_window AS (
  SELECT
    analysis_date,
    team_abbr,
    ANY_VALUE(season_year) AS season_year,
    ANY_VALUE(opener) AS opener,
    ANY_VALUE(day_index) AS day_index,
    COUNT(*) AS games_in_sample,
    COUNTIF(lacks_zones) AS games_without_zones,
    MIN(game_date) AS window_start_date,
    MAX(game_date) AS last_game_date,
    SAFE_DIVIDE(SUM(opp_paint_makes), SUM(opp_paint_attempts)) AS paint_pct,
    SAFE_DIVIDE(SUM(opp_mid_range_makes), SUM(opp_mid_range_attempts)) AS mid_range_pct,
    SAFE_DIVIDE(SUM(opp_three_pt_makes), SUM(opp_three_pt_attempts)) AS three_pt_pct,
    AVG(opp_paint_attempts) AS paint_attempts_per_game,
    AVG(opp_mid_range_attempts) AS mid_range_attempts_per_game,
    AVG(opp_three_pt_attempts) AS three_pt_attempts_per_game,
    AVG(points_in_paint_allowed) AS paint_points_per_game,
    AVG(defensive_rating) AS defensive_rating,
    AVG(opponent_pace) AS opponent_pace
  FROM ranked
  WHERE game_rank <= 15
  GROUP BY analysis_date, team_abbr
),
league AS (
  SELECT
    analysis_date,
    COUNTIF(games_in_sample >= 10) AS league_teams,
    AVG(IF(games_in_sample >= 10, paint_pct, NULL)) AS paint_mean,
    AVG(IF(games_in_sample >= 10, mid_range_pct, NULL)) AS mid_range_mean,
    AVG(IF(games_in_sample >= 10, three_pt_pct, NULL)) AS three_pt_mean
  FROM team_window
  GROUP BY analysis_date
),
completeness AS (
  SELECT
    w.analysis_date,
    w.team_abbr,
    COUNT(s.game_id) AS expected_games,
    COUNT(d.game_id) AS actual_games,
    CONCAT('[', STRING_AGG(
      IF(d.game_id IS NULL, CONCAT('"', CAST(s.game_date AS STRING), '"'), NULL), ','
      ORDER BY s.game_date), ']') AS missing_game_dates
  FROM team_window AS w
  JOIN team_schedule AS s
    ON s.team_abbr = w.team_abbr
    AND s.game_date >= w.opener
    AND s.game_date < w.analysis_date
    AND DATE_DIFF(w.analysis_date, s.game_date, DAY) <= 60
    AND (w.games_in_sample < 15 OR s.game_date >= w.window_start_date)
  LEFT JOIN defense AS d ON d.game_id = s.game_id AND d.team_abbr = s.team_abbr
  GROUP BY w.analysis_date, w.team_abbr
),
scored AS (
  SELECT
    w.*,
    CASE WHEN w.day_index <= 21 THEN LEAST(5 + DIV(w.day_index, 3), 14) ELSE 15 END
      AS min_games_required,
    l.league_teams,
    IF(l.league_teams >= 10, COALESCE(l.paint_mean, 0.580), 0.580) AS league_paint_pct,
    IF(l.league_teams >= 10, COALESCE(l.mid_range_mean, 0.410), 0.410) AS league_mid_range_pct,
    IF(l.league_teams >= 10, COALESCE(l.three_pt_mean, 0.355), 0.355) AS league_three_pt_pct,
    IF(l.league_teams >= 10, 'league', 'fallback') AS league_average_source,
    COALESCE(c.expected_games, 0) AS expected_games,
    COALESCE(c.actual_games, 0) AS actual_games,
    c.missing_game_dates
  FROM team_window AS w
  JOIN league AS l ON l.analysis_date = w.analysis_date
  LEFT JOIN completeness AS c
    ON c.analysis_date = w.analysis_date AND c.team_abbr = w.team_abbr
),
versus AS (
  SELECT
    *,
    (paint_pct - league_paint_pct) * 100 AS paint_vs,
    (mid_range_pct - league_mid_range_pct) * 100 AS mid_range_vs,
    (three_pt_pct - league_three_pt_pct) * 100 AS three_pt_vs,
    IF(expected_games = 0, 100.0, 100.0 * actual_games / expected_games) AS completeness_pct
  FROM scored
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  day_index AS days_since_opener,
  games_without_zones AS games_without_shot_zones,
  paint_pct AS paint_pct_allowed_last_15,
  mid_range_pct AS mid_range_pct_allowed_last_15,
  three_pt_pct AS three_pt_pct_allowed_last_15,
  paint_attempts_per_game AS paint_attempts_allowed_per_game,
  mid_range_attempts_per_game AS mid_range_attempts_allowed_per_game,
  three_pt_attempts_per_game AS three_pt_attempts_allowed_per_game,
  paint_points_per_game AS paint_points_allowed_per_game,
  league_teams AS league_teams_in_average,
  paint_vs AS paint_defense_vs_league_avg,
  mid_range_vs AS mid_range_defense_vs_league_avg,
  three_pt_vs AS three_pt_defense_vs_league_avg,
  CASE
    WHEN paint_vs IS NULL OR mid_range_vs IS NULL OR three_pt_vs IS NULL THEN CAST(NULL AS STRING)
    WHEN paint_vs <= mid_range_vs AND paint_vs <= three_pt_vs THEN 'paint'
    WHEN mid_range_vs <= three_pt_vs THEN 'mid_range'
    ELSE 'perimeter'
  END AS strongest_zone,
  CASE
    WHEN paint_vs IS NULL OR mid_range_vs IS NULL OR three_pt_vs IS NULL THEN CAST(NULL AS STRING)
    WHEN paint_vs >= mid_range_vs AND paint_vs >= three_pt_vs THEN 'paint'
    WHEN mid_range_vs >= three_pt_vs THEN 'mid_range'
    ELSE 'perimeter'
  END AS weakest_zone,
  defensive_rating AS defensive_rating_last_15,
  opponent_pace AS opponent_pace_last_15,
  CASE
    WHEN games_in_sample - games_without_zones >= 15 THEN 'high'
    WHEN games_in_sample - games_without_zones >= 10 THEN 'medium'
    ELSE 'low'
  END AS data_quality_tier,
  expected_games AS expected_game_count,
  actual_games AS actual_game_count,
  completeness_pct >= 70 AS is_production_ready,
  CURRENT_TIMESTAMP() AS processed_at
FROM versus
WHERE day_index >= 14
  AND games_in_sample >= min_games_required
