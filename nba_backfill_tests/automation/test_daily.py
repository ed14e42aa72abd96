"""The daily build sensor's choice of dates, over a real demo season and a clock the test
sets: game day, not final yet, raw data late, re-scrape, no-game days, off-season, and
"each date once". Expected dates come from the demo calendar, read by hand-written SQL
(support/warehouse_sql.query), not from the sensor's own queries."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import dagster as dg

from nba_backfill import catalog
from nba_backfill.assets.raw import RAW_ASSETS
from nba_backfill.assets.tables import tables_asset
from nba_backfill.automation.daily import DAILY_TAG, RANGE_END, RANGE_START, SENSOR_NAME, daily_build_sensor
from nba_backfill.automation.freshness import freshness_checks
from nba_backfill.automation.schedules import daily_build_job
from nba_backfill_tests.support.automation import ALL_TABLES, built_through, et
from nba_backfill_tests.support.warehouse_sql import execute, query

D = dt.date
OPENER = D(2023, 10, 24)


def tick(warehouse, instance, now: dt.datetime, cursor: str | None = None):
    sensor = daily_build_sensor(daily_build_job({}, ALL_TABLES), {"nba_backfill/warehouse": "duckdb"},
                                len(ALL_TABLES), clock=lambda: now)
    defs = dg.Definitions(assets=[*RAW_ASSETS, tables_asset(catalog.tables())], sensors=[sensor],
                          asset_checks=freshness_checks(ALL_TABLES), resources={"warehouse": warehouse})
    repository = defs.get_repository_def()
    context = dg.build_sensor_context(instance=instance, cursor=cursor, repository_def=repository,
                                      resources={"warehouse": warehouse})
    return repository.get_sensor_def(SENSOR_NAME).evaluate_tick(context)


def requested(data) -> list[tuple[str, str, str]]:
    """(first date, last date, kind) of each run requested."""
    out = []
    for request in data.run_requests:
        tags = request.tags
        first = request.partition_key or tags[RANGE_START]
        last = request.partition_key or tags[RANGE_END]
        out.append((first, last, tags[DAILY_TAG]))
    return out


def game_dates(warehouse, first: D, last: D) -> list[D]:
    frame = query(warehouse, "SELECT DISTINCT game_date FROM nba_raw.nbac_schedule "
                             "WHERE game_date BETWEEN ? AND ? ORDER BY 1", [first, last])
    return [d.date() for d in frame.game_date]


def delete_game(warehouse, day: D) -> str:
    """Remove one game's gamebook and team box-score rows on ``day`` (raw data not ready),
    keeping copies to put back later. Returns the game id."""
    game = query(warehouse, "SELECT MIN(game_id) AS g FROM nba_raw.nbac_team_boxscore WHERE game_date = ?", [day]).g[0]
    for table in ("nbac_gamebook_player_stats", "nbac_team_boxscore"):
        execute(warehouse, f"CREATE TABLE nba_raw.saved_{table} AS SELECT * FROM nba_raw.{table} WHERE game_id = ?", [game])
        execute(warehouse, f"DELETE FROM nba_raw.{table} WHERE game_id = ?", [game])
    return game


def restore_game(warehouse) -> None:
    for table in ("nbac_gamebook_player_stats", "nbac_team_boxscore"):
        execute(warehouse, f"INSERT INTO nba_raw.{table} SELECT * FROM nba_raw.saved_{table}")
        execute(warehouse, f"DROP TABLE nba_raw.saved_{table}")


def test_game_day_builds_the_newest_date_once(demo_warehouse, instance):
    # built through 2024-01-15 by earlier runs; it is 09:00 ET on 01-17: 01-16 is new
    assert game_dates(demo_warehouse, D(2024, 1, 15), D(2024, 1, 16)) == [D(2024, 1, 15), D(2024, 1, 16)]
    built_through(demo_warehouse, OPENER, D(2024, 1, 15))
    first = tick(demo_warehouse, instance, et(2024, 1, 17, 9))
    # one run, one date (the day before it had games: no no-game days to take along)
    assert requested(first) == [("2024-01-16", "2024-01-16", "new")]
    request = first.run_requests[0]
    assert request.tags["nba_backfill/warehouse"] == "duckdb" and request.run_key
    # 2024-01-10 (a planted game without raw rows: Gate 0 fails) is neither built nor taken as built
    assert "2024-01-10" not in json.loads(first.cursor)["built"]

    # the next tick, with the cursor the daemon stored: nothing more, even an hour later
    again = tick(demo_warehouse, instance, et(2024, 1, 17, 10), first.cursor)
    assert requested(again) == [] and "2024-01-10: raw data not ready (Gate 0" in again.skip_message
    # a tick that lost its cursor asks for the same run key (the daemon drops a repeated key)
    assert tick(demo_warehouse, instance, et(2024, 1, 17, 9)).run_requests[0].run_key == request.run_key


def test_a_date_with_a_game_not_final_waits(demo_warehouse, instance):
    built_through(demo_warehouse, OPENER, D(2024, 1, 15))
    game = query(demo_warehouse, "SELECT MIN(game_id) AS g FROM nba_raw.nbac_schedule WHERE game_date = ?",
                 [D(2024, 1, 16)]).g[0]
    execute(demo_warehouse, "UPDATE nba_raw.nbac_schedule SET game_status = 2 WHERE game_id = ?", [game])
    games = len(query(demo_warehouse, "SELECT DISTINCT game_id FROM nba_raw.nbac_schedule WHERE game_date = ?",
                      [D(2024, 1, 16)]))
    data = tick(demo_warehouse, instance, et(2024, 1, 17, 9))
    assert requested(data) == []
    assert f"2024-01-16: 1 of {games} games not final yet" in data.skip_message


def test_late_raw_data_is_built_when_it_arrives(demo_warehouse, instance):
    built_through(demo_warehouse, OPENER, D(2024, 1, 15))
    delete_game(demo_warehouse, D(2024, 1, 16))
    waiting = tick(demo_warehouse, instance, et(2024, 1, 17, 9))
    assert requested(waiting) == []  # no build before the raw data is ready
    assert "2024-01-16: raw data not ready (Gate 0" in waiting.skip_message
    # still missing past any fixed hour: still waiting, nothing missed either
    assert requested(tick(demo_warehouse, instance, et(2024, 1, 17, 15), waiting.cursor)) == []

    restore_game(demo_warehouse)  # the scraper catches up in the afternoon
    arrived = tick(demo_warehouse, instance, et(2024, 1, 17, 16), waiting.cursor)
    assert requested(arrived) == [("2024-01-16", "2024-01-16", "new")]


def test_late_date_after_later_dates_were_built_reruns_it_and_its_readers(demo_warehouse, instance):
    built_through(demo_warehouse, OPENER, D(2024, 1, 13))
    delete_game(demo_warehouse, D(2024, 1, 14))
    first = tick(demo_warehouse, instance, et(2024, 1, 16, 9))
    assert requested(first) == [("2024-01-15", "2024-01-15", "new")]  # 01-14 waits
    built_through(demo_warehouse, D(2024, 1, 15), D(2024, 1, 15))  # that run happened

    restore_game(demo_warehouse)
    late = tick(demo_warehouse, instance, et(2024, 1, 16, 13), first.cursor)
    # 01-14 and every later built date whose lookback reads it (01-15), one range run in order
    assert requested(late) == [("2024-01-14", "2024-01-15", "rerun")]
    assert "2024-01-14: raw data arrived after later dates were built" in late.run_requests[0].tags[
        "nba_backfill/daily_reason"]


def test_a_rescrape_reruns_the_date_and_its_lookback_dependents(demo_warehouse, instance):
    built_through(demo_warehouse, OPENER, D(2024, 1, 15))
    first = tick(demo_warehouse, instance, et(2024, 1, 17, 9))
    assert requested(first) == [("2024-01-16", "2024-01-16", "new")]
    built_through(demo_warehouse, D(2024, 1, 16), D(2024, 1, 16))
    assert requested(tick(demo_warehouse, instance, et(2024, 1, 17, 12), first.cursor)) == []  # nothing changed

    # the gamebook of 01-12 is re-scraped: one player's row again, newer processed_at
    rows = query(demo_warehouse, "SELECT COUNT(*) AS n FROM nba_raw.nbac_gamebook_player_stats WHERE game_date = ?",
                 [D(2024, 1, 12)]).n[0]
    execute(demo_warehouse, "INSERT INTO nba_raw.nbac_gamebook_player_stats SELECT * REPLACE "
            "(processed_at + INTERVAL 1 DAY AS processed_at) FROM nba_raw.nbac_gamebook_player_stats "
            "WHERE game_date = ? LIMIT 1", [D(2024, 1, 12)])
    rescrape = tick(demo_warehouse, instance, et(2024, 1, 17, 13), first.cursor)
    # 01-12 (its run starts the day after 01-11, the previous game date) through the newest
    # built date 01-16: the longest lookback (Phase 4 reads the whole season) reaches them all
    assert requested(rescrape) == [("2024-01-12", "2024-01-16", "rerun")]
    assert "2024-01-12: raw data changed (re-scrape)" in rescrape.run_requests[0].tags["nba_backfill/daily_reason"]
    # the re-scrape is recorded on the raw asset's partition, with the new row count
    seen = {(e.asset_key.to_user_string(), e.partition): e.tags["dagster/data_version"] for e in rescrape.asset_events}
    assert seen[("nbac_gamebook_player_stats", "2024-01-12")] == f"{rows + 1} rows"
    # once only
    assert requested(tick(demo_warehouse, instance, et(2024, 1, 17, 14), rescrape.cursor)) == []


def test_no_game_days_do_nothing_and_are_built_with_the_next_game_date(demo_warehouse, instance):
    # the All-Star break: no games 02-16 .. 02-21 in the demo schedule
    assert game_dates(demo_warehouse, D(2024, 2, 15), D(2024, 2, 22)) == [D(2024, 2, 15), D(2024, 2, 22)]
    built_through(demo_warehouse, OPENER, D(2024, 2, 15))
    for day in (18, 20, 22):  # mornings during the break
        data = tick(demo_warehouse, instance, et(2024, 2, day, 9))
        assert requested(data) == [], day
        assert data.skip_message
    after = tick(demo_warehouse, instance, et(2024, 2, 23, 9))
    # the break's days are partitions the next date's lookback guard waits for: built with it
    assert requested(after) == [("2024-02-16", "2024-02-22", "new")]


def test_off_season_does_nothing(demo_warehouse, instance):
    built_through(demo_warehouse, OPENER, D(2024, 6, 17))
    data = tick(demo_warehouse, instance, et(2024, 8, 1, 9))
    assert requested(data) == [] and "off-season" in data.skip_message
    # the first morning after the season's last day still looks back at the Finals: all built
    assert requested(tick(demo_warehouse, instance, et(2024, 6, 19, 9))) == []


def test_first_start_over_a_backfilled_season_takes_it_as_built(demo_warehouse, instance):
    built_through(demo_warehouse, OPENER, D(2024, 1, 16))
    data = tick(demo_warehouse, instance, et(2024, 1, 17, 9))
    assert requested(data) == []
    remembered = json.loads(data.cursor)["built"]
    # every ready game date of the window, not the Gate-0-failing 01-10
    assert sorted(remembered) == [f"2024-01-{d:02d}" for d in (11, 12, 13, 14, 15, 16)]


def test_a_locked_warehouse_is_one_line_not_an_error(demo_warehouse, instance):
    # another process writing (a build): the tick says so in one line and tries again later
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
         "time.sleep(60)", demo_warehouse.path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        data = tick(demo_warehouse, instance, et(2024, 1, 17, 9))
    finally:
        holder.kill()
        holder.wait()
    assert requested(data) == [] and data.skip_message.startswith("warehouse not readable this tick")
    assert "\n" not in data.skip_message
