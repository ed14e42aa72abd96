"""The same SQL gives the same rows on DuckDB and on BigQuery (the local emulator).

Both warehouses get identical raw rows; every table is then built through both engines
with the same ``build_range`` the assets use, and the results are compared row by row
(sorted; floats within a relative 1e-9). Column types are compared too: a DATE on
BigQuery that became a TIMESTAMP on DuckDB (DATE_ADD / DATE_SUB without DATE()) would
otherwise hide behind equal-looking values.

1. a toy query using the constructs the real SQL relies on, plus run-history rows;
2. every Phase 3 and Phase 4 spec over demo data: the first 17 days of 2023-24, so the
   Phase 4 range (11-06 .. 11-09) holds the last bootstrap day and three built days;
   then one asset through Dagster on BigQuery (run history and UI metadata included).

Columns filled by CURRENT_TIMESTAMP() are left out of the comparison, and a NULL ARRAY
equals an empty one (BigQuery stores NULL arrays as []). The BigQuery side is slow
(~1 s per statement of emulator translation, four statements per table): expect a few
minutes for this module on a busy machine.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from nba_backfill import catalog
from nba_backfill.assets import run_history
from nba_backfill.assets.sql_asset import build_range
from nba_backfill.catalog import TableSpec
from nba_backfill.warehouse import RangeCounts, TableWrite, Warehouse, sql
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.bigquery import emulator_warehouse
from nba_backfill_tests.support.specs import scratch_spec

D = dt.date
TOY = "../nba_backfill_tests/warehouse/bigquery_sql"
# Values an engine makes up at build time (CURRENT_TIMESTAMP()), not computed from data.
BUILD_TIME_COLUMNS = {"created_at"}


def build_time_columns(select_file: str) -> set[str]:
    """Output columns whose value is the clock at build time (CURRENT_TIMESTAMP())."""
    parsed = sqlglot.parse_one(sql.sql_path(select_file).read_text(), read="bigquery")
    return {
        alias.alias
        for alias in parsed.find_all(exp.Alias)
        if alias.this.find(exp.CurrentTimestamp, exp.CurrentDatetime) is not None
    } | BUILD_TIME_COLUMNS


# DuckDB type → the BigQuery type the same SQL must produce.
DUCKDB_TO_BIGQUERY = {
    "BIGINT": "INTEGER",
    "INTEGER": "INTEGER",
    "HUGEINT": "INTEGER",
    "DOUBLE": "FLOAT",
    "FLOAT": "FLOAT",
    "VARCHAR": "STRING",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
    "TIMESTAMP": "DATETIME",
}


# -- comparison helpers ---------------------------------------------------------------------


def all_rows(warehouse: Warehouse, table: str) -> pd.DataFrame:
    return warehouse.query_expression(sqlglot.parse_one(f"SELECT * FROM {table}", read="bigquery"))


def _as_tuple(value):
    """An ARRAY value as a tuple; floats rounded to 9 significant digits. A NULL array is
    the empty tuple: BigQuery cannot store a NULL ARRAY and writes it as [] (DuckDB keeps
    NULL), so on BigQuery the two cannot be told apart."""
    if value is None or value is pd.NA:
        return ()
    if not isinstance(value, (list, tuple, np.ndarray)):
        return value
    return tuple(float(f"{v:.9g}") if isinstance(v, (float, np.floating)) else v for v in value)


def normalized(frame: pd.DataFrame) -> pd.DataFrame:
    """One representation for both engines' frames: UTC-naive timestamps, numbers as
    float64, NULL as None/NaN; columns by name, rows sorted by the non-float columns."""
    out = {}
    for name in sorted(frame.columns):
        column = frame[name].reset_index(drop=True)
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")
        elif pd.api.types.is_datetime64_any_dtype(column):
            column = column.astype("datetime64[us]")
        elif pd.api.types.is_bool_dtype(column) or str(column.dtype) == "boolean":
            column = column.astype(object).where(column.notna(), None)
        elif pd.api.types.is_numeric_dtype(column):
            column = column.astype("float64")
        elif column.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            column = column.map(_as_tuple)  # ARRAY columns
        else:
            column = column.astype(object).where(column.notna(), None)
        out[name] = column
    result = pd.DataFrame(out)
    floats = [c for c in result.columns if result[c].dtype == "float64"]
    keys = [c for c in result.columns if c not in floats] + floats
    if len(result):
        sortable = result.copy()
        for key in keys:
            if sortable[key].dtype == object:
                sortable[key] = sortable[key].map(lambda v: "\uffff" if v is None else str(v))
        result = result.loc[sortable.sort_values(keys, kind="mergesort").index].reset_index(drop=True)
    return result


def assert_same_rows(duck: Warehouse, bq: Warehouse, table: str, ignore=BUILD_TIME_COLUMNS) -> int:
    left = all_rows(duck, table)
    right = all_rows(bq, table)
    assert sorted(left.columns) == sorted(right.columns), table
    dropped = [c for c in left.columns if c in ignore]
    left, right = normalized(left.drop(columns=dropped)), normalized(right.drop(columns=dropped))
    assert len(left) == len(right), f"{table}: {len(left)} rows on DuckDB, {len(right)} on BigQuery"
    pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, rtol=1e-9, atol=1e-12, obj=table)
    return len(left)


def duckdb_types(warehouse: DuckDBWarehouse, table: str) -> dict[str, str]:
    dataset, name = table.split(".")
    with warehouse.connect(read_only=True) as connection:
        found = connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = $schema AND table_name = $name",
            {"schema": warehouse.dataset_prefix + dataset, "name": name},
        ).fetchall()
    def bigquery_kind(kind: str) -> str:
        if kind.endswith("[]"):
            return f"ARRAY<{bigquery_kind(kind[:-2])}>"
        return DUCKDB_TO_BIGQUERY.get(kind, kind)

    return {column: bigquery_kind(kind) for column, kind in found}


def bigquery_types(warehouse, table: str) -> dict[str, str]:
    with warehouse.get_client() as client:
        found = client.get_table(warehouse._table_id(table))
    return {f.name: f"ARRAY<{f.field_type}>" if f.mode == "REPEATED" else f.field_type for f in found.schema}


def assert_same_types(duck, bq, table: str) -> None:
    assert duckdb_types(duck, table) == bigquery_types(bq, table), table


def pair(tmp_path_factory, server, name: str) -> tuple[DuckDBWarehouse, Warehouse]:
    duck = DuckDBWarehouse(path=str(tmp_path_factory.mktemp(name) / "warehouse.duckdb"), lock_timeout_seconds=1)
    duck.setup()
    bq = emulator_warehouse(server)
    bq.setup()
    return duck, bq


def load_both(engines, frames: dict[str, pd.DataFrame], span: tuple[str, dt.date, dt.date] | None = None):
    for warehouse in engines:
        warehouse.load_frames(frames, span)


# -- 1. a toy query and run history ---------------------------------------------------------


def schedule_rows() -> pd.DataFrame:
    """Two seasons' games, a re-scrape (older processed_at loses) and a scheduled game."""
    at = pd.Timestamp
    rows = [
        # game_id, date, status, home, away, home pts, away pts, processed_at
        ("f1", D(2023, 6, 10), 3, "DEN", "MIA", 108, 95, at("2023-06-11T04:00Z")),  # last season
        ("a1", D(2023, 10, 24), 3, "DEN", "LAL", 119, 107, at("2023-10-25T04:00Z")),
        ("a2", D(2023, 10, 25), 3, "LAL", "PHX", 100, 95, at("2023-10-26T04:00Z")),
        ("a3", D(2023, 10, 27), 3, "DEN", "MEM", 108, 104, at("2023-10-28T04:00Z")),
        ("a3", D(2023, 10, 27), 3, "DEN", "MEM", 99, 99, at("2023-10-27T23:00Z")),  # stale re-scrape
        ("a4", D(2023, 10, 29), 3, "PHX", "DEN", 111, 111, at("2023-10-30T04:00Z")),
        ("a5", D(2023, 10, 30), 3, "LAL", "DEN", 96, 110, at("2023-10-31T04:00Z")),
        ("a6", D(2023, 11, 1), 3, "MEM", "LAL", 101, 120, at("2023-11-02T04:00Z")),
        ("a7", D(2023, 11, 2), 1, "DEN", "PHX", None, None, at("2023-11-01T12:00Z")),  # not final
    ]
    frame = pd.DataFrame(
        rows,
        columns=["game_id", "game_date", "game_status", "home_team_tricode", "away_team_tricode",
                 "home_team_score", "away_team_score", "processed_at"],
    )
    return frame.astype({"home_team_score": "Int64", "away_team_score": "Int64"})


@pytest.fixture(scope="module")
def toy_engines(tmp_path_factory, bigquery_emulator_server):
    engines = pair(tmp_path_factory, bigquery_emulator_server, "toy")
    load_both(engines, {"nba_raw.nbac_schedule": schedule_rows()})
    return engines


TEAM_FORM = TableWrite("nba_analytics.toy_team_form", f"{TOY}/toy_team_form.sql", "game_date", ("team_abbr",))


def test_toy_query_gives_the_same_rows_on_both_engines(toy_engines):
    duck, bq = toy_engines
    counts = []
    for warehouse in toy_engines:
        # Two overlapping builds: the second replaces part of the first.
        warehouse.replace_range([TEAM_FORM], D(2023, 10, 24), D(2023, 10, 30), {"run_id": "r1"})
        counts.append(warehouse.replace_range([TEAM_FORM], D(2023, 10, 29), D(2023, 11, 2), {"run_id": "r2"}))
    assert counts[0] == counts[1]
    assert counts[0].by_table[TEAM_FORM.table] == {D(2023, 10, 29): 2, D(2023, 10, 30): 2, D(2023, 11, 1): 2}
    assert assert_same_rows(duck, bq, TEAM_FORM.table) == 12
    assert_same_types(duck, bq, TEAM_FORM.table)
    # One hand-checked row: DEN on 10-29 had played 10-24 (won) and 10-27 (won 108-104,
    # the stale 99-99 re-scrape ignored); the June game is last season.
    built = all_rows(bq, TEAM_FORM.table)
    den = built[(built.team_abbr == "DEN") & (built.game_date == pd.Timestamp("2023-10-29"))].iloc[0]
    assert (den.prior_games, den.prior_wins, den.prior_margin, den.rest_days) == (2, 2, 16, 2)
    assert den.avg_points_prior == pytest.approx(113.5)
    assert den.run_id == "r2"


def test_run_history_rows_are_the_same_on_both_engines(toy_engines):
    duck, bq = toy_engines
    spec = scratch_spec("toy_team_form", "nba_analytics", "analytics", "phase3", "game_date")
    days = [D(2023, 10, 29), D(2023, 10, 30), D(2023, 10, 31)]
    started = dt.datetime(2023, 11, 3, 9, 30, tzinfo=dt.timezone.utc)
    counts = RangeCounts({spec.table: {days[0]: 2, days[1]: 2}})
    ok = run_history.rows(spec, "r3", True, days, started, 1.5, counts=counts)
    failed = run_history.rows(spec, "r4", False, days[:1], started, 0.25, error=ValueError("boom"))
    for warehouse in toy_engines:
        warehouse.load_dataframe(run_history.TABLE, ok)
        warehouse.load_dataframe(run_history.TABLE, failed)
    assert assert_same_rows(duck, bq, run_history.TABLE, ignore=()) == 4
    history = all_rows(bq, run_history.TABLE).sort_values(["run_id", "data_date"])
    assert history.records_processed.tolist() == [2, 2, 0, 0]
    assert history.status.tolist() == ["success", "success", "success", "failed"]
    assert history.errors.tolist()[-1] == "ValueError: boom"


# -- 2. every Phase 3 and Phase 4 spec over demo data ---------------------------------------

SEASON = "2023-24"
LOAD_START, LOAD_END = D(2023, 10, 24), D(2023, 11, 9)  # opener .. day 16
PHASE3_RANGE = (LOAD_START, LOAD_END)
PHASE4_RANGE = (D(2023, 11, 6), LOAD_END)  # day 13 (bootstrap) .. day 16


def _specs() -> dict[str, TableSpec]:
    return catalog.tables()


def build_order(specs: dict[str, TableSpec]) -> list[str]:
    return catalog.dependency_order(specs)


@pytest.fixture(scope="module")
def demo_engines(tmp_path_factory, bigquery_emulator_server):
    from nba_backfill.demo.generate import generate_demo_data
    from nba_backfill.seasons import load_calendar

    season = next(s for s in load_calendar().seasons if s.label == SEASON)
    frames = {}
    for name, frame in generate_demo_data([season], seed=7).items():
        days = pd.to_datetime(frame["game_date"]).dt.date
        frames[f"nba_raw.{name}"] = frame[(days >= LOAD_START) & (days <= LOAD_END)].reset_index(drop=True)
    engines = pair(tmp_path_factory, bigquery_emulator_server, "demo")
    load_both(engines, frames, ("game_date", LOAD_START, LOAD_END))
    specs = _specs()
    for name in build_order(specs):
        spec = specs[name]
        start, end = PHASE3_RANGE if spec.phase == "phase3" else PHASE4_RANGE
        for warehouse in engines:
            build_range(spec, warehouse, start, end, run_id="parity")
    return engines, specs


def test_demo_raw_data_is_the_same_on_both_engines(demo_engines):
    (duck, bq), _ = demo_engines
    for table in ("nba_raw.nbac_schedule", "nba_raw.nbac_gamebook_player_stats", "nba_raw.odds_api_game_lines"):
        assert assert_same_rows(duck, bq, table, ignore=()) > 0


@pytest.mark.parametrize("name", build_order(_specs()))
def test_every_spec_gives_the_same_rows_on_both_engines(demo_engines, name):
    (duck, bq), specs = demo_engines
    spec = specs[name]
    rows = assert_same_rows(duck, bq, spec.table, ignore=build_time_columns(spec.sql_file))
    assert rows > 0, f"{spec.table} built no rows: the parity test would prove nothing"
    assert_same_types(duck, bq, spec.table)


@pytest.mark.parametrize("table", ["nba_processing.analytics_failures", "nba_processing.precompute_failures"])
def test_failure_rows_are_the_same_on_both_engines(demo_engines, table):
    (duck, bq), _ = demo_engines
    assert_same_rows(duck, bq, table)


def test_an_asset_materializes_through_dagster_on_bigquery(demo_engines):
    """The whole asset path (range build, run history, UI metadata) on the BigQuery engine."""
    import dagster as dg

    from nba_backfill.assets.tables import tables_asset

    (_, bq), specs = demo_engines
    spec = specs["team_offense_game_summary"]
    result = dg.materialize(
        [tables_asset({spec.name: spec})],
        resources={"warehouse": bq},
        tags={"dagster/asset_partition_range_start": "2023-10-24", "dagster/asset_partition_range_end": "2023-10-26"},
    )
    assert result.success
    events = result.get_asset_materialization_events()
    assert sorted(e.materialization.partition for e in events) == ["2023-10-24", "2023-10-25", "2023-10-26"]
    metadata = events[0].materialization.metadata
    assert metadata["dagster/row_count"].value > 0
    assert sum(metadata[f"rows_by_{spec.breakdown_column}"].value.values()) == metadata["dagster/row_count"].value
    assert metadata["warehouse"].value == bq.describe()
    history = all_rows(bq, run_history.TABLE)
    mine = history[history.run_id == result.run_id]
    assert sorted(mine.data_date) == [pd.Timestamp("2023-10-24"), pd.Timestamp("2023-10-25"), pd.Timestamp("2023-10-26")]
    assert set(mine.status) == {"success"} and set(mine.processor_name) == {spec.name}
