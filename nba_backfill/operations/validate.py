"""Run every check (gates, contamination, failure-rate bands) over a range.

The same checks the Dagster asset checks run, evaluated here directly against the
warehouse, so a range can be validated without a run (and after any change to a table).
``ok`` is False on any failed date; with ``strict`` also on warnings and blocked dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from nba_backfill import catalog
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import DETAIL_ITEMS, CheckReport
from nba_backfill.checks.gates import RAW_READINESS
from nba_backfill.checks.registry import Evaluator, checks_on
from nba_backfill.warehouse import Warehouse


@dataclass
class Validation:
    start: dt.date
    end: dt.date
    reports: list[CheckReport]

    @property
    def errors(self) -> list[CheckReport]:
        return [r for r in self.reports if r.failed]

    @property
    def warnings(self) -> list[CheckReport]:
        return [r for r in self.reports if not r.passed and not r.failed]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and (not strict or not self.warnings)

    def as_dict(self, strict: bool = False) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "ok": self.ok(strict),
            "strict": strict,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "checks": [r.as_dict() for r in self.reports],
        }


def validate(
    warehouse: Warehouse,
    start: dt.date,
    end: dt.date,
    specs: Mapping[str, TableSpec] | None = None,
    evaluator: Evaluator | None = None,
) -> Validation:
    specs = dict(specs) if specs is not None else catalog.tables()
    evaluator = evaluator or Evaluator(warehouse, specs)
    checks = [RAW_READINESS] + [c for asset in catalog.dependency_order(specs) for c in checks_on(asset)]
    return Validation(start, end, [evaluator.report(c, start, end) for c in checks])


def describe(validation: Validation, strict: bool = False, per_check: int = DETAIL_ITEMS) -> list[str]:
    lines = [f"validate {validation.start} .. {validation.end}: {len(validation.reports)} checks"]
    for report in validation.reports:
        mark = {"OK": "ok  ", "WARN": "WARN", "ERROR": "FAIL"}[report.severity]
        counts = report.counts()
        shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n) or "no dates"
        lines.append(f"  {mark} {report.check.asset:<30} {report.check.name:<24} {shown}")
        for problem in report.problems()[:per_check]:
            lines.append(f"         {problem.day} {problem.outcome.value}: {problem.detail}")
        if len(report.problems()) > per_check:
            lines.append(f"         ... {len(report.problems()) - per_check} more dates (--json lists all)")
        for command in report.rebuild_commands()[:3]:
            lines.append(f"         fix: {command}")
    verdict = "all checks pass" if validation.ok(strict) else (
        f"{len(validation.errors)} check(s) failed, {len(validation.warnings)} warned"
        + (" (strict: warnings count)" if strict else ""))
    lines.append(verdict)
    return lines
