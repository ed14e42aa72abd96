"""Freshness with deadlines, per phase and per game date (issue #12).

Phase 3 of a game date must be built by 10:00 US/Eastern the next morning, Phase 4 by 12:00
(``deadlines``). Each Phase 3/4 asset has a check, ``built_by_deadline``, that fails when a
date with final games in the last ``WINDOW_DAYS`` days is past its deadline and not built
(the newest run on that date did not succeed): WARN while it is under two hours late, ERROR
after. It passes on no-game days, in the off-season and before the deadline. Its metadata
lists the late dates, how late each is (never negative) and the command that builds them.

Why our own check and not only Dagster's: ``FreshnessPolicy`` is asset-level (any
materialization of any partition counts as fresh, so building an old date hides a missing
new one) and its evaluation needs the freshness daemon (``freshness: enabled: true``).
The policies are still attached (``with_freshness_policies``) so the asset pages show the
deadline; the partition-aware verdict is this check, evaluated by the ``freshness_deadlines``
sensor (``sensors.py``) every half hour, and by hand from the asset's Checks tab.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import dagster as dg
import pandas as pd

from nba_backfill import catalog
from nba_backfill.automation.deadlines import DEADLINE_HOUR, ERROR_AFTER, eastern_today, human, late_by, utc_now
from nba_backfill.commands import backfill_command
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse import Warehouse

CHECK_NAME = "built_by_deadline"
DEADLINES_SQL = "checks/freshness_deadlines.sql"
# Dates older than this are `nba-backfill plan`'s to list (a hole from last month is a
# rebuild, not a missed deadline); 14 days covers a late scrape and a long weekend.
WINDOW_DAYS = 14


@dataclass(frozen=True)
class Verdict:
    """One asset's deadline freshness at ``now``."""

    asset: str
    phase: str
    now: dt.datetime
    window: tuple[dt.date, dt.date] | None  # the in-season dates examined; None: off-season
    late: Mapping[dt.date, dt.timedelta] = field(default_factory=dict)  # date -> how late (> 0)

    @property
    def passed(self) -> bool:
        return not self.late

    @property
    def severity(self) -> dg.AssetCheckSeverity:
        worst = max(self.late.values(), default=dt.timedelta(0))
        return dg.AssetCheckSeverity.ERROR if worst > ERROR_AFTER else dg.AssetCheckSeverity.WARN

    @property
    def fix(self) -> str:
        return backfill_command(min(self.late), max(self.late), [self.asset]) if self.late else ""

    def describe(self) -> str:
        if not self.late:
            return f"{self.asset}: on time" if self.window else f"{self.asset}: off-season"
        dates = ", ".join(f"{d} ({human(t)} late)" for d, t in sorted(self.late.items()))
        return f"{self.asset}: missed its deadline on {dates}"

    def metadata(self) -> dict[str, object]:
        hour = DEADLINE_HOUR[self.phase]
        metadata: dict[str, object] = {
            "deadline": f"{self.phase}: {hour}:00 US/Eastern the morning after the game date",
            "evaluated_at": self.now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
            "checked_dates": f"{self.window[0]} .. {self.window[1]}" if self.window else "off-season",
        }
        if not self.late:
            metadata["note"] = (
                "off-season: no game date to be late" if not self.window
                else "every date with final games is built, or not due yet"
            )
            return metadata
        metadata["late_dates"] = dg.MetadataValue.json({d.isoformat(): f"{human(t)} late" for d, t in sorted(self.late.items())})
        metadata["minutes_late"] = dg.MetadataValue.json(
            {d.isoformat(): int(t.total_seconds() // 60) for d, t in sorted(self.late.items())}
        )
        metadata["fix"] = self.fix
        return metadata

    def result(self) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=self.passed, severity=self.severity, metadata=self.metadata(),
                                   description=self.describe())

    def evaluation(self) -> dg.AssetCheckEvaluation:
        """The same verdict as an event a sensor records (no run needed)."""
        return dg.AssetCheckEvaluation(
            asset_key=dg.AssetKey(self.asset), check_name=CHECK_NAME, passed=self.passed,
            severity=self.severity, metadata=self.result().metadata, description=self.describe(),
        )


def window(now: dt.datetime, days: int = WINDOW_DAYS) -> tuple[dt.date, dt.date] | None:
    """The in-season dates whose deadline may have passed at ``now``: the last ``days``
    days up to yesterday (US/Eastern). None when none of them is in a season."""
    yesterday = eastern_today(now) - dt.timedelta(days=1)
    first = yesterday - dt.timedelta(days=days - 1)
    in_season = [d for s in load_calendar().seasons for d in s.days() if first <= d <= yesterday]
    return (in_season[0], in_season[-1]) if in_season else None


def evaluate(warehouse: Warehouse, phases: Mapping[str, str], now: dt.datetime) -> dict[str, Verdict]:
    """Every asset of ``phases`` (asset -> "phase3"/"phase4") judged at ``now``, one query."""
    span = window(now)
    if span is None:
        return {a: Verdict(a, p, now, None) for a, p in phases.items()}
    frame = warehouse.query(DEADLINES_SQL, {"start_date": span[0], "end_date": span[1]})
    game_dates = {pd.Timestamp(d).date() for d in frame.game_date}
    built: dict[str, set[dt.date]] = {}
    for day, name, status in zip(frame.game_date, frame.processor_name, frame.status):
        if status == "success":
            built.setdefault(name, set()).add(pd.Timestamp(day).date())
    verdicts = {}
    for asset, phase in phases.items():
        late = {}
        for day in sorted(game_dates - built.get(asset, set())):
            how_late = late_by(day, phase, now)
            if how_late is not None:
                late[day] = how_late
        verdicts[asset] = Verdict(asset, phase, now, span, late)
    return verdicts


def phases_of(assets: Sequence[str]) -> dict[str, str]:
    specs = catalog.tables()
    return {a: specs[a].phase for a in assets}


def freshness_check(asset: str, phase: str, clock: Callable[[], dt.datetime] = utc_now) -> dg.AssetChecksDefinition:
    hour = DEADLINE_HOUR[phase]

    @dg.asset_check(
        asset=asset,
        name=CHECK_NAME,
        description=(
            f"Deadline freshness ({phase}): every game date with final games must be built by "
            f"{hour}:00 US/Eastern the next morning. WARN when a date is late, ERROR after 2 hours; "
            "passes on no-game days and in the off-season. Evaluated every 30 min by the "
            "freshness_deadlines sensor (Automation page: turn it on/off there); Execute runs it now."
        ),
        required_resource_keys={"warehouse"},
        blocking=False,
    )
    def _check(context) -> dg.AssetCheckResult:
        return evaluate(context.resources.warehouse, {asset: phase}, clock())[asset].result()

    return _check


def freshness_checks(assets: list[str]) -> list[dg.AssetChecksDefinition]:
    return [freshness_check(asset, phase) for asset, phase in phases_of(assets).items()]


def check_keys(assets: Sequence[str]) -> list[dg.AssetCheckKey]:
    return [dg.AssetCheckKey(dg.AssetKey(a), CHECK_NAME) for a in assets]


def freshness_policy(phase: str) -> dg.FreshnessPolicy:
    """Dagster's own (asset-level) freshness: a materialization between midnight and the
    phase's deadline, US/Eastern. Shown on the asset page; evaluated only where the
    freshness daemon is enabled, and it counts a materialization of ANY partition."""
    hour = DEADLINE_HOUR[phase]
    return dg.FreshnessPolicy.cron(
        deadline_cron=f"0 {hour} * * *", lower_bound_delta=dt.timedelta(hours=hour), timezone="America/New_York"
    )


def with_freshness_policies(assets_def: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The table build with each table's phase deadline as its FreshnessPolicy."""
    return assets_def.map_asset_specs(
        lambda spec: spec.replace_attributes(freshness_policy=freshness_policy(spec.tags["phase"]))
    )
