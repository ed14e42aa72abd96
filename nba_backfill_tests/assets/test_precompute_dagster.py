"""Phase 4 through Dagster: one range run builds the five assets in the SPEC §4 order, so
PCF reads the TDZA and PSZA rows built moments before in the same run."""


from __future__ import annotations

import dagster as dg
import pytest

from nba_backfill import catalog
from nba_backfill.assets.tables import tables_asset
from nba_backfill.checks.refusal import IGNORE_TAG
from nba_backfill_tests.support.handmade_phase3 import day, load, read, tiny_season

SPECS = catalog.tables_in("precompute")

RANGE_START, RANGE_END = day(12), day(16)  # two bootstrap days, then three real ones


@pytest.fixture
def run(warehouse):
    load(warehouse, tiny_season())
    result = dg.materialize(
        [tables_asset(SPECS)],
        resources={"warehouse": warehouse},
        tags={"dagster/asset_partition_range_start": RANGE_START.isoformat(),
              "dagster/asset_partition_range_end": RANGE_END.isoformat(),
              # The hand-made season has no raw box scores, so Gate 0 (and checks sized for
              # a real league) would refuse its dates; this test is about order, not gates.
              IGNORE_TAG: "true"},
    )
    return warehouse, result


def test_one_range_run_builds_phase4_in_dependency_order(run):
    warehouse, result = run
    assert result.success
    # one step builds every table; its materializations come table by table, in build order
    order = list(dict.fromkeys(
        e.asset_key.to_user_string() for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"))
    assert sorted(order) == sorted(SPECS)
    for before, after in (("team_defense_zone_analysis", "player_composite_factors"),
                          ("player_shot_zone_analysis", "player_composite_factors"),
                          ("player_composite_factors", "ml_feature_store_v2"),
                          ("player_daily_cache", "ml_feature_store_v2"),
                          ("player_shot_zone_analysis", "player_daily_cache")):
        assert order.index(before) < order.index(after), (before, after)
    # one run for the whole range: five run-history dates per asset
    history = read(warehouse, "nba_reference.processor_run_history")
    assert set(history.run_id) == {result.run_id}
    assert history.groupby("processor_name").data_date.nunique().to_dict() == {n: 5 for n in SPECS}
    started = history.groupby("processor_name").started_at.min()
    assert started["team_defense_zone_analysis"] < started["player_composite_factors"] < started["ml_feature_store_v2"]


def test_pcf_uses_the_same_dates_tdza_and_psza_rows_of_the_run(run):
    warehouse, _ = run
    pcf = read(warehouse, "nba_precompute.player_composite_factors")
    tdza = read(warehouse, "nba_precompute.team_defense_zone_analysis")
    psza = read(warehouse, "nba_precompute.player_shot_zone_analysis")
    assert set(pcf.game_date) == {day(14), day(15), day(16)}  # nothing on bootstrap days
    joined = pcf.merge(tdza, left_on=["opponent_team_abbr", "game_date"],
                       right_on=["team_abbr", "analysis_date"], suffixes=("", "_tdza"))
    assert len(joined) > 0 and joined.has_opponent_defense_analysis.all()
    column = {"paint": "paint_defense_vs_league_avg", "mid_range": "mid_range_defense_vs_league_avg",
              "perimeter": "three_pt_defense_vs_league_avg"}
    for row in joined.itertuples():
        assert row.opponent_zone_defense_vs_league_avg == pytest.approx(
            getattr(row, column[row.mismatch_zone]))
    with_zones = pcf.merge(psza, left_on=["player_lookup", "game_date"],
                           right_on=["player_lookup", "analysis_date"])
    assert len(with_zones) > 0 and with_zones.has_shot_zone_analysis.all()
    assert len(with_zones) == pcf.has_shot_zone_analysis.sum()


def test_lookbacks_live_in_the_specs_and_dagster_sees_same_date_deps():
    """Offset mappings widen a UI backfill past its range (FACTS.md): every dependency is
    same-date for Dagster, and the reach is kept in the spec (guard, plan) and metadata."""
    asset = tables_asset(SPECS)
    tdza = dg.AssetKey("team_defense_zone_analysis")
    assert asset.get_partition_mapping_for_dep(dg.AssetKey("team_defense_game_summary")) is None or isinstance(
        asset.get_partition_mapping_for_dep(dg.AssetKey("team_defense_game_summary")), dg.IdentityPartitionMapping)
    lookback = next(u for u in SPECS["team_defense_zone_analysis"].upstream if u.asset == "team_defense_game_summary")
    assert (lookback.lookback, lookback.same_date) == (60, False)  # earlier dates only
    assert asset.specs_by_key[tdza].metadata["lookbacks"]["team_defense_game_summary"] == 60
    pcf = asset.specs_by_key[dg.AssetKey("player_composite_factors")]
    assert {"team_defense_zone_analysis", "player_shot_zone_analysis", "upcoming_player_game_context"} <= {
        dep.asset_key.to_user_string() for dep in pcf.deps}
    season = next(u for u in SPECS["player_daily_cache"].upstream if u.asset == "player_game_summary")
    assert season.lookback >= 252  # the longest season: opener to its last day
    assert {asset.group_names_by_key[k] for k in asset.keys} == {"precompute"}
    assert asset.specs_by_key[dg.AssetKey("ml_feature_store_v2")].metadata["table"] == "nba_predictions.ml_feature_store_v2"
