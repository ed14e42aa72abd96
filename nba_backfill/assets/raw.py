"""Phase 2 raw tables as observable source assets: lineage starts here.

The scrapers that fill these tables live upstream of this project. Observing a table
records, per game-date partition, whether it has rows (and how many, as the data
version), so the UI shows which raw dates exist and a change in a raw date marks the
Phase 3 partitions built from it as stale.
"""

from __future__ import annotations

import datetime as dt
import functools

import dagster as dg
import pandas as pd
from sqlglot import exp

from nba_backfill.partitions import game_date_partitions
from nba_backfill.warehouse import Warehouse, sql
from nba_backfill.warehouse.base import in_range
from nba_backfill.warehouse.schema import RAW_TABLES

RAW_GROUP = "raw"
OWNER = "team:scrapers"


def _counts(table: str) -> exp.Select:
    """Rows per game_date of one raw table: what its observation records as the version."""
    return (
        exp.select(
            exp.Literal.string(table).as_("raw_table"),
            exp.column("game_date").as_("day"),
            exp.func("COUNT", exp.Star()).as_("n"),
        )
        .from_(exp.to_table(f"nba_raw.{table}"))
        .group_by(exp.column("game_date"))
    )


def rows_by_date(warehouse: Warehouse, table: str) -> dict[str, int]:
    """Row count per game_date (ISO string) of one raw table."""
    frame = warehouse.query_expression(_counts(table))
    return {str(day)[:10]: int(n) for day, n in zip(frame.day, frame.n)}


def raw_rows_between(warehouse: Warehouse, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, int]]:
    """Per game_date in [start, end], rows per raw table (the same counts, every table in
    one statement): a changed count is a re-scrape."""
    selects = [_counts(table).where(in_range("game_date")) for table in RAW_TABLES]
    frame = warehouse.query_expression(
        functools.reduce(lambda a, b: exp.union(a, b, distinct=False), selects),
        {"start_date": start, "end_date": end},
    )
    found: dict[dt.date, dict[str, int]] = {}
    for table, day, n in zip(frame.raw_table, frame.day, frame.n):
        found.setdefault(pd.Timestamp(day).date(), {})[table] = int(n)
    return found


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
