"""The asset graph is reviewed as a snapshot: a change to any asset, dependency, partition
mapping, check, job, schedule or sensor fails here until the snapshot is rewritten
(``NBA_BACKFILL_UPDATE_SNAPSHOT=1 pytest nba_backfill_tests/test_definitions.py``) and
its diff is read in review."""

from __future__ import annotations

import json
import os
from pathlib import Path

from nba_backfill.definitions import build_definitions
from nba_backfill_tests.support.graph import snapshot

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.json"
UPDATE_ENV = "NBA_BACKFILL_UPDATE_SNAPSHOT"


def test_the_graph_matches_its_snapshot(tmp_path):
    current = snapshot(build_definitions({"NBA_BACKFILL_DUCKDB_PATH": str(tmp_path / "w.duckdb")}))
    text = json.dumps(current, indent=2, sort_keys=True) + "\n"
    if os.environ.get(UPDATE_ENV):
        SNAPSHOT.write_text(text)
    recorded = json.loads(SNAPSHOT.read_text())
    assert current == recorded, f"the graph changed: review it, then rerun with {UPDATE_ENV}=1"


def test_the_snapshot_holds_every_table_with_its_checks():
    """What the snapshot must say, whatever else changes: ten tables on the game-date
    partitions, same-date mappings only, each with its gate and its freshness check. No
    check of the build blocks in Dagster (the build's guard refuses per date, SPEC §6);
    Gate 0, run on its own, does."""
    assets = json.loads(SNAPSHOT.read_text())["assets"]
    tables = {k: a for k, a in assets.items() if a["group"] in ("analytics", "precompute")}
    assert len(tables) == 10
    for name, table in tables.items():
        gate = "gate_1_phase3_complete" if table["group"] == "analytics" else "gate_2_phase4_complete"
        assert table["checks"][gate] == {"blocking": False}, name
        assert table["checks"]["built_by_deadline"] == {"blocking": False}, name
        assert table["partitions"] == "DailyPartitionsDefinition", name
        assert set(table["deps"].values()) <= {"TimeWindowPartitionMapping(start_offset=0, end_offset=0, "
                                               "allow_nonexistent_upstream_partitions=False)"}, name
    assert assets["nbac_schedule"]["checks"] == {"gate_0_raw_readiness": {"blocking": True}}
