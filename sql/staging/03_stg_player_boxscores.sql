-- view:   nba_analytics.stg_player_boxscores   (staging over nba_raw.nbac_player_boxscores,
--         the fallback player stats: players who appeared, no DNP rows)
-- grain:  one row per game x player: re-scrapes collapse to the latest processed_at.
-- shared:   the rows, minutes_played and row_problem from shared/player_stat_rows.sql (feed
--         'player_boxscores'): the rules of stg_gamebook (02_stg_gamebook.sql), one copy.
-- row_problem: NULL for a usable row, else why the row is unusable. Unusable rows are
--         kept here, not dropped, so the failure SQL can report them (INCOMPLETE_DATA);
--         every Phase 3 query reads only `row_problem IS NULL`. A row is unusable with
--         a NULL key; minutes that are unreadable (not "M:SS" with seconds < 60: "99:99",
--         "abc"), negative, or beyond any game (over 78:00, a six-overtime game, the
--         longest ever played); a game_date other than the date in its system game_id
--         (YYYYMMDD_AWAY_HOME, SPEC §0; other id formats are not judged on it); a team
--         that is not one of the game's two; the player listed for both teams in one
--         scrape (same processed_at: which one is true cannot be told, so neither is
--         used; a later scrape settles it); or a stat that cannot happen (negative
--         counts, made > attempted, threes beyond field goals, points other than
--         2 x FGM + 3PM + FTM where all four are given: "200 points" from 10 made shots).
CREATE OR REPLACE VIEW nba_analytics.stg_player_boxscores AS
SELECT * EXCEPT (feed, player_status, dnp_reason)
FROM shared.player_stat_rows AS r
WHERE feed = 'player_boxscores';
