"""Every check, by asset, and the one place checks are evaluated against each other.

``Evaluator`` runs checks over a range (each SQL once per range, memoized) and answers
the question gates exist for: on which dates did a SAME-DATE upstream of an asset fail a
blocking check? Builds refuse those dates (``refusal``); a gate that finds an asset
incomplete on such a date calls it BLOCKED (the cause is upstream), not FAIL.

Only same-date upstreams refuse a date. A lookback read of a failed upstream date is not
refused: Phase 4 measures its windows' completeness itself (INCOMPLETE_DATA, SPEC §5.3),
and ``nba-backfill plan`` lists those dates to rebuild once the upstream is fixed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Iterable, Mapping

from nba_backfill import catalog
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.contamination import contamination_check
from nba_backfill.checks.core import BAD, CheckDef, CheckReport, DateResult, Outcome, clip, run_check
from nba_backfill.checks.failure_rates import failure_rate_check
from nba_backfill.checks.gates import RAW_READINESS, GateCheck, completeness_gate
from nba_backfill.warehouse import Warehouse

DETAIL_CHARS = 160  # of one upstream failure's detail, in a reason


@cache
def table_checks(spec: TableSpec) -> tuple[CheckDef, ...]:
    """The checks a table's table.toml declares, gate first."""
    makers = ((spec.gate, completeness_gate), (spec.contamination, contamination_check),
              (spec.failure_rate, failure_rate_check))
    return tuple(make(spec) for params, make in makers if params is not None)


def all_checks(specs: Mapping[str, TableSpec] | None = None) -> list[CheckDef]:
    """Gate 0 on the raw schedule, then every table's checks, in build order."""
    specs = catalog.tables() if specs is None else specs
    return [RAW_READINESS, *(c for name in catalog.dependency_order(specs) for c in table_checks(specs[name]))]


def checks_on(asset: str) -> list[CheckDef]:
    """The checks attached to ``asset`` (a table, or the raw schedule), gate first."""
    return [c for c in all_checks() if c.asset == asset]


def guarding(asset: str) -> list[CheckDef]:
    """The blocking checks that guard same-date readers of ``asset``."""
    return [c for c in all_checks() if c.blocking and asset in c.guarded]


class Evaluator:
    """Checks over ranges, each SQL run once per (check, range). A build keeps one
    evaluator for its whole run: an asset's checks are computed right after it is built,
    and the guards of the assets that read it reuse them (work done once)."""

    def __init__(self, warehouse: Warehouse, specs: Mapping[str, TableSpec] | None = None):
        self.warehouse = warehouse
        self.specs = dict(specs) if specs is not None else catalog.tables()
        self._raw: dict[tuple, CheckReport] = {}
        self._present: set[str] = set()

    def table_exists(self, table: str) -> bool:
        """Remembered once seen: no table is dropped under a build, and asking costs a
        connection to the warehouse each time."""
        if table not in self._present and self.warehouse.table_exists(table):
            self._present.add(table)
        return table in self._present

    def raw_report(self, check: CheckDef, start: dt.date, end: dt.date) -> CheckReport:
        """The check's own verdict per date, without looking upstream. Cached: within a
        build every asset is built before any check reading it is computed."""
        key = (check.key, start, end)
        if key not in self._raw:
            self._raw[key] = run_check(check, self.warehouse, start, end, self.table_exists)
        return self._raw[key]

    def report(self, check: CheckDef, start: dt.date, end: dt.date) -> CheckReport:
        """The verdict per date; a gate's FAIL on a date whose same-date upstream failed a
        blocking check becomes BLOCKED (the rows are missing because of it)."""
        raw = self.raw_report(check, start, end)
        if not isinstance(check, GateCheck) or check.asset not in self.specs:
            return raw
        failed_days = raw.days(Outcome.FAIL)
        if not failed_days:
            return raw
        upstream = self.upstream_failures(check.asset, start, end)
        results = []
        for result in raw.results:
            reasons = upstream.get(result.day) if result.outcome is Outcome.FAIL else None
            if reasons:
                shown = "; ".join(reasons[:3]) + (f"; (+{len(reasons) - 3} more)" if len(reasons) > 3 else "")
                detail = f"{clip(result.detail, DETAIL_CHARS)}; blocked by upstream: {shown}"
                result = DateResult(result.day, Outcome.BLOCKED, detail, result.values)
            results.append(result)
        return CheckReport(check, start, end, results)

    def upstream_failures(self, asset: str, start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
        """Dates on which a same-date upstream of ``asset`` failed (or was blocked on) a
        blocking check, with one reason per upstream check."""
        spec = self.specs.get(asset)
        if spec is None:
            return {}
        checks: dict[str, CheckDef] = {}
        for upstream in spec.same_date_upstreams:
            for check in guarding(upstream):
                checks.setdefault(check.key, check)
        failures: dict[dt.date, list[str]] = {}
        for check in checks.values():
            for result in self.raw_report(check, start, end).results:
                if result.outcome in BAD:
                    reason = f"{check.asset} {check.name} {result.outcome.value}"
                    if result.detail:
                        reason += f" ({clip(result.detail, DETAIL_CHARS)})"
                    failures.setdefault(result.day, []).append(reason)
        return failures

    def reports(self, checks: Iterable[CheckDef], start: dt.date, end: dt.date) -> list[CheckReport]:
        return [self.report(c, start, end) for c in checks]

