"""The `nba-backfill` command. Each subcommand parses, calls one module, prints a summary.

Errors a user can fix are one line on stderr and exit 1; anything else is one line too,
with the traceback only under --debug.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path
from typing import Sequence

from nba_backfill.errors import InvalidDateRangeError, UserError
from nba_backfill.partitions import load_calendar, parse_date

DEMO_SEASONS = ("2021-22", "2022-23", "2023-24", "2024-25")
PHASE_GROUPS = ("analytics", "precompute")


def _date_range(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    """--season, or --start/--end, validated against the calendar."""
    calendar = load_calendar()
    if getattr(args, "season", None):
        seasons = [calendar.by_label(label.strip()) for label in args.season.split(",")]
        start, end = min(s.opener for s in seasons), max(s.last_day for s in seasons)
        yesterday = dt.date.today() - dt.timedelta(days=1)
        return start, min(end, yesterday)
    if not (args.start and args.end):
        raise InvalidDateRangeError("give --start and --end (YYYY-MM-DD), or --season 2023-24")
    start, end = parse_date(args.start), parse_date(args.end)
    if end < start:
        raise InvalidDateRangeError(f"--end {end} is before --start {start}")
    calendar.season_of(start)
    calendar.season_of(end)
    return start, end


def _add_range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", help="first date, YYYY-MM-DD")
    parser.add_argument("--end", help="last date, YYYY-MM-DD")
    parser.add_argument("--season", help="whole season(s) instead, e.g. 2023-24 or 2022-23,2023-24")


def _definitions():
    from nba_backfill.definitions import build_definitions

    return build_definitions()


def _warehouse():
    from nba_backfill.warehouse import warehouse_from_env

    return warehouse_from_env()


# -- commands -------------------------------------------------------------------------


def cmd_demo_data(args: argparse.Namespace) -> int:
    seasons = [load_calendar().by_label(s.strip()) for s in args.seasons.split(",")]
    from nba_backfill.demo.write import write_demo_data

    began = time.monotonic()
    rows = write_demo_data(_warehouse(), seasons, args.seed)
    print(f"demo data: {sum(rows.values()):,} raw rows for {', '.join(s.label for s in seasons)} "
          f"in {time.monotonic() - began:.1f}s")
    for table, n in sorted(rows.items()):
        print(f"  nba_raw.{table:<34} {n:>10,}")
    return 0


def cmd_observe(args: argparse.Namespace) -> int:
    from nba_backfill.backfill import observe_raw

    observed = observe_raw(_definitions())
    for table, dates in sorted(observed.items()):
        print(f"  nba_raw.{table:<34} rows on {dates:>5} dates")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from nba_backfill import backfill
    from nba_backfill.progress import ProgressBar

    start, end = _date_range(args)
    defs = _definitions()
    names = [n.strip() for n in args.select.split(",")] if args.select else None
    assets = backfill.select_assets(defs, names, PHASE_GROUPS)
    if not assets:
        raise UserError("nothing to build: no Phase 3/4 assets are defined yet")
    plan = backfill.chunks(start, end)
    total = sum(len(c.keys) for c in plan)
    print(f"backfill {start} .. {end}: {total} partitions in {len(plan)} runs, "
          f"{len(assets)} assets")
    began = time.monotonic()
    with ProgressBar(total) as bar:
        done = backfill.backfill(defs, assets, start, end, progress=bar.advance)
    chunk, last = done[-1]
    if not last.success:
        print(f"error: run {last.run_id} failed for {chunk.first} .. {chunk.last}: "
              f"{backfill.first_failure(last)}", file=sys.stderr)
        print(f"resume with: nba-backfill backfill --start {chunk.first} --end {end}", file=sys.stderr)
        return 1
    print(f"done in {time.monotonic() - began:.1f}s; runs: {', '.join(r.run_id[:8] for _, r in done)}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from nba_backfill.demo.nba_api import load_files

    warehouse = _warehouse()
    warehouse.setup()
    report = load_files(
        warehouse,
        player_logs=[Path(p) for p in args.player_logs],
        team_logs=[Path(p) for p in args.team_logs or []],
        shots=[Path(p) for p in args.shots or []],
        schedule=Path(args.schedule) if args.schedule else None,
    )
    for line in report.lines():
        print(line)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job: demo data, raw observation, the full backfill."""
    data = argparse.Namespace(seasons=args.seasons, seed=args.seed)
    status = cmd_demo_data(data) or cmd_observe(data)
    if status:
        return status
    return cmd_backfill(argparse.Namespace(start=None, end=None, season=args.seasons, select=None))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nba-backfill", description="Backfill and watch the NBA props warehouse (Phase 3/4)."
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    demo_data = commands.add_parser("demo-data", help="write deterministic demo Phase 2 data")
    demo_data.add_argument("--seasons", default=",".join(DEMO_SEASONS))
    demo_data.add_argument("--seed", type=int, default=7)
    demo_data.set_defaults(run=cmd_demo_data)

    observe = commands.add_parser("observe", help="record which dates each raw table has")
    observe.set_defaults(run=cmd_observe)

    backfill = commands.add_parser("backfill", help="build Phase 3/4 assets over a date range")
    _add_range(backfill)
    backfill.add_argument("--select", help="comma-separated asset names (default: all Phase 3 and 4)")
    backfill.set_defaults(run=cmd_backfill)

    load = commands.add_parser("load", help="load stats.nba.com CSV exports into the raw tables")
    load.add_argument("--player-logs", nargs="+", required=True, metavar="FILE")
    load.add_argument("--team-logs", nargs="+", metavar="FILE")
    load.add_argument("--shots", nargs="+", metavar="FILE")
    load.add_argument("--schedule", metavar="FILE")
    load.set_defaults(run=cmd_load)

    demo = commands.add_parser("demo", help="the main job: demo data, then the full backfill")
    demo.add_argument("--seasons", default=",".join(DEMO_SEASONS))
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warnings.filterwarnings("ignore")  # Dagster beta/preview notices are not for end users
    try:
        return args.run(args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one line, the traceback on request
        if args.debug:
            raise
        print(f"error: unexpected {type(error).__name__}: {error} (run with --debug for details)",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
