"""A five-asset chain built by the real table build (``tables_asset``) from pass-through SQL, so Dagster-level
tests control exactly what each build writes (and can plant defects) without depending
on the Phase 3/4 SQL:

  raw ──► team_offense_game_summary ──► team_defense_game_summary ──(lookback 60, earlier
      │        │                                  dates only)──► team_defense_zone_analysis
      │        └─(same date + 2 earlier)─► upcoming_player_game_context ─┐      │
      └─(gamebook, same date)──────────────────┘                         ▼      ▼
                                                          player_composite_factors

Each asset's SQL is ``SELECT * FROM nba_raw.src_<asset>``: a hand-made table holding what
a complete build would write. The SQL folders live in a temporary copy of ``sql/`` (the
real raw, staging, checks, reports, ... folders are linked into it).

The fixtures over it (``chain_defs``, ``clean_template``, ``clean_warehouse``) are in
nba_backfill_tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

import dagster as dg
import pandas as pd
from sqlglot import exp

from nba_backfill.assets.tables import tables_asset
from nba_backfill.catalog import Upstream
from nba_backfill.checks.dagster_checks import raw_checks
from nba_backfill_tests.support import league
from nba_backfill_tests.support.specs import scratch_spec
from nba_backfill_tests.support.sql_tree import sql_tree as pass_through_tree
from nba_backfill_tests.support.warehouse_sql import create_table

TOGS, TDGS, UPGC = "team_offense_game_summary", "team_defense_game_summary", "upcoming_player_game_context"
TDZA, PCF = "team_defense_zone_analysis", "player_composite_factors"
ORDER = [TOGS, TDGS, UPGC, TDZA, PCF]


def _spec(name, dataset, group, phase, date_column, upstream):
    return scratch_spec(name, dataset, group, phase, date_column, upstream, f"test pass-through {name}")


SPECS = {
    s.name: s
    for s in (
        _spec(TOGS, "nba_analytics", "analytics", "phase3", "game_date", [
            Upstream("nbac_schedule"), Upstream("nbac_team_boxscore"), Upstream("nbac_gamebook_player_stats")]),
        _spec(TDGS, "nba_analytics", "analytics", "phase3", "game_date", [Upstream(TOGS)]),
        _spec(UPGC, "nba_analytics", "analytics", "phase3", "game_date", [
            Upstream("nbac_gamebook_player_stats"), Upstream(TOGS, lookback=2)]),
        _spec(TDZA, "nba_precompute", "precompute", "phase4", "analysis_date", [
            Upstream(TDGS, lookback=60, same_date=False)]),
        _spec(PCF, "nba_precompute", "precompute", "phase4", "game_date", [Upstream(UPGC), Upstream(TDZA)]),
    )
}
SOURCES = {
    TOGS: league.togs_rows, TDGS: league.tdgs_rows, UPGC: league.upgc_rows,
    TDZA: league.tdza_rows, PCF: league.pcf_rows,
}
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def sql_tree(root: Path):
    """The SQL tree with the chain's pass-through queries (``support/sql_tree.py``)."""
    return pass_through_tree(root, {name: f"SELECT * FROM nba_raw.src_{name}" for name in SPECS})


class Chain:
    """The chain's assets and checks, built once the SQL tree is in place."""

    def __init__(self):
        self.tables = tables_asset(SPECS)  # the chain's checks inside
        self.defs = dg.Definitions(assets=[self.tables], asset_checks=raw_checks())

    def build(
        self, warehouse, names: Sequence[str], start: dt.date, end: dt.date,
        instance: dg.DagsterInstance | None = None,
        tags: dict[str, str] | None = None,
    ) -> dg.ExecuteInProcessResult:
        """One range run of ``names`` and their checks (as `nba-backfill backfill` does)."""
        return dg.materialize(
            [self.tables],
            selection=list(names),
            resources={"warehouse": warehouse},
            instance=instance or dg.DagsterInstance.ephemeral(),
            tags={"dagster/asset_partition_range_start": start.isoformat(),
                  "dagster/asset_partition_range_end": end.isoformat(), **(tags or {})},
            run_config=QUIET,
            raise_on_error=False,
        )


def write_sources(warehouse, drop: dict[str, pd.DataFrame] | None = None) -> None:
    """The complete rows of every asset into nba_raw.src_<asset> (``drop``: rows to leave
    out, by asset, matched on all their columns)."""
    for name, rows in SOURCES.items():
        frame = rows()
        if drop and name in drop:
            merged = frame.merge(drop[name], how="left", indicator=True)
            frame = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
        create_table(warehouse, f"nba_raw.src_{name}", frame)


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return set(materialized_dates(result))


def materialized_dates(result: dg.ExecuteInProcessResult) -> dict[str, set[dt.date]]:
    """The dates each asset was materialized on in the run."""
    found: dict[str, set[dt.date]] = {}
    for e in result.all_events:
        if e.event_type_value == "ASSET_MATERIALIZATION":
            partition = e.event_specific_data.materialization.partition
            found.setdefault(e.asset_key.to_user_string(), set()).add(dt.date.fromisoformat(partition))
    return found


def evaluations(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], object]:
    """Each check's range evaluation (the one without a partition)."""
    return {
        (e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name): e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.partition is None
    }


def date_evaluations(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str, dt.date], object]:
    """Each check's per-date evaluations (dates that were not clean)."""
    return {
        (e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name,
         dt.date.fromisoformat(e.event_specific_data.partition)): e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.partition
    }


def rows_on(warehouse, table: str, column: str = "game_date") -> dict[dt.date, int]:
    """Rows per date of a table."""
    query = (
        exp.select(exp.column(column).as_("day"), exp.func("COUNT", exp.Star()).as_("n"))
        .from_(exp.to_table(table))
        .group_by(exp.column(column))
    )
    frame = warehouse.query_expression(query)
    return {pd.Timestamp(day).date(): int(n) for day, n in zip(frame.day, frame.n)}


def clean_build(chain_: Chain, warehouse, instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    """Complete raw data and sources, and one run building the whole chain over the league."""
    league.load_raw(warehouse, league.raw_frames())
    write_sources(warehouse)
    result = chain_.build(warehouse, ORDER, league.FIRST, league.LAST, instance)
    assert result.success
    return result
