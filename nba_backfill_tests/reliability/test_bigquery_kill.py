"""Item 1 (BigQuery) of issue #13: a build killed between its writes never leaves a date
half-built, and the next run completes the work.

A table's rows and its failure rows are written by one build. On BigQuery they used to be
two MERGE jobs; a build SIGKILLed between them left a date whose main rows were new and
whose failure rows were the previous build's. Now both MERGEs run in one transaction
(bigquery_engine's header says why and how). These tests stop a real `nba-backfill`
process on a real BigQuery API (the emulator) at each of its warehouse writes with the
engines' pause point, SIGKILL it there, and compare what every date holds with the
states before and after: each date's main rows and failure rows are either both the old
build's or both the new one's, never a mix, never doubled. Then a plain re-run finishes.

The third test makes the failure MERGE itself fail inside BigQuery, after the main MERGE
of the same build ran: the server-side twin of the kill. Before the fix it left the new
main rows beside the old failure rows.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
import sqlglot

from nba_backfill.errors import WarehouseError
from nba_backfill.warehouse import TableWrite
from nba_backfill.warehouse.bigquery_engine import BigQueryWarehouse
from nba_backfill_tests.support.warehouse_faults import (
    FAILURES,
    FIRST,
    LAST,
    TOGS,
    PausedBuild,
    backfill_args,
    bigquery_env,
    dagster_home,
    demo_frames,
    run_cli,
    state_by_date,
)

_sandboxes = itertools.count(1)


def sandbox(emulator, name: str) -> BigQueryWarehouse:
    warehouse = BigQueryWarehouse(
        project=emulator.project, api_endpoint=emulator.endpoint,
        dataset_prefix=f"kill{next(_sandboxes)}_{name}_", api_retry_seconds=5,
    )
    warehouse.setup()
    return warehouse


def history(warehouse, run_id_prefix: str) -> pd.DataFrame:
    frame = warehouse.query_expression(
        sqlglot.parse_one("SELECT run_id, data_date, status FROM nba_reference.processor_run_history", read="bigquery")
    )
    return frame[frame.run_id.str.startswith(run_id_prefix)]


def assert_no_doubles(warehouse) -> None:
    main = warehouse.query_expression(sqlglot.parse_one(f"SELECT game_id, team_abbr FROM {TOGS}"))
    assert not main.duplicated().any(), "a team-game appears twice in the main table"
    failures = warehouse.query_expression(
        sqlglot.parse_one(f"SELECT analysis_date, entity_id FROM {FAILURES} "
                          "WHERE processor_name = 'team_offense_game_summary'")
    )
    assert not failures.duplicated().any(), "a failure row appears twice"


# The build's warehouse writes, in order: 1 = the range build of the table and its
# failure rows (before the fix: the main table's MERGE), 2 = the next write (before the
# fix: the failure table's MERGE; now: the run-history rows, after the data committed).
@pytest.mark.parametrize("nth_write", [1, 2], ids=["before-the-data-write", "after-the-data-write"])
def test_a_build_killed_between_its_writes_leaves_every_date_old_or_new(wf_emulator, tmp_path, nth_write):
    warehouse = sandbox(wf_emulator, f"w{nth_write}")
    frames = demo_frames()
    warehouse.load_frames(frames, ("game_date", FIRST, LAST))
    home = dagster_home(tmp_path)
    env = bigquery_env(home, wf_emulator, warehouse.dataset_prefix)

    first = run_cli(backfill_args(), env)
    assert first.code == 0, first.stderr
    old = state_by_date(warehouse)
    assert all(main and failures for main, failures in old.values()), "every date needs main and failure rows"

    # a re-scrape changes the main rows of every date; then a rebuild, killed mid-way
    warehouse.load_frames(demo_frames(rescraped=True), ("game_date", FIRST, LAST))
    build = PausedBuild(backfill_args(), env, tmp_path / "killed", nth_write)
    build.wait_paused()
    build.kill()
    after_kill = state_by_date(warehouse)
    assert_no_doubles(warehouse)

    # the next run (same instance, same warehouse) completes the work
    resumed = run_cli(backfill_args(), env)
    assert resumed.code == 0, resumed.stderr
    new = state_by_date(warehouse)
    assert_no_doubles(warehouse)
    run_id = resumed.stdout.split("run(s): ")[1].split()[0]
    done = history(warehouse, run_id)
    assert sorted(pd.to_datetime(done.data_date).dt.date) == list(pd.date_range(FIRST, LAST).date)
    assert set(done.status) == {"success"}

    for day in old:
        # the check can tell old from new, and a mix from both, on every date
        assert old[day][0] != new[day][0] and old[day][1] != new[day][1], day
        assert after_kill[day] in (old[day], new[day]), (
            f"{day}: after the kill the main rows are "
            f"{'new' if after_kill[day][0] == new[day][0] else 'old' if after_kill[day][0] == old[day][0] else 'neither'}"
            f" and the failure rows "
            f"{'new' if after_kill[day][1] == new[day][1] else 'old' if after_kill[day][1] == old[day][1] else 'neither'}"
        )


D = dt.date
TOY_MAIN = TableWrite(
    "nba_analytics.toy_points_atomic", "../nba_backfill_tests/warehouse/bigquery_sql/toy_points.sql",
    "game_date", ("team_abbr",),
)
TOY_FAILURES = TableWrite(
    FAILURES, "../nba_backfill_tests/reliability/sql/toy_points.failures_that_fail.sql", "analysis_date",
    ("processor_name",), scope={"processor_name": "toy_points_atomic"},
)


def test_a_failure_merge_failing_inside_bigquery_rolls_back_the_main_merge(wf_emulator):
    warehouse = sandbox(wf_emulator, "rollback")
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": ["g1", "g2"], "game_date": [D(2023, 11, 1), D(2023, 11, 1)],
                      "home_team_tricode": ["LAL", "BOS"], "home_team_score": [100, None]}).astype(
            {"home_team_score": "Int64"}),
    )

    def build(run_id: str, fail_failures: bool):
        params = {"run_id": run_id, "processor_name": "toy_points_atomic", "fail": False,
                  "fail_failures": fail_failures}
        return warehouse.replace_range([TOY_MAIN, TOY_FAILURES], D(2023, 11, 1), D(2023, 11, 1), params)

    def run_ids() -> tuple[list[str], list[str]]:
        main = warehouse.query_expression(sqlglot.parse_one(f"SELECT run_id FROM {TOY_MAIN.table}"))
        failures = warehouse.query_expression(
            sqlglot.parse_one(f"SELECT run_id FROM {FAILURES} WHERE processor_name = 'toy_points_atomic'")
        )
        return sorted(main.run_id), sorted(failures.run_id)

    build("r1", fail_failures=False)
    assert run_ids() == (["r1", "r1"], ["r1"])
    with pytest.raises(WarehouseError) as failed:
        build("r2", fail_failures=True)
    assert "\n" not in str(failed.value)
    assert run_ids() == (["r1", "r1"], ["r1"])  # both old: the main MERGE was rolled back
    build("r3", fail_failures=False)
    assert run_ids() == (["r3", "r3"], ["r3"])
