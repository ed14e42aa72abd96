-- shared:   each PSZA build date's window: the games each player played before it
--           (`FROM shared.psza_window_games`), newest first: what the table averages and
--           what its INSUFFICIENT_DATA failures count.
-- grain:    one row per analysis_date x player x game played (played, from
--           shared/psza_player_games.sql) with game_date < analysis_date, in the same season
--           (on or after the opener) and at most 90 days back. Build dates are the dates
--           with final games (shared/final_game_dates.sql), bootstrap days included.
-- inputs:   nba_analytics.player_game_summary, nba_analytics.stg_schedule,
--           nba_reference.season_calendar (through the two shared files).
-- columns:  the build date's season_year, opener, day_index; the game's team and zone columns;
--           lacks_zones (any zone attempt column NULL: no play-by-play); game_rank (1 = the
--           newest game; readers keep game_rank <= 10 or <= 20).
-- choice:   a game's rank is a subtraction of played numbers (shared/player_games.sql)
--           from the newest one's, rather than a sort of every (date, game) pair (the sort
--           was most of PSZA's build).
WITH windows AS (
  SELECT
    b.game_date AS analysis_date,
    b.season_year,
    b.opener,
    b.day_index,
    g.game_id,
    g.game_date,
    g.player_lookup,
    g.team_abbr,
    g.paint_attempts,
    g.paint_makes,
    g.mid_range_attempts,
    g.mid_range_makes,
    g.three_attempts,
    g.three_makes,
    g.assisted_fg_makes,
    g.unassisted_fg_makes,
    g.paint_attempts IS NULL OR g.mid_range_attempts IS NULL OR g.three_attempts IS NULL AS lacks_zones,
    g.played_number
  FROM shared.final_game_dates AS b
  JOIN shared.psza_player_games AS g
    ON g.played
    AND g.game_date >= b.opener
    AND g.game_date < b.game_date
    AND DATE_DIFF(b.game_date, g.game_date, DAY) <= 90
),
newest AS (
  SELECT analysis_date, player_lookup, MAX(played_number) AS newest_number
  FROM windows
  GROUP BY analysis_date, player_lookup
)
SELECT w.* EXCEPT (played_number), n.newest_number - w.played_number + 1 AS game_rank
FROM windows AS w
JOIN newest AS n
  ON n.analysis_date = w.analysis_date AND n.player_lookup = w.player_lookup
