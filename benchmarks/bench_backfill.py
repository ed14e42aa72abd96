"""Backfill benchmark: one demo season built four ways, measured in one sitting.

    .venv/bin/python benchmarks/bench_backfill.py [--season 2023-24] [--rounds N] [--full]

1. floor:   the ten Phase 3/4 SQL files, one range build per table over the season, no
            Dagster, no checks (what the machine can do), each reading in a process of
            its own; read before the first round and after each;
2. cli:     `nba-backfill backfill --season S` in its own process (one Dagster run, every
            gate and check), against a fresh copy of the same raw data;
3. ui:      the same range launched as the UI launches it (GraphQL launchPartitionBackfill
            with the ten assets and the season's partition names) on a webserver and the
            daemon `make ui` starts, from the launch to the end time the daemon records;
4. one date: `nba-backfill backfill --start D --end D` on the built season (the daily run);
5. --full:  the four demo seasons, `nba-backfill backfill --season ...`, and the peak memory
            (max RSS) of that process.

A round is a CLI season and a UI-path season; its ratios are to the faster of the floor
readings on either side of it. With --rounds N (default 1) the summary gives the median
ratio and the spread of the rounds: the speed of this VM drifts within minutes.
Every figure comes from a fresh copy of one raw-only warehouse file and a fresh Dagster
instance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEMO_SEASONS = ("2021-22", "2022-23", "2023-24", "2024-25")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--season", default="2023-24")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--full", action="store_true", help="also the four demo seasons, with peak memory")
    parser.add_argument("--rounds", type=int, default=1, help="floor, CLI and UI rounds (medians reported)")
    parser.add_argument("--floor-of", type=Path, help=argparse.SUPPRESS)  # one floor reading (floor_reading)
    args = parser.parse_args()

    import warnings

    warnings.filterwarnings("ignore")
    from nba_backfill.seasons import in_season_days, load_calendar

    season = load_calendar().by_label(args.season)
    if args.floor_of:
        print(timed(lambda: sql_floor(args.floor_of, season)))
        return
    keys = [d.isoformat() for d in in_season_days(season.opener, season.last_day)]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        root = Path(tmp)
        raw = root / "raw.duckdb"
        seconds = timed(lambda: demo_data(raw, [args.season], args.seed))
        print(f"demo data, season {args.season}: {seconds:.1f}s")

        # a slow floor would flatter every ratio: each round's ratios take the faster of
        # the two floor readings around it
        floors = [floor_reading(copy(raw, root / "floor0.duckdb"), args.season)]
        clis, uis = [], []
        for n in range(1, args.rounds + 1):
            cli_path = copy(raw, root / f"cli{n}.duckdb")
            clis.append(timed(lambda: cli_backfill(root / f"cli_home{n}", cli_path, ["--season", args.season])))
            ui, runs = ui_backfill(root / f"ui{n}", copy(raw, root / f"ui{n}.duckdb"), keys)
            uis.append(ui)
            floors.append(floor_reading(copy(raw, root / f"floor{n}.duckdb"), args.season))
            floor = min(floors[-2:])
            print(f"round {n}: floor {floor:5.1f}s (readings {floors[-2]:.1f}s, {floors[-1]:.1f}s), "
                  f"cli {clis[-1]:5.1f}s = {clis[-1] / floor:.2f}x, ui {ui:5.1f}s = {ui / floor:.2f}x "
                  f"({runs} run(s))")
        ratios = [(c / min(floors[i:i + 2]), u / min(floors[i:i + 2])) for i, (c, u) in enumerate(zip(clis, uis))]
        floor, cli, ui = min(floors), statistics.median(clis), statistics.median(uis)
        print(f"floor   (ten SQL files, no Dagster):       {floor:6.1f}s  (fastest of {len(floors)} readings, "
              f"slowest {max(floors):.1f}s)")
        print(f"cli     (nba-backfill backfill --season):  {cli:6.1f}s  "
              f"{statistics.median(r[0] for r in ratios):.2f}x floor{spread([r[0] for r in ratios])}")
        print(f"ui      (launched as the UI launches it):  {ui:6.1f}s  "
              f"{statistics.median(r[1] for r in ratios):.2f}x floor{spread([r[1] for r in ratios])}, "
              f"{ui / cli:.2f}x cli")

        day = dt.date(2024, 1, 17) if args.season == "2023-24" else season.opener + dt.timedelta(days=80)
        one = timed(lambda: cli_backfill(root / f"cli_home{args.rounds}", cli_path, ["--start", str(day), "--end", str(day)]))
        print(f"one date ({day}, every table and check): {one:6.1f}s")

        if args.full:
            full_raw = root / "full.duckdb"
            demo_data(full_raw, list(DEMO_SEASONS), args.seed)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            full = timed(lambda: cli_backfill(root / "full_home", full_raw, ["--season", ",".join(DEMO_SEASONS)]))
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            print(f"4 demo seasons (nba-backfill backfill):   {full:6.1f}s, peak memory "
                  f"{max(peak, before) / 1024:.0f} MiB (max RSS of one process so far)")


def spread(ratios: list[float]) -> str:
    return f" (rounds {min(ratios):.2f}x .. {max(ratios):.2f}x)" if len(ratios) > 1 else ""


def timed(action) -> float:
    began = time.monotonic()
    action()
    return time.monotonic() - began


def copy(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    return target


def demo_data(path: Path, seasons: list[str], seed: int) -> None:
    from nba_backfill.demo.write import write_demo_data
    from nba_backfill.seasons import load_calendar
    from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

    calendar = load_calendar()
    write_demo_data(DuckDBWarehouse(path=str(path)), [calendar.by_label(s) for s in seasons], seed)


def floor_reading(path: Path, season_label: str) -> float:
    """One floor reading in a process of its own: no SQL file parsed beforehand, as in the
    CLI's process (the parsed files are cached for the life of a process)."""
    done = subprocess.run(
        [sys.executable, __file__, "--season", season_label, "--floor-of", str(path)],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    return float(done.stdout.strip())


def sql_floor(path: Path, season) -> None:
    from nba_backfill import catalog
    from nba_backfill.assets.sql_asset import build_range
    from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

    warehouse = DuckDBWarehouse(path=str(path))
    for spec in catalog.tables().values():  # in dependency order
        build_range(spec, warehouse, season.opener, season.last_day, "floor")


def project_env(home: Path, warehouse: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(REPO / "deploy" / "local" / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home), "NBA_BACKFILL_DUCKDB_PATH": str(warehouse),
            "NBA_BACKFILL_WAREHOUSE": "duckdb"}


def cli_backfill(home: Path, warehouse: Path, range_args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nba_backfill.cli", "backfill", *range_args],
        cwd=REPO, env=project_env(home, warehouse), capture_output=True, text=True,
    )
    if done.returncode not in (0, 1):  # 1: dates refused on purpose (the demo's planted defects)
        raise SystemExit(f"backfill failed:\n{done.stderr[-3000:]}")


def ui_backfill(root: Path, warehouse: Path, keys: list[str]) -> tuple[float, int]:
    """Seconds from the GraphQL launch to the backfill's completion, and its run count.

    The completion is the end time the daemon records on the backfill (what the UI shows),
    not when the once-a-second status poll happens to see it."""
    from nba_backfill import catalog
    from nba_backfill_tests.support import dagster_ui

    home = dagster_ui.dagster_home(root)
    ui = dagster_ui.DagsterUI(home=home, warehouse_path=warehouse, logs=root / "logs").start()
    try:
        launched = time.time()  # the same clock as the daemon's end timestamp
        backfill_id = ui.launch_backfill(list(catalog.tables()), keys)
        done = ui.wait_for_backfill(backfill_id, deadline_seconds=1800)
        return done["endTimestamp"] - launched, len(ui.backfill_runs(backfill_id))
    finally:
        ui.stop()


if __name__ == "__main__":
    main()
