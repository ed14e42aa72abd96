"""One build of the table multi-asset: the selected tables over the run's dates, season by
season, each table in dependency order (lookbacks never cross a season, SPEC §0).

Per table and season: the guard decides which dates may be built, the allowed dates are
built in as few range statements as possible, run history is recorded, the table's checks
are evaluated once, and Dagster hears one materialization per built date (with that
date's rows and verdicts) and the check evaluations. Dates refused here are refused for
the same-date readers later in the run too.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence

import dagster as dg

from nba_backfill.assets import run_history
from nba_backfill.assets.ahead import ahead
from nba_backfill.assets.sql_asset import build_ranges, counts_by_date, table_writes
from nba_backfill.catalog import TableSpec
from nba_backfill.checks import refusal
from nba_backfill.checks.core import CheckDef, CheckReport, DateResult, Outcome
from nba_backfill.checks.dagster_checks import evaluations
from nba_backfill.checks.registry import Evaluator
from nba_backfill.operations.status import COMPLETE, coverage
from nba_backfill.partitions import game_date_partitions
from nba_backfill.seasons import split_by_season
from nba_backfill.warehouse import RangeCounts, Warehouse

FAIL_FAST_TAG = "nba_backfill/fail_fast"  # stop after the first season with a refused or failed date
MISSING_ONLY_TAG = "nba_backfill/missing_only"  # build only the dates not complete yet (resume)
BUILT_TAG = "nba_backfill/dates_built"
REFUSED_TAG = "nba_backfill/dates_refused"
FAILED_TAG = "nba_backfill/dates_failed"


@dataclass
class BuildSummary:
    """What the run did, per asset: dates built, refused (with the first reason), failed."""

    built: Counter = field(default_factory=Counter)
    refused: dict[str, dict[dt.date, str]] = field(default_factory=dict)
    failed: dict[str, dict[dt.date, str]] = field(default_factory=dict)

    def count(self, per_asset: Mapping[str, Mapping]) -> int:
        return sum(len(days) for days in per_asset.values())

    def tags(self) -> dict[str, str]:
        return {
            BUILT_TAG: str(sum(self.built.values())),
            REFUSED_TAG: str(self.count(self.refused)),
            FAILED_TAG: str(self.count(self.failed)),
        }

    def lines(self) -> list[str]:
        lines = [f"built {sum(self.built.values())} asset-dates; refused {self.count(self.refused)}; "
                 f"failed {self.count(self.failed)}"]
        for word, per_asset in (("refused", self.refused), ("failed", self.failed)):
            for asset, days in per_asset.items():
                if days:
                    first = min(days)
                    lines.append(f"  {asset}: {word} {len(days)} dates, first {first}: {days[first]}")
        return lines


@dataclass(frozen=True)
class LogLine:
    """A line for the run's log, from the build's thread (Dagster's log is the step's)."""

    level: str  # info, warning, error
    text: str


class TableBuild:
    def __init__(
        self,
        context: dg.AssetExecutionContext,
        specs: Mapping[str, TableSpec],
        order: Sequence[str],
        checks: Sequence[CheckDef],
    ):
        self.context = context
        self.specs = specs
        self.warehouse: Warehouse = context.resources.warehouse
        self.tables = [t for t in order if dg.AssetKey(t) in context.selected_asset_keys]
        selected = context.selected_asset_check_keys
        self.checks = [c for c in checks if dg.AssetCheckKey(dg.AssetKey(c.asset), c.name) in selected]
        tags = context.run.tags
        self.ignore_gates = tags.get(refusal.IGNORE_TAG, "").lower() == "true"
        self.fail_fast = tags.get(FAIL_FAST_TAG, "").lower() == "true"
        self.missing_only = tags.get(MISSING_ONLY_TAG, "").lower() == "true"
        self.evaluator = Evaluator(self.warehouse, specs)
        self.summary = BuildSummary()

    def run(self) -> Iterator[object]:
        """The build runs one step ahead of Dagster (``ahead.py``): while Dagster stores
        one table's events, the next table builds. Its log lines are logged here, in order
        with its events."""
        context = self.context
        # a check run from the UI without a partition checks every date
        partitioned = context.has_partition_key or context.has_partition_key_range
        keys = context.partition_keys if partitioned else game_date_partitions().get_partition_keys()
        days = [dt.date.fromisoformat(k) for k in keys]
        for item in ahead(self._build(days), name=f"build {context.run_id[:8]}"):
            if isinstance(item, LogLine):
                getattr(context.log, item.level)(item.text)
            else:
                yield item
        self._finish()

    def _build(self, days: list[dt.date]) -> Iterator[object]:
        if self.ignore_gates:
            yield LogLine("warning", f"gates ignored for this run ({refusal.IGNORE_TAG})")
        for season_days in split_by_season(days):
            refused_in_run: dict[str, dict[dt.date, tuple[str, ...]]] = {}
            complete = self._complete(season_days) if self.missing_only else {}
            for table in self.tables:
                todo = [d for d in season_days if d not in complete.get(table, ())]
                if todo:
                    with self.warehouse.session():
                        yield from self._build_table(self.specs[table], todo, refused_in_run)
            for check in self.checks:
                if check.asset not in self.tables:  # checks run without their asset
                    yield from evaluations(self.evaluator.report(check, season_days[0], season_days[-1]))
            if self.fail_fast and (self.summary.refused or self.summary.failed):
                yield LogLine("warning", f"{FAIL_FAST_TAG}: stopping after {season_days[0]} .. {season_days[-1]}")
                break

    def _complete(self, days: list[dt.date]) -> dict[str, set[dt.date]]:
        """Per table, the dates already complete before this run (built, bootstrap, no
        games, and recorded in run history): a resume skips them. A date refused before
        (raw data late, a failed gate) is not complete, so it takes its turn again and its
        readers can follow; a date whose rows were written by a run killed before it
        recorded them is built again (the rows are whole either way)."""
        cover = coverage(self.warehouse, days[0], days[-1], self.specs)  # its own evaluator: pre-build
        return {
            t: set(cover.days_in(t, *COMPLETE)) & refusal.attempted_dates(self.warehouse, t, days[0], days[-1])
            for t in self.tables
        }

    def _build_table(
        self, spec: TableSpec, days: list[dt.date], refused_in_run: dict[str, dict[dt.date, tuple[str, ...]]]
    ) -> Iterator[object]:
        began, started_at = time.monotonic(), dt.datetime.now(dt.timezone.utc)
        guard = refusal.guard(spec, self.warehouse, days, self.evaluator, refused_in_run, self.ignore_gates)
        refused = dict(guard.refused)
        if refused:
            yield LogLine("warning", guard.message())
            refusal.record_refused(self.warehouse, spec, self.context, guard, started_at)
        allowed = guard.allowed
        counts = RangeCounts({})
        if allowed:
            try:
                counts = build_ranges(spec, self.warehouse, guard.ranges(), self.context.run_id)
            except Exception as error:  # one table's error fails its dates, not the run's others
                seconds = time.monotonic() - began
                run_history.record(self.warehouse, spec, self.context, allowed, started_at, seconds, error=error)
                reason = f"build failed: {type(error).__name__}: {error}".splitlines()[0]
                yield LogLine("error", f"{spec.name} {days[0]} .. {days[-1]}: {reason}")
                self.summary.failed.setdefault(spec.name, {}).update({d: reason for d in allowed})
                refused_in_run[spec.name] = {**refused, **{d: (reason,) for d in allowed}}
                return
            run_history.record(
                self.warehouse, spec, self.context, allowed, started_at, time.monotonic() - began, counts=counts
            )
        seconds = time.monotonic() - began
        refused_in_run[spec.name] = refused
        self.summary.built[spec.name] += len(allowed)
        if refused:
            self.summary.refused.setdefault(spec.name, {}).update({d: r[0] for d, r in refused.items()})
        reports = [self._report(check, days, refused) for check in self.checks if check.asset == spec.name]
        metadata = self._date_metadata(spec, allowed, counts, reports, seconds)
        for day in allowed:
            yield dg.AssetMaterialization(asset_key=spec.name, partition=day.isoformat(), metadata=metadata[day])
        for report in reports:
            yield from evaluations(report)
        yield LogLine(
            "info",
            f"{spec.table}: {counts.total(spec.table)} rows on {len(allowed)} dates "
            f"({len(refused)} refused) in {seconds:.1f}s",
        )

    def _report(self, check: CheckDef, days: list[dt.date], refused: Mapping[dt.date, Sequence[str]]) -> CheckReport:
        """The check over the season's dates; a refused date is BLOCKED with its reason
        (its rows, if any, are an older build's)."""
        report = self.evaluator.report(check, days[0], days[-1])
        if not refused:
            return report
        results = [
            DateResult(r.day, Outcome.BLOCKED, "refused: " + "; ".join(refused[r.day]))
            if r.day in refused else r
            for r in report.results
        ]
        return CheckReport(check, report.start, report.end, results)

    def _date_metadata(
        self,
        spec: TableSpec,
        days: list[dt.date],
        counts: RangeCounts,
        reports: list[CheckReport],
        seconds: float,
    ) -> dict[dt.date, dict[str, object]]:
        """Each built date's own metadata: its rows, failures, breakdowns and verdicts."""
        if not days:
            return {}
        rows = counts.by_table.get(spec.table, {})
        writes = table_writes(spec)
        breakdown = (
            counts_by_date(self.warehouse, writes[0], spec.breakdown_column, days[0], days[-1])
            if spec.breakdown_column else {}
        )
        failures = counts.by_table.get(spec.failures_table or "", {})
        categories = (
            counts_by_date(self.warehouse, writes[1], "failure_category", days[0], days[-1])
            if spec.failures_table else {}
        )
        verdicts = {r.check.name: r.by_day() for r in reports}
        shared = {
            "build_range": f"{days[0]} .. {days[-1]}",
            "build_seconds": round(seconds, 2),
            "warehouse": self.warehouse.describe(),
        }
        metadata: dict[dt.date, dict[str, object]] = {}
        for day in days:
            entry: dict[str, object] = {"dagster/row_count": rows.get(day, 0), **shared}
            if spec.breakdown_column:
                entry[f"rows_by_{spec.breakdown_column}"] = dg.MetadataValue.json(breakdown.get(day, {}))
            if spec.failures_table:
                entry["failures"] = failures.get(day, 0)
                entry["failures_by_category"] = dg.MetadataValue.json(categories.get(day, {}))
            checks = {name: by_day[day].outcome.value for name, by_day in verdicts.items() if day in by_day}
            if checks:
                entry["checks"] = dg.MetadataValue.json(checks)
            metadata[day] = entry
        return metadata

    def _finish(self) -> None:
        summary = self.summary
        self.context.instance.add_run_tags(self.context.run_id, summary.tags())
        for line in summary.lines():
            self.context.log.info(line)
        if summary.failed:
            raise dg.Failure(
                description="; ".join(summary.lines()),
                metadata={"failed_dates": dg.MetadataValue.json(
                    {a: sorted(str(d) for d in days) for a, days in summary.failed.items()})},
            )
