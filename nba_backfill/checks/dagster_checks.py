"""The checks as Dagster sees them.

Phase 3/4 checks are check specs of the table build (``assets/tables.py``): the build
evaluates them right after it writes an asset and records one evaluation per date that is
not clean (the date is the evaluation's partition, so the Checks tab names the failing
dates) and one for the whole range (every date's outcome, the failing dates, the command
that rebuilds them). Dagster never blocks a step on them: a failing date stops only that
date and its same-date readers, through the build's guard (SPEC §6 "one date, one verdict").

Gate 0 sits on the raw schedule, outside any build: it is a plain asset check run over
the dates in its run config (``start``/``end``), else every partition.
"""

# no `from __future__ import annotations`: Dagster reads the check's annotations at runtime
import datetime as dt
from typing import Iterator, Mapping

import dagster as dg

from nba_backfill.checks.core import OK, CheckDef, CheckReport, DateResult, Outcome
from nba_backfill.checks.registry import Evaluator, all_checks
from nba_backfill.partitions import game_date_partitions
from nba_backfill.seasons import load_calendar

RAW_READINESS_JOB = "raw_readiness"


class CheckRange(dg.Config):
    """Dates to check when the check runs on its own (YYYY-MM-DD)."""

    start: str = ""
    end: str = ""


def check_range(config: CheckRange) -> tuple[dt.date, dt.date]:
    calendar = load_calendar()
    start = dt.date.fromisoformat(config.start) if config.start else calendar.seasons[0].opener
    if config.end:
        return start, dt.date.fromisoformat(config.end)
    keys = game_date_partitions().get_partition_keys()
    return start, dt.date.fromisoformat(keys[-1]) if keys else start


def _wrapped(metadata: Mapping[str, object]) -> dict[str, object]:
    return {
        key: dg.MetadataValue.md(value) if key == "problems"
        else dg.MetadataValue.path(value) if key == "sql_file"
        else dg.MetadataValue.json(value) if isinstance(value, (list, dict))
        else value
        for key, value in metadata.items()
    }


def result_of(report: CheckReport) -> dg.AssetCheckResult:
    """The range's verdict: ERROR when a date failed here, WARN when dates only warned or
    were blocked by an upstream failure."""
    severity = dg.AssetCheckSeverity.ERROR if report.failed else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(passed=report.passed, severity=severity, metadata=_wrapped(report.metadata()))


def check_spec(check: CheckDef) -> dg.AssetCheckSpec:
    gating = "Gates its same-date readers, per date" if check.blocking else "Reports only"
    return dg.AssetCheckSpec(
        check.name,
        asset=check.asset,
        description=f"{check.description} {gating}.",
        metadata={"sql_file": dg.MetadataValue.path(f"sql/{check.sql_file}"), "kind": check.kind},
    )


def date_evaluation(check: CheckDef, result: DateResult) -> dg.AssetCheckEvaluation:
    """One date's verdict, recorded on that date's partition."""
    severity = dg.AssetCheckSeverity.WARN if result.outcome is Outcome.WARN else dg.AssetCheckSeverity.ERROR
    return dg.AssetCheckEvaluation(
        asset_key=dg.AssetKey(check.asset),
        check_name=check.name,
        passed=result.outcome in OK,
        severity=severity,
        description=f"{result.day} {result.outcome.value}: {result.detail}".rstrip(": "),
        metadata=_wrapped(result.as_dict()),
        partition=result.day.isoformat(),
    )


def range_evaluation(report: CheckReport) -> dg.AssetCheckEvaluation:
    result = result_of(report)
    return dg.AssetCheckEvaluation(
        asset_key=dg.AssetKey(report.check.asset),
        check_name=report.check.name,
        passed=result.passed,
        severity=result.severity,
        description=report.summary(),
        metadata=result.metadata,
    )


def evaluations(report: CheckReport) -> Iterator[dg.AssetCheckEvaluation]:
    """Every date that is not clean on its own partition, then the range. Clean dates are
    not recorded one by one (each event costs the instance a write): the range's
    ``outcomes_by_date`` holds them, and so does each date's materialization."""
    for result in report.problems():
        yield date_evaluation(report.check, result)
    yield range_evaluation(report)


def standalone_check(check: CheckDef) -> dg.AssetChecksDefinition:
    """A check run outside any build (Gate 0 on the raw schedule)."""

    @dg.asset_check(
        asset=check.asset,
        name=check.name,
        description=check.description,
        blocking=check.blocking,
        required_resource_keys={"warehouse"},
        metadata={"sql_file": dg.MetadataValue.path(f"sql/{check.sql_file}"), "kind": check.kind},
    )
    def _check(context: dg.AssetCheckExecutionContext, config: CheckRange) -> dg.AssetCheckResult:
        start, end = check_range(config)
        report = Evaluator(context.resources.warehouse).report(check, start, end)
        context.log.info(report.summary())
        for command in report.rebuild_commands():
            context.log.info(f"  fix: {command}")
        return result_of(report)

    return _check


def raw_checks() -> list[dg.AssetChecksDefinition]:
    return [standalone_check(c) for c in all_checks() if c.raw]


def raw_readiness_job() -> "dg.UnresolvedAssetJobDefinition":
    """Gate 0 on its own (run config ``ops.nbac_schedule_gate_0_raw_readiness.config``
    start/end; default: every partition). Keep it out of the raw observation job (select
    that job's assets ``.without_checks()``): a blocking check that fails fails its run."""
    return dg.define_asset_job(
        RAW_READINESS_JOB,
        selection=dg.AssetSelection.checks_for_assets("nbac_schedule"),
        description="Gate 0: are the raw box scores and gamebooks there for every final game?",
    )
