"""Adding a table is one folder and one line: a toy Phase 3 table, written only as files
in a copy of the SQL tree, appears in the graph with its checks and builds like the others.

The toy copies each team's points per final game from team_offense_game_summary (TOGS),
on the hand-made warehouse (support/handmade.py), so what it must hold is read straight
from TOGS, and where it must be refused follows from the hand-made games: Gate 0 fails
2023-11-02 (G4: BOS has no gamebook rows) and 2023-11-04 (G6: no player rows at all), so
TOGS is refused there, and so is the toy, a same-date reader of TOGS."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from nba_backfill import catalog
from nba_backfill.assets.tables import tables_asset
from nba_backfill.definitions import build_definitions
from nba_backfill.warehouse import sql
from nba_backfill_tests.support import handmade as h
from nba_backfill_tests.support.handmade import D1, D2, D3, D4, D5

TOY = "toy_team_points"
TOGS = "team_offense_game_summary"
FILES = {
    "table.toml": f'''\
description = "A test's toy: each team's points per final game, copied from TOGS."
partition_column = "game_date"
cluster_by = ["team_abbr"]
upstream = [{{ asset = "{TOGS}" }}]

[checks.gate]
template = "team_games"
unit = "team-games"
what = "2 rows per final game"

[checks.contamination]
what = "points_scored > 0"
valid = {{ points_scored = "points_scored > 0" }}

# stored in this order and as FLOAT64, whatever the query yields; its other columns are dropped
[columns]
team_abbr = "STRING"
game_date = "DATE"
game_id = "STRING"
points_scored = "FLOAT64"
''',
    "query.sql": f"""\
-- table:    {TOY} (a test's toy): a team's points per final game.
-- grain:    team x final game in [@start_date, @end_date].
-- inputs:   nba_analytics.{TOGS} (same date only).
SELECT game_date, game_id, team_abbr, opponent_team_abbr, points_scored
FROM nba_analytics.{TOGS}
WHERE game_date BETWEEN @start_date AND @end_date
""",
    "failures.sql": """\
-- failures: none: the toy copies rows that exist or nothing.
SELECT * FROM nba_processing.analytics_failures WHERE FALSE
""",
}


@pytest.fixture
def handmade_warehouse(tmp_path_factory):
    """The hand-made raw rows and Phase 3, TOGS included, built from the real tree (a
    test asks for it before ``toy_tree``, so the toy is not among what it builds)."""
    return h.built_copy(tmp_path_factory, "toy")


@pytest.fixture
def toy_tree(tmp_path, monkeypatch):
    """A copy of sql/ plus the toy's folder and its line in analytics/group.toml."""
    root = tmp_path / "sql"
    shutil.copytree(sql.SQL_DIR, root)
    folder = root / "analytics" / TOY
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text)
    group = root / "analytics" / catalog.GROUP_FILE
    group.write_text(group.read_text().replace("tables = [", f'tables = [\n  "{TOY}",', 1))
    monkeypatch.setenv(sql.SQL_DIR_ENV, str(root))
    return root


def test_the_toy_appears_in_the_graph_with_its_checks(toy_tree, tmp_path):
    spec = catalog.tables()[TOY]
    assert (spec.table, spec.phase, [u.asset for u in spec.upstream]) == (f"nba_analytics.{TOY}", "phase3", [TOGS])
    assert list(catalog.tables()).index(TOY) > list(catalog.tables()).index(TOGS)  # built after what it reads

    graph = build_definitions({"NBA_BACKFILL_DUCKDB_PATH": str(tmp_path / "w.duckdb")}).resolve_asset_graph()
    node = graph.get(dg.AssetKey(TOY))
    assert node.group_name == "analytics" and node.parent_keys == {dg.AssetKey(TOGS)}
    assert {key.name for key in node.check_keys} == {
        "gate_1_phase3_complete", "cascade_contamination", "built_by_deadline",
    }
    assert "A test's toy" in node.description and "grain:    team x final game" in node.description
    schema = node.metadata["dagster/column_schema"]
    assert [(c.name, c.type) for c in schema.columns] == [
        ("team_abbr", "STRING"), ("game_date", "DATE"), ("game_id", "STRING"), ("points_scored", "FLOAT64"),
    ]


def test_the_toy_builds_checks_and_is_refused_where_its_upstream_fails(handmade_warehouse, toy_tree):
    warehouse = handmade_warehouse
    result = dg.materialize(
        [tables_asset(catalog.tables())],
        selection=[TOGS, TOY],
        resources={"warehouse": warehouse},
        instance=dg.DagsterInstance.ephemeral(),
        tags={"dagster/asset_partition_range_start": D1.isoformat(),
              "dagster/asset_partition_range_end": D5.isoformat()},
        raise_on_error=False,
    )
    assert result.success
    built = {e.materialization.partition for e in result.get_asset_materialization_events()
             if e.asset_key == dg.AssetKey(TOY)}
    assert built == {d.isoformat() for d in (D1, D3, D5)}  # D3: no final game, built empty

    with warehouse.connect(read_only=True) as connection:
        stored = connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [TOY]).fetchall()
    assert stored == [("team_abbr", "VARCHAR"), ("game_date", "DATE"), ("game_id", "VARCHAR"),
                      ("points_scored", "DOUBLE")]  # the declaration's order and types
    togs = h.table(warehouse, f"nba_analytics.{TOGS}")
    expected = togs[togs.game_date.isin([D1, D5])][["team_abbr", "game_date", "game_id", "points_scored"]]
    expected = expected.astype({"points_scored": float})
    toy = h.table(warehouse, f"nba_analytics.{TOY}")
    key = ["game_date", "game_id", "team_abbr"]
    assert toy.sort_values(key).reset_index(drop=True).equals(expected.sort_values(key).reset_index(drop=True))

    # each check: the refused dates on their own partitions (blocked), then the range
    evaluations = [e for e in result.get_asset_check_evaluations() if e.asset_key == dg.AssetKey(TOY)]
    for check in ("gate_1_phase3_complete", "cascade_contamination"):
        mine = [e for e in evaluations if e.check_name == check]
        assert sorted(e.partition for e in mine if e.partition) == [D2.isoformat(), D4.isoformat()], check
        assert [e.metadata["dates_blocked"].value for e in mine if not e.partition] == [2], check


def test_a_table_without_declared_columns_is_refused_with_its_path(toy_tree):
    toml = toy_tree / "analytics" / TOY / "table.toml"
    toml.write_text(toml.read_text().split("# stored in this order")[0])
    catalog.load.cache_clear()
    try:
        with pytest.raises(ValueError, match=rf"{TOY}/table.toml declares no \[columns\]"):
            catalog.tables()
    finally:
        catalog.load.cache_clear()
