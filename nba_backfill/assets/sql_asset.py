"""One factory for every Phase 3 and Phase 4 table: a date-partitioned asset whose rows
come from one SQL file, built for a whole range of dates in one transaction.

A spec says what the table is (SQL, partition column, lookbacks); the factory gives every
asset the same behaviour: range builds through the warehouse, failure rows replaced in the
same transaction, run-history rows, and metadata an analyst can read in the UI.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Mapping

import dagster as dg
import pandas as pd
from sqlglot import exp

from nba_backfill.partitions import game_date_partitions
from nba_backfill.warehouse import RangeCounts, TableWrite, Warehouse, sql
from nba_backfill.warehouse.base import in_range, scope_filter, scope_parameters
from nba_backfill.assets import run_history

# How many partitions one run builds in a daemon (UI) backfill: a season is ~240 in-season
# days, so it takes three runs; a bigger range is split so a failure costs little.
PARTITIONS_PER_RUN = 90
OWNER = "team:data-platform"
WAREHOUSE_POOL = "warehouse"  # one writer at a time on the embedded DuckDB file


@dataclass(frozen=True)
class Upstream:
    """A dependency; ``lookback`` = how many earlier partitions the SQL may read.

    The mapping only tells Dagster what to build first and what a rebuild makes stale.
    Partitions are days, and off-season days are not partitions, so a window may reach
    into the previous season: the SQL bounds every window to the date's season itself.
    """

    asset: str
    lookback: int = 0  # 0: the same date only
    same_date: bool = True  # False: strictly earlier dates (a pure lookback)

    def dep(self) -> dg.AssetDep:
        if self.lookback == 0:
            return dg.AssetDep(self.asset)
        mapping = dg.TimeWindowPartitionMapping(
            start_offset=-self.lookback, end_offset=0 if self.same_date else -1
        )
        return dg.AssetDep(self.asset, partition_mapping=mapping)


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

    @property
    def table(self) -> str:
        return f"{self.dataset}.{self.name}"

    @property
    def sql_file(self) -> str:
        return f"{self.group}/{self.name}.sql"

    @property
    def failures_file(self) -> str:
        return f"{self.group}/{self.name}.failures.sql"

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


def _build_ranges(
    spec: SqlAssetSpec, warehouse: Warehouse, ranges: list[tuple[dt.date, dt.date]], run_id: str
) -> RangeCounts:
    """One range build per contiguous run of dates (one when no date was refused)."""
    merged: dict[str, dict[dt.date, int]] = {}
    for first, last in ranges:
        for table, per_date in build_range(spec, warehouse, first, last, run_id).by_table.items():
            merged.setdefault(table, {}).update(per_date)
    return RangeCounts(merged)


def _count_by(
    warehouse: Warehouse, table: str, column: str, where: exp.Expression, params: dict
) -> dict[str, int]:
    """Rows of ``table`` per value of ``column`` (NULL shown as "NULL"), largest first."""
    query = (
        exp.select(exp.column(column).as_("value"), exp.func("COUNT", exp.Star()).as_("n"))
        .from_(exp.to_table(table))
        .where(where)
        .group_by(exp.column(column))
        .order_by("n DESC")
    )
    frame = warehouse.query_expression(query, params)
    return {"NULL" if pd.isna(v) else str(v): int(n) for v, n in zip(frame.value, frame.n)}


def _metadata(
    spec: SqlAssetSpec, warehouse: Warehouse, counts: RangeCounts, start, end, seconds: float
) -> dict[str, dg.MetadataValue]:
    per_date = counts.by_table.get(spec.table, {})
    window = {"start_date": start, "end_date": end}
    metadata: dict[str, object] = {
        "dagster/row_count": counts.total(spec.table),
        "date_range": f"{start} .. {end}",
        "dates_with_rows": len(per_date),
        "sql_file": dg.MetadataValue.path(f"sql/{spec.sql_file}"),
        "duration_seconds": round(seconds, 2),
        "warehouse": warehouse.describe(),
    }
    if spec.breakdown_column:
        by_value = _count_by(
            warehouse, spec.table, spec.breakdown_column, in_range(spec.date_column), window
        )
        metadata[f"rows_by_{spec.breakdown_column}"] = dg.MetadataValue.json(by_value)
    if spec.failures_table:
        metadata["failures"] = counts.total(spec.failures_table)
        failures = spec.writes()[1]  # the failure table, scoped to this processor
        by_category = _count_by(
            warehouse, failures.table, "failure_category", scope_filter(failures),
            {**window, **scope_parameters(failures)},
        )
        metadata["failures_by_category"] = dg.MetadataValue.json(by_category)
    return metadata


def partition_dates(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date, list[dt.date]]:
    """First and last date of the run's partitions, and every partition date between."""
    keys = context.partition_keys
    days = [dt.date.fromisoformat(k) for k in keys]
    return days[0], days[-1], days


def sql_asset(spec: SqlAssetSpec) -> dg.AssetsDefinition:
    description = f"{spec.description}\n\n{sql.header(spec.sql_file)}"

    @dg.asset(
        name=spec.name,
        key_prefix=None,
        group_name=spec.group,
        description=description,
        partitions_def=game_date_partitions(),
        deps=[u.dep() for u in spec.upstream],
        backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=PARTITIONS_PER_RUN),
        owners=[OWNER],
        kinds=set(spec.kinds),
        pool=WAREHOUSE_POOL,
        required_resource_keys={"warehouse"},
        metadata={"table": spec.table, "partition_column": spec.date_column},
        tags={"phase": spec.phase},
    )
    def _build(context) -> dg.MaterializeResult:  # annotation would be a string here
        from nba_backfill.checks import refusal  # the gates (SPEC §6); imported late: no cycle

        warehouse: Warehouse = context.resources.warehouse
        start, end, days = partition_dates(context)
        began = time.monotonic()
        started_at = dt.datetime.now(dt.timezone.utc)
        # Dates whose same-date upstream failed a blocking check are not built.
        guard = refusal.guard(spec, warehouse, days, context.run.tags, context.run_id)
        if guard.ignored:
            context.log.warning(f"{spec.name}: upstream gates ignored ({refusal.IGNORE_TAG})")
        if guard.refused:
            context.log.info(guard.message())  # in the run's logs and the metadata
            refusal.record_refused(warehouse, spec, context, guard, started_at)
            if not guard.allowed:
                raise dg.Failure(description=guard.message(), metadata=guard.metadata())
            days = guard.allowed
        try:
            counts = _build_ranges(spec, warehouse, guard.ranges() or [(start, end)], context.run_id)
        except Exception as error:
            run_history.record(
                warehouse, spec, context, days, started_at, time.monotonic() - began, error=error
            )
            raise
        seconds = time.monotonic() - began
        run_history.record(warehouse, spec, context, days, started_at, seconds, counts=counts)
        context.log.info(
            f"{spec.table}: {counts.total(spec.table)} rows over {len(days)} dates in {seconds:.1f}s"
        )
        metadata = _metadata(spec, warehouse, counts, start, end, seconds)
        if guard.refused:
            metadata.update(guard.metadata())
        return dg.MaterializeResult(metadata=metadata)

    return _build


def sql_assets(specs: Mapping[str, SqlAssetSpec] | list[SqlAssetSpec]) -> list[dg.AssetsDefinition]:
    values = specs.values() if isinstance(specs, Mapping) else specs
    return [sql_asset(spec) for spec in values]
