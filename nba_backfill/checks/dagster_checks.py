"""The checks as Dagster asset checks.

A check runs over the dates of the run it is part of: the run's partition (range), or,
executed on its own, the dates in its run config (``start``/``end``), else every
partition up to yesterday. In a range run Dagster records one evaluation for the range,
so the metadata lists every date's outcome, the failing dates with why, and the command
that rebuilds them. Severity: ERROR when a date failed here (a blocking check then stops
the assets downstream in the same run); WARN when dates only warned (PARTIAL, failure
band) or were blocked by an upstream failure (those dates were refused and stay visible).
"""



import datetime as dt
from typing import TYPE_CHECKING, Iterable, Mapping

import dagster as dg

from nba_backfill.checks.core import CheckDef, CheckReport
from nba_backfill.checks.registry import CHECKS, Evaluator, checks_on
from nba_backfill.partitions import game_date_partitions, load_calendar

if TYPE_CHECKING:
    from nba_backfill.assets.sql_asset import SqlAssetSpec


class CheckRange(dg.Config):
    """Dates to check when the check runs outside a partitioned run (YYYY-MM-DD)."""

    start: str = ""
    end: str = ""


def check_range(context: dg.AssetCheckExecutionContext, config: CheckRange) -> "tuple[dt.date, dt.date]":
    if context.has_partition_key_range:
        keys = context.partition_key_range
        return dt.date.fromisoformat(keys.start), dt.date.fromisoformat(keys.end)
    calendar = load_calendar()
    start = dt.date.fromisoformat(config.start) if config.start else calendar.seasons[0].opener
    if config.end:
        end = dt.date.fromisoformat(config.end)
    else:
        keys = game_date_partitions().get_partition_keys()
        end = dt.date.fromisoformat(keys[-1]) if keys else start
    return start, end


def result_of(report: CheckReport) -> dg.AssetCheckResult:
    metadata = report.metadata()
    wrapped = {
        key: dg.MetadataValue.md(value) if key == "problems"
        else dg.MetadataValue.json(value) if isinstance(value, (list, dict))
        else dg.MetadataValue.path(value) if key == "sql_file"
        else value
        for key, value in metadata.items()
    }
    severity = dg.AssetCheckSeverity.ERROR if report.failed else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(passed=report.passed, severity=severity, metadata=wrapped)


def asset_check(check: CheckDef, specs: Mapping[str, "SqlAssetSpec"]) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=check.asset,
        name=check.name,
        description=check.description,
        blocking=check.blocking,
        required_resource_keys={"warehouse"},
        metadata={"sql_file": dg.MetadataValue.path(f"sql/{check.sql_file}"), "kind": check.kind},
    )
    def _check(context: dg.AssetCheckExecutionContext, config: CheckRange) -> dg.AssetCheckResult:
        start, end = check_range(context, config)
        evaluator = Evaluator(context.resources.warehouse, specs, run_id=context.run.run_id)
        report = evaluator.report(check, start, end)
        # INFO: the run's logs keep it (UI); the CLI's quiet console stays a progress bar
        log = context.log.info
        log(report.summary())
        for problem in report.problems()[:20]:
            log(f"  {problem.day} {problem.outcome.value}: {problem.detail}")
        for command in report.rebuild_commands():
            log(f"  fix: {command}")
        return result_of(report)

    return _check


def checks_for(
    specs: "Mapping[str, SqlAssetSpec] | Iterable[SqlAssetSpec]", raw: bool = True
) -> list[dg.AssetChecksDefinition]:
    """The asset checks of the given Phase 3/4 specs (gates, contamination, failure rates)
    and, with ``raw``, Gate 0 on the raw schedule. Pass every spec in the graph: a gate
    uses the specs to tell a date blocked by its upstream from a date that failed."""
    values = specs.values() if isinstance(specs, Mapping) else specs
    by_name = {spec.name: spec for spec in values}
    chosen = [c for name in by_name for c in checks_on(name)]
    if raw:
        chosen = [c for c in CHECKS if c.raw] + chosen
    return [asset_check(check, by_name) for check in chosen]


RAW_READINESS_JOB = "raw_readiness"


def raw_readiness_job() -> "dg.UnresolvedAssetJobDefinition":
    """Gate 0 on its own (run config ``ops.nbac_schedule_gate_0_raw_readiness.config``
    start/end; default: every partition). Keep it out of the raw observation job (select
    that job's assets ``.without_checks()``): a blocking check that fails fails its run."""
    return dg.define_asset_job(
        RAW_READINESS_JOB,
        selection=dg.AssetSelection.checks_for_assets("nbac_schedule"),
        description="Gate 0: are the raw box scores and gamebooks there for every final game?",
    )
