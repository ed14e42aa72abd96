"""A backfill launched the way the UI launches it, end to end.

Demo raw data for 2022-23 and 2023-24 goes into a temporary warehouse, with one game's
gamebook and team box score deleted on one mid-range date (Gate 0 fails that date). Over a
temporary instance, ``dagster-webserver`` and ``dagster-daemon run`` start as an operator
starts them; the backfill is the GraphQL mutation the asset "Materialize → Launch
backfill" dialog sends (the ten Phase 3/4 assets, the partition keys of a range crossing
the 2022-23 / 2023-24 boundary), and the daemon runs it. The tests then check what the
instance recorded and what the warehouse holds against the requested range, against a
CLI build of the same range, and what the browser shows for the planted date.

The backfill (one, module-scoped) takes minutes: its wall time, runs and status are written
to ``backfill.json`` in the module's tmp folder and printed (``pytest -s``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from nba_backfill.partitions import game_date_partitions
from nba_backfill.seasons import load_calendar
from nba_backfill_tests.support.dagster_ui import (
    ASSET_CHECKS,
    CHECK_EXECUTIONS,
    REPO,
    DagsterUI,
    HarnessError,
    build_demo_warehouse,
    dagster_home,
    gate0,
    open_page,
    project_env,
    remove_raw_game,
    tail,
)

SEASONS = ("2022-23", "2023-24")
SEED = 7
# the last 10 days of 2022-23 and the first 25 of 2023-24: 35 partitions, the off-season
# between them is no partition; 2023-24's demo data runs on to June 2024
START, END = "2023-06-03", "2023-11-17"
BAD_DATE = "2023-11-08"  # one game loses its gamebook and team box score (day 15 of 2023-24)
GOOD_DATE = "2023-11-07"
BACKFILL_DEADLINE_SECONDS = 420
CLI_DEADLINE_SECONDS = 900

# asset -> (table, date column)
TABLES = {
    "team_offense_game_summary": ("nba_analytics.team_offense_game_summary", "game_date"),
    "team_defense_game_summary": ("nba_analytics.team_defense_game_summary", "game_date"),
    "player_game_summary": ("nba_analytics.player_game_summary", "game_date"),
    "upcoming_player_game_context": ("nba_analytics.upcoming_player_game_context", "game_date"),
    "upcoming_team_game_context": ("nba_analytics.upcoming_team_game_context", "game_date"),
    "team_defense_zone_analysis": ("nba_precompute.team_defense_zone_analysis", "analysis_date"),
    "player_shot_zone_analysis": ("nba_precompute.player_shot_zone_analysis", "analysis_date"),
    "player_composite_factors": ("nba_precompute.player_composite_factors", "game_date"),
    "player_daily_cache": ("nba_precompute.player_daily_cache", "cache_date"),
    "ml_feature_store_v2": ("nba_predictions.ml_feature_store_v2", "game_date"),
}
ASSETS = tuple(TABLES)
# Phase 3 assets that read the gamebook on the same date: Gate 0 guards them
GAMEBOOK_READERS = (
    "team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
    "upcoming_player_game_context",
)
OPENER_ASSETS = ("upcoming_team_game_context", "ml_feature_store_v2")
FRESHNESS_CHECK = "built_by_deadline"  # asset-level, not a quality gate
BACKFILL_TAG = "dagster/backfill"
# columns that differ between two builds of the same rows (build time, run identity)
RUN_SPECIFIC = {"run_id", "processed_at", "created_at", "updated_at", "started_at", "finished_at",
                "duration_seconds", "processing_timestamp"}
DOCS = REPO / "docs"


def requested_keys() -> list[str]:
    return [k for k in game_date_partitions().get_partition_keys() if START <= k <= END]


@dataclasses.dataclass
class Backfill:
    ui: DagsterUI
    tmp: Path
    home: Path
    warehouse_path: Path
    cli_warehouse_path: Path
    keys: list[str]
    bad_game: str
    backfill_id: str
    status: str
    record: dict
    runs: list[dict]  # every run in the instance
    wall_seconds: float

    def summary(self) -> dict:
        return {
            "backfill_id": self.backfill_id,
            "status": self.status,
            "wall_seconds": round(self.wall_seconds, 1),  # mutation sent .. terminal status seen
            "backfill_seconds": round((self.record["endTimestamp"] or 0) - self.record["timestamp"], 1),
            "partitions_requested": len(self.keys),
            "range": [self.keys[0], self.keys[-1]],
            "assets": list(ASSETS),
            "runs": [
                {
                    "run_id": run["runId"],
                    "status": run["status"],
                    "seconds": round((run["endTime"] or time.time()) - (run["startTime"] or time.time()), 1),
                    "assets": [".".join(a["path"]) for a in run["assetSelection"] or []],
                    "tags": {t["key"]: t["value"] for t in run["tags"]
                             if t["key"].startswith(("dagster/backfill", "dagster/asset_partition_range",
                                                      "dagster/partition", "dagster/schedule"))},
                }
                for run in self.runs
            ],
            "bad_date": BAD_DATE,
            "bad_game": self.bad_game,
        }


def _prepare_warehouses(tmp: Path, keys: list[str]) -> tuple[Path, Path, str]:
    """The UI's warehouse (demo data, one game removed on BAD_DATE) and an identical copy
    for the CLI build. Gate 0 must fail BAD_DATE and only it."""
    path = tmp / "ui.duckdb"
    warehouse = build_demo_warehouse(path, SEASONS, SEED)
    bad = dt.date.fromisoformat(BAD_DATE)
    game = remove_raw_game(warehouse, bad)
    verdict = gate0(warehouse, dt.date.fromisoformat(keys[0]), dt.date.fromisoformat(keys[-1]))
    failing = verdict[verdict["actual"] < verdict["expected"]]
    failing_dates = sorted(pd.to_datetime(failing["check_date"]).dt.strftime("%Y-%m-%d"))
    if failing_dates != [BAD_DATE] or game not in str(failing["missing"].iloc[0]):
        raise HarnessError(
            f"Gate 0 should fail exactly {BAD_DATE} (game {game} removed), it fails {failing_dates}:\n"
            f"{failing.to_string()}"
        )
    cli_path = tmp / "cli.duckdb"
    shutil.copy(path, cli_path)
    return path, cli_path, game


@pytest.fixture(scope="module")
def ui_backfill(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui_backfill")
    keys = requested_keys()
    assert keys and keys[0] == START and keys[-1] == END, f"{START}..{END} are not both partitions: {keys[:3]}..."
    warehouse_path, cli_warehouse_path, bad_game = _prepare_warehouses(tmp, keys)
    home = dagster_home(tmp)
    # the webserver and the daemon `make ui` starts (Dagster's daemon, 2 s backfill tick)
    ui = DagsterUI(home=home, warehouse_path=warehouse_path, logs=tmp / "logs", daemon=True)
    ui.start(deadline_seconds=120)
    try:
        began = time.monotonic()
        backfill_id = ui.launch_backfill(ASSETS, keys)
        record = ui.wait_for_backfill(backfill_id, BACKFILL_DEADLINE_SECONDS, tmp / "logs" / "backfill_progress.log")
        wall = time.monotonic() - began
        outcome = Backfill(
            ui=ui, tmp=tmp, home=home, warehouse_path=warehouse_path, cli_warehouse_path=cli_warehouse_path,
            keys=keys, bad_game=bad_game, backfill_id=backfill_id, status=record["status"], record=record,
            runs=ui.backfill_runs(), wall_seconds=wall,
        )
        (tmp / "backfill.json").write_text(json.dumps(outcome.summary(), indent=2))
        print(f"\nUI backfill {backfill_id}: {record['status']} in {wall:.1f}s, "
              f"{len(outcome.runs)} run(s); details in {tmp / 'backfill.json'}")
        yield outcome
    finally:
        ui.stop()


@pytest.fixture(scope="module")
def instance(ui_backfill):
    with dg.DagsterInstance.from_config(str(ui_backfill.home)) as opened:
        yield opened


@pytest.fixture(scope="module")
def cli_build(ui_backfill):
    """The same range built by the CLI into the copy of the raw data (after the UI
    backfill: one heavy process at a time). Exit 1 is allowed: the planted date fails."""
    tmp = ui_backfill.tmp
    command = [sys.executable, "-m", "nba_backfill.cli", "backfill", "--start", START, "--end", END]
    if set(ASSETS) != set(TABLES):
        command += ["--select", ",".join(ASSETS)]
    env = project_env(dagster_home(tmp / "cli"), ui_backfill.cli_warehouse_path)
    log = tmp / "logs" / "cli_backfill.log"
    began = time.monotonic()
    with open(log, "wb") as out:
        try:
            done = subprocess.run(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=CLI_DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"CLI backfill not done after {CLI_DEADLINE_SECONDS}s:\n{tail(log)}")
    seconds = time.monotonic() - began
    if done.returncode not in (0, 1):
        pytest.fail(f"CLI backfill exited {done.returncode}:\n{tail(log)}")
    print(f"\nCLI backfill {START}..{END}: exit {done.returncode} in {seconds:.1f}s")
    return ui_backfill.cli_warehouse_path


# -- reading the warehouse -----------------------------------------------------------------


def read_table(path: Path, table: str) -> pd.DataFrame | None:
    """The whole table, or None when it does not exist."""
    schema, name = table.split(".")
    with duckdb.connect(str(path), read_only=True) as connection:
        exists = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
        if not exists:
            return None
        return connection.execute(f'SELECT * FROM "{schema}"."{name}"').df()


def dates_of(frame: pd.DataFrame, column: str) -> set[str]:
    return set(pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d"))


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a table in a canonical order without run-specific columns; array columns
    are spread into one column per element so floats compare with a tolerance."""
    frame = frame.drop(columns=[c for c in frame.columns if c in RUN_SPECIFIC])
    for column in list(frame.columns):
        values = frame[column].dropna()
        if frame[column].dtype == object and len(values) and isinstance(values.iloc[0], (list, tuple, np.ndarray)):
            cells = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in frame[column]]
            items = pd.DataFrame(cells, index=frame.index)
            items.columns = [f"{column}[{i}]" for i in items.columns]
            lengths = pd.Series([len(c) for c in cells], index=frame.index, name=f"{column}#len")
            frame = pd.concat([frame.drop(columns=[column]), lengths, items], axis=1)
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    keys = [c for c in frame.columns if c not in floats]
    return frame.sort_values(keys + floats, kind="mergesort", na_position="first").reset_index(drop=True)


def materialized(instance: dg.DagsterInstance, asset: str) -> set[str]:
    return set(instance.get_materialized_partitions(dg.AssetKey(asset)))


# -- what the instance and the warehouse hold ----------------------------------------------


def test_materialized_partitions_are_the_requested_ones_at_most(ui_backfill, instance):
    requested = set(ui_backfill.keys)
    outside = {
        asset: sorted(materialized(instance, asset) - requested)
        for asset in ASSETS
    }
    outside = {asset: keys for asset, keys in outside.items() if keys}
    assert not outside, (
        f"partitions materialized outside {START}..{END}: "
        + "; ".join(f"{a}: {len(k)} ({k[0]}..{k[-1]})" for a, k in outside.items())
    )


def test_warehouse_tables_hold_no_rows_outside_the_range(ui_backfill):
    requested = set(ui_backfill.keys)
    problems = []
    for asset in ASSETS:
        table, column = TABLES[asset]
        frame = read_table(ui_backfill.warehouse_path, table)
        if frame is None:
            continue  # never built: no rows anywhere (the other tests say what is missing)
        outside = sorted(dates_of(frame, column) - requested)
        if outside:
            rows = int(pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d").isin(outside).sum())
            problems.append(f"{table}: {rows} rows on {len(outside)} dates outside ({outside[0]}..{outside[-1]})")
    assert not problems, "rows outside the requested range:\n" + "\n".join(problems)


def test_run_history_has_no_date_outside_the_range(ui_backfill):
    history = read_table(ui_backfill.warehouse_path, "nba_reference.processor_run_history")
    assert history is not None and len(history), "nba_reference.processor_run_history is empty"
    history = history.assign(day=pd.to_datetime(history["data_date"]).dt.strftime("%Y-%m-%d"))
    outside = history[~history["day"].isin(set(ui_backfill.keys))]
    by_processor = outside.groupby("processor_name")["day"].agg(["count", "min", "max"])
    assert outside.empty, f"run history rows outside {START}..{END}:\n{by_processor.to_string()}"


def test_season_openers_in_the_range_are_built(ui_backfill):
    openers = [s.opener.isoformat() for s in load_calendar().seasons if s.opener.isoformat() in ui_backfill.keys]
    assert openers == ["2023-10-24"], openers
    missing = []
    for asset in OPENER_ASSETS:
        table, column = TABLES[asset]
        frame = read_table(ui_backfill.warehouse_path, table)
        have = dates_of(frame, column) if frame is not None else set()
        missing += [f"{table} on {day}" for day in openers if day not in have]
    assert not missing, "no rows for season openers inside the range: " + ", ".join(missing)


def test_rows_equal_the_cli_build_of_the_same_range(ui_backfill, cli_build):
    problems = []
    for asset in ASSETS:
        table, _ = TABLES[asset]
        ui_rows = read_table(ui_backfill.warehouse_path, table)
        cli_rows = read_table(cli_build, table)
        if ui_rows is None or cli_rows is None:
            problems.append(f"{table}: table missing in the {'UI' if ui_rows is None else 'CLI'} build")
            continue
        if len(ui_rows) != len(cli_rows):
            _, column = TABLES[asset]
            ui_days, cli_days = dates_of(ui_rows, column), dates_of(cli_rows, column)
            problems.append(
                f"{table}: {len(ui_rows)} rows (UI) vs {len(cli_rows)} (CLI); dates only in UI "
                f"{len(ui_days - cli_days)} {sorted(ui_days - cli_days)[:3]}..., only in CLI "
                f"{len(cli_days - ui_days)} {sorted(cli_days - ui_days)[:3]}..."
            )
            continue
        try:
            pdt.assert_frame_equal(comparable(ui_rows), comparable(cli_rows), check_exact=False,
                                   rtol=0, atol=1e-9, check_dtype=False)
        except AssertionError as error:
            problems.append(f"{table}: {str(error)[:600]}")
    assert not problems, "UI backfill rows differ from the CLI build:\n" + "\n".join(problems)


def test_backfill_made_at_most_two_runs_all_tagged(ui_backfill):
    launched = [r for r in ui_backfill.runs
                if not any(t["key"] == "dagster/schedule_name" for t in r["tags"])]  # a daily schedule's tick
    untagged = [r["runId"][:8] for r in launched
                if {t["key"]: t["value"] for t in r["tags"]}.get(BACKFILL_TAG) != ui_backfill.backfill_id]
    summary = json.dumps(ui_backfill.summary()["runs"], indent=1)[:4000]
    assert not untagged, f"runs without {BACKFILL_TAG}={ui_backfill.backfill_id}: {untagged}\n{summary}"
    assert len(launched) <= 2, (
        f"the backfill made {len(launched)} runs (design: one per backfill, at most 2), "
        f"status {ui_backfill.status}, wall {ui_backfill.wall_seconds:.0f}s:\n{summary}"
    )


def test_bad_date_not_materialized_and_its_check_failed(ui_backfill, instance):
    wrongly = [asset for asset in GAMEBOOK_READERS if BAD_DATE in materialized(instance, asset)]
    ui = ui_backfill.ui
    asset_key = {"path": ["player_game_summary"]}
    nodes = ui.graphql(ASSET_CHECKS, {"assetKeys": [asset_key]})["data"]["assetNodes"]
    names = [c["name"] for c in nodes[0]["assetChecksOrError"].get("checks", [])] if nodes else []
    seen, failed = [], []
    for name in names:
        if name == FRESHNESS_CHECK:
            continue
        executions = ui.graphql(CHECK_EXECUTIONS, {"assetKey": asset_key, "checkName": name, "limit": 1000})
        for execution in executions["data"]["assetCheckExecutions"]:
            evaluation = execution["evaluation"] or {}
            partition = execution["partition"] or evaluation.get("partition")
            seen.append((name, partition, execution["status"], evaluation.get("success")))
            if partition == BAD_DATE and execution["status"] == "FAILED" and evaluation.get("success") is False:
                failed.append(name)
    assert not wrongly, (
        f"{BAD_DATE} (game {ui_backfill.bad_game} has no gamebook or box score) is materialized for "
        f"{wrongly}"
    )
    recorded = sorted({(n, p, s, ok) for n, p, s, ok in seen if s != "SKIPPED"}, key=str)
    assert failed, (
        f"no failed check evaluation for partition {BAD_DATE} of player_game_summary; checks {names}; "
        f"recorded (check, partition, status, success) except SKIPPED: {recorded[:20]}"
    )


def test_every_other_date_is_materialized_for_player_game_summary(ui_backfill, instance):
    missing = sorted(set(ui_backfill.keys) - {BAD_DATE} - materialized(instance, "player_game_summary"))
    assert not missing, f"player_game_summary not materialized on {len(missing)} requested dates: {missing}"


# -- what the browser shows ----------------------------------------------------------------


def _wait(locator, what: str, ui: DagsterUI, timeout_ms: int = 60_000) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        locator.first.wait_for(timeout=timeout_ms)
    except PlaywrightTimeout:
        pytest.fail(f"the page did not show {what} within {timeout_ms / 1000:.0f}s\n{ui.diagnostics(20)}")


def _status_label(page, name: str):
    """One of the partition-status filters above the list: "Materialized (12)"."""
    return page.locator("label", has_text=re.compile(rf"^{name} \(\d+\)$"))


def _list_row(page, key: str):
    return page.locator(f"[class*='VirtualizedTable_row'] [title='{key}']")


def partition_status(page, ui: DagsterUI, key: str) -> dict:
    """Filter the list to ``key``, click it, read the detail panel: the status tag next to
    the heading (none for a missing partition) and the row's status dot colour."""
    page.get_by_placeholder("Filter by name").fill(key)
    _wait(_list_row(page, key), f"partition {key} in the list", ui)
    dot = _list_row(page, key).first.locator("xpath=ancestor::div[1]/following-sibling::div[1]")
    dot_style = dot.get_attribute("style") or ""
    _list_row(page, key).first.click()
    heading = page.locator(f"xpath=//span[.//div[@title='{key}'] and not(ancestor::*[contains(@class,'VirtualizedTable')])]")
    _wait(heading, f"the detail panel of {key}", ui)
    _wait(page.get_by_text("Latest materialization"), f"the materialization details of {key}", ui)
    tag = heading.first.locator("xpath=following-sibling::div[contains(@class,'BaseTag')]")
    for _ in range(20):  # a materialized partition shows its tag at once; give it 10 s
        if tag.count():
            break
        page.wait_for_timeout(500)
    colour = re.search(r"background:\s*var\(--color-([a-z-]+)\)", dot_style)
    return {
        "tag": tag.first.inner_text().strip() if tag.count() else None,
        "dot": colour.group(1) if colour else dot_style,
    }


def _screenshot(page, tmp: Path, name: str) -> None:
    """The test's artifact in its tmp folder; with NBA_BACKFILL_UPDATE_DOCS=1 also the
    README's copy in docs/ (so a plain test run leaves the work tree clean)."""
    page.screenshot(path=str(tmp / name))
    if os.environ.get("NBA_BACKFILL_UPDATE_DOCS") == "1":
        shutil.copy(tmp / name, DOCS / name)


@contextlib.contextmanager
def screenshot_on_failure(page, tmp: Path, name: str):
    try:
        yield
    except BaseException:
        page.screenshot(path=str(tmp / f"failed-{name}.png"))
        raise


def test_browser_shows_the_bad_date_not_materialized(ui_backfill, browser):
    ui, tmp, keys = ui_backfill.ui, ui_backfill.tmp, ui_backfill.keys
    page = open_page(browser, f"{ui.base}/assets/player_game_summary?view=partitions",
                     viewport={"width": 1280, "height": 800})
    with screenshot_on_failure(page, tmp, "partitions"):
        _wait(_status_label(page, "Materialized"), "the partition status filters", ui)
        span = page.locator("input[value^='[']").first  # the partition range ("[a...b]")
        span.fill(f"[{keys[0]}...{keys[-1]}]")
        span.press("Enter")
        _wait(page.get_by_text(f"{len(keys)} Partitions Selected"), f"'{len(keys)} Partitions Selected'", ui)
        counts = {name: _status_label(page, name).first.inner_text()
                  for name in ("Failed", "Materialized", "Materializing", "Missing")}
        good = partition_status(page, ui, GOOD_DATE)
        bad = partition_status(page, ui, BAD_DATE)
        _screenshot(page, tmp, "ui-backfill-partitions.png")
        # only "Materialized" ticked: the list holds the materialized partitions of the range;
        # filtered to the two dates' common prefix, one rendering shows both or one
        for name in ("Failed", "Materializing", "Missing"):
            label = _status_label(page, name).first
            if label.locator("input").is_checked():
                label.click()
        page.get_by_placeholder("Filter by name").fill(os.path.commonprefix([GOOD_DATE, BAD_DATE]))
        _wait(_list_row(page, GOOD_DATE), f"{GOOD_DATE} among the materialized partitions", ui)
        listed = {key: _list_row(page, key).count() > 0 for key in (GOOD_DATE, BAD_DATE)}
        page.screenshot(path=str(tmp / "ui-backfill-partitions-materialized-only.png"))
    seen = f"status counts {counts}; {GOOD_DATE}: {good}; {BAD_DATE}: {bad}; listed as materialized: {listed}"
    assert good == {"tag": "Materialized", "dot": "accent-green"} and listed[GOOD_DATE], (
        f"{GOOD_DATE} should show as materialized: {seen}"
    )
    assert bad["tag"] != "Materialized" and bad["dot"] != "accent-green" and not listed[BAD_DATE], (
        f"{BAD_DATE} shows as materialized: {seen}"
    )


def test_browser_backfill_page(ui_backfill, browser):
    ui, tmp = ui_backfill.ui, ui_backfill.tmp
    page = open_page(browser, f"{ui.base}/runs/b/{ui_backfill.backfill_id}", viewport={"width": 1280, "height": 800})
    with screenshot_on_failure(page, tmp, "backfill-page"):
        _wait(page.get_by_text("Partition selection"), "the backfill overview", ui)
        _wait(page.get_by_text("player_game_summary", exact=True), "the backfill's asset table", ui)
        page.wait_for_timeout(1_000)
        _screenshot(page, tmp, "ui-backfill-page.png")
    assert page.get_by_text(ui_backfill.backfill_id).count() >= 1
    shown = [asset for asset in ASSETS if page.get_by_text(asset, exact=True).count()]
    assert shown == list(ASSETS), f"the backfill page lists {shown}"
