"""Per asset and per date: built, missing, failed a gate, bootstrap, or no games.

One place turns the checks into the state of every (asset, date) cell; ``gaps``,
``plan``, ``report`` and ``backfill --missing-only`` all read it. The raw row is Gate 0
(raw readiness). A Phase 3/4 cell's state comes from its gate (rows there?) and then its
contamination and failure-rate checks (rows right?):

- no_games / bootstrap: complete by definition;
- built: the gate passes and no other check failed on the date (warnings are noted);
- missing: the gate found no rows at all; failed: rows, but incomplete or contaminated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

import pandas as pd

from nba_backfill import catalog
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import CheckReport, Outcome, number
from nba_backfill.checks.gates import RAW_READINESS
from nba_backfill.checks.registry import Evaluator, checks_on
from nba_backfill.seasons import load_calendar, season_days
from nba_backfill.warehouse import Warehouse

RAW = RAW_READINESS.asset  # the raw row: Gate 0 on the schedule
RAW_LABEL = "raw (gate 0)"

BUILT, MISSING, FAILED, BOOTSTRAP, NO_GAMES = "built", "missing", "failed", "bootstrap", "no_games"
STATES = (BUILT, MISSING, FAILED, BOOTSTRAP, NO_GAMES)
COMPLETE = frozenset({BUILT, BOOTSTRAP, NO_GAMES})


@dataclass
class Cell:
    state: str
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blocked: bool = False  # missing/failed because a same-date upstream failed

    @property
    def due(self) -> bool:
        """Rows were due on this date (a game day outside bootstrap)."""
        return self.state not in (BOOTSTRAP, NO_GAMES)


@dataclass
class Coverage:
    start: dt.date
    end: dt.date
    days: list[dt.date]
    assets: list[str]  # RAW first, then the specs in dependency order
    cells: dict[str, dict[dt.date, Cell]]
    reports: list[CheckReport]
    specs: Mapping[str, TableSpec]

    def label(self, asset: str) -> str:
        return RAW_LABEL if asset == RAW else asset

    def phase(self, asset: str) -> str:
        if asset == RAW:
            return "phase2"
        spec = self.specs.get(asset)
        return spec.phase if spec else "?"

    def days_in(self, asset: str, *states: str) -> list[dt.date]:
        return [d for d, c in self.cells[asset].items() if c.state in states]

    def counts(self, asset: str, days: list[dt.date] | None = None) -> dict[str, int]:
        chosen = self.days if days is None else days
        counted = dict.fromkeys(STATES, 0)
        for day in chosen:
            counted[self.cells[asset][day].state] += 1
        return counted

    def seasons(self) -> list[tuple[str, list[dt.date]]]:
        calendar = load_calendar()
        by_season: dict[str, list[dt.date]] = {}
        for day in self.days:
            by_season.setdefault(calendar.season_of(day).label, []).append(day)
        return list(by_season.items())

    @property
    def complete(self) -> bool:
        return all(c.state in COMPLETE for a in self.assets for c in self.cells[a].values())

    def as_frame(self) -> pd.DataFrame:
        rows = [
            {"asset": a, "date": d, "state": c.state, "reason": "; ".join(c.reasons)}
            for a in self.assets
            for d, c in self.cells[a].items()
        ]
        return pd.DataFrame(rows)


def coverage(
    warehouse: Warehouse,
    start: dt.date,
    end: dt.date,
    specs: Mapping[str, TableSpec] | None = None,
    evaluator: Evaluator | None = None,
) -> Coverage:
    specs = dict(specs) if specs is not None else catalog.tables()
    evaluator = evaluator or Evaluator(warehouse, specs)
    days = season_days(start, end)
    assets = [RAW, *catalog.dependency_order(specs)]
    cells: dict[str, dict[dt.date, Cell]] = {}
    reports: list[CheckReport] = []

    raw = evaluator.report(RAW_READINESS, start, end)
    reports.append(raw)
    cells[RAW] = {r.day: _gate_cell(r, raw=True) for r in raw.results}
    for asset in assets[1:]:
        checks = checks_on(asset)
        asset_reports = [evaluator.report(c, start, end) for c in checks]
        reports.extend(asset_reports)
        gate = next((r for r in asset_reports if r.check.kind == "gate"), None)
        if gate is None:  # an asset without a gate: only its other checks speak
            row = {d: Cell(BUILT) for d in days}
        else:
            row = {r.day: _gate_cell(r) for r in gate.results}
        for report in asset_reports:
            if report is gate:
                continue
            for result in report.results:
                cell = row[result.day]
                if result.outcome is Outcome.FAIL and cell.state == BUILT:
                    cell.state = FAILED
                if result.outcome is Outcome.FAIL:
                    cell.reasons.append(f"{report.check.name}: {result.detail}")
                elif result.outcome is Outcome.WARN:
                    cell.warnings.append(f"{report.check.name}: {result.detail}")
        cells[asset] = row
    return Coverage(start, end, days, assets, cells, reports, specs)


def _gate_cell(result, raw: bool = False) -> Cell:
    outcome = result.outcome
    if outcome is Outcome.NO_GAMES:
        return Cell(NO_GAMES)
    if outcome is Outcome.BOOTSTRAP:
        return Cell(BOOTSTRAP)
    if outcome in (Outcome.PASS, Outcome.WARN):
        return Cell(BUILT)
    nothing = number(result.values, "actual") == 0
    state = FAILED if raw or not nothing else MISSING
    return Cell(state, [f"gate: {result.detail}"], blocked=outcome is Outcome.BLOCKED)
