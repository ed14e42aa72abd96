"""Hand-written SQL on a test DuckDB warehouse: create a table from a frame, run one
statement, read one SELECT (the tests' own, independent reading of a result)."""

from __future__ import annotations

import pandas as pd

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse


def create_table(warehouse: DuckDBWarehouse, table: str, frame: pd.DataFrame) -> None:
    """Create (or replace) ``table`` from a frame: hand-made upstream rows for a test."""
    dataset, name = table.split(".")
    with warehouse.connect() as connection:
        connection.register("frame", frame)
        connection.execute(
            f'CREATE OR REPLACE TABLE "{warehouse.dataset_prefix}{dataset}"."{name}" AS SELECT * FROM frame'
        )


def execute(warehouse: DuckDBWarehouse, statement: str, params: list | None = None) -> None:
    """One hand-written statement on a test warehouse (plant a defect, delete a date)."""
    with warehouse.connect() as connection:
        connection.execute(statement, params or [])


def query(warehouse: DuckDBWarehouse, statement: str, params: list | None = None) -> pd.DataFrame:
    """One hand-written SELECT on a test warehouse: the independent reading of a result."""
    with warehouse.connect(read_only=True) as connection:
        return connection.execute(statement, params or []).df()
