"""What a CLI backfill run holds, and the steps of ``backfill --missing-only``.

A run builds the selected assets AND their asset checks (from the Definitions), so the
gates run right after the assets they guard and a failed blocking gate stops the assets
downstream in the same run, as in a UI-launched run.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

import dagster as dg

from nba_backfill.operations.plan import Plan, Step, make_plan
from nba_backfill.operations.status import coverage
from nba_backfill.checks import registry
from nba_backfill.warehouse import Warehouse


def with_checks(defs: dg.Definitions, assets: Sequence) -> list:
    """``assets`` plus the quality checks (gates, contamination, failure rates) in ``defs``
    that target one of them. Other checks (freshness) run on their own schedule."""
    keys = {key for a in assets if isinstance(a, dg.AssetsDefinition) for key in a.keys}
    names = {c.name for c in registry.CHECKS}
    checks = [
        c for c in defs.asset_checks or []
        if isinstance(c, dg.AssetChecksDefinition)
        and all(k.asset_key in keys and k.name in names for k in c.check_keys)
    ]
    return [*assets, *checks]


def missing_only(
    warehouse: Warehouse, start: dt.date, end: dt.date, names: Sequence[str] | None = None
) -> tuple[Plan, list[Step]]:
    """The steps that build only the dates not built yet or whose gate failed (no stale
    dates, no downstream reach; dates waiting on raw data are left out), restricted to
    ``names`` when given."""
    specs = registry.load_specs()
    plan = make_plan(warehouse, coverage(warehouse, start, end, specs), stale=False, reach=False)
    steps = []
    for step in plan.steps:
        assets = [a for a in step.assets if not names or a in names]
        if assets:
            steps.append(Step(assets, step.ranges, step.days))
    return plan, steps
