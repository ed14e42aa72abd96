-- table:    nba_precompute.player_shot_zone_analysis (PSZA, SPEC §3)
-- grain:    one row per player x analysis_date.
-- inputs:   nba_analytics.player_game_summary (dates before analysis_date),
--           nba_analytics.stg_schedule (final games: which dates are built; completeness),
--           nba_reference.season_calendar.
-- shared:   the window games (ranked, newest first) from shared/psza_window_games.sql, over
--           the build dates of shared/final_game_dates.sql and the PGS rows (played flag) of
--           shared/psza_player_games.sql, which player_rows reads too; team_schedule from
--           shared/final_team_games.sql (bounded here by the lookback).
-- lookback: each player's last 10 and last 20 games played (is_active, minutes_played > 0)
--           with game_date < analysis_date in the same season and at most 90 days back
--           (the asset's partition mapping: 20 games take ~40 days, more around injuries).
--           Bounding the window by it in SQL makes range builds equal date-by-date builds.
-- Choices the spec leaves open:
--   * Rows are written for dates with final games, for every player with a game played in
--     his window (not only players on the date's teams); no games, empty partition.
--   * Bootstrap: days 0-13 write no rows. Ramp: minimum games min(3 + floor(d/3), 9)
--     through day 21, then 10 (= nba_backfill.partitions.psza_min_games), counted in the
--     last-10 window; below it no row and an INSUFFICIENT_DATA failure.
--   * A game "lacks zones" when any of its zone attempt columns is NULL (no play-by-play).
--     Every zone column of a window (rates, pcts, attempts per game, total shots) is NULL
--     when any game of that window lacks zones: partial windows would bias them.
--   * Source gaps (SPEC §6): games_without_shot_zones_10 / _20 count the games of the
--     last-10 / last-20 window that lack zones, so a row says why its zone columns are
--     NULL (> 0: the raw play-by-play never had those games, e.g. play-in and playoff
--     games, or a month or season without a feed) or that they rest on complete data (0).
--     The contamination check counts such rows apart (NO_SOURCE) after confirming the
--     gap against the raw play-by-play. PSZA has no quality score or tier column: this
--     count is the row's quality note (the feature store's quality drops through its
--     defaulted zone features). Completeness and is_production_ready stay about games
--     played being present: a game without play-by-play is still a game in the window.
--   * Rates = zone attempts / (paint + mid-range + three attempts); pct = makes / attempts.
--   * paint_rate_last_20, paint_pct_last_20 need ≥ 15 games in the last-20 window.
--   * assisted_rate_last_10 = Σassisted / Σ(assisted + unassisted) over the window's games
--     that have them (bigdataball only); NULL when none has.
--   * primary_scoring_zone: paint rate ≥ .40 paint, else three ≥ .40 perimeter, else
--     mid ≥ .35 mid_range, else balanced; NULL when rates are NULL.
--   * early_season_flag: the ramp minimum is below 10 (days 0-21).
--   * team_abbr: the team of the player's newest game in the window.
--   * Completeness (§5.3) of the last-10 window: expected = that team's final schedule
--     games from the oldest window game (or the earliest reachable date when the window
--     holds fewer than 10 games) to the day before, minus games the player has a DNP or
--     inactive row for; actual = games he played. is_production_ready = ≥ 70%.
WITH team_schedule AS (
  SELECT * FROM shared.final_team_games AS s
  WHERE game_date BETWEEN DATE(DATE_SUB(@start_date, INTERVAL 90 DAY)) AND @end_date
),
sums AS (
  SELECT
    analysis_date,
    player_lookup,
    ANY_VALUE(season_year) AS season_year,
    ANY_VALUE(opener) AS opener,
    ANY_VALUE(day_index) AS day_index,
    MAX(IF(game_rank = 1, team_abbr, NULL)) AS team_abbr,
    COUNTIF(game_rank <= 10) AS games_10,
    COUNT(*) AS games_20,
    MIN(IF(game_rank <= 10, game_date, NULL)) AS window_start_date,
    COUNTIF(game_rank <= 10 AND lacks_zones) AS gaps_10,
    COUNTIF(lacks_zones) AS gaps_20,
    SUM(IF(game_rank <= 10, paint_attempts, NULL)) AS paint_att_10,
    SUM(IF(game_rank <= 10, paint_makes, NULL)) AS paint_made_10,
    SUM(IF(game_rank <= 10, mid_range_attempts, NULL)) AS mid_att_10,
    SUM(IF(game_rank <= 10, mid_range_makes, NULL)) AS mid_made_10,
    SUM(IF(game_rank <= 10, three_attempts, NULL)) AS three_att_10,
    SUM(IF(game_rank <= 10, three_makes, NULL)) AS three_made_10,
    SUM(paint_attempts) AS paint_att_20,
    SUM(paint_makes) AS paint_made_20,
    SUM(paint_attempts + mid_range_attempts + three_attempts) AS zone_att_20,
    SUM(IF(game_rank <= 10 AND assisted_fg_makes IS NOT NULL AND unassisted_fg_makes IS NOT NULL,
           assisted_fg_makes, NULL)) AS assisted_10,
    SUM(IF(game_rank <= 10 AND assisted_fg_makes IS NOT NULL AND unassisted_fg_makes IS NOT NULL,
           assisted_fg_makes + unassisted_fg_makes, NULL)) AS fg_made_10
  FROM shared.psza_window_games AS w
  WHERE game_rank <= 20
  GROUP BY analysis_date, player_lookup
),
profile AS (
  SELECT
    *,
    CASE WHEN day_index <= 21 THEN LEAST(3 + DIV(day_index, 3), 9) ELSE 10 END
      AS min_games_required,
    IF(gaps_10 = 0, paint_att_10 + mid_att_10 + three_att_10, NULL) AS total_10,
    IF(gaps_10 = 0, SAFE_DIVIDE(paint_att_10, paint_att_10 + mid_att_10 + three_att_10), NULL)
      AS paint_rate,
    IF(gaps_10 = 0, SAFE_DIVIDE(mid_att_10, paint_att_10 + mid_att_10 + three_att_10), NULL)
      AS mid_range_rate,
    IF(gaps_10 = 0, SAFE_DIVIDE(three_att_10, paint_att_10 + mid_att_10 + three_att_10), NULL)
      AS three_pt_rate
  FROM sums
),
-- Completeness of the last-10 window, DNP-aware: the player's own rows on the team's games.
player_rows AS (
  SELECT game_id, player_lookup, LOGICAL_OR(played) AS played
  FROM shared.psza_player_games AS g
  GROUP BY game_id, player_lookup
),
window_schedule AS (
  SELECT p.analysis_date, p.player_lookup, s.game_date, r.played
  FROM profile AS p
  JOIN team_schedule AS s
    ON s.team_abbr = p.team_abbr
    AND s.game_date >= p.opener
    AND s.game_date < p.analysis_date
    AND DATE_DIFF(p.analysis_date, s.game_date, DAY) <= 90
    AND (p.games_10 < 10 OR s.game_date >= p.window_start_date)
  LEFT JOIN player_rows AS r ON r.game_id = s.game_id AND r.player_lookup = p.player_lookup
),
completeness AS (
  SELECT
    analysis_date,
    player_lookup,
    COUNTIF(played IS NULL OR played) AS expected_games,
    COUNTIF(played) AS actual_games
  FROM window_schedule
  GROUP BY analysis_date, player_lookup
),
-- listed apart, over the few missing games only: an ordered STRING_AGG over every window
-- game cost more than the rest of the query
missing AS (
  SELECT
    analysis_date,
    player_lookup,
    CONCAT('[', STRING_AGG(CONCAT('"', CAST(game_date AS STRING), '"'), ',' ORDER BY game_date), ']')
      AS missing_game_dates
  FROM window_schedule
  WHERE played IS NULL
  GROUP BY analysis_date, player_lookup
),
scored AS (
  SELECT
    p.*,
    COALESCE(c.expected_games, 0) AS expected_games,
    COALESCE(c.actual_games, 0) AS actual_games,
    m.missing_game_dates,
    IF(COALESCE(c.expected_games, 0) = 0, 100.0, 100.0 * c.actual_games / c.expected_games)
      AS completeness_pct
  FROM profile AS p
  LEFT JOIN completeness AS c
    ON c.analysis_date = p.analysis_date AND c.player_lookup = p.player_lookup
  LEFT JOIN missing AS m
    ON m.analysis_date = p.analysis_date AND m.player_lookup = p.player_lookup
)
-- the table keeps the columns its table.toml declares, in that order and as those types
SELECT
  *,
  day_index AS days_since_opener,
  games_10 AS games_in_sample_10,
  games_20 AS games_in_sample_20,
  gaps_10 AS games_without_shot_zones_10,
  gaps_20 AS games_without_shot_zones_20,
  paint_rate AS paint_rate_last_10,
  mid_range_rate AS mid_range_rate_last_10,
  three_pt_rate AS three_pt_rate_last_10,
  IF(gaps_10 = 0, SAFE_DIVIDE(paint_made_10, paint_att_10), NULL) AS paint_pct_last_10,
  IF(gaps_10 = 0, SAFE_DIVIDE(mid_made_10, mid_att_10), NULL) AS mid_range_pct_last_10,
  IF(gaps_10 = 0, SAFE_DIVIDE(three_made_10, three_att_10), NULL) AS three_pt_pct_last_10,
  IF(gaps_10 = 0, paint_att_10 / games_10, NULL) AS paint_attempts_per_game,
  IF(gaps_10 = 0, mid_att_10 / games_10, NULL) AS mid_range_attempts_per_game,
  IF(gaps_10 = 0, three_att_10 / games_10, NULL) AS three_pt_attempts_per_game,
  total_10 AS total_shots_last_10,
  IF(games_20 >= 15 AND gaps_20 = 0, SAFE_DIVIDE(paint_att_20, zone_att_20), NULL)
    AS paint_rate_last_20,
  IF(games_20 >= 15 AND gaps_20 = 0, SAFE_DIVIDE(paint_made_20, paint_att_20), NULL)
    AS paint_pct_last_20,
  SAFE_DIVIDE(assisted_10, fg_made_10) AS assisted_rate_last_10,
  CASE
    WHEN paint_rate IS NULL THEN CAST(NULL AS STRING)
    WHEN paint_rate >= 0.40 THEN 'paint'
    WHEN three_pt_rate >= 0.40 THEN 'perimeter'
    WHEN mid_range_rate >= 0.35 THEN 'mid_range'
    ELSE 'balanced'
  END AS primary_scoring_zone,
  min_games_required < 10 AS early_season_flag,
  expected_games AS expected_game_count,
  actual_games AS actual_game_count,
  completeness_pct >= 70 AS is_production_ready,
  CURRENT_TIMESTAMP() AS processed_at
FROM scored
WHERE day_index >= 14
  AND games_10 >= min_games_required
