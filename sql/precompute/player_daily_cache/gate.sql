-- check:    Gate 2, Phase 4 complete (SPEC §6), on nba_precompute.player_daily_cache
-- grain:    one row per date in [@start_date, @end_date] with at least one final game.
--           Bootstrap days come back too; the check treats them as complete.
-- inputs:   nba_analytics.stg_schedule + stg_gamebook (usable rows: the date's players,
--           the UPGC population), nba_reference.season_calendar,
--           nba_analytics.player_game_summary (games played = is_active and minutes_played
--           > 0, this season before the date; read from 366 days back: a season is
--           shorter), nba_precompute.player_daily_cache, nba_processing.precompute_failures.
-- shared:   the date's players from shared/gamebook_players.sql; games played from
--           shared/player_games.sql; the failure rows from shared/failed_entities.sql.
-- verdict inputs: expected = the players of the date's final games; actual = those with
--           a PDC row on cache_date, or with fewer than 3 games played this season and a
--           failure row (SPEC §3: INSUFFICIENT_DATA). missing = the others, with games.
WITH played AS (
  SELECT DISTINCT game_date, player_lookup
  FROM shared.player_games AS g
  WHERE played
),
season_games AS (
  SELECT p.check_date, p.player_lookup, COUNT(g.game_date) AS games
  FROM shared.gamebook_players AS p
  LEFT JOIN played AS g
    ON g.player_lookup = p.player_lookup
    AND g.game_date >= p.opener
    AND g.game_date < p.check_date
  GROUP BY p.check_date, p.player_lookup
),
built AS (
  SELECT DISTINCT cache_date, player_lookup
  FROM nba_precompute.player_daily_cache
  WHERE cache_date BETWEEN @start_date AND @end_date
),
accounted AS (
  SELECT
    s.check_date,
    s.player_lookup,
    s.games,
    b.player_lookup IS NOT NULL OR (s.games < 3 AND f.entity_id IS NOT NULL) AS ok
  FROM season_games AS s
  LEFT JOIN built AS b ON b.cache_date = s.check_date AND b.player_lookup = s.player_lookup
  LEFT JOIN shared.failed_entities AS f ON f.analysis_date = s.check_date AND f.entity_id = s.player_lookup
)
SELECT
  check_date,
  CAST(COUNT(*) AS INT64) AS expected,
  CAST(COUNTIF(ok) AS INT64) AS actual,
  STRING_AGG(
    IF(ok, CAST(NULL AS STRING), CONCAT(player_lookup, ' (', CAST(games AS STRING), ' games)')),
    ', ' ORDER BY player_lookup
  ) AS missing
FROM accounted
GROUP BY check_date
