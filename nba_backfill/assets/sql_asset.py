"""What a Phase 3 or Phase 4 table is (its spec), and how one range of its dates is built:
one SQL file over the whole range, failure rows replaced in the same transaction.

The Dagster side (one multi-asset for every table, per-date verdicts) is ``tables.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import dagster as dg
import pandas as pd
from sqlglot import exp

from nba_backfill.partitions import game_date_partitions
from nba_backfill.warehouse import RangeCounts, TableWrite, Warehouse, sql
from nba_backfill.warehouse.base import scope_filter, scope_parameters

OWNER = "team:data-platform"


@dataclass(frozen=True)
class Upstream:
    """A dependency; ``lookback`` = how many earlier in-season days the SQL may read.

    Dagster sees every dependency as same-date (identity mapping): an offset mapping widens
    a UI backfill past its range, across the off-season, and splits it into one run per
    asset (FACTS.md). The lookback reach lives here instead, where the guard (no date is
    built before the earlier dates its window reads), ``plan`` and ``gaps`` read it. The
    SQL bounds every window to the date's own season.
    """

    asset: str
    lookback: int = 0  # 0: the same date only
    same_date: bool = True  # False: strictly earlier dates (a pure lookback)

    def dep(self) -> dg.AssetDep:
        return dg.AssetDep(self.asset)


@dataclass(frozen=True)
class SqlAssetSpec:
    name: str  # asset key and table name
    dataset: str  # nba_analytics / nba_precompute / nba_predictions
    group: str  # analytics / precompute: also the SQL folder
    phase: str  # phase3 / phase4 (run history)
    date_column: str
    description: str
    upstream: tuple[Upstream, ...] = ()
    cluster_by: tuple[str, ...] = ()
    failures_table: str | None = None  # nba_processing.*_failures, replaced per processor
    breakdown_column: str | None = None  # e.g. primary_source: "rows by source" metadata
    kinds: frozenset[str] = field(default_factory=lambda: frozenset({"sql"}))

    def asset_spec(self) -> dg.AssetSpec:
        """The asset as Dagster shows it: same-date deps, the SQL header as description."""
        return dg.AssetSpec(
            self.name,
            deps=[u.dep() for u in self.upstream],
            description=f"{self.description}\n\n{sql.header(self.sql_file)}",
            group_name=self.group,
            owners=[OWNER],
            kinds=set(self.kinds),
            tags={"phase": self.phase},
            partitions_def=game_date_partitions(),
            # a date the guard refuses is not materialized: the output is optional
            skippable=True,
            metadata={
                "table": self.table,
                "partition_column": self.date_column,
                "sql_file": dg.MetadataValue.path(f"sql/{self.sql_file}"),
                "lookbacks": {u.asset: u.lookback for u in self.lookbacks},
            },
        )

    @property
    def table(self) -> str:
        return f"{self.dataset}.{self.name}"

    @property
    def sql_file(self) -> str:
        return f"{self.group}/{self.name}.sql"

    @property
    def failures_file(self) -> str:
        return f"{self.group}/{self.name}.failures.sql"

    @property
    def lookbacks(self) -> tuple[Upstream, ...]:
        return tuple(u for u in self.upstream if u.lookback)

    def writes(self) -> list[TableWrite]:
        writes = [TableWrite(self.table, self.sql_file, self.date_column, self.cluster_by)]
        if self.failures_table:
            writes.append(
                TableWrite(
                    self.failures_table,
                    self.failures_file,
                    "analysis_date",
                    ("processor_name",),
                    scope={"processor_name": self.name},
                )
            )
        return writes


def build_range(
    spec: SqlAssetSpec, warehouse: Warehouse, start: dt.date, end: dt.date, run_id: str
) -> RangeCounts:
    """Replace [start, end] of the table (and its failure rows) in one transaction."""
    params = {"run_id": run_id, "processor_name": spec.name}
    return warehouse.replace_range(spec.writes(), start, end, params)


def build_ranges(
    spec: SqlAssetSpec, warehouse: Warehouse, ranges: list[tuple[dt.date, dt.date]], run_id: str
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
