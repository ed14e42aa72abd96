"""Hostile input never reaches SQL (or a shell) as text.

SQL and shell text is planted in every place a user or an operator can type into: CLI
arguments (dates, seasons, asset names), Dagster partition keys, run tags and run config
(the UI's launchpad), and the contents of a CSV loaded with `nba-backfill load`. Each test
proves, by reading the warehouse itself, that every raw table is unchanged (a checksum of
every row of every nba_raw table, and the list of every table and view in every schema)
and that no canary file was created by a shell. Values are refused with one clear line or
stored as plain data, never executed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

from nba_backfill import catalog, cli
from nba_backfill.assets.tables import tables_asset
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support import handmade
from nba_backfill_tests.support.nba_api_files import DEN, LAL, PLAYER_LOG_HEADER, player_row, write_csv
from nba_backfill_tests.support.warehouse_sql import query

# a file a shell would create if any payload ever reached one
CANARY = Path(f"/tmp/nba_backfill_pwned_{os.getpid()}")
SQL_TEXT = "2024-01-01'; DROP TABLE nba_raw.nbac_schedule; --"
PAYLOADS = (
    SQL_TEXT,
    "x' OR '1'='1'; DELETE FROM nba_raw.nbac_gamebook_player_stats; --",
    f"$(touch {CANARY})",
    f"`touch {CANARY}`",
    f"2023-11-01; touch {CANARY} #",
)
TABLES = tables_asset(catalog.tables())


def fingerprint(warehouse: DuckDBWarehouse, except_date: dt.date | None = None) -> dict:
    """Every table and view in every schema, and per nba_raw table its row count and an md5
    of all its rows (optionally leaving out one date, the one a load is meant to write)."""
    with warehouse.connect(read_only=True) as connection:  # one connection: ~80 fingerprints a run
        objects = connection.execute("SELECT table_schema, table_name, table_type FROM information_schema.tables").fetchall()
        prints: dict = {"objects": sorted(objects)}
        for table in sorted(name for schema, name, _ in objects if schema == "nba_raw"):
            prints[table] = connection.execute(
                f"SELECT COUNT(*), md5(COALESCE(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR)), '')) "
                f"FROM nba_raw.{table} AS t WHERE game_date IS DISTINCT FROM ?",
                [except_date],
            ).fetchone()
    return prints


def raw_warehouse(path: Path) -> DuckDBWarehouse:
    """The hand-made Phase 2 tables (SPEC §1, every raw table has rows)."""
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    warehouse.setup()
    handmade.load(warehouse)
    return warehouse


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory):
    """(warehouse, its fingerprint) shared by the tests that must change nothing at all."""
    warehouse = raw_warehouse(tmp_path_factory.mktemp("hostile") / "w.duckdb")
    return warehouse, fingerprint(warehouse)


@pytest.fixture
def hostile_env(hostile_warehouse, tmp_path, monkeypatch):
    warehouse, _ = hostile_warehouse
    monkeypatch.setenv("NBA_BACKFILL_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_BACKFILL_DUCKDB_PATH", warehouse.path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    CANARY.unlink(missing_ok=True)
    return hostile_warehouse


def assert_untouched(warehouse: DuckDBWarehouse, before: dict) -> None:
    assert fingerprint(warehouse) == before, "a raw table or a schema object changed"
    assert not CANARY.exists(), "a shell ran a payload"


# -- CLI arguments ------------------------------------------------------------------------

RANGE = ("--start", "2023-11-01", "--end", "2023-11-05")
CLI_CASES = [
    ("backfill", "--start", "{p}", "--end", "2023-11-05"),
    ("backfill", "--start", "2023-11-01", "--end", "{p}"),
    ("backfill", "--season", "{p}"),
    ("backfill", *RANGE, "--select", "{p}"),
    ("backfill", *RANGE, "--select", "player_game_summary,{p}"),
    ("backfill", "--season", "2023-24,{p}", "--missing-only"),
    ("plan", "--start", "{p}", "--end", "2023-11-05"),
    ("plan", "--season", "{p}", "--json"),
    ("gaps", "--start", "2023-11-01", "--end", "{p}"),
    ("validate", "--start", "{p}", "--end", "2023-11-05"),
    ("validate", "--season", "{p}", "--strict"),
    ("preflight", "--start", "2023-11-01", "--end", "{p}"),
    ("report", "--season", "{p}"),
    ("demo-data", "--seasons", "{p}"),
]


def case_id(case: tuple[str, ...]) -> str:
    """`backfill-select-list`: the command, the option carrying the payload, `-list` when
    the payload is the second item of a list."""
    at = next(i for i, a in enumerate(case) if "{p}" in a)
    return f"{case[0]}-{case[at - 1].strip('-')}" + ("-list" if "," in case[at] else "")


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("case", CLI_CASES, ids=case_id)
def test_cli_arguments_carrying_sql_or_shell_are_refused_in_one_line(hostile_env, capsys, case, payload):
    """Every date, season and asset argument of every command: exit 1, one `error:` line
    naming the bad value, nothing run, nothing changed."""
    warehouse, before = hostile_env
    args = [a.replace("{p}", payload) for a in case]

    code = cli.main(args)

    err = capsys.readouterr().err.strip()
    assert code == 1, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert_untouched(warehouse, before)


def test_a_dataset_prefix_carrying_sql_is_refused(hostile_env, capsys, monkeypatch):
    """The prefix becomes part of schema names: only letters, digits and underscores."""
    warehouse, before = hostile_env
    monkeypatch.setenv("NBA_BACKFILL_DATASET_PREFIX", 'x"; DROP SCHEMA nba_raw CASCADE; --')

    code = cli.main(["validate", *RANGE])

    err = capsys.readouterr().err.strip()
    assert code == 1 and err.startswith("error: NBA_BACKFILL_DATASET_PREFIX=") and len(err.splitlines()) == 1
    assert_untouched(warehouse, before)


# -- Dagster: partition keys, run tags, run config -----------------------------------------


def materialize(warehouse, **kwargs) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [TABLES], selection=["team_offense_game_summary"], resources={"warehouse": warehouse},
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_a_hostile_partition_key_or_range_is_refused_before_any_step(hostile_env, payload):
    warehouse, before = hostile_env
    with pytest.raises(dg.DagsterUnknownPartitionError):
        materialize(warehouse, partition_key=payload)
    for start, end in ((payload, "2023-11-05"), ("2023-11-01", payload)):
        with pytest.raises(ValueError, match="does not match format"):  # Dagster parses range tags as dates
            materialize(warehouse, tags={"dagster/asset_partition_range_start": start,
                                         "dagster/asset_partition_range_end": end})  # fmt: skip
    assert_untouched(warehouse, before)


def test_hostile_run_config_is_refused(hostile_env):
    """The launchpad's run config: the build takes none; the warehouse's own fields are
    validated (a prefix is an identifier part), and a path is a path, never SQL or a shell."""
    warehouse, before = hostile_env
    with pytest.raises(dg.DagsterInvalidConfigError):
        materialize(warehouse, partition_key="2023-11-01",
                    run_config={"ops": {"phase3_phase4_tables": {"config": {"start_date": SQL_TEXT}}}})  # fmt: skip
    prefixed = {"resources": {"warehouse": {"config": {"path": warehouse.path, "dataset_prefix": SQL_TEXT}}}}
    result = materialize(warehouse, partition_key="2023-11-01", run_config=prefixed)
    assert not result.success  # the resource refuses the prefix before any step runs
    assert not any(e.event_type_value == "STEP_START" for e in result.all_events)
    evil_path = CANARY.parent / f"w.duckdb$(touch {CANARY})"
    moved = {"resources": {"warehouse": {"config": {"path": str(evil_path)}}}}
    result = materialize(warehouse, partition_key="2023-11-01", run_config=moved)
    assert not result.success and not evil_path.exists()  # no warehouse there: nothing created
    assert_untouched(warehouse, before)


def test_hostile_run_tags_are_data(tmp_path):
    """Tags the build reads (ignore gates, fail fast, backfill) and any other tag, all
    carrying SQL: the run builds as without them, and the tags are stored as text."""
    warehouse = raw_warehouse(tmp_path / "w.duckdb")
    before = fingerprint(warehouse)
    CANARY.unlink(missing_ok=True)
    tags = {"nba_backfill/ignore_gates": SQL_TEXT, "nba_backfill/fail_fast": PAYLOADS[2],
            "dagster/backfill": PAYLOADS[1], "note": PAYLOADS[3]}  # fmt: skip
    instance = dg.DagsterInstance.ephemeral()

    result = dg.materialize([TABLES], selection=["team_offense_game_summary"], resources={"warehouse": warehouse},
                            instance=instance, partition_key="2023-11-01", tags=tags)

    assert result.success
    assert {k: instance.get_run_by_id(result.run_id).tags[k] for k in tags} == tags
    built = query(warehouse, "SELECT COUNT(*) AS n FROM nba_analytics.team_offense_game_summary WHERE game_date = ?",
                  [handmade.D1]).n[0]  # fmt: skip
    assert built == 4  # G1 and G2 on 2023-11-01, both teams each (support/handmade.py)
    after = fingerprint(warehouse)
    # the build adds its own tables; every raw table and every object there before is as it was
    assert {k: v for k, v in after.items() if k != "objects"} == {k: v for k, v in before.items() if k != "objects"}
    assert set(before["objects"]) <= set(after["objects"])
    assert not CANARY.exists()


# -- CSV contents ---------------------------------------------------------------------------


def test_csv_contents_are_stored_as_data_or_refused(tmp_path, capsys, monkeypatch):
    """`nba-backfill load`: hostile player names are ordinary text (stored verbatim, the
    lookup keeps letters only); hostile values in typed or key columns make their rows
    unusable, so their date is held back whole. Exit 1 with one line; every raw row of
    every other date unchanged; no shell ran."""
    warehouse = raw_warehouse(tmp_path / "w.duckdb")
    monkeypatch.setenv("NBA_BACKFILL_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_BACKFILL_DUCKDB_PATH", warehouse.path)
    CANARY.unlink(missing_ok=True)
    new_day, held_day = dt.date(2023, 10, 24), dt.date(2023, 10, 25)
    before = fingerprint(warehouse, except_date=new_day)

    names = {0: "Robert'); DROP TABLE nba_raw.nbac_schedule; --", 1: f"$(touch {CANARY}) `touch {CANARY}`"}
    den = [(names.get(i, p[0]), *p[1:]) for i, p in enumerate(DEN)]
    good = write_csv(tmp_path / "good.csv", PLAYER_LOG_HEADER,
                     [player_row(p, "DEN", "LAL", True) for p in den] + [player_row(p, "LAL", "DEN", False) for p in LAL])
    game = dict(game_id="0022300070", date="2023-10-25")
    rows = [player_row(p, "NYK", "BOS", True, **game) for p in LAL]  # fine on their own
    column = {name: i for i, name in enumerate(PLAYER_LOG_HEADER)}
    for name, value in (("TEAM_ABBREVIATION", "NYK'; DROP TABLE nba_raw.nbac_team_boxscore; --"),
                        ("MATCHUP", f"NYK vs. BOS; touch {CANARY}"), ("GAME_ID", f"0022300070$(touch {CANARY})"),
                        ("GAME_DATE", SQL_TEXT), ("MIN", f"`touch {CANARY}`"), ("PTS", "1; DROP TABLE x"),
                        ("PLUS_MINUS", "0 OR 1=1")):  # fmt: skip
        row = player_row(("Bad Row", "30:00", 10, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), "NYK", "BOS", True, **game)
        row[column[name]] = value
        rows.append(row)
    bad = write_csv(tmp_path / "bad.csv", PLAYER_LOG_HEADER, rows)

    code = cli.main(["load", "--player-logs", str(good), str(bad)])

    captured = capsys.readouterr()
    assert code == 1
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: 7 rows unusable: dates 2023-10-25 not loaded"), err
    assert fingerprint(warehouse, except_date=new_day) == before  # every other date, every table
    assert not CANARY.exists()
    book = query(warehouse, "SELECT game_date, player_name, player_lookup FROM nba_raw.nbac_gamebook_player_stats "
                            "WHERE game_date IN (?, ?)", [new_day, held_day])  # fmt: skip
    assert set(book.game_date.dt.date) == {new_day}  # the held date wrote nothing
    stored = dict(zip(book.player_name, book.player_lookup))
    assert stored[names[0]] == "robertdroptablenbarawnbacschedule"
    assert stored[names[1]] == "touchtmpnbabackfillpwnedtouchtmpnbabackfillpwned"
