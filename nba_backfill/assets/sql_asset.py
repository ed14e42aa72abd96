"""A Phase 3 or Phase 4 table as a Dagster asset spec, and how one range of its dates is
built: one SQL file over the whole range, failure rows replaced in the same transaction.
What the table is (its upstreams, lookbacks, checks) is the catalog's.

The Dagster side (one multi-asset for every table, per-date verdicts) is ``tables.py``.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd
from sqlglot import exp

from nba_backfill.catalog import TableSpec
from nba_backfill.partitions import game_date_partitions
from nba_backfill.warehouse import RangeCounts, TableWrite, Warehouse, sql
from nba_backfill.warehouse.base import scope_filter, scope_parameters

OWNER = "team:data-platform"


def asset_spec(spec: TableSpec) -> dg.AssetSpec:
    """The table as Dagster shows it: same-date deps (the lookback reach stays in the
    catalog, see ``Upstream``), the SQL header as description."""
    return dg.AssetSpec(
        spec.name,
        deps=[dg.AssetDep(u.asset) for u in spec.upstream],
        description=f"{spec.description}\n\n{sql.header(spec.sql_file)}",
        group_name=spec.group.name,
        owners=[OWNER],
        kinds={"sql"},
        tags={"phase": spec.phase},
        partitions_def=game_date_partitions(),
        # a date the guard refuses is not materialized: the output is optional
        skippable=True,
        metadata={
            "table": spec.table,
            "partition_column": spec.date_column,
            "sql_file": dg.MetadataValue.path(f"sql/{spec.sql_file}"),
            "lookbacks": {u.asset: u.lookback for u in spec.lookbacks},
            "dagster/column_schema": dg.TableSchema(
                columns=[dg.TableColumn(name, kind) for name, kind in spec.columns]
            ),
        },
    )


def table_writes(spec: TableSpec) -> list[TableWrite]:
    """The table's rows, and its failure rows replaced for this processor only."""
    return [
        TableWrite(spec.table, spec.sql_file, spec.date_column, spec.cluster_by, columns=spec.columns),
        TableWrite(
            spec.failures_table,
            spec.failures_file,
            "analysis_date",
            ("processor_name",),
            scope={"processor_name": spec.name},
        ),
    ]


def build_range(
    spec: TableSpec, warehouse: Warehouse, start: dt.date, end: dt.date, run_id: str
) -> RangeCounts:
    """Replace [start, end] of the table (and its failure rows) in one transaction."""
    params = {"run_id": run_id, "processor_name": spec.name}
    return warehouse.replace_range(table_writes(spec), start, end, params)


def build_ranges(
    spec: TableSpec, warehouse: Warehouse, ranges: list[tuple[dt.date, dt.date]], run_id: str
) -> RangeCounts:
    """One range build per contiguous run of dates (one when no date was refused)."""
    merged: dict[str, dict[dt.date, int]] = {}
    for first, last in ranges:
        for table, per_date in build_range(spec, warehouse, first, last, run_id).by_table.items():
            merged.setdefault(table, {}).update(per_date)
    return RangeCounts(merged)


def counts_by_date(
    warehouse: Warehouse, write: TableWrite, column: str, start: dt.date, end: dt.date
) -> dict[dt.date, dict[str, int]]:
    """Rows of the write's table per date and value of ``column`` (NULL shown as "NULL")."""
    date = exp.column(write.date_column)
    query = (
        exp.select(date.as_("day"), exp.column(column).as_("value"), exp.func("COUNT", exp.Star()).as_("n"))
        .from_(exp.to_table(write.table))
        .where(scope_filter(write))
        .group_by(date, exp.column(column))
    )
    params = {"start_date": start, "end_date": end, **scope_parameters(write)}
    frame = warehouse.query_expression(query, params)
    found: dict[dt.date, dict[str, int]] = {}
    for day, value, n in zip(frame.day, frame.value, frame.n):
        found.setdefault(pd.Timestamp(day).date(), {})["NULL" if pd.isna(value) else str(value)] = int(n)
    return found
