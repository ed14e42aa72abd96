"""Failure-rate band (SPEC §5.1, part of Gate 2): the share of entities a Phase 4 processor
put in nba_processing.precompute_failures, against the share expected for the week of the
season. Above the band warns (early data problems show up here first); any
PROCESSING_ERROR fails: it is a bug, never a data condition.

The band is about players; TDZA (teams) is checked for processing errors only: its
minimum jumps to 15 games on day 22, when most teams have fewer, so a team share says
nothing about data health (``band = false`` in its table.toml). One template
(``sql/checks/templates/failure_rate.sql``) returns ``check_date, entities,
entities_failed, processing_errors`` for any table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import CheckDef, DateResult, Outcome, number
from nba_backfill.seasons import days_since_opener, is_bootstrap

NAME = "failure_rate_band"
TEMPLATE = "checks/templates/failure_rate.sql"


@dataclass(frozen=True)
class Band:
    first_day: int  # days since the opener, inclusive
    last_day: int | None  # inclusive; None = rest of the season
    low: float
    high: float
    label: str


# SPEC §5.1: weeks 1-2 90-100%, week 3 60-75%, week 4 40-50%, week 5+ 25-30%, after day 60
# 15-20%. Week n = days 7(n-1) .. 7n-1; "after day 60" is read as day 60 onward.
BANDS = (
    Band(0, 13, 0.90, 1.00, "weeks 1-2"),
    Band(14, 20, 0.60, 0.75, "week 3"),
    Band(21, 27, 0.40, 0.50, "week 4"),
    Band(28, 59, 0.25, 0.30, "week 5+"),
    Band(60, None, 0.15, 0.20, "after day 60"),
)


def band_for(day_index: int) -> Band:
    for band in BANDS:
        if day_index >= band.first_day and (band.last_day is None or day_index <= band.last_day):
            return band
    return BANDS[0]


@dataclass(frozen=True)
class FailureRateCheck(CheckDef):
    band: bool = True  # False: processing errors only
    kind: str = "failure_rate"

    def judge(self, day: dt.date, row: Mapping[str, object] | None) -> DateResult:
        entities, failed = number(row, "entities"), number(row, "entities_failed")
        errors = number(row, "processing_errors")
        share = failed / entities if entities else 0.0
        values: dict[str, object] = {
            "entities": entities, "entities_failed": failed, "failed_share": round(share, 4),
            "processing_errors": errors,
        }
        if errors:
            return DateResult(day, Outcome.FAIL, f"{errors} PROCESSING_ERROR failure rows (a bug)", values)
        if is_bootstrap(day):
            return DateResult(day, Outcome.BOOTSTRAP, "", values)
        if not entities or not self.band:
            return DateResult(day, Outcome.PASS, "", values)
        band = band_for(days_since_opener(day))
        values.update(band=band.label, band_low=band.low, band_high=band.high)
        if share > band.high:
            detail = (f"{share:.0%} of {entities} entities failing ({failed}); expected "
                      f"{band.low:.0%}-{band.high:.0%} in {band.label}")
            return DateResult(day, Outcome.WARN, detail, values)
        return DateResult(day, Outcome.PASS, "", values)


def failure_rate_check(spec: TableSpec) -> FailureRateCheck:
    params = spec.failure_rate
    what = ("the share of players in nba_processing.precompute_failures against the band "
            "for the week of the season (above: warns); any PROCESSING_ERROR fails"
            if params.band else "any PROCESSING_ERROR in nba_processing.precompute_failures fails")
    return FailureRateCheck(
        asset=spec.name,
        name=NAME,
        sql_file=TEMPLATE,
        bindings=(("table", spec.table), ("date", spec.date_column), ("entity", params.entity)),
        description=f"Failure rates (SPEC §5.1, Gate 2): {what}.",
        tables=(spec.table,),
        phase4=True,
        band=params.band,
    )
