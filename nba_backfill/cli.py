"""The `nba-backfill` command. Each subcommand parses, calls one module, prints a summary.

Errors a user can fix are one line on stderr and exit 1; anything else is one line too,
with the traceback only under --debug. Each subcommand imports what it runs inside its
function: `--help` and a mistyped date answer at once, without loading Dagster.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gc
import json
import os
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NoReturn, Sequence

from nba_backfill import catalog
from nba_backfill.commands import backfill_command, validate_command
from nba_backfill.errors import InvalidDateRangeError, UserError
from nba_backfill.seasons import clip_to_seasons, load_calendar, parse_date

DEMO_SEASONS = ("2021-22", "2022-23", "2023-24", "2024-25")


def _date_range(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    """--season, or --start/--end, validated against the calendar. --start/--end are clipped
    to the in-season dates (an off-season edge is dropped, with a note on stderr)."""
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
    first, last = clip_to_seasons(start, end)  # off-season edges dropped; none left: an error
    if (first, last) != (start, end):
        print(f"note: {start} .. {end} clipped to the in-season dates {first} .. {last}", file=sys.stderr)
    return first, last


def _add_range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", help="first date, YYYY-MM-DD")
    parser.add_argument("--end", help="last date, YYYY-MM-DD")
    parser.add_argument("--season", help="whole season(s) instead, e.g. 2023-24 or 2022-23,2023-24")


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


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
    from nba_backfill.lease import reap_dead_runs

    start, end = _date_range(args)
    defs = _definitions()
    names = [n.strip() for n in args.select.split(",")] if args.select else None
    tables = backfill.select_tables(defs, names, catalog.PHASE_GROUPS)
    if not tables:
        raise UserError("nothing to build: no Phase 3/4 assets are defined yet")
    fail_fast = getattr(args, "fail_fast", False)
    dagster_instance = backfill.instance()
    for line in reap_dead_runs(dagster_instance):  # a crashed run must not block this one
        print(f"note: {line}")
    with _start_up_frozen():
        if getattr(args, "missing_only", False):
            return _backfill_missing_only(defs, start, end, names, fail_fast, dagster_instance)
        outcomes = [_run_backfill(defs, tables, start, end, fail_fast, dagster_instance=dagster_instance)]
        return _summarize(outcomes, start, end, names)


@contextmanager
def _start_up_frozen() -> Iterator[None]:
    """Python's collector leaves what start-up made (Dagster, pandas, sqlglot, the
    definitions: ~240,000 objects, alive until the command ends) out of its full passes
    until the block ends. A build allocates fast (SQL trees, events), so those passes come
    often, and walking the start-up objects each time cost ~1 s of a one-date backfill.
    Objects freed by reference counting are freed as before; the few cycles start-up left
    as garbage wait for the first pass after the block (collecting them first would cost
    a full pass, ~0.3 s)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run_backfill(
    defs, tables: list[str], start: dt.date, end: dt.date, fail_fast: bool, missing_only: bool = False,
    dagster_instance=None,
):
    """One range backfill (one Dagster run) with a progress bar over table-dates."""
    from nba_backfill import backfill
    from nba_backfill.progress import ProgressBar

    days = len(backfill.partition_keys(start, end))
    print(f"backfill {start} .. {end}: {days} partitions x {len(tables)} assets, one run")
    with ProgressBar(days * len(tables)) as bar:
        return backfill.backfill(
            defs, tables, start, end, on_progress=bar.advance, fail_fast=fail_fast, on_wait=bar.note,
            missing_only=missing_only, dagster_instance=dagster_instance,
        )


def _summarize(outcomes: list, start: dt.date, end: dt.date, names) -> int:
    """Built, refused by reason, failed; the command that resumes. 0 only when complete."""
    built = sum(sum(o.built.values()) for o in outcomes)
    refused: dict[str, int] = {}
    failed: dict[str, int] = {}
    for o in outcomes:
        for kind, n in o.refused.items():
            refused[kind] = refused.get(kind, 0) + n
        for asset, n in o.failed.items():
            failed[asset] = failed.get(asset, 0) + n
    runs = ", ".join(o.run_id[:8] + ("" if o.success else " (failed)") for o in outcomes)
    print(f"built {built:,} asset-dates in {len(outcomes)} run(s): {runs}")
    if all(o.complete for o in outcomes):
        return 0
    if refused:
        shown = ", ".join(f"{n:,} {kind}" for kind, n in sorted(refused.items(), key=lambda kv: -kv[1]))
        print(f"refused {sum(refused.values()):,} asset-dates: {shown}", file=sys.stderr)
    if failed:
        shown = ", ".join(f"{asset} {n:,}" for asset, n in failed.items())
        print(f"failed {sum(failed.values()):,} asset-dates: {shown}", file=sys.stderr)
    for o in outcomes:
        if o.first_problem:
            print(f"first problem: {o.first_problem}", file=sys.stderr)
            break
    if "lookback not built yet" in refused:
        opener = load_calendar().season_of(start).opener
        print(f"some lookback windows reach before {start}: build from the season's opener first, "
              f"e.g. {backfill_command(opener, end)}", file=sys.stderr)
    print(f"see why: {validate_command(start, end)}", file=sys.stderr)
    print(f"resume with: {backfill_command(start, end, names, missing_only=True)}", file=sys.stderr)
    return 1


def _backfill_missing_only(defs, start: dt.date, end: dt.date, names, fail_fast: bool, dagster_instance=None) -> int:
    from nba_backfill.operations.runs import missing_only

    plan, steps = missing_only(_warehouse(), start, end, names)
    waiting = {a: plan.waiting(a) for a in plan.order if plan.waiting(a) and (not names or a in names)}
    if waiting:
        dates = sorted({d for days in waiting.values() for d in days})
        print(f"waiting on raw data (Gate 0), not built: {', '.join(str(d) for d in dates[:10])}"
              + (" ..." if len(dates) > 10 else ""))
    if not steps:
        print(f"nothing missing in {start} .. {end}" + (" (apart from dates waiting on raw data)" if waiting else ""))
        return 1 if waiting else 0
    # one run over the span of what is missing, every selected table: the build skips the
    # dates already complete and recorded per table (a table whose rows a killed run wrote
    # but never recorded is built again), and a date refused again (raw still late) takes
    # its turn, so its lookback readers are not left waiting
    assets = [a for a in plan.order if not names or a in names]
    span = [d for step in steps for r in step.ranges for d in r] + [d for days in waiting.values() for d in days]
    first, last = min(span), max(span)
    needed = [a for a in plan.order if any(a in step.assets for step in steps)]
    print(f"missing only: {', '.join(needed)} ({sum(len(s.assets) * s.days for s in steps):,} asset-dates)")
    outcome = _run_backfill(defs, assets, first, last, fail_fast, missing_only=True, dagster_instance=dagster_instance)
    status = _summarize([outcome], start, end, names)
    return status or (1 if waiting else 0)


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, default=str))


def cmd_preflight(args: argparse.Namespace) -> int:
    from nba_backfill.operations import preflight

    start, end = _date_range(args)
    result = preflight.preflight(_warehouse(), start, end)
    _print_json(result.as_dict()) if args.json else print("\n".join(preflight.describe(result)))
    return 0 if result.ok else 1


def cmd_plan(args: argparse.Namespace) -> int:
    from nba_backfill.operations import plan, status

    start, end = _date_range(args)
    warehouse = _warehouse()
    result = plan.make_plan(warehouse, status.coverage(warehouse, start, end))
    cost = None
    if args.estimate:
        from nba_backfill.operations.estimate import describe, estimate_plan
        from nba_backfill.warehouse.cost import price_per_tib_from_env

        price = args.price_per_tib if args.price_per_tib is not None else price_per_tib_from_env(os.environ)
        cost = estimate_plan(warehouse, result, price)
    if args.json:
        payload = result.as_dict()
        if cost is not None:
            payload["estimate"] = {"total_bytes": cost.total_bytes, "cost_usd": round(cost.cost_usd, 4),
                                   "price_per_tib_usd": cost.price_per_tib_usd, "complete": cost.complete}
        _print_json(payload)
    else:
        print("\n".join(plan.describe(result)))
        if cost is not None:
            print("\n".join(describe(cost)))
    return 0 if result.ok else 1


def cmd_gaps(args: argparse.Namespace) -> int:
    from nba_backfill.operations import gaps, status

    start, end = _date_range(args)
    cover = status.coverage(_warehouse(), start, end)
    written = {}
    if args.png:
        written["png"] = str(gaps.render_png(cover, args.png))
    if args.html:
        written["html"] = str(gaps.render_html(cover, args.html, written.get("png")))
    if args.json:
        _print_json({"start": start.isoformat(), "end": end.isoformat(), "complete": cover.complete,
                     "seasons": gaps.season_table(cover), "gaps": gaps.problem_ranges(cover),
                     "dates": gaps.state_ranges(cover), "written": written})
    else:
        print("\n".join(gaps.describe(cover)))
        for kind, path in written.items():
            print(f"heatmap ({kind}): {path}")
    return 0 if cover.complete else 1


def cmd_validate(args: argparse.Namespace) -> int:
    from nba_backfill.operations import validate

    start, end = _date_range(args)
    result = validate.validate(_warehouse(), start, end)
    if args.json:
        _print_json(result.as_dict(args.strict))
    else:
        print("\n".join(validate.describe(result, args.strict)))
    return 0 if result.ok(args.strict) else 1


def cmd_report(args: argparse.Namespace) -> int:
    from nba_backfill.operations import report

    start, end = _date_range(args)
    result = report.build_report(_warehouse(), start, end, out_dir=args.out)
    _print_json(result.as_dict()) if args.json else print("\n".join(report.describe(result)))
    return 0 if result.ok else 1


def cmd_load(args: argparse.Namespace) -> int:
    from nba_backfill.ingest.nba_api import load_files

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
    if problem := report.error():  # rows listed above; a date with a bad row is held back
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job: demo data, raw observation, the full backfill, then the report (and the
    heatmap under reports/). Exit 0 when the backfill ran and every problem the gates found
    is a defect the demo data planted on purpose."""
    from nba_backfill.operations import report

    data = argparse.Namespace(seasons=args.seasons, seed=args.seed)
    status = cmd_demo_data(data) or cmd_observe(data)
    if status:
        return status
    # the demo plants raw defects, so the backfill refuses some dates on purpose: the report
    # below, not the backfill's exit code, says whether anything unexpected happened
    cmd_backfill(argparse.Namespace(start=None, end=None, season=args.seasons, select=None))
    start, end = _date_range(argparse.Namespace(season=args.seasons, start=None, end=None))
    result = report.build_report(_warehouse(), start, end, out_dir=report.REPORTS_DIR)
    print("\n".join(report.describe(result)))
    surprises = result.unexpected()
    for line in surprises[:20]:
        print(f"unexpected: {line}", file=sys.stderr)
    return 1 if surprises else 0


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
    backfill.add_argument("--missing-only", action="store_true",
                          help="build only the dates not built yet or whose gate failed")
    backfill.add_argument("--fail-fast", action="store_true",
                          help="stop after the first season with a refused or failed date")
    backfill.set_defaults(run=cmd_backfill)

    preflight = commands.add_parser("preflight", help="is everything in place to backfill the range?")
    _add_range(preflight)
    _add_json(preflight)
    preflight.set_defaults(run=cmd_preflight)

    plan = commands.add_parser("plan", help="which dates to rebuild (missing, failed gate, stale), and how")
    _add_range(plan)
    _add_json(plan)
    plan.add_argument("--estimate", action="store_true",
                      help="dry-run the planned runs on BigQuery: bytes and on-demand cost")
    plan.add_argument("--price-per-tib", type=float, metavar="USD",
                      help="on-demand price per TiB (default NBA_BACKFILL_BIGQUERY_PRICE_PER_TIB or 6.25)")
    plan.set_defaults(run=cmd_plan)

    gaps = commands.add_parser("gaps", help="coverage of every asset against the schedule, and a heatmap")
    _add_range(gaps)
    _add_json(gaps)
    gaps.add_argument("--html", metavar="FILE", help="write the heatmap as a self-contained HTML page")
    gaps.add_argument("--png", metavar="FILE", help="write the heatmap as a PNG")
    gaps.set_defaults(run=cmd_gaps)

    validate = commands.add_parser("validate", help="run every gate and check over the range")
    _add_range(validate)
    _add_json(validate)
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.set_defaults(run=cmd_validate)

    report = commands.add_parser("report", help="the state of the range in one page, heatmap included")
    _add_range(report)
    _add_json(report)
    report.add_argument("--out", default="reports", metavar="DIR", help="where the heatmap goes (default reports/)")
    report.set_defaults(run=cmd_report)

    load = commands.add_parser("load", help="load stats.nba.com CSV exports into the raw tables")
    load.add_argument("--player-logs", nargs="+", required=True, metavar="FILE")
    load.add_argument("--team-logs", nargs="+", metavar="FILE")
    load.add_argument("--shots", nargs="+", metavar="FILE")
    load.add_argument("--schedule", metavar="FILE")
    load.set_defaults(run=cmd_load)

    demo = commands.add_parser("demo", help="the main job: demo data, the full backfill, then the report")
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


def run() -> NoReturn:
    """The command's process: ``main()``, then an exit without Python's teardown. By then
    everything the command wrote is committed and closed (the warehouse's connections are
    closed after each use, the Dagster run has ended); teardown would only free the
    process's objects one by one, ~0.7 s of every command. The exit handlers still run
    (log handlers flushed, temporary files removed), then the output is flushed."""
    code = main()
    atexit._run_exitfuncs()  # what a normal exit runs; os._exit would skip it
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (`| head`): nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
