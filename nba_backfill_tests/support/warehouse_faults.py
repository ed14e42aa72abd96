"""Shared parts of the warehouse-fault tests (reliability/test_warehouse_faults,
test_bigquery_kill, test_exposure): demo raw data for a few dates, reading a table the
tests' own way, the `nba-backfill` CLI in a subprocess, and the pause point that stops a
real build between two warehouse writes. Their fixture (``wf_emulator``) is in
reliability/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import pandas as pd
import sqlglot

from nba_backfill.warehouse.base import PAUSE_ENV
from nba_backfill_tests.support.bigquery_emulator import RunningEmulator

REPO = Path(__file__).resolve().parents[2]
LOCAL_INSTANCE_CONFIG = REPO / "deploy" / "local" / "dagster.yaml"
D = dt.date
# Three opening days of the 2023-24 demo season: team_offense_game_summary reads only
# raw tables of the same date, so these dates build without any lookback.
FIRST, LAST = D(2023, 10, 24), D(2023, 10, 26)
TOGS = "nba_analytics.team_offense_game_summary"
FAILURES = "nba_processing.analytics_failures"
CLI_TIMEOUT = 300


@lru_cache(maxsize=1)
def _demo_season() -> dict[str, pd.DataFrame]:
    from nba_backfill.demo.generate import generate_demo_data
    from nba_backfill.seasons import load_calendar

    return generate_demo_data([load_calendar().by_label("2023-24")], seed=7)


def demo_frames(first: dt.date = FIRST, last: dt.date = LAST, rescraped: bool = False) -> dict[str, pd.DataFrame]:
    """The demo raw tables' rows on [first, last] (fresh copies), with one team box-score
    row per date made unusable (negative steals). That team's line is then rebuilt from
    the gamebook and a failure row (INCOMPLETE_DATA) is written for it, so every date has
    main rows AND failure rows whose agreement the tests can check.

    ``rescraped``: the same dates after a re-scrape that changes both tables of every
    date: the unusable row is another team's (the failure rows change) and every usable
    box score has one more assist (the main rows change)."""
    frames = {}
    for name, frame in _demo_season().items():
        days = pd.to_datetime(frame["game_date"]).dt.date
        frames[f"nba_raw.{name}"] = frame[(days >= first) & (days <= last)].reset_index(drop=True).copy()
    box = frames["nba_raw.nbac_team_boxscore"]
    by_date = box.groupby(pd.to_datetime(box["game_date"]).dt.date)
    unusable = by_date.nth(1 if rescraped else 0).index
    if rescraped:
        box["assists"] = box["assists"] + 1
    box.loc[unusable, "steals"] = -1
    return frames


# -- reading a table the tests' own way ------------------------------------------------------


def table_rows(warehouse, table: str, where: str = "TRUE", params: Mapping[str, object] | None = None) -> pd.DataFrame:
    frame = warehouse.query_expression(sqlglot.parse_one(f"SELECT * FROM {table} WHERE {where}", read="bigquery"), params)
    return frame


def state_by_date(warehouse, processor: str = "team_offense_game_summary") -> dict[dt.date, tuple]:
    """Per date: (the main table's rows, the processor's failure rows), each a sorted tuple
    of row tuples, columns set at build time (created_at, run_id) left out. Two states are equal only
    when both tables hold the same rows for that date."""
    state: dict[dt.date, tuple] = {}
    main = table_rows(warehouse, TOGS) if warehouse.table_exists(TOGS) else pd.DataFrame(columns=["game_date"])
    failures = table_rows(warehouse, FAILURES, "processor_name = @p", {"p": processor})
    for day in pd.date_range(FIRST, LAST).date:
        rows_main = main[pd.to_datetime(main["game_date"]).dt.date == day]
        # run_id is left out: a killed build that committed wrote its own run's id
        rows_fail = failures[pd.to_datetime(failures["analysis_date"]).dt.date == day].drop(
            columns=["created_at", "run_id"])
        state[day] = (_canonical(rows_main), _canonical(rows_fail))
    return state


def _canonical(frame: pd.DataFrame) -> tuple:
    def cell(value):
        if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
            return None
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
        return value

    columns = sorted(frame.columns)
    return tuple(sorted((tuple(cell(v) for v in row) for row in frame[columns].itertuples(index=False)), key=repr))


# -- the CLI in a subprocess ------------------------------------------------------------------


def dagster_home(root: Path) -> Path:
    """A fresh instance directory with the local dev instance config (what `make` uses)."""
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(LOCAL_INSTANCE_CONFIG, home / "dagster.yaml")
    return home


def base_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBA_BACKFILL_", "DAGSTER_"))}
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    env.update(DAGSTER_HOME=str(home), PYTHONUNBUFFERED="1", **extra)
    return env


def bigquery_env(home: Path, emulator: RunningEmulator, prefix: str, **extra: str) -> dict[str, str]:
    return base_env(
        home,
        NBA_BACKFILL_WAREHOUSE="bigquery",
        NBA_BACKFILL_GCP_PROJECT=emulator.project,
        NBA_BACKFILL_BIGQUERY_ENDPOINT=emulator.endpoint,
        NBA_BACKFILL_DATASET_PREFIX=prefix,
        NBA_BACKFILL_BIGQUERY_RETRY_SECONDS="5",
        **extra,
    )


def backfill_args(first: dt.date = FIRST, last: dt.date = LAST, select: str = "team_offense_game_summary") -> list[str]:
    return ["backfill", "--start", first.isoformat(), "--end", last.isoformat(), "--select", select]


@dataclass
class Finished:
    code: int
    stdout: str
    stderr: str
    seconds: float


def run_cli(args: list[str], env: Mapping[str, str], timeout: float = CLI_TIMEOUT) -> Finished:
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "nba_backfill.cli", *args], cwd=REPO, env=dict(env),
        capture_output=True, text=True, timeout=timeout,
    )
    return Finished(done.returncode, done.stdout, done.stderr, time.monotonic() - began)


class PausedBuild:
    """`nba-backfill` in a subprocess that stops the n-th time it reaches a pause point:
    by default a warehouse write it is about to make (the engines' ``pause_point("write")``),
    or ``"session"``, about to open the DuckDB file for a table's build. The test can
    SIGKILL it or stop the warehouse under it at exactly that point, then let it go on."""

    def __init__(self, args: list[str], env: Mapping[str, str], folder: Path, nth_write: int, point: str = "write"):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.out, self.err = folder / "stdout.log", folder / "stderr.log"
        env = {**env, PAUSE_ENV: f"{point}#{nth_write}:{folder}"}
        self.began = time.monotonic()
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nba_backfill.cli", *args], cwd=REPO, env=env,
                stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True,
            )

    def wait_paused(self, timeout: float = CLI_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not (self.folder / "paused").exists():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the build exited ({self.process.returncode}) before the pause point:\n"
                    f"{self.err.read_text()[-3000:]}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the build did not reach the pause point in {timeout:.0f}s")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the build (its whole session: nothing of it may survive)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def resume(self, timeout: float = CLI_TIMEOUT) -> Finished:
        (self.folder / "resume").write_text("")
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the build did not finish within {timeout:.0f}s after resuming")
        return Finished(self.process.returncode, self.out.read_text(), self.err.read_text(),
                        time.monotonic() - self.began)
