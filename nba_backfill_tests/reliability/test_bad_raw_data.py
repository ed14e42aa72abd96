"""Bad raw data never crashes a build, never reaches a Phase 3 row, and is always reported.

A clean one-date warehouse (the 2023-24 opener of the demo data: two final games, 60
gamebook rows, 4 team box scores) is corrupted by hypothesis in the ways real scrapes
break: NULL keys, exact duplicates (re-scrapes), negative stats, absurd minutes
("99:99", "300:00", "abc") and points (200), a row moved to a date outside every season,
a player listed for both teams, a game with one team only, a schedule row with a NULL
key, one team on both sides or an off-season date. Each corrupted raw row gets its own
``processed_at`` marker (2001-01-01 plus n seconds) so the test can follow it.

The date is then built through the same Dagster multi-asset a backfill runs (guard,
gates, range writes, run history), and the test checks, from what it planted alone:

- the run succeeds (no exception escapes, no date fails);
- every corrupted row that staging still sees carries a ``row_problem``;
- no Phase 3 row comes from a corrupted row: no player_game_summary / upcoming context row
  for a corrupted gamebook row's player, no ``team_boxscore`` line for a corrupted team box
  score;
- the corruption is reported: a failure row for the player or team (INCOMPLETE_DATA /
  MISSING_DEPENDENCY) where the row still names its game and date, or, when a team of a
  game is no longer ready (its box score unusable and fewer than 5 usable active players,
  or no usable gamebook row) or the schedule row itself is broken, Gate 0 fails the date
  and every same-date reader of the gamebook / box score refuses it (run history
  ``skipped``), so nothing is built for it at all. On this first build the team context
  waits too: it reads the team offense table, which has then never been built;
- exact duplicates change nothing: with every raw row copied once more, the build equals
  the clean build row for row (failure rows included).

A further test puts one of each row-level corruption on one game and runs all ten assets
(Phase 4 included: on a bootstrap day the feature store still writes a row per player).
The last one loads a CSV export with one value of the wrong type through `nba-backfill
load` over a date already loaded: one `error:` line, exit 1, that date's raw rows unchanged.


Which team is "ready" is computed here, in Python, from the clean rows and the list of
corruptions: it never asks the code under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from nba_backfill import catalog
from nba_backfill.assets.tables import tables_asset
from nba_backfill.demo.write import write_demo_data
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.warehouse_sql import execute, query

D = dt.date(2023, 10, 24)  # the 2023-24 opener: 2 final games; a Phase 4 bootstrap day
OFF_SEASON = dt.date(2023, 8, 1)  # between 2022-23 and 2023-24: in no season
MARK = pd.Timestamp("2001-01-01", tz="UTC")  # processed_at of corrupted row n: MARK + n s

RAW = ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_player_boxscores",
       "bigdataball_play_by_play", "nbac_play_by_play", "odds_api_player_points_props",
       "bettingpros_player_points_props", "odds_api_game_lines")  # fmt: skip
GAMEBOOK, TEAM_BOX, SCHEDULE = "nbac_gamebook_player_stats", "nbac_team_boxscore", "nbac_schedule"
GAMEBOOK_STATS = ("points", "field_goals_made", "field_goals_attempted", "three_pointers_made",
                  "three_pointers_attempted", "free_throws_made", "free_throws_attempted",
                  "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists", "steals",
                  "blocks", "turnovers", "personal_fouls")  # fmt: skip
TEAM_STATS = ("fg_made", "fg_attempted", "three_pt_made", "three_pt_attempted", "ft_made", "ft_attempted",
              "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists", "steals", "blocks",
              "turnovers", "personal_fouls", "points")  # fmt: skip
BAD_MINUTES = ("99:99", "300:00", "-3:00", "abc", "12:75", "1e9")
# SPEC §4 / test_one_bad_date: the same-date readers of the raw gamebook or box score; the
# team context reads the schedule only, so a date Gate 0 fails is still built for it
GATED = {"team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
         "upcoming_player_game_context"}  # fmt: skip

ROW_KINDS = ("null_key_gamebook", "null_key_team_box", "negative_gamebook", "negative_team_box",
             "minutes", "points", "off_season", "both_teams")  # fmt: skip
DATE_KINDS = ("one_team", "schedule_null_key", "schedule_same_team", "schedule_off_season")
KINDS = (*ROW_KINDS, *DATE_KINDS, "duplicate")


# -- the clean warehouse and its build ----------------------------------------------------


TABLES = tables_asset(catalog.tables())
PHASE3 = catalog.tables_in("analytics")


def build(path: Path, tables=tuple(PHASE3)) -> dg.ExecuteInProcessResult:
    """The date through the real table multi-asset (guard, gates, writes, run history)."""
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    return dg.materialize(
        [TABLES], selection=list(tables), resources={"warehouse": warehouse},
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        tags={"dagster/asset_partition_range_start": D.isoformat(),
              "dagster/asset_partition_range_end": D.isoformat()},
    )  # fmt: skip


VOLATILE = {"run_id", "created_at", "processed_at"}  # differ between two builds of the same rows


def phase3(path: Path) -> dict[str, pd.DataFrame]:
    """Every Phase 3 table's rows on D, sorted, without the per-run columns."""
    warehouse = DuckDBWarehouse(path=str(path))
    out = {}
    for name in (*PHASE3, "analytics_failures"):
        dataset = "nba_processing" if name == "analytics_failures" else "nba_analytics"
        column = "analysis_date" if name == "analytics_failures" else "game_date"
        frame = query(warehouse, f"SELECT * FROM {dataset}.{name} WHERE {column} = ?", [D])
        frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE])
        out[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return out


class Clean(tuple):
    """(raw-only warehouse path, clean Phase 3 frames); a short repr for failure reports."""

    def __repr__(self) -> str:
        return f"Clean({self[0]})"


@pytest.fixture(scope="module")
def bad_clean(tmp_path_factory):
    """(path of a raw-only warehouse holding just D, Phase 3 built from it cleanly)."""
    path = tmp_path_factory.mktemp("bad_raw") / "clean.duckdb"
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    write_demo_data(warehouse, [load_calendar().by_label("2023-24")], 7)
    for table in RAW:
        execute(warehouse, f"DELETE FROM nba_raw.{table} WHERE game_date IS DISTINCT FROM ?", [D])
    execute(warehouse, "CHECKPOINT")
    # the corruptions below assume one row per key (no re-scrapes) on D
    dupes = query(warehouse, f"SELECT COUNT(*) - COUNT(DISTINCT (game_id, player_lookup)) AS n FROM nba_raw.{GAMEBOOK}")
    assert dupes.n[0] == 0
    baseline = path.with_name("baseline.duckdb")
    shutil.copyfile(path, baseline)
    assert build(baseline).success
    return Clean((path, phase3(baseline)))


def fresh_copy(clean: Path, tmp_dir: Path) -> Path:
    copy = tmp_dir / f"w{len(list(tmp_dir.iterdir()))}.duckdb"
    shutil.copyfile(clean, copy)
    return copy


def rows_on_d(warehouse, table: str) -> int:
    """Rows of an nba_analytics table on D; 0 when a first build refused D (no table yet)."""
    exists = query(warehouse, "SELECT COUNT(*) AS n FROM information_schema.tables "
                              "WHERE table_schema = 'nba_analytics' AND table_name = ?", [table]).n[0]  # fmt: skip
    if not exists:
        return 0
    return int(query(warehouse, f"SELECT COUNT(*) AS n FROM nba_analytics.{table} WHERE game_date = ?", [D]).n[0])


# -- corruptions --------------------------------------------------------------------------


@dataclass
class Planted:
    """What the test planted, to judge the build by."""

    bad_players: set  # (game_id, player_lookup, team_abbr) whose gamebook row is unusable
    reported_players: set  # (game_id, entity_id) a PGS failure row must name
    bad_team_boxes: set  # (game_id, team_abbr) whose box score is unusable
    reported_teams: set  # team_abbr a TOGS failure row must name
    gone_rows: dict  # (game_id, team_abbr) -> active gamebook rows the team lost
    gone_any: dict  # (game_id, team_abbr) -> gamebook rows (any status) the team lost
    dead_teams: set  # (game_id, team_abbr) with every raw row deleted
    broken_schedule: bool = False
    markers: int = 0


def rowids(warehouse, table: str) -> list[int]:
    """Row ids of a raw table in a fixed order, so an index means the same row every time."""
    order = {SCHEDULE: "game_id", TEAM_BOX: "game_id, team_abbr", GAMEBOOK: "game_id, player_lookup"}
    return list(query(warehouse, f"SELECT rowid AS r FROM nba_raw.{table} ORDER BY {order.get(table, 'ALL')}").r)


def one_row(warehouse, table: str, rowid: int) -> dict:
    return query(warehouse, f"SELECT * FROM nba_raw.{table} WHERE rowid = ?", [rowid]).iloc[0].to_dict()


def plant(warehouse, corruptions) -> Planted:
    planted = Planted(set(), set(), set(), set(), {}, {}, set())
    schedule = query(warehouse, f"SELECT * FROM nba_raw.{SCHEDULE}")
    opponent = {}
    for _, game in schedule.iterrows():
        opponent[(game.game_id, game.home_team_tricode)] = game.away_team_tricode
        opponent[(game.game_id, game.away_team_tricode)] = game.home_team_tricode
    touched: set[tuple[str, int]] = set()

    def mark(table: str, rowid: int) -> None:
        planted.markers += 1
        execute(warehouse, f"UPDATE nba_raw.{table} SET processed_at = ? WHERE rowid = ?",
                [MARK + pd.Timedelta(seconds=planted.markers), rowid])

    def lose(row: dict) -> None:
        key = (row["game_id"], row["team_abbr"])
        planted.gone_any[key] = planted.gone_any.get(key, 0) + 1
        if row["player_status"] == "active":
            planted.gone_rows[key] = planted.gone_rows.get(key, 0) + 1

    for kind, index, choice in corruptions:
        table = {"null_key_team_box": TEAM_BOX, "negative_team_box": TEAM_BOX, "one_team": SCHEDULE,
                 "schedule_null_key": SCHEDULE, "schedule_same_team": SCHEDULE,
                 "schedule_off_season": SCHEDULE}.get(kind, GAMEBOOK)  # fmt: skip
        if kind == "duplicate":
            table = [t for t in RAW if rowids(warehouse, t)][choice % 8]
        ids = rowids(warehouse, table)
        rowid = ids[index % len(ids)]
        if (table, rowid) in touched:
            continue  # one corruption per row: the second would hide the first
        touched.add((table, rowid))
        row = one_row(warehouse, table, rowid)

        if kind == "duplicate":  # an exact re-scrape: same values, same processed_at
            execute(warehouse, f"INSERT INTO nba_raw.{table} SELECT * FROM nba_raw.{table} WHERE rowid = ?", [rowid])
        elif kind in ("one_team",):
            team = row["home_team_tricode"] if choice % 2 else row["away_team_tricode"]
            for raw in (TEAM_BOX, GAMEBOOK, "nbac_player_boxscores"):
                execute(warehouse, f"DELETE FROM nba_raw.{raw} WHERE game_id = ? AND team_abbr = ?",
                        [row["game_id"], team])
            planted.dead_teams.add((row["game_id"], team))
        elif kind.startswith("schedule"):
            if kind == "schedule_null_key":
                column = ("game_id", "game_date", "home_team_tricode", "away_team_tricode")[choice % 4]
                execute(warehouse, f"UPDATE nba_raw.{table} SET {column} = NULL WHERE rowid = ?", [rowid])
            elif kind == "schedule_same_team":
                execute(warehouse, f"UPDATE nba_raw.{table} SET away_team_tricode = home_team_tricode WHERE rowid = ?", [rowid])
            else:
                execute(warehouse, f"UPDATE nba_raw.{table} SET game_date = ? WHERE rowid = ?", [OFF_SEASON, rowid])
            mark(table, rowid)
            planted.broken_schedule = True
        elif table == TEAM_BOX:
            key = (row["game_id"], row["team_abbr"])
            if kind == "null_key_team_box":
                column = ("game_id", "game_date", "team_abbr")[choice % 3]
                execute(warehouse, f"UPDATE nba_raw.{table} SET {column} = NULL WHERE rowid = ?", [rowid])
            else:
                column = TEAM_STATS[choice % len(TEAM_STATS)]
                execute(warehouse, f"UPDATE nba_raw.{table} SET {column} = ? WHERE rowid = ?", [-1 - choice % 30, rowid])
                planted.reported_teams.add(row["team_abbr"])
            mark(table, rowid)
            planted.bad_team_boxes.add(key)
        else:  # one gamebook row
            game, player, team = row["game_id"], row["player_lookup"], row["team_abbr"]
            reported = True  # the row still names its game and date: a failure row must say so
            if kind == "null_key_gamebook":
                column = ("game_id", "game_date", "player_lookup", "team_abbr")[choice % 4]
                execute(warehouse, f"UPDATE nba_raw.{table} SET {column} = NULL WHERE rowid = ?", [rowid])
                reported = column in ("player_lookup", "team_abbr")
                entity = game if column == "player_lookup" else player
            else:
                entity = player
                if kind == "negative_gamebook":
                    column = GAMEBOOK_STATS[choice % len(GAMEBOOK_STATS)]
                    execute(warehouse, f"UPDATE nba_raw.{table} SET {column} = ? WHERE rowid = ?", [-1 - choice % 30, rowid])
                elif kind == "minutes":
                    execute(warehouse, f"UPDATE nba_raw.{table} SET minutes = ? WHERE rowid = ?",
                            [BAD_MINUTES[choice % len(BAD_MINUTES)], rowid])
                elif kind == "points":  # 200, or more than the made shots add up to
                    points = 200 if choice % 2 else int(row["points"] or 0) + 1 + choice % 150
                    execute(warehouse, f"UPDATE nba_raw.{table} SET points = ? WHERE rowid = ?", [points, rowid])
                elif kind == "off_season":
                    execute(warehouse, f"UPDATE nba_raw.{table} SET game_date = ? WHERE rowid = ?", [OFF_SEASON, rowid])
                    reported = False  # it now sits on a date that is never built
                elif kind == "both_teams":  # the same scrape lists him for the other team too
                    execute(
                        warehouse,
                        f"INSERT INTO nba_raw.{table} SELECT * REPLACE (? AS team_abbr) FROM nba_raw.{table} WHERE rowid = ?",
                        [opponent[(game, team)], rowid],
                    )
                    execute(warehouse, f"UPDATE nba_raw.{table} SET processed_at = ? WHERE game_id = ? AND player_lookup = ?",
                            [MARK + pd.Timedelta(seconds=planted.markers + 1), game, player])
                    planted.markers += 1
            if kind != "both_teams":
                mark(table, rowid)
            planted.bad_players.add((game, player, team))
            lose(row)
            if reported:
                planted.reported_players.add((game, entity))
    return planted


def date_ready(clean: pd.DataFrame, box: pd.DataFrame, planted: Planted) -> bool:
    """Gate 0 by hand (SPEC §6): every team of every final game has a usable box score or
    ≥ 5 usable active gamebook players, and at least one usable gamebook row."""
    if planted.broken_schedule or planted.dead_teams:
        return False
    teams = {(g, t) for g, t in zip(box.game_id, box.team_abbr)}
    for key in teams:
        rows = clean[(clean.game_id == key[0]) & (clean.team_abbr == key[1])]
        active = int((rows.player_status == "active").sum()) - planted.gone_rows.get(key, 0)
        usable = len(rows) - planted.gone_any.get(key, 0)
        if not ((key not in planted.bad_team_boxes or active >= 5) and usable > 0):
            return False
    return True


corruption = st.tuples(st.sampled_from(KINDS), st.integers(0, 200), st.integers(0, 200))
# Each example is a real Dagster run (~3 s here), so: few examples, derandomized (the same
# ones in every CI run), no deadline, and no shrinking: a failing example is reported as
# generated (at most 3 corruptions, readable as they are) instead of after minutes of runs.
PROPERTY = dict(deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate), database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


# -- the properties -----------------------------------------------------------------------


@settings(max_examples=4, **PROPERTY)
@given(corruptions=st.lists(corruption, min_size=1, max_size=3))
# the kinds the few generated examples may miss, always tried: a game with one team only;
# one team on both sides of the schedule, with an unreadable minutes value beside it
@example(corruptions=[("one_team", 0, 1)])
@example(corruptions=[("schedule_same_team", 1, 0), ("minutes", 5, 0), ("points", 40, 1)])
def test_bad_rows_are_reported_and_never_built_from(bad_clean, tmp_path_factory, corruptions):
    clean_path, _ = bad_clean
    path = fresh_copy(clean_path, tmp_path_factory.mktemp("bad_example"))
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    clean_gamebook = query(warehouse, f"SELECT * FROM nba_raw.{GAMEBOOK}")
    clean_box = query(warehouse, f"SELECT game_id, team_abbr FROM nba_raw.{TEAM_BOX}")
    planted = plant(warehouse, corruptions)

    result = build(path)

    assert result.success, "a build must not fail on data"
    history = query(warehouse, "SELECT processor_name, status, skip_reason FROM nba_reference.processor_run_history "
                               "WHERE data_date = ?", [D])  # fmt: skip
    skipped = set(history[history.status == "skipped"].processor_name)
    ready = date_ready(clean_gamebook, clean_box, planted)
    # a first build: when the game summaries refuse D, the team context (which reads the
    # team offense table over earlier dates) waits for that table's first build
    assert skipped == (set() if ready else GATED | {"upcoming_team_game_context"}), history.to_dict("records")
    if not ready:
        reasons = " ".join(history[history.status == "skipped"].skip_reason)
        assert "gate_0_raw_readiness" in reasons
        for table in GATED:
            assert rows_on_d(warehouse, table) == 0, table

    # every corrupted row staging still sees is flagged (a NULL key can hide a row from the
    # dedup of another; a hidden row cannot reach anything either)
    for view in ("stg_gamebook", "stg_team_boxscore", "stg_schedule_rows"):
        marked = query(warehouse, f"SELECT row_problem FROM nba_analytics.{view} WHERE processed_at < ?",
                       [MARK + pd.Timedelta(days=1)])
        assert marked.row_problem.notna().all(), (view, marked)

    if not ready:
        return  # nothing was built on D: nothing can come from a corrupted row
    pgs = query(warehouse, "SELECT game_id, player_lookup, team_abbr FROM nba_analytics.player_game_summary")
    upgc = query(warehouse, "SELECT game_id, player_lookup FROM nba_analytics.upcoming_player_game_context")
    built_players = set(zip(pgs.game_id, pgs.player_lookup))
    for game, player, _ in planted.bad_players:
        assert (game, player) not in built_players, f"PGS built from a corrupted row of {player}"
        assert (game, player) not in set(zip(upgc.game_id, upgc.player_lookup))
    togs = query(warehouse, "SELECT game_id, team_abbr, primary_source FROM nba_analytics.team_offense_game_summary")
    from_box = togs[togs.primary_source == "team_boxscore"]
    assert not (set(zip(from_box.game_id, from_box.team_abbr)) & planted.bad_team_boxes), "TOGS built from a bad box score"

    # built: the failure rows name what was excluded
    failures = query(warehouse, "SELECT processor_name, entity_id, failure_category, failure_reason "
                                "FROM nba_processing.analytics_failures WHERE analysis_date = ?", [D])  # fmt: skip
    pgs_failed = failures[failures.processor_name == "player_game_summary"]
    for game, entity in planted.reported_players:
        assert entity in set(pgs_failed.entity_id), (entity, pgs_failed.to_dict("records"))
        assert (pgs_failed[pgs_failed.entity_id == entity].failure_category == "INCOMPLETE_DATA").all()
    togs_failed = failures[failures.processor_name == "team_offense_game_summary"]
    assert planted.reported_teams <= set(togs_failed.entity_id), togs_failed.to_dict("records")


def test_every_raw_row_scraped_twice_changes_nothing(bad_clean, tmp_path_factory):
    """SPEC §1: raw tables hold re-scrapes; readers deduplicate. Every row of every raw
    table copied exactly once more gives the clean build, row for row, failures included."""
    clean_path, baseline = bad_clean
    path = fresh_copy(clean_path, tmp_path_factory.mktemp("dup_example"))
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    for table in RAW:
        execute(warehouse, f"INSERT INTO nba_raw.{table} SELECT * FROM nba_raw.{table}")

    assert build(path).success
    built = phase3(path)
    for name, frame in baseline.items():
        pd.testing.assert_frame_equal(built[name], frame, check_dtype=False, obj=name)


def test_every_kind_at_once_through_phase4(bad_clean, tmp_path_factory):
    """One of each row-level corruption on one game, through all ten assets: the run
    succeeds, the feature store (a placeholder row per player on a bootstrap day) has no
    row for a corrupted player, and the other game is built exactly as from clean data."""
    clean_path, baseline = bad_clean
    path = fresh_copy(clean_path, tmp_path_factory.mktemp("all_kinds"))
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    # gamebook rows are ordered by game then player: indexes 0..29 are 20231024_ATL_ORL
    planted = plant(warehouse, [("negative_gamebook", 0, 3), ("minutes", 2, 0), ("points", 4, 1),
                                ("both_teams", 6, 0), ("null_key_gamebook", 8, 2), ("off_season", 10, 0),
                                ("negative_team_box", 0, 5), ("duplicate", 3, 2)])  # fmt: skip
    assert {g for g, *_ in planted.bad_players} == {"20231024_ATL_ORL"}

    result = build(path, tuple(catalog.tables()))

    assert result.success
    mlfs = query(warehouse, "SELECT game_id, player_lookup FROM nba_predictions.ml_feature_store_v2 WHERE game_date = ?", [D])
    assert len(mlfs) > 0
    for game, player, _ in planted.bad_players:
        assert (game, player) not in set(zip(mlfs.game_id, mlfs.player_lookup))
    built = phase3(path)
    other = "20231024_CHI_BOS"
    for name in ("player_game_summary", "upcoming_player_game_context"):
        mine = built[name][built[name].game_id == other].reset_index(drop=True)
        theirs = baseline[name][baseline[name].game_id == other].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs, check_dtype=False, obj=name)


# -- a CSV with wrong types, through `nba-backfill load` ------------------------------------


@pytest.mark.parametrize("column, value", [("PTS", "twelve"), ("MIN", "99:99"), ("FGM", "4.5"), ("GAME_DATE", "2023-13-45")])
def test_a_csv_with_wrong_types_loses_nothing_already_loaded(tmp_path, capsys, monkeypatch, column, value):
    """A date loaded from good exports, then the same exports again with one value of the
    wrong type: exit 1 with one `error:` line naming the row and the date held back, and
    every raw row of that date exactly as the first load wrote it (processed_at included:
    nothing was rewritten)."""
    from nba_backfill import cli
    from nba_backfill_tests.support.nba_api_files import DEN, LAL, PLAYER_LOG_HEADER, player_row, write_csv

    warehouse = DuckDBWarehouse(path=str(tmp_path / "w.duckdb"), lock_timeout_seconds=5)
    monkeypatch.setenv("NBA_BACKFILL_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_BACKFILL_DUCKDB_PATH", warehouse.path)
    rows = [player_row(p, "DEN", "LAL", True) for p in DEN] + [player_row(p, "LAL", "DEN", False) for p in LAL]
    good = write_csv(tmp_path / "good.csv", PLAYER_LOG_HEADER, rows)
    assert cli.main(["load", "--player-logs", str(good)]) == 0
    capsys.readouterr()
    tables = ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats")
    loaded = {t: query(warehouse, f"SELECT * FROM nba_raw.{t} ORDER BY ALL") for t in tables}
    assert len(loaded["nbac_gamebook_player_stats"]) == 10

    rows[3][PLAYER_LOG_HEADER.index(column)] = value  # line 5 of the file: Aaron Gordon
    broken = write_csv(tmp_path / "broken.csv", PLAYER_LOG_HEADER, rows)
    code = cli.main(["load", "--player-logs", str(broken)])

    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == ("error: 1 row unusable: dates 2023-10-24 not loaded (the warehouse keeps what it had "
                           "for them). Fix the rows listed and load again")  # fmt: skip
    assert f"  {broken}:5: " in out and "Traceback" not in out + err
    for table in tables:
        pd.testing.assert_frame_equal(query(warehouse, f"SELECT * FROM nba_raw.{table} ORDER BY ALL"), loaded[table])
