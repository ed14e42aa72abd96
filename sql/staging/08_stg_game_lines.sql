-- view:   nba_analytics.stg_game_lines   (spread and total per game and team, for UPGC/UTGC)
-- grain:  one row per game x team (both teams of every scheduled game with a line).
-- Snapshot: each bookmaker's latest pre-tip snapshot per market. The raw game lines carry
--   no tip-off time, so tip-off is inferred from the same game's player-prop snapshots
--   (snapshot_timestamp + minutes_before_tipoff, earliest); a game without props uses
--   midnight UTC after the game date (before every evening tip in US time zones).
-- game_spread: from the team's point of view (negative = the team is favoured): the
--   bookmaker's point for the team's own outcome, else minus the opponent's point.
-- game_total: the 'Over' outcome's point (else 'Under').
-- Both are the median across bookmakers (middle value, or the mean of the middle two),
--   written with ROW_NUMBER because BigQuery has no MEDIAN aggregate.
CREATE OR REPLACE VIEW nba_analytics.stg_game_lines AS
WITH tipoff AS (
  SELECT
    game_date, game_id,
    MIN(TIMESTAMP_ADD(snapshot_timestamp, INTERVAL minutes_before_tipoff MINUTE)) AS tipoff_at
  FROM nba_raw.odds_api_player_points_props
  WHERE minutes_before_tipoff >= 0 AND game_id IS NOT NULL
  GROUP BY game_date, game_id
),
latest AS (
  SELECT
    l.game_date, l.game_id, l.bookmaker_key, LOWER(l.market_key) AS market,
    UPPER(l.outcome_name) AS outcome, l.outcome_point
  FROM nba_raw.odds_api_game_lines AS l
  LEFT JOIN tipoff AS t
    ON t.game_date = l.game_date AND t.game_id = l.game_id
  WHERE l.outcome_point IS NOT NULL
    AND l.snapshot_timestamp <= COALESCE(
      t.tipoff_at, TIMESTAMP(DATE_ADD(l.game_date, INTERVAL 1 DAY), 'UTC'))
  QUALIFY l.snapshot_timestamp = MAX(l.snapshot_timestamp) OVER (
    PARTITION BY l.game_date, l.game_id, l.bookmaker_key, LOWER(l.market_key)
  )
),
sides AS (
  SELECT game_date, game_id, home_team_abbr AS team_abbr, away_team_abbr AS opponent_team_abbr
  FROM nba_analytics.stg_schedule
  UNION ALL
  SELECT game_date, game_id, away_team_abbr, home_team_abbr
  FROM nba_analytics.stg_schedule
),
book_spread AS (
  SELECT
    s.game_date, s.game_id, s.team_abbr, l.bookmaker_key,
    COALESCE(
      MAX(IF(l.outcome = UPPER(s.team_abbr), l.outcome_point, NULL)),
      -MAX(IF(l.outcome = UPPER(s.opponent_team_abbr), l.outcome_point, NULL))
    ) AS spread
  FROM sides AS s
  JOIN latest AS l
    ON l.game_date = s.game_date AND l.game_id = s.game_id AND l.market = 'spreads'
  GROUP BY s.game_date, s.game_id, s.team_abbr, l.bookmaker_key
),
book_total AS (
  SELECT
    game_date, game_id, bookmaker_key,
    COALESCE(MAX(IF(outcome = 'OVER', outcome_point, NULL)),
             MAX(IF(outcome = 'UNDER', outcome_point, NULL))) AS total
  FROM latest
  WHERE market = 'totals'
  GROUP BY game_date, game_id, bookmaker_key
),
spread_ranked AS (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY game_date, game_id, team_abbr ORDER BY spread) AS rn,
    COUNT(*) OVER (PARTITION BY game_date, game_id, team_abbr) AS n
  FROM book_spread
  WHERE spread IS NOT NULL
),
total_ranked AS (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY game_date, game_id ORDER BY total) AS rn,
    COUNT(*) OVER (PARTITION BY game_date, game_id) AS n
  FROM book_total
  WHERE total IS NOT NULL
),
spread_median AS (
  SELECT game_date, game_id, team_abbr, AVG(spread) AS game_spread
  FROM spread_ranked
  WHERE 2 * rn BETWEEN n AND n + 2
  GROUP BY game_date, game_id, team_abbr
),
total_median AS (
  SELECT game_date, game_id, AVG(total) AS game_total
  FROM total_ranked
  WHERE 2 * rn BETWEEN n AND n + 2
  GROUP BY game_date, game_id
)
SELECT s.game_date, s.game_id, s.team_abbr, sm.game_spread, tm.game_total
FROM sides AS s
LEFT JOIN spread_median AS sm
  ON sm.game_date = s.game_date AND sm.game_id = s.game_id AND sm.team_abbr = s.team_abbr
LEFT JOIN total_median AS tm
  ON tm.game_date = s.game_date AND tm.game_id = s.game_id
WHERE sm.game_spread IS NOT NULL OR tm.game_total IS NOT NULL;
