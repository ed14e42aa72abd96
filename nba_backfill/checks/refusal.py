"""The build guard: which dates of a range an asset may build, and why the others may not
(SPEC §6 "one date, one verdict").

A date is refused when
- a same-date upstream failed (or was blocked on) a blocking check on it: the checks are
  SQL over the upstream tables, so this holds whoever built them, whichever run recorded
  the checks, and even if no check was ever recorded;
- a same-date upstream was refused or failed on it earlier in the same run;
- an earlier date its lookback window reads has not had its turn yet (no run history for
  that upstream date): across runs, lookbacks are honoured by the data, not by Dagster's
  partition mappings, which are all same-date (see ``Upstream``); or the upstream has
  never been built at all (no table yet: every date of its first run was refused), which
  its window's SQL could not even read.

Refused dates are not built (their existing rows stay as they are), not materialized,
recorded in run history as ``skipped`` with the reason, logged, and listed with the
command that rebuilds them once the upstream is fixed. The other dates of the run build.

The run tag ``nba_backfill/ignore_gates=true`` turns the guard off for one run (an
operator's deliberate override; it is logged).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import pandas as pd

from nba_backfill.assets import run_history
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import clip, day_ranges
from nba_backfill.checks.registry import Evaluator
from nba_backfill.commands import plan_command
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse import Warehouse

if TYPE_CHECKING:
    import dagster as dg


IGNORE_TAG = "nba_backfill/ignore_gates"
ATTEMPTED_SQL = "reports/run_history_attempted.sql"
SKIP_REASON_CHARS = 1000  # of a refused date's reasons, in run history


def attempted_dates(
    warehouse: Warehouse, asset: str, start: dt.date, end: dt.date,
    table_exists: Callable[[str], bool] | None = None,
) -> set[dt.date]:
    """The dates in [start, end] some run has taken its turn on for ``asset``.
    ``table_exists``: a build's evaluator's, which remembers the tables it has seen
    (asking the warehouse costs a catalog query each time)."""
    if not (table_exists or warehouse.table_exists)(run_history.TABLE):
        return set()
    frame = warehouse.query(ATTEMPTED_SQL, {"processor_name": asset, "start_date": start, "end_date": end})
    return {pd.Timestamp(d).date() for d in frame.data_date}


@dataclass(frozen=True)
class Guard:
    asset: str
    days: tuple[dt.date, ...]
    refused: Mapping[dt.date, tuple[str, ...]] = field(default_factory=dict)
    ignored: bool = False

    @property
    def allowed(self) -> list[dt.date]:
        return [d for d in self.days if d not in self.refused]

    def ranges(self) -> list[tuple[dt.date, dt.date]]:
        """Contiguous runs of the allowed dates: each is one range build."""
        return day_ranges(self.allowed, self.days)

    def refused_ranges(self) -> list[tuple[dt.date, dt.date]]:
        return day_ranges(self.refused, self.days)

    def message(self) -> str:
        """One log line: the refused dates, the first one's first reasons, what to do."""
        if not self.refused:
            return ""
        first = sorted(self.refused)[0]
        dates = ", ".join(a.isoformat() if a == b else f"{a}..{b}" for a, b in self.refused_ranges())
        reasons = self.refused[first]
        shown = "; ".join(clip(r, 240) for r in reasons[:2]) + (f"; (+{len(reasons) - 2} more)" if len(reasons) > 2 else "")
        return (
            f"{self.asset}: refused {len(self.refused)} of {len(self.days)} dates: {dates}. First: {first}: "
            f"{shown}. Fix the upstream, then `{plan_command(min(self.refused), max(self.refused))}`."
        )


def guard(
    spec: TableSpec,
    warehouse: Warehouse,
    days: Sequence[dt.date],
    evaluator: Evaluator,
    refused_in_run: Mapping[str, Mapping[dt.date, Sequence[str]]] | None = None,
    ignore: bool = False,
) -> Guard:
    """Which of ``days`` (one season's, in order) the asset may build, and why the others
    may not. ``refused_in_run``: dates each asset of this run did not build, with why."""
    if not days:
        return Guard(spec.name, ())
    if ignore:
        return Guard(spec.name, tuple(days), ignored=True)
    wanted = set(days)
    refused: dict[dt.date, list[str]] = {}
    for day, reasons in evaluator.upstream_failures(spec.name, days[0], days[-1]).items():
        if day in wanted:
            refused.setdefault(day, []).extend(reasons)
    for upstream in spec.same_date_upstreams:
        for day, reasons in (refused_in_run or {}).get(upstream, {}).items():
            if day in wanted:
                refused.setdefault(day, []).append(f"{upstream} {NOT_BUILT_IN_RUN}: {reasons[0]}")
    for day, reason in lookback_waits(spec, days, evaluator).items():
        refused.setdefault(day, []).append(reason)
    return Guard(spec.name, tuple(days), {d: tuple(r) for d, r in sorted(refused.items())})


LOOKBACK_WAIT = "waiting on lookback"
NOT_BUILT_IN_RUN = "not built in this run"


def reason_kind(reason: str | None) -> str:
    """The root cause of a refusal, for summaries: a same-date cascade ("X not built in
    this run: ...") is followed to the reason its first date was refused for."""
    root = (reason or "").removeprefix("refused: ").split(f"{NOT_BUILT_IN_RUN}: ")[-1]
    if root.startswith(LOOKBACK_WAIT):
        return "lookback not built yet"
    if root.startswith("build failed"):
        return "upstream build failed"
    return "upstream check failed"


def lookback_waits(spec: TableSpec, days: Sequence[dt.date], evaluator: Evaluator) -> dict[dt.date, str]:
    """Dates whose lookback window reads an earlier date of a built upstream that no run
    has taken its turn on yet, with the first such upstream date."""
    season = load_calendar().season_of(days[0])
    specs, warehouse = evaluator.specs, evaluator.warehouse
    waits: dict[dt.date, str] = {}
    for upstream in spec.lookbacks:
        if upstream.asset not in specs or not evaluator.table_exists(run_history.TABLE):
            continue  # raw tables are not built here; the SQL reads whatever they hold
        if not evaluator.table_exists(specs[upstream.asset].table):
            # every date of its first run was refused (e.g. Gate 0 failed on a first build
            # of one date): the window's SQL cannot even read it, so wait for its first build
            for day in days:
                waits.setdefault(day, f"{LOOKBACK_WAIT}: {upstream.asset} has never been built (no table yet)")
            continue
        attempted = attempted_dates(warehouse, upstream.asset, season.opener, days[-1], evaluator.table_exists)
        not_attempted = [d for d in season.days() if d < days[-1] and d not in attempted]  # in date order
        for day in days:
            if day in waits:
                continue
            window_start = max(season.opener, day - dt.timedelta(days=upstream.lookback))
            # a bisection per date: a season's range asks this for every one of its dates
            gaps = not_attempted[bisect_left(not_attempted, window_start):bisect_left(not_attempted, day)]
            if gaps:
                waits[day] = (
                    f"{LOOKBACK_WAIT}: {upstream.asset} not built yet for {gaps[0]}"
                    + (f" (+{len(gaps) - 1} more dates)" if len(gaps) > 1 else "")
                    + f" in its {upstream.lookback}-day window"
                )
    return waits


def record_refused(
    warehouse: Warehouse,
    spec: TableSpec,
    context: "dg.AssetExecutionContext",
    refusal: Guard,
    started_at: dt.datetime,
) -> None:
    """Run-history rows (status skipped, the reason) for the refused dates."""
    if not refusal.refused:
        return
    days = sorted(refusal.refused)
    backfill_mode = "dagster/backfill" in context.run.tags or len(refusal.days) > 1
    frame = run_history.rows(spec, context.run_id, backfill_mode, days, started_at, 0.0)
    frame["status"] = "skipped"
    frame["skip_reason"] = [clip("refused: " + "; ".join(refusal.refused[d]), SKIP_REASON_CHARS) for d in days]
    frame["records_processed"] = pd.array([0] * len(days), dtype="Int64")
    warehouse.load_dataframe(run_history.TABLE, frame)

