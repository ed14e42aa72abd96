"""Phase 2 raw tables as observable source assets: lineage starts here.

The scrapers that fill these tables live upstream of this project. Observing a table
records, per game-date partition, whether it has rows (and how many, as the data
version), so the UI shows which raw dates exist and a change in a raw date marks the
Phase 3 partitions built from it as stale.
"""

from __future__ import annotations

import dagster as dg
from sqlglot import exp

from nba_backfill.partitions import game_date_partitions
from nba_backfill.warehouse import Warehouse, sql
from nba_backfill.warehouse.schema import RAW_TABLES

RAW_GROUP = "raw"
OWNER = "team:scrapers"


def rows_by_date(warehouse: Warehouse, table: str) -> dict[str, int]:
    """Row count per game_date (ISO string) of one raw table."""
    query = (
        exp.select(exp.column("game_date").as_("day"), exp.func("COUNT", exp.Star()).as_("n"))
        .from_(exp.to_table(f"nba_raw.{table}"))
        .group_by(exp.column("game_date"))
    )
    frame = warehouse.query_expression(query)
    return {str(day)[:10]: int(n) for day, n in zip(frame.day, frame.n)}


def raw_asset(table: str):
    partitions = game_date_partitions()

    @dg.observable_source_asset(
        name=table,
        group_name=RAW_GROUP,
        description=f"Phase 2 raw table nba_raw.{table} (external).\n\n{sql.header(f'raw/{table}.sql')}",
        partitions_def=partitions,
        required_resource_keys={"warehouse"},
        metadata={"table": f"nba_raw.{table}", "ddl": dg.MetadataValue.path(f"sql/raw/{table}.sql")},
        tags={"phase": "phase2"},
    )
    def _observe(context) -> dg.DataVersionsByPartition:
        counts = rows_by_date(context.resources.warehouse, table)
        known = set(partitions.get_partition_keys())
        versions = {day: f"{n} rows" for day, n in counts.items() if day in known}
        context.log.info(f"nba_raw.{table}: rows on {len(versions)} partition dates")
        return dg.DataVersionsByPartition(versions)

    return _observe


RAW_ASSETS = [raw_asset(table) for table in RAW_TABLES]
