"""A terminal backfill killed with SIGKILL mid-build, then resumed; two backfills and a
daily run started at once. Every build is the real `nba-backfill` process on a real
DuckDB file and a real Dagster instance (deploy/local/dagster.yaml); expected rows come
from an uninterrupted build of the same range in a copy of the same warehouse.

The kill is placed with the engines' test pause point (``NBA_BACKFILL_TEST_PAUSE``): the
build stops at the n-th transaction commit or write, writes its PID, and is SIGKILLed
there, so the fault lands on the same spot every time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from nba_backfill import catalog
from nba_backfill.assets.run_history import TABLE as RUN_HISTORY
from nba_backfill.lease import POOL
from nba_backfill.warehouse.base import PAUSE_ENV
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.dagster_ui import DagsterUI, dagster_home

REPO = Path(__file__).resolve().parents[2]
START, END = "2023-10-24", "2023-11-10"  # 18 days of 2023-24: openers, lookbacks, Phase 4
RANGE = ("--start", START, "--end", END)
CLI_TIMEOUT = 300
VOLATILE = ("run_id", "processed_at", "created_at", "updated_at", "computed_at")  # differ per run


@dataclass
class Place:
    """One warehouse file and one Dagster instance, as a user's checkout has them."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            **{k: v for k, v in os.environ.items() if k != PAUSE_ENV},
            "DAGSTER_HOME": str(self.root / "dagster_home"),
            "NBA_BACKFILL_DUCKDB_PATH": str(self.root / "warehouse.duckdb"),
            "NBA_BACKFILL_WAREHOUSE": "duckdb",
        }

    @property
    def warehouse(self) -> DuckDBWarehouse:
        return DuckDBWarehouse(path=str(self.root / "warehouse.duckdb"), lock_timeout_seconds=30)

    def start(self, *args: str, pause: str | None = None) -> subprocess.Popen:
        env = self.env
        if pause:
            env[PAUSE_ENV] = f"{pause}:{self.root}"
        return subprocess.Popen(
            [sys.executable, "-m", "nba_backfill.cli", *args], env=env, cwd=REPO,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )

    def cli(self, *args: str) -> tuple[int, str]:
        done = self.start(*args)
        out, _ = done.communicate(timeout=CLI_TIMEOUT)
        return done.returncode, out

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.root / "dagster_home"))

    def copy_to(self, root: Path) -> "Place":
        shutil.copytree(self.root, root)
        for marker in ("paused", "resume"):
            (root / marker).unlink(missing_ok=True)
        return Place(root)


@pytest.fixture(scope="module")
def raw_only(tmp_path_factory) -> Place:
    """Demo raw data for 2023-24, nothing built, an empty instance."""
    place = Place(tmp_path_factory.mktemp("raw_only"))
    (place.root / "dagster_home").mkdir()
    shutil.copy(REPO / "deploy" / "local" / "dagster.yaml", place.root / "dagster_home" / "dagster.yaml")
    code, out = place.cli("demo-data", "--seasons", "2023-24")
    assert code == 0, out
    return place


@pytest.fixture(scope="module")
def reference(raw_only, tmp_path_factory) -> tuple[Place, int]:
    """The same range built once, uninterrupted: what every other build must end equal to."""
    place = raw_only.copy_to(tmp_path_factory.mktemp("reference") / "place")
    code, out = place.cli("backfill", *RANGE)
    assert "Traceback" not in out and "built" in out, out
    return place, code


def built_tables(place: Place) -> dict[str, pd.DataFrame]:
    """Every Phase 3/4 table and the failure tables that exist (a table is created by its
    first build), volatile columns dropped, sorted."""
    specs = catalog.tables()
    tables = sorted({s.table for s in specs.values()} | {s.failures_table for s in specs.values() if s.failures_table})
    frames = {}
    with place.warehouse.connect(read_only=True) as connection:
        existing = {f"{d}.{t}" for d, t in connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables").fetchall()}
        for table in tables:
            if table not in existing:
                continue
            dataset, name = table.split(".")
            frame = connection.execute(f'SELECT * FROM "{dataset}"."{name}"').df()
            frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE])
            for column in frame.columns[frame.dtypes == object]:  # arrays (feature vectors) sort as tuples
                frame[column] = frame[column].map(lambda v: tuple(v) if isinstance(v, (list, np.ndarray)) else v)
            frames[table] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return frames


def dates_of(frame: pd.DataFrame, column: str, day) -> pd.DataFrame:
    return frame[pd.to_datetime(frame[column]).dt.date == day].reset_index(drop=True)


def newest_status(place: Place) -> dict[tuple[str, str], str]:
    """(processor, date) -> the newest run-history status (the independent reading)."""
    with place.warehouse.connect(read_only=True) as connection:
        rows = connection.execute(
            f"SELECT processor_name, CAST(data_date AS VARCHAR), status FROM {RUN_HISTORY} "
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY processor_name, data_date ORDER BY started_at DESC) = 1"
        ).fetchall()
    return {(p, d): s for p, d, s in rows}


def kill_at(place: Place, pause: str) -> None:
    """Start the range backfill, SIGKILL it at ``pause``, and wait until it is gone."""
    victim = place.start("backfill", *RANGE, pause=pause)
    deadline = time.monotonic() + CLI_TIMEOUT
    while not (place.root / "paused").exists():
        assert victim.poll() is None, f"the build ended before {pause}: {victim.stdout.read()}"
        assert time.monotonic() < deadline, f"the build never reached {pause}"
        time.sleep(0.1)
    pid = int((place.root / "paused").read_text())
    assert pid == victim.pid  # the CLI runs the build in its own process
    os.kill(pid, signal.SIGKILL)
    victim.wait(timeout=30)


def assert_whole_partitions(victim: dict[str, pd.DataFrame], reference: dict[str, pd.DataFrame]) -> None:
    """Every (table, date) holds nothing (the old state: nothing was built) or exactly the
    uninterrupted build's rows: never part of them, never twice."""
    specs = catalog.tables()
    columns = {s.table: s.date_column for s in specs.values()}
    columns.update({s.failures_table: "analysis_date" for s in specs.values() if s.failures_table})
    for table, frame in victim.items():
        column = columns[table]
        for day in sorted(set(pd.to_datetime(reference[table][column]).dt.date)):
            got, want = dates_of(frame, column, day), dates_of(reference[table], column, day)
            if len(got):
                pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=f"{table} {day}")


@pytest.mark.parametrize(
    "pause, what",
    [
        ("commit#3", "inside the second table's range write, before it commits"),
        ("write#2", "after the first table's rows committed, before its run history"),
    ],
)
def test_a_killed_backfill_leaves_whole_partitions_and_the_next_run_finishes_it(
    raw_only, reference, tmp_path, pause, what
):
    ref_place, ref_code = reference
    expected = built_tables(ref_place)
    place = raw_only.copy_to(tmp_path / "place")

    kill_at(place, pause)

    # the fault is real: the dead run is still STARTED and holds the warehouse
    instance = place.instance()
    (dead,) = instance.get_runs()
    assert dead.status == dg.DagsterRunStatus.STARTED
    assert [s.run_id for s in instance.event_log_storage.get_concurrency_info(POOL).claimed_slots] == [dead.run_id]
    assert_whole_partitions(built_tables(place), expected)

    if pause.startswith("commit"):
        # plan names exactly what the kill left: the dates the uninterrupted build gave rows
        # (not bootstrap, not a no-game day) that the killed one did not record as built,
        # beyond what the plan says after a full build
        ref_history, history = newest_status(ref_place), newest_status(place)
        specs = catalog.tables()
        left = {}
        for (asset, day), status in ref_history.items():
            spec, when = specs[asset], pd.Timestamp(day).date()
            failures = expected[spec.failures_table] if spec.failures_table else pd.DataFrame()
            has_rows = len(dates_of(expected[spec.table], spec.date_column, when)) or (
                len(failures) and (dates_of(failures, "analysis_date", when).processor_name == asset).any()
            )
            if status == "success" and has_rows and history.get((asset, day)) != "success":
                left.setdefault(asset, set()).add(day)
        code, out = place.cli("plan", *RANGE, "--json")
        _, ref_out = ref_place.cli("plan", *RANGE, "--json")
        planned, after_full = json.loads(out)["assets"], json.loads(ref_out)["assets"]
        named = {
            a: set(v["rebuild"]) - set(after_full.get(a, {}).get("rebuild", []))
            for a, v in planned.items()
        }
        assert {a: d for a, d in named.items() if d} == left
        assert left, "the kill landed after everything was built: the test proves nothing"

    # the next run needs no manual step: it frees the dead run, then builds what is left
    code, out = place.cli("backfill", *RANGE, "--missing-only")
    assert "Traceback" not in out, out
    assert f"run {dead.run_id} was STARTED but its process" in out
    assert code == ref_code, out
    instance = place.instance()
    assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots == []
    final = built_tables(place)
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(final.get(table), frame, check_dtype=False, obj=table)
    assert newest_status(place) == newest_status(ref_place)


def test_overlapping_backfills_and_a_daily_run_take_turns(raw_only, reference, tmp_path):
    """Two backfills over overlapping ranges and a one-date run started together: no lock
    error, no lost or doubled rows; the ones that wait say whom they wait for."""
    ref_place, _ = reference
    place = raw_only.copy_to(tmp_path / "place")
    processes = [
        place.start("backfill", *RANGE),
        place.start("backfill", "--start", "2023-11-01", "--end", END),
        place.start("backfill", "--start", END, "--end", END),
    ]
    outputs = [p.communicate(timeout=CLI_TIMEOUT)[0] for p in processes]
    for process, out in zip(processes, outputs):
        assert "Traceback" not in out and "locked" not in out, out
        assert "built" in out, out
    waits = [out for out in outputs if "waiting for the warehouse: run " in out]
    assert waits, outputs  # one builds at a time: whoever came second waited, and said so
    final, expected = built_tables(place), built_tables(ref_place)
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(final.get(table), frame, check_dtype=False, obj=table)
    instance = place.instance()
    assert {r.status for r in instance.get_runs()} <= {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE}
    assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots == []


def test_a_killed_ui_backfill_is_freed_and_a_backfill_of_its_missing_partitions_finishes_it(
    raw_only, reference, tmp_path, monkeypatch
):
    """From the UI: the run worker of a launched backfill is SIGKILLed inside a range
    write. Its code server marks the run failed (the free_dead_runs sensor would, had the
    code server died too), the sensor frees the warehouse lease within 30 s; a new backfill of the partitions the asset pages show missing (what the
    launch dialog's "missing" selection picks) ends equal to the uninterrupted build."""
    ref_place, _ = reference
    place = raw_only.copy_to(tmp_path / "place")
    dagster_home(place.root)  # the instance's storage, created before two servers race for it
    assets = sorted(catalog.tables())
    days = [d.date().isoformat() for d in pd.date_range(START, END)]
    monkeypatch.setenv(PAUSE_ENV, f"commit#3:{place.root}")  # the servers' run workers inherit it
    ui = DagsterUI(place.root / "dagster_home", place.root / "warehouse.duckdb", tmp_path / "logs").start()
    try:
        first = ui.launch_backfill(assets, days)
        pid = int(ui.poll(lambda: (place.root / "paused").exists() and (place.root / "paused").read_text(),
                          "the run worker at its third commit", 300))
        os.kill(pid, signal.SIGKILL)
        (place.root / "resume").touch()  # later runs pass the pause point
        (dead,) = ui.backfill_runs(first)
        ui.poll(lambda: ui.backfill_runs(first)[0]["status"] == "FAILURE", "the dead run marked failed", 120)
        ui.wait_for_backfill(first, 120)
        instance = place.instance()
        ui.poll(lambda: not instance.event_log_storage.get_concurrency_info(POOL).claimed_slots,
                "the dead run's warehouse lease freed", 90)

        materialized = {a: instance.get_materialized_partitions(dg.AssetKey(a)) for a in assets}
        missing = [d for d in days if any(d not in got for got in materialized.values())]
        assert missing, "the kill landed after everything was built: the test proves nothing"
        second = ui.launch_backfill(assets, missing)
        ui.wait_for_backfill(second, 300)
    finally:
        ui.stop()
    final, expected = built_tables(place), built_tables(ref_place)
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(final.get(table), frame, check_dtype=False, obj=table)
    assert newest_status(place) == newest_status(ref_place)
