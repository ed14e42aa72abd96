"""The steps of ``backfill --missing-only``: which assets to build over which ranges."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from nba_backfill import catalog
from nba_backfill.operations.plan import Plan, Step, make_plan
from nba_backfill.operations.status import coverage
from nba_backfill.warehouse import Warehouse


def missing_only(
    warehouse: Warehouse, start: dt.date, end: dt.date, names: Sequence[str] | None = None
) -> tuple[Plan, list[Step]]:
    """The steps that build only the dates not built yet or whose gate failed (no stale
    dates, no downstream reach; dates waiting on raw data are left out), restricted to
    ``names`` when given."""
    specs = catalog.tables()
    plan = make_plan(warehouse, coverage(warehouse, start, end, specs), stale=False, reach=False)
    steps = []
    for step in plan.steps:
        assets = [a for a in step.assets if not names or a in names]
        if assets:
            steps.append(Step(assets, step.ranges, step.days))
    return plan, steps
