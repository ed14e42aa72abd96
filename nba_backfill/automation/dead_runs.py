"""The sensor that frees the warehouse from runs whose process died.

A run SIGKILLed, killed by the out-of-memory killer or cut by a reboot stays STARTED in
the instance and keeps the warehouse lease; Dagster's local run launcher cannot tell
that its worker is gone, so its run monitoring never marks it failed. This sensor does,
for runs on this machine (``nba_backfill/lease.py``), so the UI stops showing them as
running and the next build does not wait for them. The CLI and any waiting build do the
same on their own; this covers a dead run nobody is waiting for yet.
"""

from __future__ import annotations

import dagster as dg

from nba_backfill.lease import reap_dead_runs

INTERVAL_SECONDS = 30


@dg.sensor(
    name="free_dead_runs",
    minimum_interval_seconds=INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 30 s: marks failed any unfinished run whose process on this machine is gone "
    "(killed, out of memory, a reboot) and frees its hold on the warehouse, so later builds do not "
    "wait for it. Never launches a run. Runs by default with the daemon (`make ui`); turn it off "
    "or on with the toggle here.",
)
def free_dead_runs(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    reaped = reap_dead_runs(context.instance)
    for line in reaped:
        context.log.warning(line)
    return dg.SkipReason("; ".join(reaped) if reaped else "every unfinished run's process is alive")
