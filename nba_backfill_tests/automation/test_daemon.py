"""The real daemon (what `make ui` runs) and webserver over a temporary instance: the
automation page lists the sensors running by default, with their descriptions, and a tick
of the daily build sensor requests the right run. The sensors' clock is set to 09:00 ET on
2024-01-17 of the demo season, built through 2024-01-15 (support/clocked_definitions.py); the
instance dequeues no run (max_concurrent_runs 0), so the test sees the request without
paying for the build."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from nba_backfill.automation.daily import DAILY_TAG
from nba_backfill_tests.support.automation import ALL_TABLES, built_through
from nba_backfill_tests.support.clocked_definitions import NOW_ENV
from nba_backfill_tests.support.dagster_ui import REPO, DagsterUI, dagster_home, free_port

SENSORS = {"free_dead_runs", "daily_build_when_ready", "freshness_deadlines", "alerts_runs_and_backfills"}
AUTOMATION = """
query {
  repositoriesOrError { ... on RepositoryConnection { nodes {
    sensors { name description sensorState { status } }
    schedules { name description scheduleState { status } }
  } } }
}
"""

FRESHNESS_POLICY = """
query {
  assetNodes(assetKeys: [{path: ["player_game_summary"]}, {path: ["ml_feature_store_v2"]}]) {
    assetKey { path }
    internalFreshnessPolicy { ... on CronFreshnessPolicy { deadlineCron timezone } }
  }
}
"""


@pytest.fixture
def stack(demo_warehouse, tmp_path):
    built_through(demo_warehouse, dt.date(2023, 10, 24), dt.date(2024, 1, 15))
    home = dagster_home(tmp_path)
    config = (home / "dagster.yaml").read_text()
    assert "max_concurrent_runs: 2" in config
    (home / "dagster.yaml").write_text(config.replace("max_concurrent_runs: 2", "max_concurrent_runs: 0"))
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - python_module:\n      module_name: nba_backfill_tests.support.clocked_definitions\n"
        f"      working_directory: {REPO}\n"
    )
    ui = DagsterUI(home=home, warehouse_path=Path(demo_warehouse.path), logs=tmp_path / "logs", port=free_port())
    env = {**ui.env, NOW_ENV: "2024-01-17T09:00:00-05:00"}
    commands = {
        "webserver": [sys.executable, "-m", "dagster_webserver", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(ui.port)],
        "daemon": [sys.executable, "-m", ui.daemon_module, "run", "-w", str(workspace)],  # what `make ui` runs
    }
    ui.logs.mkdir(parents=True, exist_ok=True)
    for name, command in commands.items():
        with open(ui.log_file(name), "wb") as out:
            ui.processes[name] = subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        ui.wait_for_webserver(120)
        yield ui
    finally:
        ui.stop()


def test_the_daemon_ticks_the_daily_sensor_into_the_right_run(stack):
    began = time.monotonic()
    nodes = stack.graphql(AUTOMATION)["data"]["repositoriesOrError"]["nodes"]
    sensors = {s["name"]: s for node in nodes for s in node["sensors"]}
    assert SENSORS <= set(sensors)
    for name in SENSORS:  # on by default, and saying how to turn them off
        assert sensors[name]["sensorState"]["status"] == "RUNNING", name
        assert "turn it off or on" in sensors[name]["description"], name
    # Dagster's own freshness policy per table, as the asset page reads it
    policies = stack.graphql(FRESHNESS_POLICY)["data"]["assetNodes"]
    assert {n["assetKey"]["path"][0]: n["internalFreshnessPolicy"]["deadlineCron"] for n in policies} == {
        "player_game_summary": "0 10 * * *", "ml_feature_store_v2": "0 12 * * *"}
    schedules = {s["name"]: s for node in nodes for s in node["schedules"]}
    assert "build_yesterday_daily" not in schedules and "freshness_daily" not in schedules  # replaced

    with dg.DagsterInstance.from_config(str(stack.home)) as instance:
        def requested():
            return instance.get_runs(filters=dg.RunsFilter(tags={DAILY_TAG: "new"}))

        runs = stack.poll(requested, "a run requested by the daily build sensor", deadline_seconds=120, pause=0.5)
        assert len(runs) == 1
        run = runs[0]
        assert run.tags["dagster/sensor_name"] == "daily_build_when_ready"
        assert run.tags["dagster/partition"] == "2024-01-16"  # the newest game date, ready; built through 01-15
        assert run.job_name == "daily_phase3_phase4"
        # all ten tables (Phase 3, gates, Phase 4) in the one build step, with their gates
        plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        outputs = [o.properties for step in plan.steps for o in step.outputs if o.properties]
        assert {o.asset_key.to_user_string() for o in outputs if o.asset_key} == set(ALL_TABLES)
        assert [step.key for step in plan.steps] == ["phase3_phase4_tables"]
        # the freshness sensor ticked too: every asset's deadline check recorded, without a run
        key = dg.AssetCheckKey(dg.AssetKey("player_game_summary"), "built_by_deadline")

        def recorded():
            return instance.event_log_storage.get_latest_asset_check_execution_by_key([key]).get(key)

        execution = stack.poll(recorded, "a built_by_deadline evaluation", deadline_seconds=60, pause=0.5)
        assert execution.evaluation.passed  # 01-16 is due 01-17 10:00: it is 09:00
    print(f"daemon test: sensor run seen after {time.monotonic() - began:.1f}s")
