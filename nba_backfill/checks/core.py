"""What every check shares: per-date outcomes, the report of one check over a range, and
the wording a person acts on (failing dates, counts, the command that rebuilds them).

A check is one SELECT returning one row per date with its verdict inputs (expected/actual
counts, valid shares, failure counts): a file of its own (Gate 0, a table's ``gate.sql``)
or a shared template under ``sql/checks/templates/`` bound to the table it checks. The
check's ``judge`` turns a date's row into an :class:`Outcome`. Dates with no row are judged too (usually
"no games"), so a range report always holds every in-season day of the range.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterable, Mapping, Sequence

import pandas as pd

from nba_backfill.commands import backfill_command, plan_command
from nba_backfill.seasons import season_days
from nba_backfill.warehouse import Warehouse, sql

DETAIL_ITEMS = 8  # missing entities listed per date before "(+N more)"
MARKDOWN_ROWS = 60  # failing dates listed in a check's metadata table


class Outcome(str, Enum):
    PASS = "pass"
    NO_GAMES = "no_games"  # no final game on the date: complete by definition
    BOOTSTRAP = "bootstrap"  # Phase 4, days 0-13 of a season: complete by definition
    WARN = "warn"  # usable, but outside what is expected (PARTIAL, failure band)
    BLOCKED = "blocked"  # incomplete because a same-date upstream check failed
    FAIL = "fail"


OK = frozenset({Outcome.PASS, Outcome.NO_GAMES, Outcome.BOOTSTRAP})
BAD = frozenset({Outcome.FAIL, Outcome.BLOCKED})  # what refuses downstream builds


@dataclass(frozen=True)
class DateResult:
    day: dt.date
    outcome: Outcome
    detail: str = ""
    values: Mapping[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"date": self.day.isoformat(), "outcome": self.outcome.value, "detail": self.detail,
                **{k: _plain(v) for k, v in self.values.items()}}


@dataclass(frozen=True)
class CheckDef:
    """One check of one asset. Subclasses say how a date's row becomes an outcome."""

    asset: str  # asset key the check is attached to
    name: str  # check name (unique per asset)
    sql_file: str  # relative to sql/: the check's own query, or the template it binds
    description: str
    # template placeholders (sql/checks/templates) -> the checked table's identifiers
    bindings: tuple[tuple[str, str], ...] = ()
    tables: tuple[str, ...] = ()  # built tables the SQL reads; the asset's own table first
    phase4: bool = False  # bootstrap days are complete by definition
    blocking: bool = True
    # Assets whose SAME-DATE readers this check guards (default: the asset itself). Gate 0
    # sits on nbac_schedule but speaks for the box-score and gamebook tables.
    guards: tuple[str, ...] = ()
    raw: bool = False  # attached to a raw table: a fix is a re-scrape, not a rebuild
    kind: str = "check"

    @property
    def key(self) -> str:
        return f"{self.asset}:{self.name}"

    @property
    def guarded(self) -> tuple[str, ...]:
        return self.guards or (self.asset,)

    def params(self, start: dt.date, end: dt.date) -> dict[str, object]:
        return {"start_date": start, "end_date": end, "processor_name": self.asset}

    def query(self, warehouse: Warehouse, start: dt.date, end: dt.date) -> pd.DataFrame:
        """The verdict inputs per date of [start, end]."""
        if not self.bindings:
            return warehouse.query(self.sql_file, self.params(start, end))
        return warehouse.query_expression(sql.instantiate(self.sql_file, self.bound()), self.params(start, end))

    def bound(self) -> dict[str, sql.Binding]:
        return dict(self.bindings)

    def judge(self, day: dt.date, row: Mapping[str, object] | None) -> DateResult:
        raise NotImplementedError

    def missing_table(self, day: dt.date, table: str, final_games: int) -> DateResult:
        """A date judged when a table the SQL reads does not exist yet (nothing was ever
        built): by default there is nothing to check."""
        return DateResult(day, Outcome.PASS, f"{table} does not exist yet: nothing to check")


@dataclass
class CheckReport:
    check: CheckDef
    start: dt.date
    end: dt.date
    results: list[DateResult]

    # -- counts --------------------------------------------------------------------------

    def days(self, *outcomes: Outcome) -> list[dt.date]:
        return [r.day for r in self.results if r.outcome in outcomes]

    def counts(self) -> dict[str, int]:
        counted = {o.value: 0 for o in Outcome}
        for result in self.results:
            counted[result.outcome.value] += 1
        return counted

    @property
    def failed(self) -> bool:
        return any(r.outcome is Outcome.FAIL for r in self.results)

    @property
    def passed(self) -> bool:
        return all(r.outcome in OK for r in self.results)

    @property
    def severity(self) -> str:
        """ERROR when a date failed here; WARN when dates only warned or were blocked."""
        return "ERROR" if self.failed else ("WARN" if not self.passed else "OK")

    def by_day(self) -> dict[dt.date, DateResult]:
        return {r.day: r for r in self.results}

    def problems(self) -> list[DateResult]:
        return [r for r in self.results if r.outcome not in OK]

    # -- words -----------------------------------------------------------------------------

    def rebuild_commands(self) -> list[str]:
        """The commands that rebuild the failed and blocked dates (blocked: after the fix
        upstream). Gate 0 is raw: its dates are re-scraped, then planned."""
        bad = set(self.days(Outcome.FAIL, Outcome.BLOCKED))
        if not bad:
            return []
        order = [r.day for r in self.results]
        bridge = set(self.days(Outcome.NO_GAMES, Outcome.BOOTSTRAP))
        ranges = day_ranges(bad, order, bridge)
        if self.check.raw:
            return [f"re-load the raw games, then: {plan_command(a, b)}" for a, b in ranges]
        return [backfill_command(a, b, [self.check.asset]) for a, b in ranges]

    def summary(self) -> str:
        counts = self.counts()
        shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
        return f"{self.check.asset} / {self.check.name}: {self.severity} over {self.start} .. {self.end} ({shown})"

    def metadata(self) -> dict[str, object]:
        """Metadata for the Dagster check result (plain values; the caller wraps them)."""
        counts = self.counts()
        problems = self.problems()
        return {
            "date_range": f"{self.start} .. {self.end}",
            "dates_checked": len(self.results),
            **{f"dates_{k}": n for k, n in counts.items()},
            "failing_dates": [d.isoformat() for d in self.days(Outcome.FAIL)],
            "blocked_dates": [d.isoformat() for d in self.days(Outcome.BLOCKED)],
            "warning_dates": [d.isoformat() for d in self.days(Outcome.WARN)],
            "outcomes_by_date": self.outcome_ranges(),
            "problems": markdown_table(problems),
            "rebuild_commands": "\n".join(self.rebuild_commands()) or "(nothing to rebuild)",
            "sql_file": f"sql/{self.check.sql_file}",
            **self._source_gaps(),
        }

    def _source_gaps(self) -> dict[str, object]:
        """Rows a contamination check set apart as source gaps (SPEC §6: the raw source
        never had the data; counted apart, never judged), in total and per date; nothing
        when there were none."""
        per_date = {r.day.isoformat(): number(r.values, "source_gap_rows") for r in self.results}
        per_date = {day: n for day, n in per_date.items() if n > 0}
        if not per_date:
            return {}
        return {"source_gap_rows": sum(per_date.values()), "source_gap_rows_by_date": per_date}

    def outcome_ranges(self) -> dict[str, list[str]]:
        """Every date's outcome, compactly: outcome -> ["A..B", "C", ...]."""
        order = [r.day for r in self.results]
        ranges: dict[str, list[str]] = {}
        for outcome in Outcome:
            days = set(self.days(outcome))
            if days:
                ranges[outcome.value] = [
                    a.isoformat() if a == b else f"{a}..{b}" for a, b in day_ranges(days, order)
                ]
        return ranges

    def as_dict(self) -> dict:
        return {
            "asset": self.check.asset,
            "check": self.check.name,
            "kind": self.check.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "severity": self.severity,
            "counts": self.counts(),
            "problems": [r.as_dict() for r in self.problems()],
            "rebuild_commands": self.rebuild_commands(),
            **self._source_gaps(),
        }


# -- running one check ------------------------------------------------------------------


def run_check(
    check: CheckDef, warehouse: Warehouse, start: dt.date, end: dt.date,
    table_exists: Callable[[str], bool] | None = None,
) -> CheckReport:
    """The check's SQL over [start, end], one judged result per in-season day."""
    table_exists = table_exists or warehouse.table_exists
    days = season_days(start, end)
    if not days:
        return CheckReport(check, start, end, [])
    missing = [t for t in check.tables if not table_exists(t)]
    if missing:
        finals = final_games_by_day(warehouse, days[0], days[-1])
        results = [check.missing_table(d, missing[0], finals.get(d, 0)) for d in days]
        return CheckReport(check, start, end, results)
    frame = check.query(warehouse, days[0], days[-1])
    rows = {_as_date(r["check_date"]): r for r in frame.to_dict("records")}
    return CheckReport(check, start, end, [check.judge(d, rows.get(d)) for d in days])


def final_games_by_day(warehouse: Warehouse, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    frame = warehouse.query(SCHEDULE_DAYS_SQL, {"start_date": start, "end_date": end})
    return {_as_date(d): int(n) for d, n in zip(frame.check_date, frame.final_games) if int(n) > 0}


SCHEDULE_DAYS_SQL = "reports/schedule_days.sql"


# -- helpers ---------------------------------------------------------------------------


def day_ranges(
    selected: Iterable[dt.date], order: Sequence[dt.date], bridge: Iterable[dt.date] = ()
) -> list[tuple[dt.date, dt.date]]:
    """Contiguous runs of ``selected`` along ``order`` (the partition days). Days in
    ``bridge`` (no games, bootstrap: rebuilding them changes nothing) may join two runs,
    but never start or end one."""
    chosen, joiners = set(selected), set(bridge)
    ranges: list[tuple[dt.date, dt.date]] = []
    first = last = None
    for day in order:
        if day in chosen:
            if first is None:
                first = day
            last = day
        elif day in joiners and first is not None:
            continue  # a bridge day: the run goes on, but ends at ``last`` if nothing follows
        elif first is not None:
            ranges.append((first, last))
            first = last = None
    if first is not None:
        ranges.append((first, last))
    # days outside ``order`` (should not happen) still come back, one by one
    stray = sorted(chosen - set(order))
    return ranges + [(d, d) for d in stray]


def ui_selection(first: dt.date, last: dt.date, assets: Sequence[str]) -> str:
    keys = " or ".join(f'key:"{a}"' for a in assets)
    return f"Dagster UI: select {keys}, Materialize, partitions {first}...{last}"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(items: str | None, limit: int = DETAIL_ITEMS) -> str:
    """"a, b, c, ..." (a SQL STRING_AGG) cut to ``limit`` items."""
    if not items:
        return ""
    parts = [p for p in str(items).split(", ") if p]
    if len(parts) <= limit:
        return ", ".join(parts)
    return ", ".join(parts[:limit]) + f" (+{len(parts) - limit} more)"


def markdown_table(results: Sequence[DateResult], limit: int = MARKDOWN_ROWS) -> str:
    if not results:
        return "No failing, blocked or warning dates."
    lines = ["| date | outcome | detail |", "|---|---|---|"]
    for result in results[:limit]:
        detail = result.detail.replace("|", "/")
        lines.append(f"| {result.day} | {result.outcome.value} | {detail} |")
    if len(results) > limit:
        lines.append(f"| ... | | {len(results) - limit} more dates (see outcomes_by_date) |")
    return "\n".join(lines)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    try:
        json.dumps(value)
    except TypeError:
        return str(value)
    return value


def number(row: Mapping[str, object] | None, column: str) -> int:
    if row is None:
        return 0
    value = row.get(column)
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return 0
    return int(value)
