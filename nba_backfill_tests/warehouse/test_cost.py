"""Dry-run cost estimates: the arithmetic, the parameters each dry run gets, and the dry
runs themselves on the emulator (which validates the SQL but always reports 0 bytes)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from nba_backfill.errors import UserError, WarehouseError
from nba_backfill.warehouse import TableWrite
from nba_backfill.warehouse.bigquery_engine import BigQueryWarehouse
from nba_backfill.warehouse.cost import (
    CostEstimate,
    QueryEstimate,
    estimate_cost,
    human_bytes,
    price_per_tib_from_env,
)
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

D = dt.date
TIB = 2**40
TOY = "../nba_backfill_tests/warehouse/bigquery_sql"
POINTS = TableWrite("nba_analytics.toy_points", f"{TOY}/toy_points.sql", "game_date", ("team_abbr",))
FAILURES = TableWrite(
    "nba_processing.analytics_failures",
    f"{TOY}/toy_points.failures.sql",
    "analysis_date",
    scope={"processor_name": "toy_points"},
)


def test_cost_is_bytes_over_a_tib_times_the_price():
    items = (
        QueryEstimate("nba_analytics.a", D(2023, 11, 1), D(2023, 11, 30), TIB),
        QueryEstimate("nba_analytics.b", D(2023, 11, 1), D(2023, 11, 30), TIB // 2),
    )
    estimate = CostEstimate(items)
    assert estimate.total_bytes == TIB + TIB // 2
    assert estimate.cost_usd == pytest.approx(9.375)  # 1.5 TiB at $6.25
    assert CostEstimate(items, price_per_tib_usd=5.0).cost_usd == pytest.approx(7.5)
    assert estimate.lines() == [
        "nba_analytics.a 2023-11-01..2023-11-30: 1.00 TiB ≈ $6.2500",
        "nba_analytics.b 2023-11-01..2023-11-30: 512.00 GiB ≈ $3.1250",
        "total: 1.50 TiB ≈ $9.38 on demand at $6.25/TiB",
    ]


def test_an_estimate_missing_a_query_says_it_is_a_lower_bound():
    estimate = CostEstimate(
        (
            QueryEstimate("a", D(2023, 11, 1), D(2023, 11, 2), 10 * 2**20),
            QueryEstimate("b", D(2023, 11, 1), D(2023, 11, 2), None, "Not found: Table x"),
        )
    )
    assert not estimate.complete
    assert estimate.lines()[1] == "b 2023-11-01..2023-11-02: not estimated (Not found: Table x)"
    assert estimate.lines()[-1].endswith("(lower bound: some queries could not be estimated)")
    assert human_bytes(512) == "512 B" and human_bytes(3 * 2**30) == "3.00 GiB"


def test_price_per_tib_comes_from_the_environment():
    assert price_per_tib_from_env({}) == 6.25
    assert price_per_tib_from_env({"NBA_BACKFILL_BIGQUERY_PRICE_PER_TIB": "5"}) == 5.0
    with pytest.raises(UserError, match="not a number"):
        price_per_tib_from_env({"NBA_BACKFILL_BIGQUERY_PRICE_PER_TIB": "cheap"})


def test_each_range_of_each_write_is_dry_run_with_the_build_parameters(monkeypatch):
    seen = []

    def fake_dry_run(self, statement, params, **labels):
        seen.append((statement, dict(params), labels))
        return SimpleNamespace(total_bytes_processed=100 * 2**30)

    monkeypatch.setattr(BigQueryWarehouse, "dry_run", fake_dry_run)
    warehouse = BigQueryWarehouse(project="p", dataset_prefix="alice_")
    runs = [(D(2023, 10, 24), D(2023, 12, 31)), (D(2024, 1, 1), D(2024, 3, 31))]
    estimate = estimate_cost(warehouse, [POINTS, FAILURES], params={"fail": False}, ranges=runs)

    assert [(i.name, i.start, i.end) for i in estimate.items] == [
        ("nba_analytics.toy_points", *runs[0]),
        ("nba_analytics.toy_points", *runs[1]),
        ("nba_processing.analytics_failures", *runs[0]),
        ("nba_processing.analytics_failures", *runs[1]),
    ]
    assert estimate.total_bytes == 400 * 2**30
    assert estimate.cost_usd == pytest.approx(400 / 1024 * 6.25)
    statement, params, labels = seen[2]
    assert params["start_date"] == runs[0][0] and params["end_date"] == runs[0][1]
    assert params["processor_name"] == "toy_points" and params["scope_processor_name"] == "toy_points"
    assert params["run_id"] == "estimate"
    assert set(statement.parameters) <= set(params)
    assert "alice_nba_raw.nbac_schedule" in statement.sql  # the sandbox is what gets estimated
    assert labels == {"step": "estimate", "table": "nba_processing.analytics_failures"}


def test_a_missing_parameter_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(BigQueryWarehouse, "dry_run", lambda *a, **k: pytest.fail("must not dry-run"))
    with pytest.raises(UserError, match="parameter.*fail"):
        estimate_cost(BigQueryWarehouse(project="p"), [POINTS], D(2023, 11, 1), D(2023, 11, 2))


def test_only_bigquery_can_estimate(tmp_path):
    with pytest.raises(UserError, match="BigQuery"):
        estimate_cost(DuckDBWarehouse(path=str(tmp_path / "w.duckdb")), [POINTS], D(2023, 11, 1), D(2023, 11, 2))


def test_dry_runs_on_the_emulator_validate_the_sql(bigquery_warehouse):
    params = {"fail": False, "processor_name": "toy_points"}
    estimate = estimate_cost(
        bigquery_warehouse, [POINTS, FAILURES, "reports/daily_built.sql"], D(2023, 11, 1), D(2023, 11, 2), params
    )
    assert estimate.complete
    assert [i.bytes_processed for i in estimate.items] == [0, 0, 0]  # the emulator never counts bytes

    upstream_missing = TableWrite("nba_analytics.x", f"{TOY}/toy_points.sql", "game_date")
    with bigquery_warehouse.get_client() as client:
        client.delete_table(bigquery_warehouse._table_id("nba_raw.nbac_schedule"))
    partial = estimate_cost(bigquery_warehouse, [upstream_missing], D(2023, 11, 1), D(2023, 11, 2), params)
    assert not partial.complete and "not found" in partial.items[0].problem.lower()

    broken = TableWrite("nba_analytics.y", f"{TOY}/toy_broken.sql", "game_date")
    bigquery_warehouse.setup()
    with pytest.raises(WarehouseError, match="no_such_column"):
        estimate_cost(bigquery_warehouse, [broken], D(2023, 11, 1), D(2023, 11, 2), params)
