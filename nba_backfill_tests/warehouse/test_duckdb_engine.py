"""The embedded engine: atomic, idempotent range replacement and readable failures."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pandas as pd
import pytest
import sqlglot

from nba_backfill.errors import WarehouseError
from nba_backfill.warehouse import TableWrite, sql
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

D = dt.date


@pytest.fixture
def sql_dir(tmp_path, monkeypatch):
    """A private sql/ folder for toy queries, so these tests don't depend on real tables."""
    folder = tmp_path / "sql"
    (folder / "toy").mkdir(parents=True)
    real = sql.SQL_DIR
    for sub in ("raw", "staging", "processing", "reference"):
        (folder / sub).symlink_to(real / sub)
    monkeypatch.setattr(sql, "SQL_DIR", folder)  # parsed SQL is cached per tree
    return folder


def schedule(*games):
    return pd.DataFrame(
        [{"game_id": g, "game_date": d, "home_team_score": s, "game_status": 3} for g, d, s in games]
    )


def count(warehouse, table):
    return int(warehouse.query_expression(sqlglot.parse_one(f"SELECT COUNT(*) AS n FROM {table}")).n[0])


TOY = """-- grain: one row per game
SELECT game_id, game_date, home_team_score * 2 AS doubled
FROM nba_raw.nbac_schedule
WHERE game_date BETWEEN DATE_SUB(@start_date, INTERVAL 1 DAY) AND DATE_ADD(@end_date, INTERVAL 1 DAY)
"""


def test_replace_range_replaces_exactly_the_range_and_is_idempotent(warehouse, sql_dir):
    (sql_dir / "toy" / "t.sql").write_text(TOY)
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        schedule(("a", D(2023, 11, 1), 100), ("b", D(2023, 11, 2), 101), ("c", D(2023, 11, 3), 102)),
    )
    write = TableWrite("nba_analytics.t", "toy/t.sql", "game_date")
    first = warehouse.replace_range([write], D(2023, 11, 2), D(2023, 11, 2))
    # the query reads a day either side, but only 11-02 is written: builds are fenced
    assert first.by_table == {"nba_analytics.t": {D(2023, 11, 2): 1}}
    warehouse.replace_range([write], D(2023, 11, 1), D(2023, 11, 3))
    warehouse.replace_range([write], D(2023, 11, 1), D(2023, 11, 3))
    rows = warehouse.query_expression(sqlglot.parse_one("SELECT * FROM nba_analytics.t ORDER BY game_id"))
    assert list(rows.game_id) == ["a", "b", "c"]
    assert list(rows.doubled) == [200, 202, 204]


def test_failed_build_leaves_previous_rows(warehouse, sql_dir):
    (sql_dir / "toy" / "t.sql").write_text(TOY)
    (sql_dir / "toy" / "broken.sql").write_text(
        "SELECT 'x' AS processor_name, game_date AS analysis_date, CAST(game_id AS INT64) AS n "
        "FROM nba_raw.nbac_schedule WHERE game_date BETWEEN @start_date AND @end_date"
    )
    warehouse.load_dataframe("nba_raw.nbac_schedule", schedule(("a", D(2023, 11, 1), 100)))
    good = TableWrite("nba_analytics.t", "toy/t.sql", "game_date")
    warehouse.replace_range([good], D(2023, 11, 1), D(2023, 11, 1))
    warehouse.load_dataframe("nba_raw.nbac_schedule", schedule(("b", D(2023, 11, 1), 300)))
    broken = TableWrite("nba_analytics.broken", "toy/broken.sql", "analysis_date")
    with pytest.raises(Exception, match="(?i)conversion|cast"):
        warehouse.replace_range([good, broken], D(2023, 11, 1), D(2023, 11, 1))
    rows = warehouse.query_expression(sqlglot.parse_one("SELECT * FROM nba_analytics.t"))
    assert list(rows.game_id) == ["a"]  # the good table's delete+insert was rolled back too


def test_scoped_writes_replace_only_their_processor(warehouse, sql_dir):
    (sql_dir / "toy" / "f.sql").write_text(
        "SELECT @scope_processor_name AS processor_name, @start_date AS analysis_date, 'e' AS entity_id"
    )
    for name in ("one", "two", "one"):
        warehouse.replace_range(
            [TableWrite("nba_processing.toy_failures", "toy/f.sql", "analysis_date", scope={"processor_name": name})],
            D(2023, 11, 1),
            D(2023, 11, 1),
        )
    frame = warehouse.query_expression(sqlglot.parse_one("SELECT processor_name FROM nba_processing.toy_failures ORDER BY 1"))
    assert list(frame.processor_name) == ["one", "two"]


def test_dataset_prefix_writes_a_separate_copy(tmp_path):
    sandbox = DuckDBWarehouse(path=str(tmp_path / "w.duckdb"), dataset_prefix="branch_")
    sandbox.setup()
    sandbox.load_dataframe("nba_raw.nbac_schedule", schedule(("a", D(2023, 11, 1), 1)))
    with sandbox.connect(read_only=True) as connection:
        schemas = {r[0] for r in connection.execute("SELECT schema_name FROM information_schema.schemata").fetchall()}
        n = connection.execute('SELECT COUNT(*) FROM "branch_nba_raw".nbac_schedule').fetchone()[0]
    assert "branch_nba_raw" in schemas and "nba_raw" not in schemas
    assert n == 1


def test_missing_warehouse_file_is_one_clear_error(tmp_path):
    missing = DuckDBWarehouse(path=str(tmp_path / "nope.duckdb"))
    with pytest.raises(WarehouseError, match="no warehouse at .*nope.duckdb.*demo-data"):
        missing.query_expression(sqlglot.parse_one("SELECT 1"))


def test_locked_warehouse_file_is_one_clear_error(tmp_path):
    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        locked = DuckDBWarehouse(path=str(path), lock_timeout_seconds=0.5)
        began = time.monotonic()
        with pytest.raises(WarehouseError, match=rf"locked by process {holder.pid}"):
            locked.setup()
        assert time.monotonic() - began < 5
    finally:
        holder.kill()
        holder.wait()


def test_the_memory_limit_comes_from_the_environment_and_reaches_duckdb(tmp_path):
    from nba_backfill.errors import UserError
    from nba_backfill.warehouse import warehouse_from_env

    env = {"NBA_BACKFILL_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    warehouse = warehouse_from_env({**env, "NBA_BACKFILL_DUCKDB_MEMORY_LIMIT": "512MB"})
    warehouse.setup()
    with warehouse.connect(read_only=True) as connection:
        limit = connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "488.2 MiB"  # 512 MB, in the units DuckDB reports
    assert warehouse_from_env(env).memory_limit == "1GB"
    with pytest.raises(UserError, match="NBA_BACKFILL_DUCKDB_MEMORY_LIMIT='lots'"):
        warehouse_from_env({**env, "NBA_BACKFILL_DUCKDB_MEMORY_LIMIT": "lots"})


def test_the_lock_wait_comes_from_the_environment_and_bad_values_are_refused(tmp_path):
    from nba_backfill.errors import UserError
    from nba_backfill.warehouse import warehouse_from_env

    env = {"NBA_BACKFILL_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    assert warehouse_from_env({**env, "NBA_BACKFILL_DUCKDB_LOCK_SECONDS": "2.5"}).lock_timeout_seconds == 2.5
    assert warehouse_from_env(env).lock_timeout_seconds == 15.0
    for bad in ("soon", "0", "-3", "inf", "nan"):
        with pytest.raises(UserError, match=rf"NBA_BACKFILL_DUCKDB_LOCK_SECONDS='{bad}': give a number of seconds"):
            warehouse_from_env({**env, "NBA_BACKFILL_DUCKDB_LOCK_SECONDS": bad})
