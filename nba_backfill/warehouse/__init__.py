"""The warehouse resource: one interface, an embedded (DuckDB) and a production
(BigQuery) engine. ``warehouse_from_env`` is the one place the environment picks it."""

from __future__ import annotations

import math
import os
import re
from typing import Mapping

from nba_backfill.errors import UserError
from nba_backfill.warehouse.base import RangeCounts, TableWrite, Warehouse
from nba_backfill.warehouse.sql import DATASET_PREFIX_PATTERN

DEFAULT_DUCKDB_PATH = "data/warehouse.duckdb"
# DuckDB spills to disk past it; its own default (80% of RAM) let four seasons reach 7.3 GiB
DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB"
MEMORY_LIMIT_PATTERN = r"(?i)^\d+(\.\d+)?\s*([KMGT]i?B|B)$"  # DuckDB's size units: 1GB, 512MiB
DUCKDB_LOCK_SECONDS_ENV = "NBA_BACKFILL_DUCKDB_LOCK_SECONDS"

__all__ = ["RangeCounts", "TableWrite", "Warehouse", "warehouse_from_env"]


def warehouse_from_env(environ: Mapping[str, str] = os.environ) -> Warehouse:
    """NBA_BACKFILL_WAREHOUSE=duckdb (default) | bigquery, read when definitions are built."""
    kind = environ.get("NBA_BACKFILL_WAREHOUSE", "duckdb").strip().lower()
    prefix = environ.get("NBA_BACKFILL_DATASET_PREFIX", "")
    if not re.fullmatch(DATASET_PREFIX_PATTERN, prefix):  # it becomes part of identifiers
        raise UserError(f"NBA_BACKFILL_DATASET_PREFIX={prefix!r}: use letters, digits and underscores only")
    if kind == "duckdb":
        from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

        path = environ.get("NBA_BACKFILL_DUCKDB_PATH", DEFAULT_DUCKDB_PATH)
        memory = environ.get("NBA_BACKFILL_DUCKDB_MEMORY_LIMIT", DEFAULT_DUCKDB_MEMORY_LIMIT).strip()
        if not re.fullmatch(MEMORY_LIMIT_PATTERN, memory):
            raise UserError(f"NBA_BACKFILL_DUCKDB_MEMORY_LIMIT={memory!r}: give a size such as 1GB or 512MB")
        lock_seconds = seconds_from_env(environ, DUCKDB_LOCK_SECONDS_ENV)
        return DuckDBWarehouse(path=path, dataset_prefix=prefix, memory_limit=memory,
                               **({"lock_timeout_seconds": lock_seconds} if lock_seconds else {}))
    if kind == "bigquery":
        from nba_backfill.warehouse.bigquery_engine import bigquery_warehouse_from_env

        return bigquery_warehouse_from_env(environ)
    raise UserError(f"NBA_BACKFILL_WAREHOUSE={kind!r}: choose duckdb or bigquery")


def seconds_from_env(environ: Mapping[str, str], name: str) -> float | None:
    """A positive number of seconds from ``name``; None when it is not set."""
    given = environ.get(name, "").strip()
    try:
        seconds = float(given) if given else None
    except ValueError:
        seconds = None
    if given and (seconds is None or not 0 < seconds < math.inf):
        raise UserError(f"{name}={given!r}: give a number of seconds greater than 0")
    return seconds
