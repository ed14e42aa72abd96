"""Stored materializations per second: Dagster's SQLite event log against the pooled one
the local instance uses (nba_backfill/event_log.py), each in a fresh DAGSTER_HOME.

    .venv/bin/python benchmarks/bench_event_log.py [--events 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DAGSTER_STORAGE = ""  # an empty dagster.yaml: Dagster's own SQLite storage
POOLED_STORAGE = """instance_class:
  module: nba_backfill.event_log
  class: LocalInstance
"""


def ms_per_event(config: str, events: int) -> float:
    import dagster as dg

    with tempfile.TemporaryDirectory(prefix="bench-events-") as home:
        Path(home, "dagster.yaml").write_text(config)
        os.environ["DAGSTER_HOME"] = home
        with dg.DagsterInstance.get() as instance:
            began = time.perf_counter()
            for i in range(events):
                event = dg.AssetMaterialization(asset_key="bench", partition=str(i), metadata={"rows": i})
                instance.report_runless_asset_event(event)
            return (time.perf_counter() - began) / events * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    dagster = ms_per_event(DAGSTER_STORAGE, args.events)
    pooled = ms_per_event(POOLED_STORAGE, args.events)
    print(f"Dagster's SQLite event log: {dagster:5.2f} ms per materialization")
    print(f"pooled (local dagster.yaml): {pooled:5.2f} ms per materialization ({dagster / pooled:.1f}x faster)")


if __name__ == "__main__":
    main()
