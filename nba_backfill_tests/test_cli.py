"""Bad input gets one readable line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_cli(*args, tmp_path, env_extra=None):
    env = {
        **os.environ,
        "NBA_BACKFILL_DUCKDB_PATH": str(tmp_path / "w.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        **(env_extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "nba_backfill.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["backfill", "--season", "1999-00"], "unknown season '1999-00'; the calendar has 2020-21"),
        (["backfill", "--start", "2024-01-10", "--end", "2024-01-01"], "--end 2024-01-01 is before --start 2024-01-10"),
        (["backfill", "--start", "2023-08-01", "--end", "2023-11-01"], "2023-08-01 is outside every season"),
        (["backfill", "--start", "yesterday", "--end", "2023-11-01"], "'yesterday' is not a date; use YYYY-MM-DD"),
        (["backfill", "--start", "2023-11-01"], "give --start and --end"),
        (["demo-data", "--seasons", "2031-32"], "unknown season '2031-32'"),
    ],
)
def test_bad_input_is_one_clear_line(args, message, tmp_path):
    result = run_cli(*args, tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {result.stderr.strip()[7:]}"
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_warehouse_kind_is_one_clear_line(tmp_path):
    result = run_cli("observe", tmp_path=tmp_path, env_extra={"NBA_BACKFILL_WAREHOUSE": "oracle"})
    assert result.returncode == 1
    assert "NBA_BACKFILL_WAREHOUSE='oracle': choose duckdb or bigquery" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_warehouse_file_is_one_clear_line(tmp_path):
    result = run_cli("observe", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "no warehouse at" in result.stderr and "demo-data" in result.stderr
    assert "Traceback" not in result.stderr
