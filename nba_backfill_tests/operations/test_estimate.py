"""`plan --estimate`: every season of every planned write is dry-run once (a build runs one
statement per table and season).

BigQuery's dry-run byte counts are the one part nothing local can produce (the emulator
always says 0), so the dry run itself is replaced by a fixed answer here; the emulator
test in warehouse/test_cost.py shows the real dry runs accept the SQL.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from nba_backfill.operations.estimate import describe, estimate_plan
from nba_backfill.operations.plan import Step
from nba_backfill.warehouse.bigquery_engine import BigQueryWarehouse

D = dt.date
GIB = 2**30


def test_each_season_of_each_planned_write_is_dry_run(monkeypatch):
    seen = []

    def fake_dry_run(self, statement, params, **labels):
        seen.append((labels["table"], params["start_date"], params["end_date"]))
        return SimpleNamespace(total_bytes_processed=100 * GIB)

    monkeypatch.setattr(BigQueryWarehouse, "dry_run", fake_dry_run)
    # 2023-06-10 .. 2023-10-25 holds the 2022-23 Finals' last 3 days and the 2023-24 opening 2
    plan = SimpleNamespace(
        steps=[Step(["team_offense_game_summary"], [(D(2023, 6, 10), D(2023, 10, 25))], 5),
               Step(["player_daily_cache"], [(D(2024, 3, 1), D(2024, 3, 2))], 2)]
    )
    estimate = estimate_plan(BigQueryWarehouse(project="p"), plan, price_per_tib_usd=6.25)

    assert sorted(seen) == sorted([
        ("nba_analytics.team_offense_game_summary", D(2023, 6, 10), D(2023, 6, 12)),
        ("nba_analytics.team_offense_game_summary", D(2023, 10, 24), D(2023, 10, 25)),
        ("nba_processing.analytics_failures", D(2023, 6, 10), D(2023, 6, 12)),
        ("nba_processing.analytics_failures", D(2023, 10, 24), D(2023, 10, 25)),
        ("nba_precompute.player_daily_cache", D(2024, 3, 1), D(2024, 3, 2)),
        ("nba_processing.precompute_failures", D(2024, 3, 1), D(2024, 3, 2)),
    ])
    lines = describe(estimate)
    # 6 dry runs x 100 GiB = 600 GiB = 0.5859375 TiB x $6.25 = $3.66
    assert lines[-1] == "  total: 600.00 GiB ≈ $3.66 on demand at $6.25/TiB"
    toga = next(line for line in lines if "team_offense_game_summary" in line)
    assert "200.00 GiB" in toga and "$1.2207" in toga  # two seasons; 200/1024 x 6.25
