"""The local instance's event log (SQLite), with its connections kept open.

Dagster's ``SqliteEventLogStorage`` creates a SQLAlchemy engine, opens the database file,
commits and disposes the engine for every event it stores, and an asset event is stored
twice (the run's shard and the cross-run index). A season backfill stores thousands of
events (one materialization per table and date, planned events, check evaluations), so
that is most of its time. This subclass keeps one pooled engine per shard instead: the
index, and the most recent run shards. Same files, same schema, same durability (SQLite's
defaults), so an instance can switch to it and back; only the local dagster.yaml uses it
(production uses Postgres).

Measured on this machine (`benchmarks/bench_event_log.py`): 9-11 ms per stored
materialization with Dagster's storage, 3-4 ms with this one.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine

RUN_SHARDS_KEPT = 8  # a long-lived webserver reads many runs: keep a few files open, not all
BUSY_TIMEOUT_SECONDS = 15  # as Dagster's storage


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value) -> PooledSqliteEventLogStorage:
        """``base_dir`` may be relative: to DAGSTER_HOME, where Dagster keeps its own."""
        base_dir = os.path.join(os.environ.get("DAGSTER_HOME", ""), config_value["base_dir"])
        return cls(base_dir=base_dir, inst_data=inst_data)

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
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        runs = [s for s in self._engines if s != INDEX_SHARD_NAME]
        for oldest in runs[: max(0, len(runs) - RUN_SHARDS_KEPT)]:
            self._engines.pop(oldest).dispose()
        return engine

    def dispose(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()
        super().dispose()
