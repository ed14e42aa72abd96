-- check:    cascade contamination (SPEC §6), on nba_analytics.team_defense_game_summary
-- grain:    one row per date in [@start_date, @end_date] that has TDGS rows.
-- inputs:   nba_analytics.team_defense_game_summary, nba_analytics.stg_shots (which games
--           have play-by-play shots, from either source).
-- verdict inputs: rows_checked = TDGS rows of games WITH shot data (a game without
--           play-by-play rightly has NULL zones: SPEC "where shot data exists");
--           valid_<field> = those rows where the field is > 0 (NULL counts as invalid).
--           The check turns each field's share into CLEAN ≥ 99% / PARTIAL ≥ 50% /
--           CONTAMINATED < 50% per date.
WITH shot_games AS (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_shots
  WHERE game_date BETWEEN @start_date AND @end_date
)
SELECT
  t.game_date AS check_date,
  CAST(COUNT(*) AS INT64) AS rows_checked,
  CAST(COUNTIF(t.opp_paint_attempts > 0) AS INT64) AS valid_opp_paint_attempts,
  CAST(COUNTIF(t.opp_mid_range_attempts > 0) AS INT64) AS valid_opp_mid_range_attempts,
  CAST(COUNTIF(t.opp_three_pt_attempts > 0) AS INT64) AS valid_opp_three_pt_attempts
FROM nba_analytics.team_defense_game_summary AS t
JOIN shot_games AS s ON s.game_id = t.game_id
WHERE t.game_date BETWEEN @start_date AND @end_date
GROUP BY t.game_date
