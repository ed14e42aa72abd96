"""Items 3 and 6 of issue #13: the warehouse refuses, disappears or is locked mid-run.

Item 3, concurrent DML on BigQuery. BigQuery fails the loser of two writers racing on
one table with HTTP 400 invalidQuery ("Could not serialize access to table ... due to
concurrent update" / "Transaction is aborted due to concurrent update against table
..."). The emulator runs jobs one at a time and cannot produce it, so the error is
injected at the HTTP edge (support/bigquery_proxy.py: BigQuery's own response shape for such a
job, every other request served by the emulator): the real client parses it, the
engine's real retry runs, and the rows are read back from the emulator.

Item 6, warehouse down or locked, through the CLI in a subprocess (`nba-backfill
backfill`): the build is stopped at its data write with the engines' pause point, then
the BigQuery emulator process is stopped, or another process takes DuckDB's write lock.
The backfill must retry for a bounded time, then exit 1 with one `error:` line (no
traceback anywhere in its output), never report success, and leave every date as it was.
Then the warehouse comes back and a plain re-run completes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
import sqlglot

from nba_backfill.errors import WarehouseError
from nba_backfill.warehouse import TableWrite, bigquery_engine
from nba_backfill.warehouse.bigquery_engine import (
    CONFLICT_ATTEMPTS,
    BigQueryWarehouse,
    conflict_delay,
    is_concurrent_update,
)
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support import bigquery_emulator
from nba_backfill_tests.support.bigquery_proxy import CONFLICT_DML, CONFLICT_TRANSACTION, BigQueryProxy
from nba_backfill_tests.support.warehouse_faults import (
    FIRST,
    LAST,
    Finished,
    PausedBuild,
    backfill_args,
    base_env,
    bigquery_env,
    dagster_home,
    demo_frames,
    run_cli,
    state_by_date,
)

D = dt.date
TOY = "../nba_backfill_tests/warehouse/bigquery_sql"


# -- item 3: concurrent DML on BigQuery -------------------------------------------------------


@pytest.fixture
def wf_proxied(wf_emulator, request) -> tuple[BigQueryWarehouse, BigQueryProxy]:
    """A set-up sandbox on the emulator, reached through the error-injecting proxy."""
    proxy = BigQueryProxy(wf_emulator.endpoint).start()
    request.addfinalizer(proxy.stop)
    warehouse = BigQueryWarehouse(
        project=wf_emulator.project, api_endpoint=proxy.endpoint, api_retry_seconds=5,
        dataset_prefix=f"race_{request.node.name[-40:].lower().replace('[', '_').replace(']', '')}_",
        conflict_backoff_seconds=0.2,  # the schedule itself is tested below
    )
    warehouse.setup()
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": ["g1", "g2"], "game_date": [D(2023, 11, 1)] * 2,
                      "home_team_tricode": ["LAL", "BOS"], "home_team_score": [100, None]}).astype(
            {"home_team_score": "Int64"}),
    )
    return warehouse, proxy


def race_writes(name: str) -> list[TableWrite]:
    """A table and its failure rows: the build every Phase 3/4 asset makes (one transaction)."""
    return [
        TableWrite(f"nba_analytics.{name}", f"{TOY}/toy_points.sql", "game_date", ("team_abbr",)),
        TableWrite("nba_processing.analytics_failures", f"{TOY}/toy_points.failures.sql", "analysis_date",
                   ("processor_name",), scope={"processor_name": name}),
    ]


def race_build(warehouse, name: str, run_id: str):
    return warehouse.replace_range(
        race_writes(name), D(2023, 11, 1), D(2023, 11, 1), {"run_id": run_id, "processor_name": name, "fail": False}
    )


def race_run_ids(warehouse, name: str) -> tuple[list[str], list[str]]:
    main = warehouse.query_expression(sqlglot.parse_one(f"SELECT run_id FROM nba_analytics.{name}"))
    failures = warehouse.query_expression(
        sqlglot.parse_one("SELECT run_id FROM nba_processing.analytics_failures WHERE processor_name = @p"),
        {"p": name},
    )
    return sorted(main.run_id), sorted(failures.run_id)


def test_a_build_that_loses_concurrent_update_races_retries_and_completes(wf_proxied):
    warehouse, proxy = wf_proxied
    name = "race_won"
    race_build(warehouse, name, "r1")
    table = f"{warehouse.project}:{warehouse.dataset_prefix}nba_analytics.{name}"
    # the next two attempts lose: once as a transaction, once as a DML statement
    proxy.fail_next(f"nba_analytics.{name}", CONFLICT_TRANSACTION.format(table=table))
    proxy.fail_next(f"nba_analytics.{name}", CONFLICT_DML.format(table=table))
    began = time.monotonic()
    counts = race_build(warehouse, name, "r2")
    waited = time.monotonic() - began
    assert len(proxy.failed) == 2
    assert sum(f"nba_analytics.{name}" in q and "BEGIN TRANSACTION" in q for q in proxy.inserted) == 4  # r1, 2 lost, 1 won
    assert race_run_ids(warehouse, name) == (["r2", "r2"], ["r2"])  # written once, both tables
    assert counts.by_table[f"nba_analytics.{name}"] == {D(2023, 11, 1): 2}
    assert waited >= 0.1 + 0.2  # the two backoffs (each at least half its step) were taken


def test_a_build_that_keeps_losing_fails_in_one_line_after_bounded_attempts(wf_proxied):
    warehouse, proxy = wf_proxied
    name = "race_lost"
    race_build(warehouse, name, "r1")
    proxy.fail_next(f"nba_analytics.{name}", CONFLICT_TRANSACTION.format(table=name), count=1000)
    with pytest.raises(WarehouseError) as failed:
        race_build(warehouse, name, "r2")
    message = str(failed.value)
    assert "\n" not in message and "concurrent update" in message and f"{CONFLICT_ATTEMPTS} attempts" in message
    assert failed.value.__cause__ is None
    assert len(proxy.failed) == CONFLICT_ATTEMPTS  # bounded
    proxy.clear()  # (the read-back below names the table too)
    assert race_run_ids(warehouse, name) == (["r1", "r1"], ["r1"])  # nothing half-written


def test_other_bad_requests_are_not_retried(wf_proxied):
    warehouse, proxy = wf_proxied
    name = "race_syntax"
    proxy.fail_next(f"nba_analytics.{name}", "Syntax error: Unexpected keyword MERGE at [1:1]")
    with pytest.raises(WarehouseError, match="Syntax error") as failed:
        race_build(warehouse, name, "r1")
    assert "\n" not in str(failed.value)
    assert len(proxy.failed) == 1  # one attempt: a real error is reported at once


def test_concurrent_update_errors_are_told_apart_from_other_errors():
    from google.api_core import exceptions

    def bad_request(message, reason="invalidQuery"):
        return exceptions.BadRequest(message, errors=[{"reason": reason, "message": message}])

    assert is_concurrent_update(bad_request(CONFLICT_DML.format(table="p:d.t")))
    assert is_concurrent_update(bad_request(CONFLICT_TRANSACTION.format(table="p:d.t")))
    # the client sometimes carries the text only in the structured errors
    assert is_concurrent_update(exceptions.BadRequest("Query error", errors=[{"message": CONFLICT_DML}]))
    assert not is_concurrent_update(bad_request("Syntax error: Unexpected keyword MERGE"))
    assert not is_concurrent_update(exceptions.NotFound("Not found: Table p:d.t"))
    assert not is_concurrent_update(ValueError(CONFLICT_DML))


def test_conflict_backoff_is_exponential_jittered_and_bounded():
    base = bigquery_engine.CONFLICT_BACKOFF_SECONDS
    delays = [[conflict_delay(attempt) for attempt in range(1, CONFLICT_ATTEMPTS)] for _ in range(200)]
    for attempt in range(1, CONFLICT_ATTEMPTS):
        step = base * 2 ** (attempt - 1)
        seen = [run[attempt - 1] for run in delays]
        assert all(step / 2 <= d <= step for d in seen), attempt  # exponential, inside its step
        assert len({round(d, 6) for d in seen}) > 100, attempt  # jittered: no lockstep retries
    worst = sum(base * 2 ** (a - 1) for a in range(1, CONFLICT_ATTEMPTS))
    assert worst <= 90  # bounded: at most ~1 minute of waiting before the build fails


# -- item 6: warehouse down or locked, through the CLI ---------------------------------------


def assert_one_error_line(done: Finished, *expected: str) -> str:
    """Exit 1, and the whole output (stdout and stderr) holds no traceback: the problem is
    one `error:` line."""
    assert done.code == 1, (done.code, done.stderr[-3000:])
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "Stack Trace" not in output, done.stderr[-3000:]
    errors = [line for line in done.stderr.replace("\r", "\n").splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr[-3000:]
    for text in expected:
        assert text in errors[0], errors[0]
    assert "built" not in done.stdout.split("one run", 1)[-1], done.stdout  # no success summary
    return errors[0]


def run_statuses(home: Path) -> list[dg.DagsterRunStatus]:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return [run.status for run in instance.get_runs()]


def history_of(warehouse) -> pd.DataFrame:
    return warehouse.query_expression(
        sqlglot.parse_one("SELECT run_id, data_date, status FROM nba_reference.processor_run_history")
    )


def test_an_emulator_stopped_mid_run_fails_the_backfill_in_one_line_and_leaves_every_date_as_it_was(tmp_path):
    data_dir = tmp_path / "bigquery"
    emulator = bigquery_emulator.start(data_dir=data_dir)
    try:
        warehouse = BigQueryWarehouse(project=emulator.project, api_endpoint=emulator.endpoint,
                                      dataset_prefix="down_", api_retry_seconds=5)
        warehouse.setup()
        warehouse.load_frames(demo_frames(), ("game_date", FIRST, LAST))
        home = dagster_home(tmp_path)
        first = run_cli(backfill_args(), bigquery_env(home, emulator, "down_"))
        assert first.code == 0, first.stderr
        old = state_by_date(warehouse)
        warehouse.load_frames(demo_frames(rescraped=True), ("game_date", FIRST, LAST))

        build = PausedBuild(backfill_args(), bigquery_env(home, emulator, "down_"), tmp_path / "paused", 1)
        build.wait_paused()  # about to write the range
        emulator.stop()  # the warehouse goes away
        done = build.resume(timeout=180)
    finally:
        emulator.stop()
    # bounded: 5 s of retries per call (NBA_BACKFILL_BIGQUERY_RETRY_SECONDS), a few calls
    line = assert_one_error_line(done, "cannot reach", emulator.endpoint, "gave up after 5s")
    assert len(line) < 300
    assert dg.DagsterRunStatus.SUCCESS not in run_statuses(home)[:1]  # the newest run did not succeed

    emulator = bigquery_emulator.start(data_dir=data_dir)  # back, with what it held
    try:
        warehouse = BigQueryWarehouse(project=emulator.project, api_endpoint=emulator.endpoint,
                                      dataset_prefix="down_", api_retry_seconds=5)
        assert state_by_date(warehouse) == old  # every date exactly as before the failed run
        assert set(history_of(warehouse).status) == {"success"} and len(history_of(warehouse)) == 3  # first run only
        again = run_cli(backfill_args(), bigquery_env(home, emulator, "down_"))
        assert again.code == 0, again.stderr
        new = state_by_date(warehouse)
        assert all(new[day] != old[day] for day in old)  # the re-scrape is in now
    finally:
        emulator.stop()


LOCK_HOLDER = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])  # a write connection: DuckDB's file lock
print("locked", flush=True)
time.sleep(600)
"""


def test_a_duckdb_file_locked_mid_run_fails_the_backfill_in_one_line_and_leaves_every_date_as_it_was(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    warehouse = DuckDBWarehouse(path=str(path))
    warehouse.setup()
    warehouse.load_frames(demo_frames(), ("game_date", FIRST, LAST))
    home = dagster_home(tmp_path)
    env = base_env(home, NBA_BACKFILL_WAREHOUSE="duckdb", NBA_BACKFILL_DUCKDB_PATH=str(path),
                   NBA_BACKFILL_DUCKDB_LOCK_SECONDS="3")  # 15 by default: the same path, sooner
    first = run_cli(backfill_args(), env)
    assert first.code == 0, first.stderr
    old = state_by_date(warehouse)
    warehouse.load_frames(demo_frames(rescraped=True), ("game_date", FIRST, LAST))

    # about to open the file for its first table (a table's build keeps it open, so another
    # process can take it between tables, not inside one)
    build = PausedBuild(backfill_args(), env, tmp_path / "paused", 1, point="session")
    build.wait_paused()
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        done = build.resume(timeout=240)
        # bounded: each warehouse operation waits 3 s for the lock, then gives up
        assert done.seconds < 60
        assert_one_error_line(done, f"is locked by process {holder.pid}", str(path))
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert dg.DagsterRunStatus.SUCCESS not in run_statuses(home)[:1]
    assert state_by_date(warehouse) == old
    history = history_of(warehouse)
    assert set(history.status) == {"success"} and len(history) == 3  # the first run's only

    again = run_cli(backfill_args(), env)  # the lock is gone: the re-run completes
    assert again.code == 0, again.stderr
    new = state_by_date(warehouse)
    assert all(new[day] != old[day] for day in old)
