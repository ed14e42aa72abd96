"""``nba_reference.processor_run_history``: one row per asset x partition date x run
(SPEC §5.4), so analysts keep querying run history the way they always have."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import dagster as dg
import pandas as pd

from nba_backfill.catalog import TableSpec

if TYPE_CHECKING:
    from nba_backfill.warehouse import RangeCounts, Warehouse

TABLE = "nba_reference.processor_run_history"


def rows(
    spec: TableSpec,
    run_id: str,
    backfill_mode: bool,
    days: list[dt.date],
    started_at: dt.datetime,
    seconds: float,
    counts: "RangeCounts | None" = None,
    error: BaseException | None = None,
) -> pd.DataFrame:
    """A range build's time is shared evenly by its dates: the build is one statement."""
    per_date = counts.by_table.get(spec.table, {}) if counts else {}
    return pd.DataFrame(
        {
            "processor_name": spec.name,
            "phase": spec.phase,
            "data_date": days,
            "run_id": run_id,
            "status": "failed" if error else "success",
            "skip_reason": None,
            "records_processed": [per_date.get(d, 0) for d in days],
            "duration_seconds": seconds / max(len(days), 1),
            "backfill_mode": backfill_mode,
            "started_at": pd.Timestamp(started_at),
            "errors": f"{type(error).__name__}: {error}" if error else None,
        }
    )


def record(
    warehouse: "Warehouse",
    spec: TableSpec,
    context: dg.AssetExecutionContext,
    days: list[dt.date],
    started_at: dt.datetime,
    seconds: float,
    counts: "RangeCounts | None" = None,
    error: BaseException | None = None,
) -> None:
    backfill_mode = "dagster/backfill" in context.run.tags or len(days) > 1
    frame = rows(spec, context.run_id, backfill_mode, days, started_at, seconds, counts, error)
    warehouse.load_dataframe(TABLE, frame)
