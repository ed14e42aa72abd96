"""The embedded warehouse: one DuckDB file, datasets as schemas.

A connection is opened per operation and closed right after, so Dagster steps in other
processes, the CLI and the UI can take turns on the file. DuckDB allows one writing
process at a time; a locked file is retried briefly, then reported in one line. While a
table is built (``session``), the file stays open and each operation is a cursor on it:
opening the file costs ~30 ms, and building a table asks for it ~15 times.

dagster-duckdb's ``DuckDBResource`` is not used: it retries a locked file for ~100 s
with no way to say who holds it, where a user needs a clear answer at once.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Iterator, Mapping, Sequence

import dagster as dg
import duckdb
import pandas as pd
from pydantic import Field, PrivateAttr
from sqlglot import exp

from nba_backfill.errors import WarehouseError
from nba_backfill.warehouse import DEFAULT_DUCKDB_MEMORY_LIMIT, MEMORY_LIMIT_PATTERN, base, schema, sql


class DuckDBWarehouse(dg.ConfigurableResource, base.Warehouse):
    """The embedded default warehouse: a DuckDB file on this machine."""

    path: str = Field(description="The DuckDB file (NBA_BACKFILL_DUCKDB_PATH).")
    dataset_prefix: str = Field(
        default="", description="Prefix for every dataset (sandboxes).", pattern=sql.DATASET_PREFIX_PATTERN
    )
    lock_timeout_seconds: float = Field(
        default=15.0,
        description="How long to wait for another process to release the file (NBA_BACKFILL_DUCKDB_LOCK_SECONDS).",
    )
    memory_limit: str = Field(
        default=DEFAULT_DUCKDB_MEMORY_LIMIT,
        description="DuckDB's memory limit (NBA_BACKFILL_DUCKDB_MEMORY_LIMIT); it spills past it.",
        pattern=MEMORY_LIMIT_PATTERN,
    )

    dialect: ClassVar[str] = "duckdb"
    _session: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def describe(self) -> str:
        return f"DuckDB file {self.path}"

    # -- connections -----------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[None]:
        """The file open (for writing) until the block ends; other processes get their turn
        after it, so a caller keeps it to one table's build."""
        if self._session is not None or not Path(self.path).exists():
            yield  # no file: each operation says so (a build never creates the warehouse)
            return
        base.pause_point("session")  # a test locks the file from another process here
        with self.connect() as connection:
            self._session = connection
            try:
                yield
            finally:
                self._session = None

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._session is not None:  # a cursor is a connection of its own, on the open file
            cursor = self._session.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            return
        path = Path(self.path)
        if read_only and not path.exists():
            raise WarehouseError(
                f"no warehouse at {path}: build it first with `nba-backfill demo-data` "
                "(or `make demo`), or point NBA_BACKFILL_DUCKDB_PATH at an existing file"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_seconds
        while True:
            try:
                connection = duckdb.connect(str(path), read_only=read_only, config={"memory_limit": self.memory_limit})
                break
            except duckdb.IOException as error:
                if "lock" not in str(error).lower():
                    raise WarehouseError(f"cannot open warehouse {path}: {error}") from None
                if time.monotonic() >= deadline:
                    holder = re.search(r"\(PID (\d+)\)", str(error))
                    who = f"process {holder.group(1)}" if holder else "another process"
                    raise WarehouseError(
                        f"warehouse {path} is locked by {who}; wait for it to finish "
                        "(a running backfill or `make ui` run) and try again"
                    ) from None
                time.sleep(0.25)
        try:
            yield connection
        finally:
            connection.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writing connection whose statements commit together or not at all."""
        with self.connect() as connection:
            connection.begin()
            try:
                yield connection
                base.pause_point("commit")  # a test kills the process here: nothing may land
                connection.commit()
            except BaseException:
                connection.rollback()
                raise

    def _run(
        self,
        connection: duckdb.DuckDBPyConnection,
        expression: exp.Expression,
        params: Mapping[str, object],
    ) -> duckdb.DuckDBPyConnection:
        statement = sql.render_expression(expression, self.dialect, self.dataset_prefix)
        return connection.execute(statement.sql, statement.bind(dict(params)))

    # -- the interface ------------------------------------------------------------------

    def setup(self) -> None:
        with self.connect() as connection:
            for dataset in sql.DATASETS:
                connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.dataset_prefix}{dataset}"')
            for relative in schema.ddl_files():
                for statement in sql.render(relative, self.dialect, self.dataset_prefix):
                    connection.execute(statement.sql)
        self.load_dataframe(
            schema.CALENDAR_TABLE, schema.calendar_frame(), replace_range=schema.CALENDAR_REPLACE
        )

    def query(self, relative: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        statement = sql.render_one(relative, self.dialect, self.dataset_prefix)
        with self.connect(read_only=True) as connection:
            return connection.execute(statement.sql, statement.bind(dict(params or {}))).df()

    def query_expression(
        self, expression: exp.Expression, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        with self.connect(read_only=True) as connection:
            return self._run(connection, expression, params or {}).df()

    def replace_range(
        self,
        writes: Sequence[base.TableWrite],
        start: dt.date,
        end: dt.date,
        params: Mapping[str, object] | None = None,
    ) -> base.RangeCounts:
        counts: dict[str, dict[dt.date, int]] = {}
        base.pause_point("write")
        with self.transaction() as connection:
            for write in writes:
                bound = {**(params or {}), **base.scope_parameters(write)}
                bound.update(start_date=start, end_date=end)
                columns = self._columns(connection, write.table)
                if not columns:  # the first build: the table takes the query's schema
                    self._run(connection, base.create_statement(write), bound)
                    columns = self._columns(connection, write.table)
                self._run(connection, base.delete_statement(write), bound)
                self._run(connection, base.insert_statement(write, columns), bound)
                rows = self._run(connection, base.counts_statement(write), bound).fetchall()
                counts[write.table] = {day: n for day, n in rows}
        return base.RangeCounts(counts)

    def load_frames(
        self,
        frames: Mapping[str, pd.DataFrame],
        replace_range: tuple[str, dt.date, dt.date] | None = None,
    ) -> None:
        base.pause_point("write")
        with self.transaction() as connection:
            for table, frame in frames.items():
                self._load(connection, table, frame, replace_range)

    def _load(self, connection, table: str, frame: pd.DataFrame, replace_range) -> None:
        columns = self._columns(connection, table)
        if not columns:
            raise WarehouseError(f"{table} does not exist in {self.describe()}")
        unknown = sorted(set(frame.columns) - set(columns))
        if unknown:
            raise WarehouseError(f"{table} has no column(s) {', '.join(unknown)}")
        target = self._qualified(table)
        if replace_range is not None:
            column, start, end = replace_range
            connection.execute(
                f'DELETE FROM {target} WHERE "{column}" BETWEEN $start AND $end',
                {"start": start, "end": end},
            )
        connection.register("incoming", frame)
        try:
            names = ", ".join(f'"{c}"' for c in frame.columns)
            connection.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM incoming")
        finally:
            connection.unregister("incoming")

    def table_exists(self, table: str) -> bool:
        if not Path(self.path).exists():
            return False
        with self.connect(read_only=True) as connection:
            return bool(self._columns(connection, table))

    # -- helpers ---------------------------------------------------------------------

    def _qualified(self, table: str) -> str:
        dataset, name = table.split(".")
        return f'"{self.dataset_prefix}{dataset}"."{name}"'

    def _columns(self, connection: duckdb.DuckDBPyConnection, table: str) -> list[str]:
        dataset, name = table.split(".")
        rows = connection.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = $schema AND table_name = $name ORDER BY ordinal_position",
            {"schema": self.dataset_prefix + dataset, "name": name},
        ).fetchall()
        return [r[0] for r in rows]
