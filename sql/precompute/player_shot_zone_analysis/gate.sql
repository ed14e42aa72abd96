-- check:    Gate 2, Phase 4 complete (SPEC §6), on nba_precompute.player_shot_zone_analysis
-- grain:    one row per date in [@start_date, @end_date] with at least one final game.
--           Bootstrap days come back too; the check treats them as complete.
-- inputs:   nba_analytics.stg_schedule + stg_gamebook (usable rows: the date's players),
--           nba_reference.season_calendar, nba_analytics.player_game_summary (games played
--           = is_active and minutes_played > 0, same season, before the date, ≤ 90 days
--           back: the asset's declared lookback and its SQL's bound),
--           nba_precompute.player_shot_zone_analysis, nba_processing.precompute_failures.
-- shared:   the date's players from shared/gamebook_players.sql; the games played (90 days
--           back) from shared/psza_player_games.sql, the table's own rule; the failure rows
--           from shared/failed_entities.sql.
-- verdict inputs: expected = the players of the date's final games (PSZA may hold more
--           players; only these are required); actual = those accounted for: a PSZA row,
--           or fewer window games (counted up to 10) than the ramp minimum
--           min(3 + d/3, 9) through day 21, then 10, with a failure row (not needed when
--           the player has not played yet). missing = the others, with their games.
WITH played AS (
  SELECT DISTINCT game_date, player_lookup
  FROM shared.psza_player_games AS g
  WHERE played
),
window_games AS (
  SELECT p.check_date, p.player_lookup, p.day_index, COUNT(g.game_date) AS games
  FROM shared.gamebook_players AS p
  LEFT JOIN played AS g
    ON g.player_lookup = p.player_lookup
    AND g.game_date >= p.opener
    AND g.game_date < p.check_date
    AND DATE_DIFF(p.check_date, g.game_date, DAY) <= 90
  GROUP BY p.check_date, p.player_lookup, p.day_index
),
built AS (
  SELECT DISTINCT analysis_date, player_lookup
  FROM nba_precompute.player_shot_zone_analysis
  WHERE analysis_date BETWEEN @start_date AND @end_date
),
judged AS (
  SELECT
    w.check_date,
    w.player_lookup,
    w.games,
    CASE WHEN w.day_index <= 21 THEN LEAST(3 + DIV(w.day_index, 3), 9) ELSE 10 END AS min_games,
    b.player_lookup IS NOT NULL AS has_row,
    f.entity_id IS NOT NULL AS has_failure
  FROM window_games AS w
  LEFT JOIN built AS b ON b.analysis_date = w.check_date AND b.player_lookup = w.player_lookup
  LEFT JOIN shared.failed_entities AS f ON f.analysis_date = w.check_date AND f.entity_id = w.player_lookup
),
accounted AS (
  SELECT
    *,
    has_row OR (LEAST(games, 10) < min_games AND (has_failure OR games = 0)) AS ok
  FROM judged
)
SELECT
  check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNTIF(ok) AS INT64) AS actual,
  STRING_AGG(
    IF(ok, CAST(NULL AS STRING),
       CONCAT(player_lookup, ' (', CAST(games AS STRING), ' games, minimum ', CAST(min_games AS STRING), ')')),
    ', ' ORDER BY player_lookup
  ) AS missing
FROM accounted
GROUP BY check_date
