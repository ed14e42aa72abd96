"""The local instance's event log (SQLite), with its connections kept open.

Dagster's ``SqliteEventLogStorage`` creates a SQLAlchemy engine, opens the database file,
commits and disposes the engine for every event it stores, and an asset event is stored
twice (the run's shard and the cross-run index). A season backfill stores thousands of
events (one materialization per table and date, planned events, check evaluations), so
that is most of its time. This subclass keeps one pooled engine per shard instead: the
index, and the most recent run shards. Same files, same schema (commits are
``synchronous=NORMAL``, see ``_synchronous_normal``), so an instance can switch to it and
back; only the local dagster.yaml uses it (production uses Postgres).

The local dagster.yaml names ``LocalInstance`` as its ``instance_class``: Dagster asks an
instance class for its default storage given the instance's own directory, which is the
one place the event log's files (``<home>/history/runs``) are known for every process,
whatever its DAGSTER_HOME (the webserver, the daemon, a run worker, a test reading a
copied instance).

Measured on this machine (`benchmarks/bench_event_log.py`, two runs): 11.3 and 13.2 ms per
stored materialization with Dagster's storage, 3.9 and 4.3 ms with this one.

Events are also written a batch at a time (``store_event_batch``, as dagster-postgres does):
the planned events of a new run (Dagster batches them itself once a batch size is set), and
the burst of per-date materializations a table's build reports, which ``LocalInstance``
gathers until the run's next event. A batch costs one transaction per file instead of two
per event.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator, Sequence

import dagster as dg
import sqlalchemy
import yaml
from dagster._core.events import (
    ASSET_EVENTS,
    DagsterEventBatchMetadata,
    DagsterEventType,
    generate_event_batch_id,
)
from dagster._core.events.log import EventLogEntry
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable, SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.runs import SqliteRunStorage
from dagster._core.storage.schedules import SqliteScheduleStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite_storage import (
    DagsterSqliteStorage,
    _event_logs_directory,
    _runs_directory,
    _schedule_directory,
)
from dagster._serdes import ConfigurableClassData, serialize_value
from sqlalchemy.engine import Connection, Engine

RUN_SHARDS_KEPT = 8  # a long-lived webserver reads many runs: keep a few files open, not all
BUSY_TIMEOUT_SECONDS = 15  # as Dagster's storage
# Events written a batch at a time: what a new run plans, and a table's per-date
# materializations. A season is at most ~250 dates: one batch per table.
EVENT_BATCH_SIZE = 500
# What one batch write handles; anything else is stored one event at a time, as Dagster does.
BATCHED_EVENTS = {
    DagsterEventType.ASSET_MATERIALIZATION,
    DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
    DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
}


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        self._asset_key_columns_found: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:  # one thread at a time, as in Dagster's storage
            engine = self._engine(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            # pooled connections may serve another thread; the lock above serializes them
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        sqlalchemy.event.listen(engine, "connect", _synchronous_normal)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        runs = [s for s in self._engines if s != INDEX_SHARD_NAME]
        for oldest in runs[: max(0, len(runs) - RUN_SHARDS_KEPT)]:
            self._engines.pop(oldest).dispose()
        return engine

    def has_table(self, table_name: str) -> bool:
        """Dagster's opens a new engine on the index file for every call, and asks for every
        tagged materialization and every check event. Tables are only ever added (by a
        migration), so one found is remembered."""
        if table_name not in self._tables_found and super().has_table(table_name):
            self._tables_found.add(table_name)
        return table_name in self._tables_found

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        """Dagster's reads the table's columns for every asset event: remembered once found."""
        if column_name not in self._asset_key_columns_found and super()._has_asset_key_col_on_connection(
            conn, column_name
        ):
            self._asset_key_columns_found.add(column_name)
        return column_name in self._asset_key_columns_found

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """What ``store_event`` writes for each event, one transaction per file: the run's
        rows in one insert; in the index, the mirrored rows, the asset tags, and the asset
        table updated by the last event of each asset and kind (each kind sets the same
        columns, so the earlier ones are overwritten anyway, as in dagster-postgres); then
        the planned check rows. Same rows as one at a time (tested)."""
        one_run = len({e.run_id for e in events}) == 1
        if not one_run or any(e.dagster_event_type not in BATCHED_EVENTS for e in events):
            return super().store_event_batch(events)
        rows = [self._event_to_row(event) for event in events]  # each event serialized once
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(SqlEventLogStorageTable.insert(), rows)
        with self.index_transaction() as conn:
            inserted = conn.execute(
                SqlEventLogStorageTable.insert().returning(SqlEventLogStorageTable.c.id, sort_by_parameter_order=True),
                rows,
            )
            ids = [row[0] for row in inserted]
            assets = [(e, i) for e, i in zip(events, ids) if e.dagster_event_type in ASSET_EVENTS]
            self._store_asset_event_tags(conn, [e for e, _ in assets], [i for _, i in assets])
            last_of_kind = {(e.dagster_event.asset_key, e.dagster_event_type): n for n, (e, _) in enumerate(assets)}
            for n in sorted(last_of_kind.values()):
                self._store_asset_event(conn, *assets[n])
        for event, event_id, row in zip(events, ids, rows):
            if event.dagster_event_type == DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED:
                # the row's serialized event, not a second serialization (15 KB for a season)
                self._insert_planned_check_rows(event, event_id, row["event"])

    def _store_asset_check_evaluation_planned(self, event: EventLogEntry, event_id: int | None) -> None:
        """Dagster's own (dagster 1.13.x), with the event serialized once. Dagster's
        serializes the whole planned event, partition subset included, again for each of its
        partitions, so a range run's planned check events cost the square of its dates: 14 s
        of a 42 s season backfill, most of the time of four seasons. Same rows."""
        self._insert_planned_check_rows(event, event_id, serialize_value(event))

    def _insert_planned_check_rows(self, event: EventLogEntry, event_id: int | None, serialized: str) -> None:
        planned = event.get_dagster_event().event_specific_data
        partition_keys = planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
        row = dict(
            asset_key=planned.asset_key.to_string(),
            check_name=planned.check_name,
            run_id=event.run_id,
            execution_status=AssetCheckExecutionRecordStatus.PLANNED.value,
            evaluation_event=serialized,
            evaluation_event_timestamp=self._event_insert_timestamp(event),
            evaluation_event_storage_id=event_id,
        )
        with self.index_connection() as conn:
            # executemany: one compiled statement, not one bind list per partition
            conn.execute(AssetCheckExecutionsTable.insert(), [dict(row, partition=key) for key in partition_keys])

    def dispose(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()
        super().dispose()


def _reported_by_a_step(event: EventLogEntry) -> bool:
    """A materialization a step reported itself (no batch of its own), not one Dagster made
    from an output (batched already) nor one reported outside a run."""
    return bool(event.step_key) and event.dagster_event_type == DagsterEventType.ASSET_MATERIALIZATION


def _synchronous_normal(dbapi_connection, _record) -> None:
    """SQLite's recommended durability for a WAL database (Dagster makes its event logs WAL):
    a commit survives the process being killed, and the file is never corrupted; only the
    last commits before a power loss or an OS crash may be lost. FULL, the default, syncs
    the disk at every commit: a third of a season backfill's event writes."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteStorage(DagsterSqliteStorage):
    """Dagster's SQLite storage (runs, events, schedules under one directory), its event
    log pooled."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self.base_dir = base_dir
        self._run_storage = SqliteRunStorage.from_local(_runs_directory(base_dir))
        self._event_log_storage = PooledSqliteEventLogStorage(_event_logs_directory(base_dir))
        self._schedule_storage = SqliteScheduleStorage.from_local(_schedule_directory(base_dir))
        self._inst_data = inst_data
        super(DagsterSqliteStorage, self).__init__()  # DagsterStorage's, as Dagster's own does

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value) -> PooledSqliteStorage:
        return cls(inst_data=inst_data, **config_value)


class LocalInstance(dg.DagsterInstance):
    """The local instance: Dagster's defaults, with the pooled SQLite storage, and events
    written in batches.

    Dagster batches the planned events of a new run once a batch size is set (default
    here: ``EVENT_BATCH_SIZE``; ``DAGSTER_EVENT_BATCH_SIZE=0`` turns batching off). A
    materialization a step reports has no batch of its own: the run's consecutive ones are
    held until its next event of any other kind (a table's build reports all its dates,
    then its checks; a step always ends with an event of its own), or until a batch is full,
    so each is stored before anything the run reports after it. A process killed while
    holding some loses them as it would lose the ones it had not reported yet: the dates'
    rows and run history are in the warehouse, and a resume records them again.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: dict[str, list[EventLogEntry]] = {}
        self._held_lock = threading.RLock()  # a stored event may report another

    def _get_event_batch_size(self) -> int:
        return int(os.getenv("DAGSTER_EVENT_BATCH_SIZE", str(EVENT_BATCH_SIZE)))

    def handle_new_event(
        self, event: EventLogEntry, *, batch_metadata: DagsterEventBatchMetadata | None = None
    ) -> None:
        with self._held_lock:
            if batch_metadata is None and _reported_by_a_step(event):
                held = self._held.setdefault(event.run_id, [])
                held.append(event)
                if len(held) >= self._get_event_batch_size():
                    self._release(event.run_id)
                return
            self._release(event.run_id)
            super().handle_new_event(event, batch_metadata=batch_metadata)

    def _release(self, run_id: str) -> None:
        held = self._held.pop(run_id, None)
        if not held:  # most events: nothing held for their run
            return
        batch_id = generate_event_batch_id()
        for n, event in enumerate(held):
            super().handle_new_event(event, batch_metadata=DagsterEventBatchMetadata(batch_id, n == len(held) - 1))

    def dispose(self) -> None:
        with self._held_lock:
            for run_id in list(self._held):
                self._release(run_id)
        super().dispose()

    @classmethod
    def config_schema(cls) -> dict:
        return {}

    @classmethod
    def config_defaults(cls, base_dir: str):
        defaults = dict(InstanceRef.config_defaults(base_dir))
        defaults["storage"] = ConfigurableClassData(
            __name__, PooledSqliteStorage.__name__, yaml.dump({"base_dir": base_dir}, default_flow_style=False)
        )
        return defaults
