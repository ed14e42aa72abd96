"""`plan --estimate`: what the planned runs would cost on BigQuery, before running them.

Each planned step is dry-run per season it covers (a build runs one statement per table and
season, and each re-reads its lookback), so the figure is what the backfill would really
scan: bytes per asset and in total, at on-demand prices.
"""

from __future__ import annotations

from nba_backfill import catalog
from nba_backfill.assets.sql_asset import table_writes
from nba_backfill.operations.plan import Plan
from nba_backfill.seasons import in_season_days, split_by_season
from nba_backfill.warehouse.cost import CostEstimate, cost_usd, estimate_cost, human_bytes


def estimate_plan(warehouse, plan: Plan, price_per_tib_usd: float) -> CostEstimate:
    specs = catalog.tables()
    items = []
    for step in plan.steps:
        runs = [
            (season[0], season[-1])
            for first, last in step.ranges
            for season in split_by_season(in_season_days(first, last))
        ]
        writes = [w for asset in step.assets for w in table_writes(specs[asset])]
        items.extend(estimate_cost(warehouse, writes, ranges=runs, price_per_tib_usd=price_per_tib_usd).items)
    return CostEstimate(tuple(items), price_per_tib_usd)


def describe(estimate: CostEstimate) -> list[str]:
    """Per asset (its table and failure rows together), then the total."""
    per_table: dict[str, int] = {}
    for item in estimate.items:
        per_table[item.name] = per_table.get(item.name, 0) + (item.bytes_processed or 0)
    lines = ["  cost estimate (BigQuery dry run, on demand):"]
    for table, scanned in per_table.items():
        lines.append(f"    {table:<48} {human_bytes(scanned):>10}  ≈ ${cost_usd(scanned, estimate.price_per_tib_usd):.4f}")
    lines.append("  " + estimate.lines()[-1])
    return lines

