"""The state of the warehouse over a range, in one page: per phase and asset, built /
expected dates; every check's outcome; contamination status; failure-rate warnings; run
history; the demo's planted defects and whether the gates found them; and the heatmap
(written as PNG + HTML under ``reports/``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd

from nba_backfill import catalog
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.contamination import NO_SOURCE, SOURCE_GAP_ROWS, ContaminationCheck
from nba_backfill.checks.core import CheckReport, Outcome, number
from nba_backfill.checks.failure_rates import FailureRateCheck
from nba_backfill.checks.registry import Evaluator
from nba_backfill.operations import gaps as gaps_module
from nba_backfill.operations.status import BUILT, COMPLETE, RAW, Coverage, coverage
from nba_backfill.operations.validate import Validation
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse import Warehouse

REPORTS_DIR = Path("reports")
HEATMAP_PNG = "coverage_heatmap.png"
HEATMAP_HTML = "coverage.html"
# Planted defects the gates must catch; every other kind is handled by a fallback and
# must leave the date passing.
CAUGHT_BY_GATES = {"missing_raw_game": "Gate 0 (raw readiness)"}
# Planted source gaps (SPEC §6: raw data that never existed): not defects the gates catch
# and not contamination; every check must pass on their dates, Phase 4 included, with the
# contamination checks counting the rows apart (NO_SOURCE).
SOURCE_GAPS = {"source_gap_no_pbp": "no play-by-play in either feed"}


@dataclass
class Report:
    start: dt.date
    end: dt.date
    cover: Coverage
    validation: Validation
    phases: list[dict]
    assets: list[dict]
    contamination: list[dict]
    failure_rates: list[dict]
    defects: list[dict]
    runs: list[dict]
    heatmap: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """All due dates built and passing, and every planted defect where it belongs."""
        return self.cover.complete and self.validation.ok() and all(d["as_expected"] for d in self.defects)

    def unexpected(self) -> list[str]:
        """Problems the planted defects do not explain: a defect not handled as it should
        be, or any missing / failed date that is not the date of a defect the gates must
        catch (those dates are refused downstream by design)."""
        lines = [f"{d['date']} {d['defect_type']}: {d['verdict']}" for d in self.defects if not d["as_expected"]]
        explained = {d["date"] for d in self.defects if d["defect_type"] in CAUGHT_BY_GATES}
        for asset in self.cover.assets:
            for day, cell in self.cover.cells[asset].items():
                if cell.state not in COMPLETE and day.isoformat() not in explained:
                    lines.append(f"{self.cover.label(asset)} {day} {cell.state}: {'; '.join(cell.reasons)}")
        return lines

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "ok": self.ok,
            "unexpected": self.unexpected(),
            "phases": self.phases,
            "assets": self.assets,
            "checks": [
                {"asset": r.check.asset, "check": r.check.name, "severity": r.severity, "counts": r.counts()}
                for r in self.validation.reports
            ],
            "contamination": self.contamination,
            "failure_rates": self.failure_rates,
            "defects": self.defects,
            "runs": self.runs,
            "heatmap": self.heatmap,
        }


def build_report(
    warehouse: Warehouse,
    start: dt.date,
    end: dt.date,
    specs: Mapping[str, TableSpec] | None = None,
    out_dir: Path | str | None = REPORTS_DIR,
) -> Report:
    specs = dict(specs) if specs is not None else catalog.tables()
    evaluator = Evaluator(warehouse, specs)
    cover = coverage(warehouse, start, end, specs, evaluator)
    validation = Validation(start, end, cover.reports)
    heatmap = {}
    if out_dir is not None and cover.days:
        out = Path(out_dir)
        png = gaps_module.render_png(cover, out / HEATMAP_PNG)
        page = gaps_module.render_html(cover, out / HEATMAP_HTML, png)
        heatmap = {"png": str(png), "html": str(page)}
    return Report(
        start, end, cover, validation,
        phases=_phases(cover),
        assets=_assets(cover),
        contamination=_contamination(cover.reports),
        failure_rates=_failure_rates(cover.reports),
        defects=_defects(warehouse, cover, start, end),
        runs=_runs(warehouse, start, end),
        heatmap=heatmap,
    )


def _phases(cover: Coverage) -> list[dict]:
    """Per phase: dates due (any asset of the phase due), dates complete (every asset of
    the phase built or complete by definition on the date)."""
    rows = []
    for phase in ("phase2", "phase3", "phase4"):
        assets = [a for a in cover.assets if cover.phase(a) == phase]
        if not assets:
            continue
        due = [d for d in cover.days if any(cover.cells[a][d].due for a in assets)]
        complete = [d for d in due if all(cover.cells[a][d].state in COMPLETE for a in assets)]
        rows.append({"phase": phase, "assets": len(assets), "dates_due": len(due), "dates_complete": len(complete)})
    return rows


def _assets(cover: Coverage) -> list[dict]:
    rows = []
    for asset in cover.assets:
        counts = cover.counts(asset)
        due = sum(1 for c in cover.cells[asset].values() if c.due)
        rows.append({"asset": cover.label(asset), "phase": cover.phase(asset), "dates_due": due,
                     "dates_built": counts[BUILT], **{k: v for k, v in counts.items() if k != BUILT}})
    return rows


def _contamination(reports: list[CheckReport]) -> list[dict]:
    rows = []
    for report in reports:
        if not isinstance(report.check, ContaminationCheck):
            continue
        statuses = {"CLEAN": 0, "PARTIAL": 0, "CONTAMINATED": 0, NO_SOURCE: 0}
        source_gap_rows = 0
        for result in report.results:
            if result.outcome is not Outcome.BOOTSTRAP:
                statuses[str(result.values.get("status", "CLEAN"))] += 1
                source_gap_rows += number(result.values, SOURCE_GAP_ROWS)
        worst = [f"{r.day}: {r.detail}" for r in report.problems()][:5]
        status = "CONTAMINATED" if statuses["CONTAMINATED"] else ("PARTIAL" if statuses["PARTIAL"] else "CLEAN")
        rows.append({"asset": report.check.asset, "status": status, **statuses,
                     "source_gap_rows": source_gap_rows, "examples": worst})
    return rows


def _failure_rates(reports: list[CheckReport]) -> list[dict]:
    rows = []
    for report in reports:
        if not isinstance(report.check, FailureRateCheck):
            continue
        rows.append({
            "asset": report.check.asset,
            "dates_above_band": len(report.days(Outcome.WARN)),
            "dates_with_processing_errors": len(report.days(Outcome.FAIL)),
            "examples": [f"{r.day}: {r.detail}" for r in report.problems()][:3],
        })
    return rows


def _defects(warehouse: Warehouse, cover: Coverage, start: dt.date, end: dt.date) -> list[dict]:
    """Each planted defect (date x type) and what the gates said on its date."""
    frame = warehouse.query("reports/demo_defects.sql", {"start_date": start, "end_date": end})
    rows = []
    phase3 = [a for a in cover.assets if cover.phase(a) == "phase3"]
    for record in frame.sort_values(["game_date", "defect_type"]).to_dict("records"):
        day = pd.Timestamp(record["game_date"]).date()
        if day not in cover.cells[RAW]:
            continue
        raw_cell = cover.cells[RAW][day]
        failing = [a for a in phase3 if cover.cells[a][day].state not in COMPLETE]
        kind = record["defect_type"]
        if kind in CAUGHT_BY_GATES:
            found = raw_cell.state not in COMPLETE
            verdict = (f"caught by {CAUGHT_BY_GATES[kind]}; builds refused the date"
                       if found else f"NOT caught by {CAUGHT_BY_GATES[kind]}")
            as_expected = found
        elif kind in SOURCE_GAPS:
            failing = [a for a in cover.assets if a != RAW and cover.cells[a][day].state not in COMPLETE]
            handled = raw_cell.state in COMPLETE and not failing
            verdict = (f"source gap ({SOURCE_GAPS[kind]}): every check passes, contamination counts it "
                       "apart (NO_SOURCE)" if handled else
                       "checks fail on the date: " + ", ".join(["raw"] * (raw_cell.state not in COMPLETE) + failing))
            found, as_expected = not handled, handled
        else:
            handled = raw_cell.state in COMPLETE and not failing
            verdict = "handled by a fallback: the gates pass" if handled else (
                "gates fail on the date: " + ", ".join(["raw"] * (raw_cell.state not in COMPLETE) + failing))
            found, as_expected = not handled, handled
        rows.append({
            "date": day.isoformat(), "defect_type": kind, "games": record.get("games") or "",
            "found_by_gates": found, "as_expected": as_expected, "verdict": verdict,
        })
    return rows


def _runs(warehouse: Warehouse, start: dt.date, end: dt.date) -> list[dict]:
    frame = warehouse.query("reports/run_history_summary.sql", {"start_date": start, "end_date": end})
    rows = []
    for record in frame.sort_values("processor_name").to_dict("records"):
        rows.append({k: (None if pd.isna(v) else (str(v) if isinstance(v, pd.Timestamp) else v))
                     for k, v in record.items()})
    return rows


def describe(report: Report) -> list[str]:
    lines = [f"report {report.start} .. {report.end}"]
    lines.append("  built / expected dates per phase:")
    names = {"phase2": "raw ready (gate 0)", "phase3": "Phase 3", "phase4": "Phase 4"}
    for row in report.phases:
        lines.append(f"    {names.get(row['phase'], row['phase']):<20} {row['dates_complete']:>5} / "
                     f"{row['dates_due']:<5} ({row['assets']} assets)")
    lines.append("  per asset (built / due; missing, failed gate):")
    for row in report.assets:
        lines.append(f"    {row['asset']:<30} {row['dates_built']:>5} / {row['dates_due']:<5} "
                     f"missing {row['missing']}, failed {row['failed']}")
    errors, warnings = report.validation.errors, report.validation.warnings
    lines.append(f"  checks: {len(report.validation.reports)} run, {len(errors)} failed, {len(warnings)} warned")
    for check in errors + warnings:
        lines.append(f"    {check.severity:<5} {check.check.asset} / {check.check.name}: "
                     + ", ".join(d.isoformat() for d in (check.days(Outcome.FAIL, Outcome.BLOCKED, Outcome.WARN))[:6])
                     + (" ..." if len(check.problems()) > 6 else ""))
    lines.append("  contamination:")
    for row in report.contamination:
        gap_note = (f"; no source {row[NO_SOURCE]} ({row['source_gap_rows']:,} source-gap rows counted apart)"
                    if row["source_gap_rows"] else "")
        lines.append(f"    {row['asset']:<30} {row['status']:<13} dates clean {row['CLEAN']}, "
                     f"partial {row['PARTIAL']}, contaminated {row['CONTAMINATED']}{gap_note}")
    noisy = [r for r in report.failure_rates if r["dates_above_band"] or r["dates_with_processing_errors"]]
    if noisy:
        lines.append("  failure rates:")
        for row in noisy:
            lines.append(f"    {row['asset']:<30} above the band on {row['dates_above_band']} dates, "
                         f"PROCESSING_ERROR on {row['dates_with_processing_errors']}")
    if report.defects:
        caught = sum(1 for d in report.defects if d["found_by_gates"])
        lines.append(f"  planted defects (nba_raw.demo_defects): {len(report.defects)}, "
                     f"{caught} found by the gates, {sum(not d['as_expected'] for d in report.defects)} unexpected:")
        gap_runs: dict[tuple[str, str], list[dict]] = {}
        for row in report.defects:
            if row["defect_type"] in SOURCE_GAPS and row["as_expected"]:  # one line per season below
                season = load_calendar().season_of(dt.date.fromisoformat(row["date"])).label
                gap_runs.setdefault((row["defect_type"], season), []).append(row)
                continue
            mark = "ok " if row["as_expected"] else "!! "
            games = f" {row['games']}" if row["games"] and len(row["games"]) < 60 else ""
            lines.append(f"    {mark}{row['date']} {row['defect_type']:<20}{games}: {row['verdict']}")
        for (kind, season), rows in sorted(gap_runs.items(), key=lambda kv: kv[1][0]["date"]):
            lines.append(f"    ok {rows[0]['date']} .. {rows[-1]['date']} {kind} ({season}, {len(rows)} dates): "
                         f"{rows[0]['verdict']}")
    if report.runs:
        seconds = sum(r["build_seconds"] or 0 for r in report.runs)
        lines.append(f"  run history: {len(report.runs)} processors, {seconds:.0f}s of builds")
    if report.heatmap:
        lines.append(f"  heatmap: {report.heatmap['png']} and {report.heatmap['html']}")
    return lines
