"""The production warehouse: BigQuery, through dagster-gcp's ``BigQueryResource``.

The same SQL files run here unchanged: ``sql.render(relative, "bigquery", prefix)`` only
sends datasets to their prefixed copies. Values travel as query parameters (DATE,
STRING, INT64, ... from the Python value's type), and every job carries labels (app,
processor, range_start, range_end, run_id, table or sql file) so its cost can be traced
in ``INFORMATION_SCHEMA.JOBS`` and the billing export.

How a range is replaced (``replace_range``)
-------------------------------------------
Each table's share is ONE ``MERGE`` statement::

    MERGE t AS target USING (<the file's SELECT, fenced to the range>) AS incoming ON FALSE
    WHEN NOT MATCHED BY SOURCE AND target.<date> BETWEEN @start_date AND @end_date
         [AND target.<scope column> = @scope_<column>] THEN DELETE
    WHEN NOT MATCHED THEN INSERT (<columns>) VALUES (<incoming columns>)

A build of one table is that one MERGE: a single DML statement is atomic in BigQuery
(the range's old rows gone and the new ones in, or on any error the table untouched),
so a retry replaces again and never appends twice.

A build of a table AND its failure rows (every Phase 3/4 asset) runs both MERGEs in ONE
multi-statement transaction, sent as one script (one job)::

    BEGIN TRANSACTION; MERGE <table> ...; MERGE <failures> ...; COMMIT TRANSACTION;

so a date's main rows and failure rows are old together or new together: a statement
failing inside rolls both back, and a build process killed at any moment cannot split
them (the client sends the script once and BigQuery runs it to the end or not at all;
nba_backfill_tests/reliability/test_bigquery_kill.py SIGKILLs a real build between its
writes on the emulator). The failure SELECT runs after the main MERGE inside the
transaction, so it reads the rows just written (as it does on DuckDB). Earlier versions
ran the two MERGEs as two jobs; a build killed between them left a date with new main
rows and the previous build's failure rows.

Why literals in that script: the emulator cannot bind query parameters inside scripts,
so the script's values (the range's dates, run_id, processor_name) are placed as typed
literals by rewriting the parameter nodes of the sqlglot AST (``inline_parameters``):
never text formatted into SQL, strings quoted and escaped by sqlglot. One-table builds,
queries and dry runs keep real query parameters. Alternatives rejected: staging tables
then a swap (the UPGC/UTGC failure SELECTs read the main table's new rows, which would
then still be in staging), a run-history commit marker (every reader of every table
would have to join it), a load into the partition decorator ``table$YYYYMMDD`` (one job
per date; the emulator cannot do it), query jobs with a destination table (silently
do nothing on the emulator).

Before any row is written, every table is created if missing and every SELECT and MERGE
is dry-run (free on BigQuery), so SQL errors, missing columns and type mismatches stop
the build with nothing written.

Concurrent writers: two runs writing the same table (the failure tables are shared by
every processor) can collide. BigQuery then fails the losing job with HTTP 400
``invalidQuery``: "Could not serialize access to table ... due to concurrent update"
(a DML statement) or "Transaction is aborted due to concurrent update against table
..." (a transaction). The losing job changed nothing, so ``_execute`` runs it again
after an exponential, jittered backoff (``CONFLICT_ATTEMPTS`` attempts, about a minute
at most), then fails in one line.

Loads (``load_frames``) are all-or-nothing too: the rows are staged in tables first, and
one multi-statement transaction moves them all (see ``load_frames``).

Credentials come only from the environment (Application Default Credentials or
``GOOGLE_APPLICATION_CREDENTIALS``) and are never logged or put into messages. With
``api_endpoint`` set (an emulator), requests carry no credentials at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import random
import re
import time
import uuid
import warnings
from contextlib import contextmanager
from typing import Any, ClassVar, Iterator, Mapping, Sequence

import pandas as pd
import pyarrow
from dagster_gcp import BigQueryResource
from google.api_core import exceptions as api_exceptions
from google.api_core.client_options import ClientOptions
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery
from google.cloud.bigquery import retry as bq_retry
from pydantic import Field
from sqlglot import exp

from nba_backfill.errors import UserError, WarehouseError
from nba_backfill.warehouse import base, schema, seconds_from_env, sql

DEFAULT_LOCATION = "US"
APP_LABEL = "nba_backfill"
STAGING_PREFIX = "_staging_"
STAGING_EXPIRY = dt.timedelta(hours=1)
# BigQuery may reject a DML statement or transaction that races another writer of the
# same table (see the module header). The job failed atomically, so running it again is
# safe: up to CONFLICT_ATTEMPTS runs, waiting ~2, 4, 8, 16, 32 s (jittered) between them.
CONFLICT_ATTEMPTS = 6
CONFLICT_BACKOFF_SECONDS = 2.0
RETRY_SECONDS_ENV = "NBA_BACKFILL_BIGQUERY_RETRY_SECONDS"
MAX_CLUSTER_COLUMNS = 4


# -- parameters and labels ----------------------------------------------------------------


def query_parameter(name: str, value: object) -> bigquery.ScalarQueryParameter | bigquery.ArrayQueryParameter:
    """A BigQuery query parameter typed from the Python value."""
    if isinstance(value, (list, tuple)):
        element = _parameter_type(value[0]) if value else "STRING"
        return bigquery.ArrayQueryParameter(name, element, list(value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return bigquery.ScalarQueryParameter(name, _parameter_type(value), value)


def _parameter_type(value: object) -> str:
    # bool before int (bool is an int), datetime before date (datetime is a date).
    if value is None:
        return "STRING"
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, int):
        return "INT64"
    if isinstance(value, float):
        return "FLOAT64"
    if isinstance(value, decimal.Decimal):
        return "NUMERIC"
    if isinstance(value, dt.datetime):
        return "TIMESTAMP" if value.tzinfo is not None else "DATETIME"
    if isinstance(value, dt.date):
        return "DATE"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, bytes):
        return "BYTES"
    raise TypeError(f"no BigQuery parameter type for {type(value).__name__}")


_LABEL_INVALID = re.compile(r"[^a-z0-9_-]+")


def label_value(value: object) -> str:
    """A label-safe string: lowercase letters, digits, ``_`` and ``-``, at most 63 chars."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return _LABEL_INVALID.sub("_", str(value).lower())[:63]


def label_key(key: str) -> str:
    safe = label_value(key)
    return safe if safe[:1].isalpha() else f"k_{safe}"[:63]


def job_labels(params: Mapping[str, object], extra: Mapping[str, object] = ()) -> dict[str, str]:
    """Labels for one job: what built it and for which dates, from its parameters."""
    labels: dict[str, object] = {"app": APP_LABEL}
    named = {
        "processor_name": "processor",
        "start_date": "range_start",
        "end_date": "range_end",
        "run_id": "run_id",
    }
    for param, label in named.items():
        if params.get(param) is not None:
            labels[label] = params[param]
    labels.update(dict(extra))
    return {label_key(k): label_value(v) for k, v in labels.items()}


# -- errors -------------------------------------------------------------------------------

_HTTP_PREFIX = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE) \S+: ")


def _one_line(text: str, limit: int = 300) -> str:
    first = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    first = _HTTP_PREFIX.sub("", first)
    return first if len(first) <= limit else first[: limit - 3] + "..."


def _root_cause(error: BaseException) -> BaseException:
    while isinstance(error, api_exceptions.RetryError) and error.cause is not None:
        error = error.cause
    return error


def _is_connection_error(error: BaseException) -> bool:
    import requests

    return isinstance(error, (requests.exceptions.ConnectionError, requests.exceptions.Timeout, ConnectionError))


def is_concurrent_update(error: BaseException) -> bool:
    """BigQuery's refusal of a job that raced another writer of the same table: HTTP 400
    (reason ``invalidQuery``) saying "Could not serialize access to table T due to
    concurrent update" (DML) or "Transaction is aborted due to concurrent update against
    table T" (a transaction). Any other error, 400s included, is not retried."""
    if not isinstance(error, api_exceptions.GoogleAPICallError):
        return False
    texts = [str(error.message)] + [str(e.get("message", "")) for e in (error.errors or []) if isinstance(e, dict)]
    text = " ".join(texts).lower()
    return "due to concurrent update" in text or "could not serialize access" in text


def conflict_delay(attempt: int, base: float = CONFLICT_BACKOFF_SECONDS) -> float:
    """Seconds to wait after the ``attempt``-th collision: exponential, half of it random,
    so two runs that collided do not retry in lockstep and collide again."""
    step = base * 2 ** (attempt - 1)
    return step / 2 + random.uniform(0, step / 2)


class MissingInBigQueryError(WarehouseError):
    """A dataset or table the statement needs does not exist (yet)."""


# -- the resource -------------------------------------------------------------------------


class BigQueryWarehouse(BigQueryResource, base.Warehouse):
    """The production warehouse: datasets in one BigQuery project (dagster-gcp)."""

    dataset_prefix: str = Field(
        default="", description="Prefix for every dataset (sandboxes, tests): NBA_BACKFILL_DATASET_PREFIX.",
        pattern=sql.DATASET_PREFIX_PATTERN,
    )
    api_endpoint: str | None = Field(
        default=None,
        description=(
            "A BigQuery API emulator's URL (NBA_BACKFILL_BIGQUERY_ENDPOINT). Requests to it "
            "carry no credentials."
        ),
    )
    job_labels: dict[str, str] = Field(
        default_factory=dict, description="Extra labels on every job (e.g. env, team)."
    )
    api_retry_seconds: float = Field(
        default=600.0,
        description=(
            "How long API calls and failed jobs are retried (transient errors only, e.g. "
            "an unreachable endpoint): NBA_BACKFILL_BIGQUERY_RETRY_SECONDS."
        ),
    )
    conflict_backoff_seconds: float = Field(
        default=CONFLICT_BACKOFF_SECONDS,
        description="First wait before re-running a job that lost a concurrent-update race (doubles each time).",
    )

    dialect: ClassVar[str] = "bigquery"

    # Dagster would otherwise put a bigquery.Client on the context (BigQueryResource
    # attaches one); assets expect the Warehouse itself.
    def get_object_to_set_on_execution_context(self) -> Any:
        return self

    def describe(self) -> str:
        where = f"emulator at {self.api_endpoint}" if self.api_endpoint else f"location {self.location or DEFAULT_LOCATION}"
        prefix = f", datasets prefixed {self.dataset_prefix!r}" if self.dataset_prefix else ""
        return f"BigQuery project {self.project} ({where}{prefix})"

    # -- clients ---------------------------------------------------------------------

    @contextmanager
    def get_client(self) -> Iterator[bigquery.Client]:
        """A client for one operation, closed afterwards. Credentials: ADC from the
        environment; none at all for an emulator endpoint."""
        if self.api_endpoint:
            client = bigquery.Client(
                project=self.project,
                location=self.location,
                credentials=AnonymousCredentials(),
                client_options=ClientOptions(api_endpoint=self.api_endpoint),
            )
            try:
                yield client
            finally:
                client.close()
        else:
            if self.gcp_credentials:
                # A key in resource config would show in the Dagster UI and in reprs.
                raise WarehouseError(
                    "gcp_credentials is not supported: give credentials through the environment "
                    "(Workload Identity / ADC, or GOOGLE_APPLICATION_CREDENTIALS)"
                )
            with super().get_client() as client:
                try:
                    yield client
                finally:
                    client.close()

    @contextmanager
    def _session(self, operation: str) -> Iterator[bigquery.Client]:
        """A client, with every API error turned into one clear ``WarehouseError`` line."""
        try:
            with self.get_client() as client:
                yield client
        except WarehouseError:
            raise
        except (
            auth_exceptions.DefaultCredentialsError,
            auth_exceptions.RefreshError,
            auth_exceptions.TransportError,
        ) as error:
            # The message of an auth error can quote a token response: never show it.
            raise WarehouseError(
                f"BigQuery {operation}: no usable Google credentials ({type(error).__name__}). "
                "Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file or run "
                "`gcloud auth application-default login`."
            ) from None
        except api_exceptions.RetryError as error:
            cause = _root_cause(error)
            if _is_connection_error(cause) or cause is error:
                raise WarehouseError(
                    f"BigQuery {operation}: cannot reach {self._where()} "
                    f"(gave up after {self.api_retry_seconds:g}s of retries)"
                ) from None
            raise WarehouseError(f"BigQuery {operation} failed: {_one_line(getattr(cause, 'message', cause))}") from None
        except api_exceptions.NotFound as error:
            raise MissingInBigQueryError(f"BigQuery {operation} failed: {_one_line(error.message)}") from None
        except api_exceptions.GoogleAPICallError as error:
            raise WarehouseError(f"BigQuery {operation} failed: {_one_line(error.message)}") from None
        except Exception as error:
            if _is_connection_error(error):
                raise WarehouseError(f"BigQuery {operation}: cannot reach {self._where()}") from None
            raise

    def _where(self) -> str:
        return self.api_endpoint or "bigquery.googleapis.com"

    def _retry(self):
        return bq_retry.DEFAULT_RETRY.with_deadline(self.api_retry_seconds)

    def _job_retry(self):
        return bq_retry.DEFAULT_JOB_RETRY.with_deadline(self.api_retry_seconds)

    def _upload_retries(self) -> int:
        """Upload retries (waits of 1, 2, 4, ... s) that fit in ``api_retry_seconds``; the
        client's default (6, about a minute) ignores it."""
        return max(0, int(math.log2(self.api_retry_seconds + 1)))

    def _query(self, client: bigquery.Client, text: str, config: bigquery.QueryJobConfig) -> bigquery.QueryJob:
        """Start a query job, retrying the insertion for at most ``api_retry_seconds``.

        ``job_retry=None`` here is what bounds it: with any job_retry, the client wraps the
        insertion in a second retry of its own with a fixed 10-minute deadline, so a
        stopped endpoint hung a build for 10 minutes whatever ``api_retry_seconds`` said
        (test_warehouse_faults.py stops the emulator mid-run). Failed jobs are still
        re-run: ``job.result(job_retry=...)`` restarts them (see ``_execute``)."""
        return client.query(text, job_config=config, retry=self._retry(), job_retry=None)

    def _table_id(self, table: str) -> str:
        dataset, name = table.split(".")
        return f"{self.project}.{self.dataset_prefix}{dataset}.{name}"

    def _labels(self, params: Mapping[str, object], **extra: object) -> dict[str, str]:
        return job_labels(params, {**self.job_labels, **extra})

    # -- running statements -------------------------------------------------------

    def _job_config(self, statement: sql.Statement, params: Mapping[str, object], labels, dry_run=False):
        bound = statement.bind(dict(params))
        return bigquery.QueryJobConfig(
            query_parameters=[query_parameter(n, v) for n, v in bound.items()],
            labels=labels,
            dry_run=dry_run,
            use_query_cache=False if dry_run else None,
        )

    def render_expression(self, expression: exp.Expression) -> sql.Statement:
        """A statement built with sqlglot (BigQuery dialect), datasets prefixed, without
        comments: the emulator binds parameters with a regex that also "finds" ``@name``
        inside comments (then fails with a parameter count mismatch), and job history
        does not need the file header (labels say what the job was)."""
        return sql.render_expression(expression, self.dialect, self.dataset_prefix, comments=False)

    def render_file(self, relative: str) -> sql.Statement:
        """The one statement of a SELECT file under sql/, rendered like ``render_expression``."""
        return self.render_expression(sql.parse_file(relative))

    def _execute(
        self,
        client: bigquery.Client,
        statement: sql.Statement,
        params: Mapping[str, object],
        labels: Mapping[str, str],
    ) -> bigquery.QueryJob:
        """Run one statement to completion (retrying transient errors and DML races)."""
        config = self._job_config(statement, params, dict(labels))
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                job = self._query(client, statement.sql, config)
                job.result(retry=self._retry(), job_retry=self._job_retry())
                return job
            except api_exceptions.GoogleAPICallError as error:
                if not is_concurrent_update(error):
                    raise
                if attempt == CONFLICT_ATTEMPTS:
                    raise WarehouseError(
                        f"BigQuery: still losing to another writer after {attempt} attempts: "
                        f"{_one_line(error.message)}"
                    ) from None
                time.sleep(conflict_delay(attempt, self.conflict_backoff_seconds))
        raise AssertionError("unreachable")

    def _frame(self, client, statement: sql.Statement, params, labels) -> pd.DataFrame:
        job = self._execute(client, statement, params, labels)
        with _without_pandas_gbq_nags():
            # No BigQuery Storage API: results here are small (checks, reports), and it
            # needs one permission less (and the emulator does not serve it).
            result = job.result(retry=self._retry())
            frame = result.to_dataframe(create_bqstorage_client=False, date_dtype=None)
        return _like_duckdb(frame, result.schema or [])

    def dry_run(self, statement: sql.Statement, params: Mapping[str, object], **labels: object) -> bigquery.QueryJob:
        """Validate a statement without running it; the job has ``total_bytes_processed``
        and the result ``schema`` (BigQuery charges nothing for a dry run)."""
        config = self._job_config(statement, params, self._labels(params, **labels), dry_run=True)
        with self._session("dry run") as client:
            return self._query(client, statement.sql, config)

    # -- the interface ------------------------------------------------------------------

    def setup(self) -> None:
        labels = self._labels({}, step="setup")
        with self._session("setup") as client:
            for dataset in sql.DATASETS:
                ref = bigquery.Dataset(f"{self.project}.{self.dataset_prefix}{dataset}")
                ref.location = self.location or DEFAULT_LOCATION
                ref.labels = {"app": APP_LABEL}
                client.create_dataset(ref, exists_ok=True, retry=self._retry())
            for relative in schema.ddl_files():
                for statement in sql.render(relative, self.dialect, self.dataset_prefix):
                    file_labels = {**labels, "sql_file": label_value(relative)}
                    self._execute(client, statement, {}, file_labels)
        self.load_dataframe(
            schema.CALENDAR_TABLE, schema.calendar_frame(), replace_range=schema.CALENDAR_REPLACE
        )

    def query(self, relative: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        statement = self.render_file(relative)
        params = dict(params or {})
        with self._session(f"query {relative}") as client:
            return self._frame(client, statement, params, self._labels(params, sql_file=relative))

    def query_expression(
        self, expression: exp.Expression, params: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        statement = self.render_expression(expression)
        params = dict(params or {})
        with self._session("query") as client:
            return self._frame(client, statement, params, self._labels(params, step="query"))

    def replace_range(
        self,
        writes: Sequence[base.TableWrite],
        start: dt.date,
        end: dt.date,
        params: Mapping[str, object] | None = None,
    ) -> base.RangeCounts:
        if end < start:
            raise UserError(f"empty range: {start} is after {end}")
        what = ", ".join(w.table for w in writes)
        counts: dict[str, dict[dt.date, int]] = {}
        with self._session(f"replace {what} {start}..{end}") as client:
            planned = []
            # 1. Validate every write (dry runs of its SELECT and its MERGE, free on
            #    BigQuery) and create missing tables: an error stops us before any
            #    table is touched.
            for write in writes:
                bound = {**(params or {}), **base.scope_parameters(write)}
                bound.update(start_date=start, end_date=end)
                labels = self._labels(bound, table=write.table)
                columns = self._prepare(client, write, bound, labels)
                merge = merge_statement(write, columns)
                statement = self.render_expression(merge)
                config = self._job_config(statement, bound, labels, dry_run=True)
                self._query(client, statement.sql, config)
                planned.append((write, merge, statement, bound, labels))
            # 2. Write: one table, one MERGE (atomic by itself); several (a table and its
            #    failure rows), every MERGE in one transaction, one job (module header).
            base.pause_point("write")
            if len(planned) == 1:
                _, _, statement, bound, labels = planned[0]
                self._execute(client, statement, bound, labels)
            else:
                merges = [self.render_expression(inline_parameters(m, b)).sql for _, m, _, b, _ in planned]
                script = "BEGIN TRANSACTION;\n" + ";\n".join(merges) + ";\nCOMMIT TRANSACTION;"
                self._execute(client, sql.Statement(script, ()), {}, planned[0][4])
            # 3. What the range holds now, per table and date.
            for write, _, _, bound, labels in planned:
                counted = self.render_expression(base.counts_statement(write))
                rows = self._execute(client, counted, bound, labels).result(retry=self._retry())
                counts[write.table] = {_as_date(row["day"]): int(row["n"]) for row in rows}
        return base.RangeCounts(counts)

    def load_dataframe(
        self,
        table: str,
        frame: pd.DataFrame,
        replace_range: tuple[str, dt.date, dt.date] | None = None,
    ) -> None:
        self.load_frames({table: frame}, replace_range)

    def load_frames(
        self,
        frames: Mapping[str, pd.DataFrame],
        replace_range: tuple[str, dt.date, dt.date] | None = None,
    ) -> None:
        """Load frames into existing tables, all or nothing.

        One append to one table is one load job (atomic by itself). Otherwise every frame
        is first loaded into a staging table beside its target (expiring within the hour,
        dropped right after), and then ONE multi-statement transaction moves them all:
        per table a MERGE that deletes the range and inserts the staged rows (or an
        INSERT when appending). A failure anywhere rolls the whole transaction back.

        The emulator cannot bind parameters inside scripts, so the only values in this
        script, the two dates of ``replace_range``, are placed as DATE literals through
        the sqlglot AST from ``datetime.date`` objects (never text formatted into SQL).
        """
        names = ", ".join(frames)
        with self._session(f"load {names}") as client:
            prepared = []
            for table, frame in frames.items():
                target = client.get_table(self._table_id(table), retry=self._retry())
                columns = [f.name for f in target.schema]
                unknown = sorted(set(frame.columns) - set(columns))
                if unknown:
                    raise WarehouseError(f"{table} has no column(s) {', '.join(unknown)}")
                prepared.append((table, target, _with_all_columns(frame, target.schema)))
            labels = self._labels(
                {}, step="load", table=names if len(frames) == 1 else f"{len(frames)}_tables"
            )
            if replace_range is None and len(prepared) == 1:
                ((_, target, full),) = prepared
                base.pause_point("write")
                self._load(client, full, target.reference, target.schema, labels, append=True)
                return
            staged: list[bigquery.Table] = []
            try:
                moves = []
                for table, target, full in prepared:
                    dataset, name = table.split(".")
                    staging_name = f"{STAGING_PREFIX}{name}_{uuid.uuid4().hex[:12]}"
                    staging = bigquery.Table(self._table_id(f"{dataset}.{staging_name}"), schema=target.schema)
                    staging.expires = dt.datetime.now(dt.timezone.utc) + STAGING_EXPIRY
                    staged.append(client.create_table(staging, retry=self._retry()))
                    self._load(client, full, staging.reference, target.schema, labels, append=False)
                    columns = [f.name for f in target.schema]
                    moves.append(move_statement(table, f"{dataset}.{staging_name}", columns, replace_range))
                script = [self.render_expression(m).sql for m in moves]
                text = "BEGIN TRANSACTION;\n" + ";\n".join(script) + ";\nCOMMIT TRANSACTION;"
                base.pause_point("write")  # staging tables are not the warehouse's data
                self._execute(client, sql.Statement(text, ()), {}, labels)
            finally:
                for staging in staged:
                    client.delete_table(staging.reference, not_found_ok=True, retry=self._retry())

    def table_exists(self, table: str) -> bool:
        with self._session(f"look up {table}") as client:
            try:
                client.get_table(self._table_id(table), retry=self._retry())
            except api_exceptions.NotFound:
                return False
            return True

    # -- helpers ---------------------------------------------------------------------

    def _prepare(self, client, write: base.TableWrite, bound, labels) -> list[str]:
        """Dry-run the write's SELECT; create its table from that schema if missing (DAY
        partitioned on the date column, clustered by ``cluster_by``). Returns the
        table's columns, which the SELECT must all still yield."""
        select = self.render_expression(base.select_statement(write))
        config = self._job_config(select, bound, labels, dry_run=True)
        fields = self._query(client, select.sql, config).schema or []
        yielded = [f.name for f in fields]
        table_id = self._table_id(write.table)
        try:
            table = client.get_table(table_id, retry=self._retry())
        except api_exceptions.NotFound:
            table = self._create_table(client, write, fields)
        columns = [f.name for f in table.schema]
        missing = [c for c in columns if c not in yielded]
        if missing:
            raise WarehouseError(
                f"{write.table} has column(s) {', '.join(missing)} that {write.select_file} no "
                "longer yields; drop the table (it is rebuilt from the query) or fix the SQL"
            )
        return columns

    def _create_table(self, client, write: base.TableWrite, fields) -> bigquery.Table:
        if not fields:
            raise WarehouseError(f"{write.table}: BigQuery returned no schema for {write.select_file}")
        if write.date_column not in {f.name for f in fields}:
            raise WarehouseError(f"{write.select_file} yields no column {write.date_column}")
        if len(write.cluster_by) > MAX_CLUSTER_COLUMNS:
            raise WarehouseError(f"{write.table}: BigQuery clusters by at most {MAX_CLUSTER_COLUMNS} columns")
        table = bigquery.Table(self._table_id(write.table), schema=fields)
        table.time_partitioning = bigquery.TimePartitioning(
            type_=bigquery.TimePartitioningType.DAY, field=write.date_column
        )
        if write.cluster_by:
            table.clustering_fields = list(write.cluster_by)
        table.labels = {"app": APP_LABEL}
        return client.create_table(table, exists_ok=True, retry=self._retry())

    def _load(self, client, frame, destination, fields, labels, append: bool) -> None:
        config = bigquery.LoadJobConfig(
            schema=fields,
            write_disposition=(
                bigquery.WriteDisposition.WRITE_APPEND if append else bigquery.WriteDisposition.WRITE_TRUNCATE
            ),
            labels=dict(labels),
        )
        try:
            with _without_pandas_gbq_nags():
                job = client.load_table_from_dataframe(
                    frame, destination, job_config=config, num_retries=self._upload_retries()
                )
        except (pyarrow.ArrowException, ValueError, TypeError) as error:
            # The frame does not fit the table's schema (raised before anything is sent).
            raise WarehouseError(
                f"cannot load rows into {destination.dataset_id}.{destination.table_id}: {_one_line(error)}"
            ) from None
        job.result(retry=self._retry())


# -- statements ---------------------------------------------------------------------------


def _quoted(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def merge_statement(
    write: base.TableWrite,
    columns: Sequence[str],
    source: exp.Expression | None = None,
    delete_when: exp.Expression | None = None,
) -> exp.Merge:
    """Replace the range (and scope) of ``write.table`` with ``source``'s rows in one
    atomic statement. ``source`` defaults to the write's SELECT fenced to the range,
    ``delete_when`` to the range and scope as parameters."""
    source = source if source is not None else base.select_statement(write)
    delete_when = (delete_when if delete_when is not None else base.scope_filter(write)).copy()
    for column in delete_when.find_all(exp.Column):
        column.set("table", exp.to_identifier("target"))
    target = exp.to_table(write.table)
    target.set("alias", exp.TableAlias(this=exp.to_identifier("target")))
    insert = exp.Insert(
        this=exp.Tuple(expressions=[_quoted(c) for c in columns]),
        expression=exp.Tuple(
            expressions=[exp.column(exp.to_identifier(c, quoted=True), table="incoming") for c in columns]
        ),
    )
    return exp.Merge(
        this=target,
        using=exp.Subquery(this=source, alias=exp.TableAlias(this=exp.to_identifier("incoming"))),
        on=exp.false(),
        whens=exp.Whens(
            expressions=[
                exp.When(matched=False, source=True, condition=delete_when, then=exp.var("DELETE")),
                exp.When(matched=False, source=False, then=insert),
            ]
        ),
    )


@contextmanager
def _without_pandas_gbq_nags() -> Iterator[None]:
    """google-cloud-bigquery warns that DataFrame loads/reads should move to pandas-gbq;
    the client's own path is what we use (and test), so the nag is noise."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*pandas[-_]gbq.*")
        yield


def date_literal(day: dt.date) -> exp.Expression:
    """A DATE literal built from a date object (for scripts, where the emulator cannot
    bind parameters)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return exp.cast(exp.Literal.string(day.isoformat()), exp.DataType.build("DATE"))


def literal(value: object) -> exp.Expression:
    """A typed SQL literal built through the AST from a Python value, for scripts (where
    the emulator cannot bind parameters). sqlglot quotes and escapes strings."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"no SQL literal for {value!r}")
        return exp.Literal.number(repr(value))
    if isinstance(value, dt.datetime):
        kind = "TIMESTAMP" if value.tzinfo is not None else "DATETIME"
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build(kind))
    if isinstance(value, dt.date):
        return date_literal(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def inline_parameters(expression: exp.Expression, params: Mapping[str, object]) -> exp.Expression:
    """``expression`` with every ``@name`` parameter node replaced by ``literal(value)``."""

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Parameter):
            if node.name not in params:
                raise KeyError(f"SQL parameter not supplied: {node.name}")
            return literal(params[node.name])
        return node

    return expression.copy().transform(replace)


def move_statement(
    table: str, staging: str, columns: Sequence[str], replace_range: tuple[str, dt.date, dt.date] | None
) -> exp.Expression:
    """Staged rows into ``table``: a MERGE replacing the range, or an INSERT (append)."""
    source = exp.select(*[_quoted(c) for c in columns]).from_(exp.to_table(staging))
    if replace_range is None:
        return exp.insert(source, exp.to_table(table), columns=[exp.to_identifier(c, quoted=True) for c in columns])
    column, start, end = replace_range
    delete_when = exp.column(exp.to_identifier(column, quoted=True)).between(date_literal(start), date_literal(end))
    return merge_statement(base.TableWrite(table, "", column), columns, source=source, delete_when=delete_when)


# -- frames -------------------------------------------------------------------------------


def _as_date(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def _with_all_columns(frame: pd.DataFrame, fields: Sequence[bigquery.SchemaField]) -> pd.DataFrame:
    """The frame with every table column, in table order (missing ones all NULL), DATE
    columns as date objects (pandas often holds them as datetime64)."""
    full = frame.copy()
    for field in fields:
        name = field.name
        if name not in full.columns:
            full[name] = pd.Series([None] * len(full), index=full.index, dtype=object)
        elif field.field_type == "DATE" and pd.api.types.is_datetime64_any_dtype(full[name]):
            full[name] = full[name].dt.date
        elif field.field_type in ("TIMESTAMP", "DATETIME") and pd.api.types.is_datetime64_any_dtype(full[name]):
            # BigQuery keeps microseconds (as DuckDB does): drop the nanoseconds pandas has.
            full[name] = full[name].dt.floor("us")
    return full[[f.name for f in fields]]


def _like_duckdb(frame: pd.DataFrame, fields: Sequence[bigquery.SchemaField]) -> pd.DataFrame:
    """Give query results the dtypes DuckDB's ``.df()`` gives, so callers see one shape:
    DATE as datetime64[us]; INT64 / BOOL as plain numpy dtypes unless NULLs are present."""
    for field in fields:
        name, kind = field.name, field.field_type
        if name not in frame.columns:
            continue
        column = frame[name]
        if kind == "DATE":
            frame[name] = column.astype("datetime64[us]")
        elif kind in ("INTEGER", "INT64") and not column.isna().any():
            frame[name] = column.astype("int64")
        elif kind in ("BOOLEAN", "BOOL") and not column.isna().any():
            frame[name] = column.astype(bool)
    return frame


# -- from the environment ------------------------------------------------------------------


def bigquery_warehouse_from_env(environ: Mapping[str, str]) -> BigQueryWarehouse:
    """The BigQuery warehouse the environment describes.

    NBA_BACKFILL_GCP_PROJECT (required), NBA_BACKFILL_GCP_LOCATION (default US),
    NBA_BACKFILL_DATASET_PREFIX (sandboxes), NBA_BACKFILL_BIGQUERY_ENDPOINT (an emulator),
    NBA_BACKFILL_BIGQUERY_RETRY_SECONDS (how long an unreachable API is retried; 600).
    Credentials are not read here: the client finds them itself (ADC or
    GOOGLE_APPLICATION_CREDENTIALS), so they never pass through config or logs.
    """
    project = environ.get("NBA_BACKFILL_GCP_PROJECT", "").strip()
    if not project:
        raise UserError(
            "NBA_BACKFILL_WAREHOUSE=bigquery needs NBA_BACKFILL_GCP_PROJECT (the Google "
            "Cloud project that holds the datasets and runs the jobs)"
        )
    endpoint = environ.get("NBA_BACKFILL_BIGQUERY_ENDPOINT", "").strip() or None
    retry_seconds = seconds_from_env(environ, RETRY_SECONDS_ENV)
    return BigQueryWarehouse(
        project=project,
        location=environ.get("NBA_BACKFILL_GCP_LOCATION", "").strip() or DEFAULT_LOCATION,
        dataset_prefix=environ.get("NBA_BACKFILL_DATASET_PREFIX", "").strip(),
        api_endpoint=endpoint,
        **({"api_retry_seconds": retry_seconds} if retry_seconds else {}),
    )
