"""What to rebuild, in dependency order, and the exact commands that do it.

Per asset, a date needs a rebuild when it is

- missing (no rows where the schedule has final games) or failed a blocking check;
- stale: an upstream partition it reads (same date, or its lookback window inside the
  season) was built after it (``processor_run_history``: latest successful started_at);
- in the reach of an upstream date that needs a rebuild: every date that reads it
  (SPEC §6: "fix upstream, then rebuild the downstream dates that read it, including
  their lookback reach").

Dates that wait on raw data (Gate 0 failed on a date a reader needs, and everything
derived from those) get no command: the raw games must be re-loaded first, then ``plan``
is run again. Days without games and bootstrap days are never listed (nothing to build),
though a command's range may span them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import day_ranges, ui_selection
from nba_backfill.checks.gates import RAW_READINESS
from nba_backfill.commands import backfill_command
from nba_backfill.operations.status import BUILT, FAILED, MISSING, RAW, Coverage
from nba_backfill.seasons import load_calendar, season_days
from nba_backfill.warehouse import Warehouse

RUN_HISTORY_LATEST = "reports/run_history_latest.sql"
GUARDED_RAW = frozenset(RAW_READINESS.guarded)  # raw tables Gate 0 speaks for


@dataclass
class Need:
    reasons: list[str] = field(default_factory=list)
    waits_on_raw: bool = False

    def add(self, reason: str, waits: bool = False) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.waits_on_raw = self.waits_on_raw or waits


@dataclass
class Step:
    assets: list[str]
    ranges: list[tuple[dt.date, dt.date]]
    days: int  # dates that need it (per asset)

    @property
    def commands(self) -> list[str]:
        return [backfill_command(a, b, self.assets) for a, b in self.ranges]

    @property
    def ui(self) -> list[str]:
        return [ui_selection(a, b, self.assets) for a, b in self.ranges]

    def as_dict(self) -> dict:
        return {
            "assets": self.assets,
            "ranges": [[a.isoformat(), b.isoformat()] for a, b in self.ranges],
            "dates": self.days,
            "commands": self.commands,
            "dagster_ui": self.ui,
        }


@dataclass
class Plan:
    start: dt.date
    end: dt.date
    raw_failures: dict[dt.date, str]  # Gate 0 failed: re-load these games first
    needs: dict[str, dict[dt.date, Need]]  # asset -> date -> why
    steps: list[Step]
    order: list[str]

    @property
    def ok(self) -> bool:
        return not self.raw_failures and not any(self.needs.values())

    def now(self, asset: str) -> list[dt.date]:
        return sorted(d for d, n in self.needs.get(asset, {}).items() if not n.waits_on_raw)

    def waiting(self, asset: str) -> list[dt.date]:
        return sorted(d for d, n in self.needs.get(asset, {}).items() if n.waits_on_raw)

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "ok": self.ok,
            "raw_not_ready": {d.isoformat(): why for d, why in sorted(self.raw_failures.items())},
            "assets": {
                asset: {
                    "rebuild": [d.isoformat() for d in self.now(asset)],
                    "after_raw_fix": [d.isoformat() for d in self.waiting(asset)],
                    "reasons": {d.isoformat(): n.reasons for d, n in sorted(self.needs[asset].items())},
                }
                for asset in self.order
                if self.needs.get(asset)
            },
            "steps": [s.as_dict() for s in self.steps],
        }


def make_plan(
    warehouse: Warehouse,
    cover: Coverage,
    stale: bool = True,
    reach: bool = True,
) -> Plan:
    """The rebuild plan for the coverage's range. ``stale``/``reach`` off = only the dates
    missing or failed themselves (``backfill --missing-only``)."""
    specs = cover.specs
    order = [a for a in cover.assets if a != RAW]
    raw_failures = {
        d: "; ".join(c.reasons) for d, c in cover.cells[RAW].items() if c.state == FAILED
    }
    built_at = _built_at(warehouse, cover, specs) if stale else {}
    needs: dict[str, dict[dt.date, Need]] = {}
    for asset in order:
        spec = specs[asset]
        mine: dict[dt.date, Need] = {}
        cells = cover.cells[asset]
        reads_raw = any(u.same_date and u.asset in GUARDED_RAW for u in spec.upstream)
        for day, cell in cells.items():
            if cell.state in (MISSING, FAILED):
                waits = reads_raw and day in raw_failures
                waits = waits or any(
                    u.same_date and needs.get(u.asset, {}).get(day, Need()).waits_on_raw
                    for u in spec.upstream
                )
                mine.setdefault(day, Need()).add(f"{cell.state}: {'; '.join(cell.reasons)}", waits)
        if stale:
            for day, reason in _stale_days(asset, spec, cover, built_at).items():
                mine.setdefault(day, Need()).add(reason)
        if reach:
            for upstream in spec.upstream:
                for u_day, need in needs.get(upstream.asset, {}).items():
                    for day in _readers(u_day, upstream.lookback, upstream.same_date, cover.days):
                        if cells[day].due:
                            mine.setdefault(day, Need()).add(
                                f"reads {upstream.asset} {u_day} (rebuilt first)", need.waits_on_raw
                            )
        needs[asset] = mine
    return Plan(cover.start, cover.end, raw_failures, needs, _steps(order, needs, cover), order)


def _steps(order: list[str], needs: Mapping[str, Mapping[dt.date, Need]], cover: Coverage) -> list[Step]:
    """One step per asset (dependency order) with its ranges; neighbours with the same
    ranges share a step (one command builds both, Dagster orders them in the run)."""
    steps: list[Step] = []
    for asset in order:
        days = sorted(d for d, n in needs.get(asset, {}).items() if not n.waits_on_raw)
        if not days:
            continue
        bridge = [d for d, c in cover.cells[asset].items() if not c.due]
        ranges = day_ranges(days, cover.days, bridge)
        if steps and steps[-1].ranges == ranges:
            steps[-1].assets.append(asset)
        else:
            steps.append(Step([asset], ranges, len(days)))
    return steps


def _readers(
    upstream_day: dt.date, lookback: int, same_date: bool, days: list[dt.date]
) -> list[dt.date]:
    """The dates (inside ``days``, same season) whose window reads ``upstream_day``."""
    season = load_calendar().season_of(upstream_day)
    low = 0 if same_date else 1
    high = max(lookback, 0)
    if low > high:
        return []
    first = upstream_day + dt.timedelta(days=low)
    last = min(upstream_day + dt.timedelta(days=high), season.last_day)
    return [d for d in days if first <= d <= last]


def _built_at(
    warehouse: Warehouse, cover: Coverage, specs: Mapping[str, TableSpec]
) -> dict[str, dict[dt.date, pd.Timestamp]]:
    """Latest successful build per asset and date, from the openers of the range's seasons."""
    calendar = load_calendar()
    first = calendar.season_of(cover.days[0]).opener if cover.days else cover.start
    frame = warehouse.query(RUN_HISTORY_LATEST, {"start_date": first, "end_date": cover.end})
    built: dict[str, dict[dt.date, pd.Timestamp]] = {}
    for name, day, at in zip(frame.processor_name, frame.data_date, frame.last_built_at):
        if name in specs and at is not None and not pd.isna(at):
            built.setdefault(name, {})[pd.Timestamp(day).date()] = pd.Timestamp(at)
    return built


def _stale_days(
    asset: str, spec: TableSpec, cover: Coverage, built_at: Mapping[str, Mapping[dt.date, pd.Timestamp]]
) -> dict[dt.date, str]:
    """Built dates of ``asset`` with an upstream partition in their window built later."""
    mine = built_at.get(asset, {})
    stale: dict[dt.date, str] = {}
    calendar = load_calendar()
    for upstream in spec.upstream:
        theirs = built_at.get(upstream.asset)
        if not theirs:
            continue
        ordered = sorted(theirs.items())
        ordinals = np.array([d.toordinal() for d, _ in ordered])
        times = [t for _, t in ordered]
        for day in cover.days:
            at = mine.get(day)
            if at is None or cover.cells[asset][day].state != BUILT or day in stale:
                continue
            season = calendar.season_of(day)
            low = max(day - dt.timedelta(days=max(upstream.lookback, 0)), season.opener)
            high = day if upstream.same_date else day - dt.timedelta(days=1)
            first = int(np.searchsorted(ordinals, low.toordinal(), side="left"))
            last = int(np.searchsorted(ordinals, high.toordinal(), side="right"))
            later = [i for i in range(first, last) if times[i] > at]
            if later:
                newest = max(later, key=lambda i: times[i])
                stale[day] = (
                    f"stale: {upstream.asset} {ordered[newest][0]} was rebuilt at "
                    f"{times[newest]:%Y-%m-%d %H:%M:%S}, after this date ({at:%Y-%m-%d %H:%M:%S})"
                )
    return stale


def describe(plan: Plan) -> list[str]:
    """The plan as text lines."""
    lines = [f"plan for {plan.start} .. {plan.end}:"]
    if plan.ok:
        return lines + ["  nothing to rebuild: every asset is built, passing, and fresh."]
    if plan.raw_failures:
        lines.append(f"  raw data not ready on {len(plan.raw_failures)} date(s) (Gate 0): re-load "
                     "these games first, then run plan again:")
        for day, why in sorted(plan.raw_failures.items()):
            lines.append(f"    {day}: {why.removeprefix('gate: ')}")
    lines.append("  per asset (dependency order):")
    for asset in plan.order:
        now, waiting = plan.now(asset), plan.waiting(asset)
        if not now and not waiting:
            continue
        kinds = _kinds(plan.needs[asset], now)
        parts = [f"{len(now)} to rebuild{kinds}"] if now else []
        if waiting:
            parts.append(f"{len(waiting)} after the raw fix")
        lines.append(f"    {asset:<30} {', '.join(parts)}: {_compact(now or waiting)}")
    if plan.steps:
        lines.append("  run, in this order:")
        for number_, step in enumerate(plan.steps, 1):
            for command, ui in zip(step.commands, step.ui):
                lines.append(f"    {number_}. {command}")
                lines.append(f"       ({ui})")
    return lines


def _kinds(needs: Mapping[dt.date, Need], days: list[dt.date]) -> str:
    counted: dict[str, int] = {}
    for day in days:
        first = needs[day].reasons[0].split(":")[0].split(" ")[0]
        counted[first] = counted.get(first, 0) + 1
    return " (" + ", ".join(f"{n} {k}" for k, n in counted.items()) + ")" if counted else ""


def _compact(days: list[dt.date], limit: int = 6) -> str:
    ranges = day_ranges(days, season_days(days[0], days[-1])) if days else []
    text = [a.isoformat() if a == b else f"{a}..{b}" for a, b in ranges]
    return ", ".join(text[:limit]) + (f" (+{len(text) - limit} more ranges)" if len(text) > limit else "")

