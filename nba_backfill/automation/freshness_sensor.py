"""The freshness_deadlines sensor: evaluates every asset's deadline check (``freshness``)
every half hour without launching a run (the verdicts are recorded as check evaluations),
and alerts once per phase when a deadline is missed, then once when the phase recovers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Callable, Mapping, Sequence

import dagster as dg

from nba_backfill.automation.alerts import Episodes, Notifier
from nba_backfill.automation.deadlines import DEADLINE_HOUR, human, utc_now
from nba_backfill.automation.freshness import Verdict, evaluate, phases_of
from nba_backfill.commands import backfill_command
from nba_backfill.errors import UserError

SENSOR_NAME = "freshness_deadlines"
PHASE_NAMES = {"phase3": "Phase 3", "phase4": "Phase 4"}


def phase_alerts(verdicts: Mapping[str, Verdict], episodes: Episodes) -> list[str]:
    """One alert per phase that starts missing its deadline, one when it is on time again."""
    alerts = []
    for phase in sorted({v.phase for v in verdicts.values()}):
        mine = [v for v in verdicts.values() if v.phase == phase]
        late_assets = [v.asset for v in mine if v.late]
        late: dict[dt.date, dt.timedelta] = {}
        for verdict in mine:
            for day, how_late in verdict.late.items():
                late[day] = max(late.get(day, how_late), how_late)
        name, hour = PHASE_NAMES[phase], DEADLINE_HOUR[phase]
        problem = recovered = ""
        if late:
            dates = ", ".join(f"{d} ({human(t)} late)" for d, t in sorted(late.items()))
            problem = (
                f"{name} missed its deadline ({hour}:00 US/Eastern the morning after): {dates}; "
                f"{len(late_assets)} assets not built. Fix: {backfill_command(min(late), max(late), late_assets)}"
            )
        else:
            recovered = f"{name} is on time again: every game date with final games is built or not due yet"
        alert = episodes.update(f"freshness:{phase}", bool(late), problem, recovered)
        if alert:
            alerts.append(alert)
    return alerts


def freshness_sensor(
    assets: Sequence[str],
    notifier: Notifier,
    clock: Callable[[], dt.datetime] = utc_now,
    minimum_interval_seconds: int = 1800,
) -> dg.SensorDefinition:
    phases = phases_of(assets)

    @dg.sensor(
        name=SENSOR_NAME,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        required_resource_keys={"warehouse"},
        description=(
            "Every 30 minutes: records each Phase 3/4 asset's built_by_deadline check (Phase 3 of a game "
            "date built by 10:00 US/Eastern the next morning, Phase 4 by 12:00; WARN, ERROR after 2 hours "
            "late) and alerts once per phase when a deadline is missed, once when it recovers "
            "(NBA_BACKFILL_ALERT_WEBHOOK, else this sensor's log). No run is launched. Runs by default "
            "with the daemon (`make ui`); turn it off or on with the toggle here."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        raw = json.loads(context.cursor) if context.cursor else {}
        episodes, pending = Episodes(dict(raw.get("episodes", {}))), list(raw.get("pending", []))
        try:
            verdicts = evaluate(context.resources.warehouse, phases, clock())
        except UserError as error:  # a locked or missing warehouse: next tick
            return dg.SkipReason(f"warehouse not readable this tick: {error}")
        alerts = phase_alerts(verdicts, episodes)
        pending = notifier.flush(pending + alerts, context.log)
        late = [v.describe() for v in verdicts.values() if v.late]
        note = "; ".join(late) if late else f"{len(verdicts)} assets on time"
        return dg.SensorResult(
            skip_message=note[:1000],
            cursor=json.dumps({"episodes": episodes.open, "pending": pending}, sort_keys=True),
            asset_events=[v.evaluation() for v in verdicts.values()],
        )

    return _sensor
