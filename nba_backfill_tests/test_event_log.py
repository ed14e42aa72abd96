"""The local instance's pooled event log (nba_backfill/event_log.py): the instance the
local dagster.yaml makes uses it, what it writes Dagster's own SQLite storage reads back
from the same files, it serves several threads, it keeps only a few run files open, and
a range run's rows (planned events and per-date materializations written a batch at a
time) are the ones Dagster's storage writes one event at a time."""

from __future__ import annotations

import logging
import shutil
import threading
import time

import dagster as dg
import pytest
import sqlalchemy
from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._serdes import deserialize_value

from nba_backfill.event_log import RUN_SHARDS_KEPT, LocalInstance, PooledSqliteEventLogStorage
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
RANGE = {"dagster/asset_partition_range_start": "2024-01-01", "dagster/asset_partition_range_end": "2024-02-29"}


@dg.asset(
    partitions_def=DAYS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    check_specs=[dg.AssetCheckSpec("complete", asset="ranged")],
    code_version="1",  # its data version tags are then the same in both instances
)
def ranged():
    """Dagster's own per-partition materializations (of the range's output)."""
    yield dg.MaterializeResult()
    yield dg.AssetCheckResult(passed=True)


@dg.multi_asset(
    specs=[dg.AssetSpec(name, partitions_def=DAYS, skippable=True, deps=["ranged"]) for name in ("reader", "other")],
    check_specs=[dg.AssetCheckSpec("rows", asset="reader")],
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def per_date(context):
    """As the table build reports: per asset, each built date's materialization (odd days
    skipped), then its check per date, with a log line between the assets."""
    for name in ("reader", "other"):
        for key in context.partition_keys:
            if int(key[-2:]) % 2 == 0:
                yield dg.AssetMaterialization(name, partition=key, metadata={"rows": int(key[-2:])},
                                              tags={"dagster/data_version": key})
        context.log.info(f"{name} built")
    for key in context.partition_keys[:3]:
        yield dg.AssetCheckEvaluation(asset_key=dg.AssetKey("reader"), check_name="rows", passed=False,
                                      partition=key)
    yield dg.AssetCheckResult(asset_key="reader", check_name="rows", passed=True)


def stored_rows(instance, run_id: str) -> dict[str, list[tuple]]:
    """What a run left in the event log, ids, run ids and timestamps aside: the run's
    events, their copies in the index, the asset table (which event each asset's last
    materialization is), the indexed tags and the check executions, in storage order."""
    storage = instance.event_log_storage

    def events(connection):
        return [tuple(row) for row in connection.execute(sqlalchemy.text(
            "SELECT dagster_event_type, asset_key, partition, step_key FROM event_logs "
            "WHERE dagster_event_type IS NOT NULL ORDER BY id"))]

    with storage.run_connection(run_id) as connection:
        run_events = events(connection)
    with storage.index_connection() as connection:
        index_events = events(connection)
        assets = [
            (key, run is not None, deserialize_value(last).event_log_entry.dagster_event.partition if last else None)
            for key, run, last in connection.execute(sqlalchemy.text(
                "SELECT asset_key, last_run_id, last_materialization FROM asset_keys ORDER BY asset_key"))
        ]
        tags = [tuple(row) for row in connection.execute(sqlalchemy.text(
            "SELECT t.asset_key, t.key, t.value, e.partition FROM asset_event_tags t "
            "JOIN event_logs e ON e.id = t.event_id ORDER BY t.id"))]
        checks = [
            (key, check, partition, status, tuple(_planned_keys(event)))
            for key, check, partition, status, event in connection.execute(sqlalchemy.text(
                "SELECT asset_key, check_name, partition, execution_status, evaluation_event "
                "FROM asset_check_executions ORDER BY asset_key, check_name, partition, id"))
        ]
    return {"run": run_events, "index": index_events, "assets": assets, "tags": tags, "checks": checks}


def _planned_keys(event: str) -> list[str]:
    data = deserialize_value(event).get_dagster_event().event_specific_data
    subset = getattr(data, "partitions_subset", None)
    return subset.get_partition_keys() if subset else []


def test_a_range_runs_rows_are_dagsters_own(instance, tmp_path):
    """The pooled storage writes planned events and a build's per-date materializations a
    batch at a time (and a planned check event serialized once instead of once per
    partition): a range run must leave exactly the rows Dagster's own storage, one event at
    a time, leaves."""
    assets = [ranged, per_date]
    ours = dg.materialize(assets, instance=instance, tags=RANGE, raise_on_error=False)
    (tmp_path / "dagsters").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagsters")) as dagsters:
        assert not isinstance(dagsters.event_log_storage, PooledSqliteEventLogStorage)
        theirs = dg.materialize(assets, instance=dagsters, tags=RANGE, raise_on_error=False)
        expected = stored_rows(dagsters, theirs.run_id)
    assert ours.success and theirs.success
    keys = DAYS.get_partition_keys()[:60]
    planned = [row for row in expected["checks"] if row[3] == "PLANNED"]
    assert [row[2] for row in planned if row[1] == "complete"] == keys  # one planned row per partition
    assert all(subset == tuple(keys) for *_, subset in planned)
    built = sum(1 for row in expected["index"] if row[0] == "ASSET_MATERIALIZATION" and row[1] == '["reader"]')
    assert built == 15 + 14  # the even days of January and February
    assert ("[\"reader\"]", True, "2024-02-28") in expected["assets"]  # the last even day of the range
    assert stored_rows(instance, ours.run_id) == expected


def test_a_held_materialization_is_stored_when_the_instance_closes(tmp_path, monkeypatch):
    """A step's materialization waits for the run's next event to be stored with its batch;
    an instance closed before that event stores it then."""
    shutil.copy(REPO / "deploy" / "local" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    materialized = DagsterEvent(
        event_type_value=DagsterEventType.ASSET_MATERIALIZATION.value, job_name="j", step_key="s",
        event_specific_data=StepMaterializationData(dg.AssetMaterialization("t", partition="a")),
    )
    entry = EventLogEntry(error_info=None, level=logging.INFO, user_message="", run_id="r", timestamp=time.time(),
                          step_key="s", job_name="j", dagster_event=materialized)
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance, LocalInstance)
        instance.handle_new_event(entry)
        assert not instance.fetch_materializations(dg.AssetKey("t"), limit=10).records  # held
    with dg.DagsterInstance.get() as instance:
        (record,) = instance.fetch_materializations(dg.AssetKey("t"), limit=10).records
        assert record.event_log_entry.dagster_event.partition == "a"
