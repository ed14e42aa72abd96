-- check:    cascade contamination (SPEC §6), on nba_analytics.team_defense_game_summary
-- grain:    one row per date in [@start_date, @end_date] that has TDGS rows.
-- inputs:   nba_analytics.team_defense_game_summary, nba_analytics.stg_shots (which games
--           have play-by-play shots, from either source: a view over the raw tables).
-- verdict inputs: rows_checked = TDGS rows of games WITH shot data; source_gap_rows =
--           TDGS rows of games without play-by-play in either raw feed (a source gap, SPEC
--           §6: their zones are rightly NULL, "where shot data exists"; counted apart,
--           never judged); valid_<field> = checked rows where the field is > 0 (NULL
--           counts as invalid). The check turns each field's share of rows_checked into
--           CLEAN ≥ 99% / PARTIAL ≥ 50% / CONTAMINATED < 50% per date; a date whose rows
--           are all source gaps passes with a NO_SOURCE note.
WITH shot_games AS (
  SELECT DISTINCT game_id
  FROM nba_analytics.stg_shots
  WHERE game_date BETWEEN @start_date AND @end_date
),
judged AS (
  SELECT
    t.game_date,
    s.game_id IS NULL AS source_gap,
    t.opp_paint_attempts,
    t.opp_mid_range_attempts,
    t.opp_three_pt_attempts
  FROM nba_analytics.team_defense_game_summary AS t
  LEFT JOIN shot_games AS s ON s.game_id = t.game_id
  WHERE t.game_date BETWEEN @start_date AND @end_date
)
SELECT
  game_date AS check_date,
  CAST(COUNTIF(NOT source_gap) AS INT64) AS rows_checked,
  CAST(COUNTIF(source_gap) AS INT64) AS source_gap_rows,
  CAST(COUNTIF(NOT source_gap AND opp_paint_attempts > 0) AS INT64) AS valid_opp_paint_attempts,
  CAST(COUNTIF(NOT source_gap AND opp_mid_range_attempts > 0) AS INT64) AS valid_opp_mid_range_attempts,
  CAST(COUNTIF(NOT source_gap AND opp_three_pt_attempts > 0) AS INT64) AS valid_opp_three_pt_attempts
FROM judged
GROUP BY game_date
