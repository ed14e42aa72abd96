"""The BigQuery engine on a local BigQuery API emulator: tables, range writes, labels,
sandboxes, and one-line errors. Expected rows are written out by hand.

To stay fast, the tests share one set-up sandbox (``shared``) holding the schedule rows
below; each test writes its own output tables (``toy(name)``) and its own failure-row
processor, so no test sees another's writes.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import dagster as dg
import pandas as pd
import pytest
import sqlglot
from google.cloud import bigquery

from nba_backfill.errors import UserError, WarehouseError
from nba_backfill.warehouse import TableWrite, bigquery_engine, warehouse_from_env
from nba_backfill.warehouse.bigquery_engine import (
    BigQueryWarehouse,
    bigquery_warehouse_from_env,
    job_labels,
    query_parameter,
)
from nba_backfill_tests.support import bigquery_emulator as bigquery_emulator_harness
from nba_backfill_tests.support.bigquery import emulator_warehouse
from nba_backfill_tests.support.bigquery_emulator import EmulatorStartError, free_port

D = dt.date
TOY = "../nba_backfill_tests/warehouse/bigquery_sql"  # relative to sql/
BROKEN = TableWrite("nba_analytics.toy_broken", f"{TOY}/toy_broken.sql", "game_date")


def toy(name: str) -> TableWrite:
    """The toy points query writing to its own table nba_analytics.<name>."""
    return TableWrite(f"nba_analytics.{name}", f"{TOY}/toy_points.sql", "game_date", ("team_abbr",))


def failures_of(processor: str) -> TableWrite:
    """The toy processor's failure rows, replaced beside its table (per processor)."""
    return TableWrite(
        "nba_processing.analytics_failures",
        f"{TOY}/toy_points.failures.sql",
        "analysis_date",
        ("processor_name",),
        scope={"processor_name": processor},
    )


def schedule(*games) -> pd.DataFrame:
    """(game_id, game_date, home team, home score) rows of nba_raw.nbac_schedule."""
    return pd.DataFrame(
        [
            {"game_id": g, "game_date": d, "home_team_tricode": team, "home_team_score": score}
            for g, d, team, score in games
        ]
    ).astype({"home_team_score": "Int64"})


def rows(warehouse, table: str, order: str = "game_id") -> list[tuple]:
    frame = warehouse.query_expression(sqlglot.parse_one(f"SELECT * FROM {table} ORDER BY {order}", read="bigquery"))
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]


def build(warehouse, writes, start, end, run_id="r1", fail=False):
    params = {"run_id": run_id, "processor_name": writes[0].table.split(".")[1], "fail": fail}
    return warehouse.replace_range(writes, start, end, params)


def client_of(warehouse: BigQueryWarehouse):
    return warehouse.get_client()


GAMES = schedule(
    ("g1", D(2023, 11, 1), "LAL", 100),
    ("g2", D(2023, 11, 1), "BOS", 110),
    ("g3", D(2023, 11, 2), "NYK", None),
    ("g4", D(2023, 11, 3), "MIA", 95),
)


@pytest.fixture(scope="module")
def shared(bigquery_emulator_server) -> BigQueryWarehouse:
    warehouse = emulator_warehouse(bigquery_emulator_server)
    warehouse.setup()
    warehouse.load_dataframe("nba_raw.nbac_schedule", GAMES)
    return warehouse


# -- setup and table layout -----------------------------------------------------------------


def test_setup_creates_day_partitioned_tables_in_prefixed_datasets(shared):
    prefix = shared.dataset_prefix
    with client_of(shared) as client:
        datasets = {d.dataset_id for d in client.list_datasets()}
        assert {f"{prefix}nba_raw", f"{prefix}nba_analytics", f"{prefix}nba_processing",
                f"{prefix}nba_reference", f"{prefix}nba_precompute", f"{prefix}nba_predictions"} <= datasets
        expected = {
            "nba_raw.nbac_schedule": "game_date",
            "nba_raw.nbac_gamebook_player_stats": "game_date",
            "nba_raw.odds_api_player_points_props": "game_date",
            "nba_processing.analytics_failures": "analysis_date",
            "nba_reference.processor_run_history": "data_date",
        }
        for table, column in expected.items():
            found = client.get_table(shared._table_id(table))
            assert found.time_partitioning is not None, table
            assert (found.time_partitioning.type_, found.time_partitioning.field) == ("DAY", column)
        calendar = client.get_table(shared._table_id("nba_reference.season_calendar"))
        assert calendar.time_partitioning is None
    seasons = shared.query_expression(
        sqlglot.parse_one("SELECT opener FROM nba_reference.season_calendar WHERE season_label = '2023-24'")
    )
    assert seasons.opener.tolist() == [pd.Timestamp("2023-10-24")]


def test_setup_again_changes_nothing(shared):
    count = sqlglot.parse_one(
        "SELECT (SELECT COUNT(*) FROM nba_reference.season_calendar) AS seasons, "
        "(SELECT COUNT(*) FROM nba_raw.nbac_schedule) AS games"
    )
    before = shared.query_expression(count).iloc[0].tolist()
    shared.setup()
    assert shared.query_expression(count).iloc[0].tolist() == before


def test_first_build_creates_a_day_partitioned_clustered_table_from_the_query(shared):
    write = toy("layout_points")
    build(shared, [write], D(2023, 11, 1), D(2023, 11, 1))
    with client_of(shared) as client:
        table = client.get_table(shared._table_id(write.table))
    assert (table.time_partitioning.type_, table.time_partitioning.field) == ("DAY", "game_date")
    assert table.clustering_fields == ["team_abbr"]
    assert [(f.name, f.field_type) for f in table.schema] == [
        ("game_id", "STRING"),
        ("game_date", "DATE"),
        ("team_abbr", "STRING"),
        ("points", "INTEGER"),
        ("run_id", "STRING"),
    ]


# -- range writes ---------------------------------------------------------------------------


def test_replace_range_replaces_exactly_the_range_and_is_idempotent(shared):
    write = toy("idempotent_points")
    counts = build(shared, [write], D(2023, 11, 1), D(2023, 11, 2), run_id="r1")
    assert counts.by_table[write.table] == {D(2023, 11, 1): 2, D(2023, 11, 2): 1}
    first = rows(shared, write.table)
    assert first == [
        ("g1", pd.Timestamp("2023-11-01"), "LAL", 100, "r1"),
        ("g2", pd.Timestamp("2023-11-01"), "BOS", 110, "r1"),
        ("g3", pd.Timestamp("2023-11-02"), "NYK", None, "r1"),
    ]

    again = build(shared, [write], D(2023, 11, 1), D(2023, 11, 2), run_id="r1")
    assert again == counts
    assert rows(shared, write.table) == first  # a retry never appends

    build(shared, [write], D(2023, 11, 2), D(2023, 11, 3), run_id="r2")
    assert rows(shared, write.table) == [
        ("g1", pd.Timestamp("2023-11-01"), "LAL", 100, "r1"),  # outside the range: untouched
        ("g2", pd.Timestamp("2023-11-01"), "BOS", 110, "r1"),
        ("g3", pd.Timestamp("2023-11-02"), "NYK", None, "r2"),
        ("g4", pd.Timestamp("2023-11-03"), "MIA", 95, "r2"),
    ]


def test_failure_rows_are_replaced_per_processor_beside_the_table(shared):
    write, failures = toy("failing_rows_points"), failures_of("failing_rows_points")
    other = pd.DataFrame(
        {"processor_name": ["someone_else"], "run_id": ["x"], "analysis_date": [D(2023, 11, 2)],
         "entity_id": ["g3"], "failure_category": ["MISSING_DEPENDENCY"]}
    )
    shared.load_dataframe("nba_processing.analytics_failures", other)

    for _ in range(2):
        counts = build(shared, [write, failures], D(2023, 11, 1), D(2023, 11, 3))
    assert counts.by_table[failures.table] == {D(2023, 11, 2): 1}
    found = shared.query_expression(
        sqlglot.parse_one(
            "SELECT processor_name, entity_id, failure_category FROM nba_processing.analytics_failures "
            "WHERE processor_name IN ('someone_else', 'failing_rows_points') ORDER BY processor_name"
        )
    )
    assert found.values.tolist() == [
        ["failing_rows_points", "g3", "INCOMPLETE_DATA"],
        ["someone_else", "g3", "MISSING_DEPENDENCY"],
    ]


def test_a_failing_statement_leaves_the_previous_rows(shared):
    write = toy("failing_points")
    build(shared, [write], D(2023, 11, 1), D(2023, 11, 3), run_id="r1")
    before = rows(shared, write.table)
    assert len(before) == 4

    # A run-time error (a bad cast on every row) inside the MERGE.
    with pytest.raises(WarehouseError) as failed:
        build(shared, [write], D(2023, 11, 1), D(2023, 11, 3), run_id="r2", fail=True)
    message = str(failed.value)
    assert "\n" not in message and write.table in message
    assert rows(shared, write.table) == before

    # A compile error in the second write stops the build before the first is written.
    with pytest.raises(WarehouseError, match="no_such_column"):
        build(shared, [write, BROKEN], D(2023, 11, 1), D(2023, 11, 3), run_id="r3")
    assert rows(shared, write.table) == before
    assert not shared.table_exists(BROKEN.table)


def test_every_job_of_a_build_carries_labels(shared, monkeypatch):
    write, failures = toy("labelled_points"), failures_of("labelled_points")
    sent: list[tuple[dict, dict]] = []
    original = bigquery.Client.query

    def spy(self, query, job_config=None, **kwargs):
        job = original(self, query, job_config=job_config, **kwargs)
        sent.append((dict(job_config.labels), dict(job.labels)))
        return job

    monkeypatch.setattr(bigquery.Client, "query", spy)
    build(shared, [write, failures], D(2023, 11, 1), D(2023, 11, 2), run_id="3f2a-RUN.ID")
    # per write: two dry runs and the counts; both MERGEs: one transaction (one job)
    assert len(sent) >= 7
    for requested, echoed in sent:
        assert requested == echoed  # what BigQuery recorded on the job
        assert requested["app"] == "nba_backfill"
        assert requested["env"] == "test"
        assert requested["processor"] == "labelled_points"
        assert requested["range_start"] == "2023-11-01"
        assert requested["range_end"] == "2023-11-02"
        assert requested["run_id"] == "3f2a-run_id"
        assert requested["table"] in {"nba_analytics_labelled_points", "nba_processing_analytics_failures"}


def test_labels_are_label_safe():
    labels = job_labels(
        {"processor_name": "Team Offense/Summary", "start_date": D(2023, 11, 1), "run_id": "x" * 80},
        {"sql_file": "checks/gates.sql", "9lives": "ok"},
    )
    assert labels == {
        "app": "nba_backfill",
        "processor": "team_offense_summary",
        "range_start": "2023-11-01",
        "run_id": "x" * 63,
        "sql_file": "checks_gates_sql",
        "k_9lives": "ok",
    }


# -- loads and queries ------------------------------------------------------------------------


def test_load_dataframe_replaces_only_the_given_dates(shared):
    # January dates: no other test reads them.
    first = schedule(("j1", D(2024, 1, 10), "LAL", 100), ("j2", D(2024, 1, 11), "BOS", 90))
    shared.load_dataframe("nba_raw.nbac_schedule", first)
    rescrape = schedule(("j2", D(2024, 1, 11), "BOS", 120), ("j3", D(2024, 1, 11), "PHX", 99))
    for _ in range(2):  # twice: the same rows, not twice the rows
        shared.load_dataframe(
            "nba_raw.nbac_schedule", rescrape, replace_range=("game_date", D(2024, 1, 11), D(2024, 1, 11))
        )
    found = shared.query_expression(
        sqlglot.parse_one(
            "SELECT game_id, home_team_score, game_status FROM nba_raw.nbac_schedule "
            "WHERE game_date >= '2024-01-01' ORDER BY game_id"
        )
    )
    assert found.game_id.tolist() == ["j1", "j2", "j3"]
    assert found.home_team_score.tolist() == [100, 120, 99]
    assert found.game_status.isna().all()  # columns the frame lacks are NULL
    with client_of(shared) as client:
        tables = [t.table_id for t in client.list_tables(f"{shared.project}.{shared.dataset_prefix}nba_raw")]
    assert not [t for t in tables if t.startswith("_staging_")]


def test_load_frames_moves_every_table_or_none(shared, monkeypatch):
    day = D(2024, 2, 1)  # a date no other test uses
    span = ("game_date", day, day)

    def frames(points: int) -> dict[str, pd.DataFrame]:
        return {
            "nba_raw.nbac_schedule": schedule(("k1", day, "LAL", points)),
            "nba_raw.nbac_team_boxscore": pd.DataFrame(
                {"game_id": ["k1"], "game_date": [day], "team_abbr": ["LAL"], "points": [points]}
            ),
        }

    shared.load_frames(frames(100), span)

    # The second table's move fails inside the transaction, after the first one's MERGE ran.
    real = bigquery_engine.move_statement

    def second_fails(table, staging, columns, replace_range):
        if table == "nba_raw.nbac_team_boxscore":
            staging = staging + "_gone"
        return real(table, staging, columns, replace_range)

    monkeypatch.setattr(bigquery_engine, "move_statement", second_fails)
    with pytest.raises(WarehouseError) as failed:
        shared.load_frames(frames(120), span)
    assert "\n" not in str(failed.value)

    points = sqlglot.parse_one(
        "SELECT (SELECT home_team_score FROM nba_raw.nbac_schedule WHERE game_id = 'k1') AS schedule, "
        "(SELECT points FROM nba_raw.nbac_team_boxscore WHERE game_id = 'k1') AS box"
    )
    assert shared.query_expression(points).iloc[0].tolist() == [100, 100]  # both old: rolled back
    with client_of(shared) as client:
        tables = [t.table_id for t in client.list_tables(f"{shared.project}.{shared.dataset_prefix}nba_raw")]
    assert not [t for t in tables if t.startswith("_staging_")]


def test_load_dataframe_rejects_unknown_columns(shared):
    with pytest.raises(WarehouseError, match="has no column.*colour"):
        shared.load_dataframe("nba_raw.nbac_schedule", GAMES.assign(colour="red"))


def test_query_parameters_are_typed_from_python_values(shared):
    params = {"d": D(2023, 11, 1), "s": "LAL", "i": 7, "f": 0.25, "b": True,
              "ts": dt.datetime(2023, 11, 1, 19, 30, tzinfo=dt.timezone.utc)}
    assert [query_parameter(k, v).type_ for k, v in params.items()] == [
        "DATE", "STRING", "INT64", "FLOAT64", "BOOL", "TIMESTAMP"
    ]
    frame = shared.query_expression(
        sqlglot.parse_one(
            "SELECT @d AS d, DATE_DIFF(@d, DATE '2023-10-24', DAY) + @i AS i, CONCAT(@s, '!') AS s, "
            "@f * 2 AS f, NOT @b AS b, EXTRACT(HOUR FROM @ts) AS h",
            read="bigquery",
        ),
        params,
    )
    assert frame.iloc[0].tolist() == [pd.Timestamp("2023-11-01"), 15, "LAL!", 0.5, False, 19]
    assert str(frame.d.dtype) == "datetime64[us]"  # DATE comes back as DuckDB gives it


def test_query_runs_a_sql_file_with_parameters(shared):
    frame = shared.query(
        f"{TOY}/toy_points.sql",
        {"start_date": D(2023, 11, 3), "end_date": D(2023, 11, 3), "run_id": "q", "fail": False},
    )
    assert frame.values.tolist() == [["g4", pd.Timestamp("2023-11-03"), "MIA", 95, "q"]]


# -- sandboxes ------------------------------------------------------------------------------


def test_sandboxes_do_not_see_each_other(shared, bigquery_emulator_server):
    other = emulator_warehouse(bigquery_emulator_server)
    other.setup()
    count = sqlglot.parse_one("SELECT COUNT(*) AS n FROM nba_raw.nbac_schedule WHERE game_date < '2024-01-01'")
    assert shared.query_expression(count).n[0] == 4
    assert other.query_expression(count).n[0] == 0
    assert shared.dataset_prefix != other.dataset_prefix
    assert shared.dataset_prefix in shared.describe()


# -- Dagster --------------------------------------------------------------------------------


def test_assets_get_the_warehouse_itself_from_the_context(shared):
    """dagster-gcp's BigQueryResource would put a bigquery.Client on the context."""
    write = toy("dagster_points")

    @dg.asset(required_resource_keys={"warehouse"})
    def dagster_points(context) -> dg.MaterializeResult:
        warehouse = context.resources.warehouse
        assert isinstance(warehouse, BigQueryWarehouse)
        counts = build(warehouse, [write], D(2023, 11, 1), D(2023, 11, 3), run_id=context.run_id)
        return dg.MaterializeResult(metadata={"rows": counts.total(write.table)})

    result = dg.materialize([dagster_points], resources={"warehouse": shared})
    assert result.success
    (event,) = result.get_asset_materialization_events()
    assert event.materialization.metadata["rows"].value == 4


# -- configuration, errors, secrets --------------------------------------------------------


def test_from_env_reads_project_location_prefix_and_endpoint():
    with pytest.raises(UserError, match="NBA_BACKFILL_GCP_PROJECT"):
        bigquery_warehouse_from_env({"NBA_BACKFILL_WAREHOUSE": "bigquery"})
    plain = bigquery_warehouse_from_env({"NBA_BACKFILL_GCP_PROJECT": "nba-prod"})
    assert (plain.project, plain.location, plain.dataset_prefix, plain.api_endpoint) == ("nba-prod", "US", "", None)
    sandbox = warehouse_from_env(
        {
            "NBA_BACKFILL_WAREHOUSE": "bigquery",
            "NBA_BACKFILL_GCP_PROJECT": "nba-dev",
            "NBA_BACKFILL_GCP_LOCATION": "europe-west1",
            "NBA_BACKFILL_DATASET_PREFIX": "alice_",
            "NBA_BACKFILL_BIGQUERY_ENDPOINT": "http://127.0.0.1:9050",
            "GOOGLE_APPLICATION_CREDENTIALS": "/secrets/key.json",
        }
    )
    assert isinstance(sandbox, BigQueryWarehouse)
    assert (sandbox.project, sandbox.location, sandbox.dataset_prefix, sandbox.api_endpoint) == (
        "nba-dev", "europe-west1", "alice_", "http://127.0.0.1:9050"
    )
    assert sandbox.gcp_credentials is None  # credentials never travel through config


def test_an_unreachable_endpoint_is_one_clear_line():
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    warehouse = BigQueryWarehouse(project="test-project", api_endpoint=down, api_retry_seconds=1)
    began = time.monotonic()
    with pytest.raises(WarehouseError) as failed:
        warehouse.setup()
    assert time.monotonic() - began < 20
    message = str(failed.value)
    assert "\n" not in message
    assert "cannot reach" in message and down in message
    assert failed.value.__cause__ is None and failed.value.__suppress_context__


def test_credentials_never_appear_in_errors_or_descriptions(tmp_path, monkeypatch):
    key = tmp_path / "key.json"
    secret = "TOPSECRETKEYMATERIAL"
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "nba-prod",
                "private_key_id": "abc123",
                "private_key": f"-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----\n",
                "client_email": "backfill@nba-prod.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    warehouse = bigquery_warehouse_from_env({"NBA_BACKFILL_GCP_PROJECT": "nba-prod"})
    with pytest.raises(WarehouseError) as failed:
        warehouse.setup()
    assert "credentials" in str(failed.value)
    for shown in (str(failed.value), warehouse.describe(), repr(warehouse)):
        assert secret not in shown and "abc123" not in shown


def test_an_emulator_that_cannot_start_is_a_clear_failure(monkeypatch):
    """The harness reports the emulator's exit and output (the fixture then FAILS the
    tests that need it instead of skipping them)."""
    monkeypatch.setattr(bigquery_emulator_harness.sys, "executable", "/bin/false")
    began = time.monotonic()
    with pytest.raises(EmulatorStartError, match="exited with code 1 before answering"):
        bigquery_emulator_harness.start(timeout=20)
    assert time.monotonic() - began < 20
