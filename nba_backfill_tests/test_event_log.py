"""The local instance's pooled event log (nba_backfill/event_log.py): the instance the
local dagster.yaml makes uses it, what it writes Dagster's own SQLite storage reads back
from the same files, it serves several threads, it keeps only a few run files open, and
the planned check rows it writes (serialized once) are the ones Dagster's storage writes."""

from __future__ import annotations

import shutil
import threading

import dagster as dg
import pytest
import sqlalchemy
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._serdes import deserialize_value

from nba_backfill.event_log import RUN_SHARDS_KEPT, PooledSqliteEventLogStorage
from nba_backfill_tests.support.dagster_ui import REPO


@pytest.fixture
def instance(tmp_path, monkeypatch):
    shutil.copy(REPO / "deploy" / "local" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        yield instance


def materialize(instance, partitions):
    for partition in partitions:
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key="t", partition=partition))


def test_the_local_instance_writes_files_dagsters_storage_reads(instance, tmp_path):
    storage = instance.event_log_storage
    assert isinstance(storage, PooledSqliteEventLogStorage)
    assert storage._base_dir == str(tmp_path / "history" / "runs")  # where Dagster keeps its own
    materialize(instance, [str(i) for i in range(40)])

    plain = SqliteEventLogStorage(str(tmp_path / "history" / "runs"))
    records = plain.fetch_materializations(dg.AssetKey("t"), limit=100).records
    assert sorted(r.event_log_entry.dagster_event.partition for r in records) == sorted(str(i) for i in range(40))


def test_threads_share_it(instance):
    threads = [threading.Thread(target=materialize, args=(instance, [f"{n}-{i}" for i in range(20)])) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(instance.fetch_materializations(dg.AssetKey("t"), limit=200).records) == 80


def test_only_a_few_run_files_stay_open(instance):
    storage = instance.event_log_storage
    for n in range(RUN_SHARDS_KEPT + 5):
        with storage.run_connection(f"run-{n}"):
            pass
    open_runs = [shard for shard in storage._engines if shard != "index"]
    assert open_runs == [f"run-{n}" for n in range(5, RUN_SHARDS_KEPT + 5)]  # the most recent



def test_an_instance_read_from_its_directory_finds_its_events_whatever_dagster_home(instance, tmp_path, monkeypatch):
    materialize(instance, ["a"])
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "elsewhere"))
    with dg.DagsterInstance.from_config(str(tmp_path)) as copy:
        assert copy.event_log_storage._base_dir == str(tmp_path / "history" / "runs")
        assert len(copy.fetch_materializations(dg.AssetKey("t"), limit=10).records) == 1


DAYS = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")


@dg.asset(
    partitions_def=DAYS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    check_specs=[dg.AssetCheckSpec("complete", asset="ranged")],
)
def ranged():
    yield dg.MaterializeResult()
    yield dg.AssetCheckResult(passed=True)


def planned_check_rows(instance) -> list[tuple]:
    """The check executions a range run planned, as the index holds them (run ids and
    timestamps aside); the stored event deserialized to the partitions it plans."""
    table = AssetCheckExecutionsTable
    with instance.event_log_storage.index_connection() as connection:
        rows = connection.execute(
            sqlalchemy.select(table.c.asset_key, table.c.check_name, table.c.partition, table.c.evaluation_event)
            .where(table.c.execution_status == "PLANNED")
            .order_by(table.c.partition)
        ).fetchall()
    return [
        (key, check, partition, tuple(deserialize_value(event).get_dagster_event().event_specific_data
                                      .partitions_subset.get_partition_keys()))
        for key, check, partition, event in rows
    ]


def test_planned_check_rows_are_dagsters_own(instance, tmp_path):
    """The pooled storage serializes a planned check event once instead of once per
    partition; the rows must be exactly those Dagster's own storage writes."""
    tags = {"dagster/asset_partition_range_start": "2024-01-01", "dagster/asset_partition_range_end": "2024-02-29"}
    dg.materialize([ranged], instance=instance, tags=tags, raise_on_error=False)
    (tmp_path / "dagsters").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagsters")) as dagsters:
        assert not isinstance(dagsters.event_log_storage, PooledSqliteEventLogStorage)
        dg.materialize([ranged], instance=dagsters, tags=tags, raise_on_error=False)
        expected = planned_check_rows(dagsters)
    keys = DAYS.get_partition_keys()[:60]
    assert [row[2] for row in expected] == keys  # one planned row per partition of the range
    assert planned_check_rows(instance) == expected
