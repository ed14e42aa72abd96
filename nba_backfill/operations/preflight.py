"""Before a backfill: is everything in place to build [start, end]?

Each item is required (the command exits non-zero when one fails) or informational:
the range in the calendar, the warehouse set up, final games in the schedule, raw
readiness (Gate 0: failing dates will be refused by the builds), every asset's and every
check's SQL rendering for this warehouse, the asset definitions, and a writable Dagster
home for run history. Raw-table coverage is shown for information.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from nba_backfill import catalog
from nba_backfill.assets.raw import rows_by_date
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import Outcome, final_games_by_day
from nba_backfill.checks.gates import RAW_READINESS
from nba_backfill.checks.registry import Evaluator, all_checks
from nba_backfill.seasons import season_days
from nba_backfill.warehouse import Warehouse, sql
from nba_backfill.warehouse.schema import CALENDAR_TABLE, RAW_TABLES

FIXED_TABLES = (
    "nba_raw.nbac_schedule",
    "nba_processing.analytics_failures",
    "nba_processing.precompute_failures",
    "nba_reference.processor_run_history",
    CALENDAR_TABLE,
)


@dataclass
class Item:
    name: str
    ok: bool
    detail: str
    required: bool = True
    lines: list[str] = field(default_factory=list)


@dataclass
class Preflight:
    start: dt.date
    end: dt.date
    items: list[Item]

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items if i.required)

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "ok": self.ok,
            "items": [
                {"name": i.name, "ok": i.ok, "required": i.required, "detail": i.detail, "lines": i.lines}
                for i in self.items
            ],
        }


def preflight(
    warehouse: Warehouse,
    start: dt.date,
    end: dt.date,
    specs: Mapping[str, TableSpec] | None = None,
    dagster_home: str | None = None,
) -> Preflight:
    items: list[Item] = []
    days = season_days(start, end)
    items.append(Item("calendar", bool(days), f"{len(days)} in-season dates (partitions) in {start} .. {end}"))

    missing_tables = [t for t in FIXED_TABLES if not warehouse.table_exists(t)]
    items.append(Item(
        "warehouse", not missing_tables,
        f"{warehouse.describe()}: set up" if not missing_tables
        else f"{warehouse.describe()}: missing {', '.join(missing_tables)} (run `nba-backfill demo-data` or load raw data)",
    ))
    if missing_tables:
        return Preflight(start, end, items)

    finals = final_games_by_day(warehouse, start, end) if days else {}
    items.append(Item(
        "schedule", bool(finals),
        f"{sum(finals.values())} final games on {len(finals)} dates; "
        f"{len(days) - len(finals)} in-season dates without games"
        if finals else "no final games in the schedule for this range: nothing to build",
    ))

    specs = dict(specs) if specs is not None else catalog.tables()
    evaluator = Evaluator(warehouse, specs)
    gate0 = evaluator.report(RAW_READINESS, start, end)
    failing = gate0.problems()
    items.append(Item(
        "raw readiness (gate 0)", not failing,
        f"{len(gate0.days(Outcome.PASS))} game dates ready"
        + (f"; {len(failing)} not ready: the builds will refuse them until the raw games are re-loaded"
           if failing else ""),
        lines=[f"{r.day}: {r.detail}" for r in failing[:20]],
    ))

    items.append(_raw_coverage(warehouse, finals))

    problems = []
    checks = all_checks(specs)
    files = [f for spec in specs.values() for f in (spec.sql_file, spec.failures_file)]
    files += list(dict.fromkeys(c.sql_file for c in checks if not c.bindings))
    for relative in files:
        try:
            sql.render_one(relative, warehouse.dialect, getattr(warehouse, "dataset_prefix", ""))
        except Exception as error:  # a missing or unparsable file: say which
            problems.append(f"{relative}: {error}")
    items.append(Item("sql", not problems, f"{len(files)} SQL files render for {warehouse.dialect}"
                      if not problems else f"{len(problems)} SQL file(s) do not render", lines=problems))

    phases: dict[str, int] = {}
    for spec in specs.values():
        phases[spec.phase] = phases.get(spec.phase, 0) + 1
    items.append(Item(
        "assets", bool(specs),
        ", ".join(f"{n} {p} assets" for p, n in sorted(phases.items())) + f", {len(checks)} checks"
        if specs else "no Phase 3/4 assets are defined",
    ))

    home = Path(dagster_home or os.environ.get("DAGSTER_HOME") or Path(__file__).resolve().parents[2] / ".dagster_home")
    probe = home if home.exists() else home.parent
    writable = probe.exists() and os.access(probe, os.W_OK)
    items.append(Item("dagster home", writable, f"{home} {'is writable' if writable else 'is not writable'}"))
    return Preflight(start, end, items)


def _raw_coverage(warehouse: Warehouse, finals: Mapping[dt.date, int]) -> Item:
    """Informational: on how many game dates each raw table has rows."""

    if not finals:
        return Item("raw coverage", True, "no game dates", required=False)
    wanted = {d.isoformat() for d in finals}
    lines = []
    for table in RAW_TABLES:
        present = set(rows_by_date(warehouse, table)) & wanted
        lines.append(f"nba_raw.{table:<34} rows on {len(present):>4} of {len(wanted)} game dates")
    return Item("raw coverage", True, "rows per raw table on the game dates", required=False, lines=lines)


def describe(result: Preflight) -> list[str]:
    lines = [f"preflight {result.start} .. {result.end}:"]
    for item in result.items:
        mark = "ok  " if item.ok else ("FAIL" if item.required else "note")
        lines.append(f"  {mark} {item.name:<24} {item.detail}")
        lines += [f"         {line}" for line in item.lines[:20]]
        if len(item.lines) > 20:
            lines.append(f"         ... {len(item.lines) - 20} more")
    lines.append("ready to backfill" if result.ok else "not ready: fix the FAIL items above")
    return lines
