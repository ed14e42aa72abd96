"""The alert sensor over real runs in a real instance: a failed daily run alerts once per
episode and once on recovery, gates failing on daily runs likewise, backfill runs never
alert one by one, and a finished backfill (UI or terminal) posts one summary with counts
from run history. The webhook is a loopback HTTP server.

The runs come from a stand-in for the table build (a partitioned asset named like a Phase 3
table, with a Gate 1 check it records as the build does: one range evaluation without a
partition), so each test takes seconds; what the sensor reads (run records, tags, check
evaluation events, run history) is the real thing."""

from __future__ import annotations

import datetime as dt
import time

import dagster as dg
import pytest
from dagster._core.execution.backfill import BulkActionStatus, PartitionBackfill

from nba_backfill.automation.alerts import Notifier
from nba_backfill.automation.daily import DAILY_TAG, RANGE_END, RANGE_START
from nba_backfill.automation.run_alerts import run_alerts_sensor
from nba_backfill.checks.gates import GATE_1
from nba_backfill_tests.support.automation import record_runs

D = dt.date
PGS = "player_game_summary"
PARTITIONS = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-02-01")


class Build:
    """The stand-in build: fail the run, or record Gate 1 passing or failing (ERROR)."""

    fail = False
    gate_passes = True


@dg.asset(name=PGS, partitions_def=PARTITIONS, check_specs=[dg.AssetCheckSpec(GATE_1, asset=PGS)])
def stand_in(context):
    if Build.fail:
        raise RuntimeError("player_game_summary: build failed: boom")
    yield dg.MaterializeResult(check_results=[dg.AssetCheckResult(
        check_name=GATE_1, passed=Build.gate_passes, severity=dg.AssetCheckSeverity.ERROR,
        description="gate_1_phase3_complete: 1 of 1 dates fail: 2024-01-16" if not Build.gate_passes else "all pass",
    )])


def run(instance, tags, fail=False, gate_passes=True, partition: str | None = "2024-01-16") -> str:
    Build.fail, Build.gate_passes = fail, gate_passes
    result = dg.materialize([stand_in], selection=[PGS], instance=instance, partition_key=partition, tags=tags,
                            raise_on_error=False)
    return result.run_id


@pytest.fixture
def alerts(instance, warehouse, webhook):
    """tick(): one evaluation of the alert sensor, its cursor kept between ticks."""
    state = {"cursor": None}
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)  # the test's clock: before every run

    def tick():
        sensor = run_alerts_sensor(Notifier(url=webhook.url, sleep=lambda s: None), clock=lambda: start)
        context = dg.build_sensor_context(instance=instance, cursor=state["cursor"], resources={"warehouse": warehouse})
        data = sensor.evaluate_tick(context)
        state["cursor"] = data.cursor
        return data

    tick()  # the first tick only notes where it starts
    return tick


DAILY = {DAILY_TAG: "new"}


def test_a_failed_daily_run_alerts_once_then_once_on_recovery(instance, alerts, webhook):
    failed = run(instance, DAILY, fail=True)
    alerts()
    assert webhook.texts() == [
        f"[nba_backfill] daily build run {failed[:8]} (2024-01-16 .. 2024-01-16) FAILED: see the logs of run "
        f"{failed} in the Dagster UI. Fix, then: nba-backfill backfill --start 2024-01-16 --end 2024-01-16"
    ]
    run(instance, DAILY, fail=True)  # the next day's run fails too: same episode
    alerts()
    assert len(webhook.texts()) == 1
    ok = run(instance, DAILY)
    alerts()
    assert webhook.texts()[1:] == [
        f"[nba_backfill] RECOVERED: daily build run {ok[:8]} (2024-01-16 .. 2024-01-16) succeeded; "
        "daily builds are working again"
    ]
    alerts()  # nothing new: nothing said
    assert len(webhook.texts()) == 2


def test_a_failed_daily_run_names_the_first_problem_from_run_history(instance, alerts, webhook, warehouse):
    failed = run(instance, DAILY, fail=True)
    record_runs(warehouse, [(PGS, D(2024, 1, 16), "failed")], run_id=failed)
    with warehouse.connect() as connection:
        connection.execute("UPDATE nba_reference.processor_run_history SET errors = 'Binder Error: column x' "
                           "WHERE run_id = ?", [failed])
    alerts()
    assert "FAILED: player_game_summary 2024-01-16: Binder Error: column x." in webhook.texts()[0]


def test_a_gate_failing_on_daily_runs_alerts_once_per_episode(instance, alerts, webhook):
    run(instance, DAILY, gate_passes=False)
    alerts()
    assert len(webhook.texts()) == 1
    assert webhook.texts()[0].startswith(
        "[nba_backfill] player_game_summary gate_1_phase3_complete FAILED on daily build run ")
    assert webhook.texts()[0].endswith("(2024-01-16 .. 2024-01-16): gate_1_phase3_complete: 1 of 1 dates fail: 2024-01-16")
    run(instance, DAILY, gate_passes=False)
    alerts()
    assert len(webhook.texts()) == 1
    run(instance, DAILY, gate_passes=True)
    alerts()
    assert len(webhook.texts()) == 2
    assert webhook.texts()[1].startswith("[nba_backfill] RECOVERED: player_game_summary gate_1_phase3_complete passes again")


def test_ui_backfill_runs_never_alert_one_by_one_and_the_backfill_posts_one_summary(instance, alerts, webhook, warehouse):
    backfill_id = "bfabcdef"
    instance.add_backfill(PartitionBackfill(
        backfill_id=backfill_id, status=BulkActionStatus.REQUESTED, from_failure=False, tags={},
        backfill_timestamp=time.time(), asset_selection=[dg.AssetKey(PGS)], serialized_asset_backfill_data="{}",
    ))
    tags = {"dagster/backfill": backfill_id}
    first = run(instance, tags, fail=True, partition="2024-01-15")  # fails: no alert (backfill mode)
    second = run(instance, tags, gate_passes=False, partition="2024-01-16")  # gate fails: no alert either
    record_runs(warehouse, [(PGS, D(2024, 1, 15), "failed")], run_id=first)
    record_runs(warehouse, [(PGS, D(2024, 1, 16), "skipped", "refused: nbac_schedule gate_0_raw_readiness fail (x)"),
                            ("team_offense_game_summary", D(2024, 1, 16), "success"),
                            ("upcoming_player_game_context", D(2024, 1, 16),
                             "skipped", "refused: waiting on lookback: player_game_summary not built yet for 2024-01-15")],
                run_id=second)
    alerts()
    assert webhook.texts() == []  # runs done, backfill not yet

    instance.update_backfill(instance.get_backfill(backfill_id).with_status(BulkActionStatus.COMPLETED_FAILED))
    alerts()
    assert webhook.texts() == [
        f"[nba_backfill] Backfill {backfill_id} (Dagster UI, 2 runs, COMPLETED_FAILED) finished: "
        "2024-01-15 .. 2024-01-16, 1 assets (player_game_summary)\n"
        "built 1 asset-dates; refused 2 (upstream check failed 1, lookback not built yet 1); failed 1 (from run history)\n"
        "first problem: player_game_summary 2024-01-15: None\n"
        "resume: nba-backfill backfill --start 2024-01-15 --end 2024-01-16 --select player_game_summary --missing-only"
    ]
    alerts()
    assert len(webhook.texts()) == 1  # one summary per backfill


def test_a_terminal_backfill_posts_one_summary_and_no_run_alert(instance, alerts, webhook, warehouse):
    tags = {"nba_backfill/command": "backfill", RANGE_START: "2024-01-10", RANGE_END: "2024-01-12"}
    run_id = run(instance, tags, gate_passes=False, partition=None)
    record_runs(warehouse, [(PGS, D(2024, 1, d), "success") for d in (10, 11, 12)], run_id=run_id)
    alerts()
    assert webhook.texts() == [
        f"[nba_backfill] Backfill (`nba-backfill backfill`, run {run_id[:8]}) finished: 2024-01-10 .. 2024-01-12, "
        "1 assets (player_game_summary)\n"
        "built 3 asset-dates; refused 0; failed 0 (from run history)\n"
        "complete: nothing to resume"
    ]
    alerts()
    assert len(webhook.texts()) == 1


def test_other_runs_do_not_alert(instance, alerts, webhook):
    run(instance, {}, fail=True)  # a run by hand
    alerts()
    assert webhook.texts() == []


def test_history_before_the_sensor_started_is_not_replayed(instance, warehouse, webhook):
    run(instance, DAILY, fail=True)
    sensor = run_alerts_sensor(Notifier(url=webhook.url), clock=lambda: dt.datetime.now(dt.timezone.utc))
    first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, resources={"warehouse": warehouse}))
    sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor, resources={"warehouse": warehouse}))
    assert webhook.texts() == []
