"""What every warehouse engine offers, and the engine-neutral statements behind it.

Assets and commands talk to a ``Warehouse``; they never see an engine. Statements are
built once as BigQuery ASTs (sqlglot) and generated in the engine's dialect, so the
DuckDB and BigQuery engines run the same statements. Identifiers (table, column) are
placed structurally through the AST; values always travel as query parameters.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import pandas as pd
from sqlglot import exp

from nba_backfill.warehouse import sql

# -- fault injection (tests only) ---------------------------------------------------------

PAUSE_ENV = "NBA_BACKFILL_TEST_PAUSE"
_points_reached: dict[str, int] = {}


def pause_point(name: str) -> None:
    """A named point between two warehouse writes where a fault-injection test may stop
    this process (nba_backfill_tests/reliability): SIGKILL it there, or stop the
    warehouse under it, and prove what the warehouse then holds.

    Inert unless ``NBA_BACKFILL_TEST_PAUSE=<name>#<n>:<dir>`` is set (never in
    production): the n-th time this process reaches ``name`` it writes its PID to
    ``<dir>/paused`` and waits until ``<dir>/resume`` exists. Engines call it with
    ``"write"`` just before each job that changes the warehouse, so a test can stop a
    build between any two of its writes without a mock; ``"commit"`` just before a
    transaction commits; DuckDB with ``"session"`` just before it opens the file for a
    table's build.
    """
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    _points_reached[name] = _points_reached.get(name, 0) + 1
    point, _, folder = spec.partition(":")
    wanted, _, nth = point.partition("#")
    if wanted != name or _points_reached[name] != int(nth or 1):
        return
    where = Path(folder)
    (where / "paused").write_text(str(os.getpid()))
    while not (where / "resume").exists():
        time.sleep(0.05)


@dataclass(frozen=True)
class TableWrite:
    """One table's share of a range build: the rows ``select_file`` yields for the range.

    ``scope`` narrows what is replaced inside the range (e.g. a failure table shared by
    processors is replaced per ``processor_name``); its values are passed as parameters.
    """

    table: str  # "nba_analytics.team_offense_game_summary"
    select_file: str  # relative to sql/, e.g. "analytics/team_offense_game_summary.sql"
    date_column: str
    cluster_by: tuple[str, ...] = ()
    scope: Mapping[str, str] = field(default_factory=dict)
    # (name, BigQuery type) in table order; empty: the table takes the query's own columns
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RangeCounts:
    """Rows written per table and date by one range build."""

    by_table: dict[str, dict[dt.date, int]]

    def total(self, table: str) -> int:
        return sum(self.by_table.get(table, {}).values())


def parameter(name: str) -> exp.Parameter:
    return exp.Parameter(this=exp.var(name))


def in_range(date_column: str) -> exp.Expression:
    return exp.column(date_column).between(parameter("start_date"), parameter("end_date"))


def scope_filter(write: TableWrite) -> exp.Expression:
    condition = in_range(write.date_column)
    for column in write.scope:
        condition = condition.and_(exp.column(column).eq(parameter(f"scope_{column}")))
    return condition


def scope_parameters(write: TableWrite) -> dict[str, object]:
    return {f"scope_{column}": value for column, value in write.scope.items()}


def select_statement(write: TableWrite) -> exp.Select:
    """The write's SELECT, fenced to the range: a build can never touch another date.
    Declared columns are taken by name and cast to their types here, so the query says
    what each value is and the declaration alone what the table stores."""
    parsed = sql.parse_file(write.select_file)  # a copy of its own: built on without copying
    columns = [exp.cast(exp.column(name), _data_type(kind), copy=False).as_(name) for name, kind in write.columns]
    return (
        exp.select(*(columns or [exp.Star()]))
        .from_(parsed.subquery("built", copy=False), copy=False)
        .where(in_range(write.date_column), copy=False)
    )


def _data_type(kind: str) -> exp.DataType:
    return _parsed_type(kind).copy()


@cache
def _parsed_type(kind: str) -> exp.DataType:
    return exp.DataType.build(kind, dialect="bigquery")


def create_statement(write: TableWrite) -> exp.Expression:
    """Create the table from the write's schema (its declared columns, else the query's)
    when it does not exist yet."""
    properties = [exp.PartitionedByProperty(this=exp.column(write.date_column))]
    if write.cluster_by:
        properties.append(exp.Cluster(expressions=[exp.column(c) for c in write.cluster_by]))
    return exp.Create(
        this=exp.to_table(write.table),
        kind="TABLE",
        exists=True,
        expression=select_statement(write).where(exp.false(), copy=False),
        properties=exp.Properties(expressions=properties),
    )


def delete_statement(write: TableWrite) -> exp.Expression:
    return exp.delete(exp.to_table(write.table), where=scope_filter(write))


def insert_statement(write: TableWrite, columns: Sequence[str]) -> exp.Expression:
    rows = exp.select(*columns).from_(select_statement(write).subquery("fenced", copy=False), copy=False)
    return exp.insert(rows, exp.to_table(write.table), columns=list(columns), copy=False)


def counts_statement(write: TableWrite) -> exp.Expression:
    return (
        exp.select(exp.column(write.date_column).as_("day"), exp.func("COUNT", exp.Star()).as_("n"))
        .from_(exp.to_table(write.table))
        .where(scope_filter(write))
        .group_by(exp.column(write.date_column))
    )


class Warehouse:
    """The interface both engines implement (see duckdb.py and bigquery.py)."""

    dialect: str
    dataset_prefix: str

    def setup(self) -> None:
        """Create datasets and the fixed tables (raw, processing, reference)."""
        raise NotImplementedError

    @contextmanager
    def session(self) -> Iterator[None]:
        """While one table is built, an engine may keep what it opens per operation open
        (DuckDB: the file). Nothing by default."""
        yield

    def query(self, relative: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run one SELECT file under sql/ and return its rows."""
        raise NotImplementedError

    def query_expression(
        self, expression: exp.Expression, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        """Run a SELECT built with sqlglot (BigQuery dialect) and return its rows."""
        raise NotImplementedError

    def replace_range(
        self,
        writes: Sequence[TableWrite],
        start: dt.date,
        end: dt.date,
        params: Mapping[str, object] | None = None,
    ) -> RangeCounts:
        """Replace [start, end] of every write's table with its query's rows, atomically."""
        raise NotImplementedError

    def load_dataframe(
        self,
        table: str,
        frame: pd.DataFrame,
        replace_range: tuple[str, dt.date, dt.date] | None = None,
    ) -> None:
        """Append ``frame`` to an existing table; with ``replace_range`` (column, start,
        end) first delete those dates, in the same transaction."""
        self.load_frames({table: frame}, replace_range)

    def load_frames(
        self,
        frames: Mapping[str, pd.DataFrame],
        replace_range: tuple[str, dt.date, dt.date] | None = None,
    ) -> None:
        """``load_dataframe`` for several tables at once, as atomically as the engine can:
        a loader never leaves some tables of a date new and others old."""
        raise NotImplementedError

    def table_exists(self, table: str) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        """Where the warehouse is, for messages (never a secret)."""
        raise NotImplementedError
