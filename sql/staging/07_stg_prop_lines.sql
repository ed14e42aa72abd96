-- view:   nba_analytics.stg_prop_lines   (the points prop line cascade, SPEC §2.5)
-- grain:  one row per game_date x player_lookup that has a line (a player plays at most
--         one game a date, so PGS and UPGC join on date + player; BettingPros has no game_id).
-- Odds API first: pre-tip snapshots only (minutes_before_tipoff >= 0; NULL counts as not
--   pre-tip); one bookmaker per player and date: draftkings, fanduel, then the others
--   alphabetically; opening = that bookmaker's earliest snapshot, current = its latest
--   (one bookmaker for both, so line_movement is a real move, not a book difference).
-- Else BettingPros: market_type 'points', bet_side 'over'. Each bookmaker's rows collapse
--   to the latest bookmaker_last_update first, THEN is_active / non-NULL line are required
--   (a line the book pulled later is gone). Order: DraftKings, FanDuel, other books,
--   BettingPros Consensus last; then is_best_line; then the latest update; then name
--   (a deterministic tie-break). current = points_line, opening = opening_line.
-- points_line_source: odds_api / bettingpros (readers show NULL when no row matches).
CREATE OR REPLACE VIEW nba_analytics.stg_prop_lines AS
WITH odds AS (
  SELECT
    game_date, player_lookup, LOWER(bookmaker) AS bookmaker, snapshot_timestamp, points_line,
    CASE LOWER(bookmaker) WHEN 'draftkings' THEN 1 WHEN 'fanduel' THEN 2 ELSE 3 END AS book_rank
  FROM nba_raw.odds_api_player_points_props
  WHERE minutes_before_tipoff >= 0 AND points_line IS NOT NULL AND player_lookup IS NOT NULL
),
odds_book AS (
  SELECT *,
    MIN(book_rank) OVER (PARTITION BY game_date, player_lookup) AS best_rank
  FROM odds
),
odds_first_book AS (
  SELECT *
  FROM odds_book
  WHERE book_rank = best_rank
  QUALIFY bookmaker = MIN(bookmaker) OVER (PARTITION BY game_date, player_lookup)
),
odds_line AS (
  SELECT
    game_date, player_lookup, 1 AS source_rank, 'odds_api' AS points_line_source,
    bookmaker AS points_line_bookmaker,
    FIRST_VALUE(points_line) OVER (
      PARTITION BY game_date, player_lookup ORDER BY snapshot_timestamp, points_line
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
    ) AS opening_points_line,
    points_line AS current_points_line
  FROM odds_first_book
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, player_lookup ORDER BY snapshot_timestamp DESC, points_line DESC
  ) = 1
),
bettingpros AS (
  SELECT *
  FROM nba_raw.bettingpros_player_points_props
  WHERE LOWER(market_type) = 'points' AND LOWER(bet_side) = 'over' AND player_lookup IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, player_lookup, LOWER(bookmaker)
    ORDER BY bookmaker_last_update DESC, points_line DESC
  ) = 1
),
bettingpros_line AS (
  SELECT
    game_date, player_lookup, 2 AS source_rank, 'bettingpros' AS points_line_source,
    bookmaker AS points_line_bookmaker,
    opening_line AS opening_points_line,
    points_line AS current_points_line
  FROM bettingpros
  WHERE COALESCE(is_active, FALSE) AND points_line IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, player_lookup
    ORDER BY
      CASE LOWER(bookmaker)
        WHEN 'draftkings' THEN 1 WHEN 'fanduel' THEN 2 WHEN 'bettingpros consensus' THEN 4
        ELSE 3 END,
      COALESCE(is_best_line, FALSE) DESC,
      bookmaker_last_update DESC,
      bookmaker
  ) = 1
),
lines AS (
  SELECT * FROM odds_line
  UNION ALL
  SELECT * FROM bettingpros_line
)
SELECT * EXCEPT (source_rank)
FROM lines
QUALIFY source_rank = MIN(source_rank) OVER (PARTITION BY game_date, player_lookup);
