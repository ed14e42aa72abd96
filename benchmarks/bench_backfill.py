"""Benchmark: demo data, a one-season Phase 3 backfill, and the full Phase 3+4 backfill.

    .venv/bin/python benchmarks/bench_backfill.py [--seasons 2021-22,...] [--phase3-season 2023-24]

Works in a temporary warehouse and Dagster instance; prints wall times, the warehouse size,
rows per table and the quality-tier shares of non-bootstrap feature-store rows.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seasons", default="2021-22,2022-23,2023-24,2024-25")
    parser.add_argument("--phase3-season", default="2023-24")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    tmp = Path(tempfile.mkdtemp(prefix="nba_bench_"))
    os.environ["NBA_BACKFILL_DUCKDB_PATH"] = str(tmp / "warehouse.duckdb")
    os.environ["DAGSTER_HOME"] = str(tmp / "dagster_home")

    from nba_backfill import backfill
    from nba_backfill.definitions import build_definitions
    from nba_backfill.demo.write import write_demo_data
    from nba_backfill.partitions import load_calendar

    calendar = load_calendar()
    seasons = [calendar.by_label(s) for s in args.seasons.split(",")]
    defs = build_definitions()
    warehouse = defs.resources["warehouse"]

    began = time.monotonic()
    rows = write_demo_data(warehouse, seasons, args.seed)
    print(f"demo data, {len(seasons)} seasons: {time.monotonic() - began:.1f}s, "
          f"{sum(rows.values()):,} raw rows, "
          f"{Path(warehouse.path).stat().st_size / 2**20:.0f} MiB on disk")

    one = calendar.by_label(args.phase3_season)
    phase3 = backfill.select_assets(defs, None, ("analytics",))
    began = time.monotonic()
    done = backfill.backfill(defs, phase3, one.opener, one.last_day)
    assert all(r.success for _, r in done), "phase 3 backfill failed"
    print(f"phase 3 backfill, season {one.label}: {time.monotonic() - began:.1f}s in {len(done)} runs")
    print_rows(warehouse, ("nba_analytics",))

    everything = backfill.select_assets(defs, None, ("analytics", "precompute"))
    began = time.monotonic()
    done = backfill.backfill(defs, everything, seasons[0].opener, seasons[-1].last_day)
    assert all(r.success for _, r in done), "full backfill failed"
    print(f"full phase 3+4 backfill, {len(seasons)} seasons: {time.monotonic() - began:.1f}s in {len(done)} runs")

    print_rows(warehouse, ("nba_analytics", "nba_precompute", "nba_predictions", "nba_processing"))
    with warehouse.connect(read_only=True) as connection:
        tiers = connection.execute(
            "SELECT quality_tier, COUNT(*) * 1.0 / SUM(COUNT(*)) OVER () FROM nba_predictions.ml_feature_store_v2 "
            "JOIN nba_reference.season_calendar c ON game_date BETWEEN c.opener AND c.last_day "
            "WHERE DATE_DIFF('day', c.opener, game_date) >= 14 GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    print("MLFS non-bootstrap quality tiers: " + ", ".join(f"{t} {share:.1%}" for t, share in tiers))


def print_rows(warehouse, schemas) -> None:
    """Rows per built table (views, i.e. staging, left out)."""
    with warehouse.connect(read_only=True) as connection:
        for schema in schemas:
            for (table,) in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1", [schema]
            ).fetchall():
                n = connection.execute(f'SELECT COUNT(*) FROM "{schema}"."{table}"').fetchone()[0]
                print(f"  {schema}.{table:<36} {n:>10,}")


if __name__ == "__main__":
    main()
