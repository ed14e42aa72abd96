"""Bad input gets one readable line and a non-zero exit, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from nba_backfill import cli


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
        (["backfill", "--start", "2023-08-01", "--end", "2023-09-30"],
         "2023-08-01 .. 2023-09-30 has no in-season day: it is inside the off-season between 2022-23"),
        (["gaps", "--start", "2019-01-01", "--end", "2020-12-21"], "has no in-season day: the calendar starts 2020-12-22"),
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


@pytest.fixture
def tiny_env(warehouse, tmp_path, monkeypatch):
    """A warehouse whose schedule has one final game (2023-10-24) and nothing else: the
    opener's date is due everywhere and missing, every other date has no games."""
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": ["20231024_LAL_DEN"], "game_date": [dt.date(2023, 10, 24)], "game_status": [3],
                      "home_team_tricode": ["DEN"], "away_team_tricode": ["LAL"]}),
    )
    monkeypatch.setenv("NBA_BACKFILL_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_BACKFILL_DUCKDB_PATH", warehouse.path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return warehouse


def run_in_process(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "command, given, clipped, exit_code",
    [
        # both edges in an off-season (the example); the opener's game is missing: exit 1
        (["gaps", "--json"], ("2023-10-01", "2024-06-30"), ("2023-10-24", "2024-06-17"), 1),
        (["validate"], ("2023-10-01", "2024-06-30"), ("2023-10-24", "2024-06-17"), 1),
        # only the end in the off-season, and no game left in the range: all is well, exit 0
        (["validate"], ("2024-06-01", "2024-09-30"), ("2024-06-01", "2024-06-17"), 0),
        # only the start, before the first season in the calendar
        (["gaps"], ("2020-06-01", "2021-01-10"), ("2020-12-22", "2021-01-10"), 0),
    ],
)
def test_an_off_season_edge_is_clipped_with_a_note(tiny_env, capsys, command, given, clipped, exit_code):
    code, out, err = run_in_process(capsys, command[0], "--start", given[0], "--end", given[1], *command[1:])
    assert err == f"note: {given[0]} .. {given[1]} clipped to the in-season dates {clipped[0]} .. {clipped[1]}\n"
    # exactly what the clipped range gives, which prints no note
    assert (code, out, "") == run_in_process(capsys, command[0], "--start", clipped[0], "--end", clipped[1],
                                             *command[1:])
    assert code == exit_code


def test_a_range_spanning_an_off_season_is_not_clipped(tiny_env, capsys):
    code, out, err = run_in_process(capsys, "gaps", "--start", "2024-06-01", "--end", "2024-10-31", "--json")
    assert err == "" and code == 0
    assert (json.loads(out)["start"], json.loads(out)["end"]) == ("2024-06-01", "2024-10-31")
