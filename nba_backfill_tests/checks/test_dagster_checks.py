"""The checks as Dagster records them, on a chain built by the real table build: a failed
date stops only that date and its same-date readers (SPEC §6 "one date, one verdict");
refused dates are not built, not materialized, recorded as skipped and failed per
partition; the range evaluation lists every date's outcome and the rebuild commands."""

from __future__ import annotations

import dagster as dg
import pandas as pd
from sqlglot import exp

from nba_backfill.assets.raw import RAW_ASSETS
from nba_backfill.checks.dagster_checks import raw_checks
from nba_backfill.checks.refusal import IGNORE_TAG
from nba_backfill_tests.support import chain, league
from nba_backfill_tests.support.chain import ORDER, PCF, TDGS, TDZA, TOGS, UPGC  # noqa: F401
from nba_backfill_tests.support.league import d, game_id

X = game_id(d("2023-11-08"), "CCC", "DDD")  # raw game missing
Y = game_id(d("2023-11-10"), "AAA", "BBB")  # BBB: no box score and 3 active players
Z = game_id(d("2023-11-11"), "BBB", "CCC")
GAME_DAYS_AFTER_BOOTSTRAP = [day for day in league.GAME_DAYS if not league.is_bootstrap(day)]


def test_a_failed_gate_stops_only_its_date_downstream(chain_defs, warehouse):
    league.load_raw(warehouse, league.raw_frames())
    # TOGS loses a team-game the raw data has: a problem of TOGS itself, on 2023-11-11 only
    chain.write_sources(warehouse, drop={TOGS: pd.DataFrame({"game_id": [Z], "team_abbr": ["CCC"]})})
    first, last = d("2023-11-07"), d("2023-11-13")
    chain_defs.build(warehouse, ORDER, league.FIRST, d("2023-11-06"))  # what the lookbacks read
    result = chain_defs.build(warehouse, ORDER, first, last)

    assert result.success  # a bad date is not a failed run
    week = set(pd.date_range(first, last).date)
    bad = d("2023-11-11")
    built = chain.materialized_dates(result)
    assert built[TOGS] == week  # built (with its hole), and its gate says so
    for reader in (TDGS, UPGC, PCF):  # same-date readers: every date but the bad one
        assert built[reader] == week - {bad}, reader
    assert built[TDZA] == week  # reads TDGS on earlier dates only: its window reports the hole

    per_date = chain.date_evaluations(result)
    gate = per_date[(TOGS, "gate_1_phase3_complete", bad)]
    assert not gate.passed and gate.severity == dg.AssetCheckSeverity.ERROR
    assert f"1 of 4 team-games missing: {Z}:CCC" in gate.description
    refused = per_date[(TDGS, "gate_1_phase3_complete", bad)]
    assert not refused.passed and refused.severity == dg.AssetCheckSeverity.ERROR
    assert "refused: team_offense_game_summary gate_1_phase3_complete fail" in refused.description
    assert {day for (asset, _, day) in per_date if asset == TOGS} == {bad}

    summary = chain.evaluations(result)[(TOGS, "gate_1_phase3_complete")]
    assert not summary.passed and summary.severity == dg.AssetCheckSeverity.ERROR
    meta = {k: v.value for k, v in summary.metadata.items()}
    assert meta["failing_dates"] == ["2023-11-11"] and meta["blocked_dates"] == []
    assert meta["outcomes_by_date"] == {
        "pass": ["2023-11-07..2023-11-08", "2023-11-10", "2023-11-13"],
        "no_games": ["2023-11-09", "2023-11-12"],
        "fail": ["2023-11-11"],
    }
    assert meta["dates_checked"] == 7 and meta["dates_fail"] == 1
    assert f"| 2023-11-11 | fail | 1 of 4 team-games missing: {Z}:CCC |" in meta["problems"]
    assert meta["rebuild_commands"] == (
        "nba-backfill backfill --start 2023-11-11 --end 2023-11-11 --select team_offense_game_summary"
    )


def test_dates_whose_upstream_gate_failed_are_refused_and_recorded(chain_defs, warehouse):
    league.load_raw(warehouse, league.raw_frames(missing_games=[X], no_box=[(Y, "BBB")], active={(Y, "BBB"): 3}))
    chain.write_sources(warehouse)  # complete: only the refusal keeps rows out
    result = chain_defs.build(warehouse, ORDER, league.FIRST, league.LAST)
    assert result.success  # refused dates warn; they do not fail the run

    refused = {d("2023-11-08"), d("2023-11-10")}
    for name, table in [(TOGS, "nba_analytics.team_offense_game_summary"),
                        (TDGS, "nba_analytics.team_defense_game_summary"),
                        (UPGC, "nba_analytics.upcoming_player_game_context")]:
        assert set(chain.rows_on(warehouse, table)) == set(league.GAME_DAYS) - refused, name
    # TDZA reads earlier TDGS dates only: nothing refused; PCF reads UPGC on the date: refused
    assert set(chain.rows_on(warehouse, "nba_precompute.team_defense_zone_analysis", "analysis_date")) == set(
        GAME_DAYS_AFTER_BOOTSTRAP)
    assert set(chain.rows_on(warehouse, "nba_precompute.player_composite_factors")) == set(
        GAME_DAYS_AFTER_BOOTSTRAP) - refused

    checks = chain.evaluations(result)
    for asset, name in [(TOGS, "gate_1_phase3_complete"), (TDGS, "gate_1_phase3_complete"),
                        (UPGC, "gate_1_phase3_complete"), (PCF, "gate_2_phase4_complete")]:
        evaluation = checks[(asset, name)]
        assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN, asset  # none FAILed here
        assert evaluation.metadata["blocked_dates"].value == ["2023-11-08", "2023-11-10"], asset
    assert checks[(TDZA, "gate_2_phase4_complete")].passed

    # refused dates are not materialized; each is failed on its own partition, with why
    assert chain.materialized_dates(result)[TOGS] == set(pd.date_range(league.FIRST, league.LAST).date) - refused
    per_date = chain.date_evaluations(result)
    reason = per_date[(TOGS, "gate_1_phase3_complete", d("2023-11-10"))]
    assert not reason.passed and "nbac_schedule gate_0_raw_readiness fail" in reason.description
    # 2023-11-09 has no games: one command covers both refused dates
    assert checks[(TOGS, "gate_1_phase3_complete")].metadata["rebuild_commands"].value == (
        "nba-backfill backfill --start 2023-11-08 --end 2023-11-10 --select team_offense_game_summary")

    history = warehouse.query_expression(
        exp.select("data_date", "status", "skip_reason").from_("nba_reference.processor_run_history")
        .where(exp.column("processor_name").eq(exp.Literal.string(TOGS)))
    )
    skipped = history[history.status == "skipped"]
    assert sorted(pd.Timestamp(x).date() for x in skipped.data_date) == sorted(refused)
    assert all("nbac_schedule gate_0_raw_readiness fail" in r for r in skipped.skip_reason)
    # every other day of 2023-10-24 .. 2023-11-13 (21 days) was built
    assert (history.status == "success").sum() == 21 - 2


def test_a_run_of_only_refused_dates_builds_nothing_and_says_why(chain_defs, warehouse):
    league.load_raw(warehouse, league.raw_frames(missing_games=[X]))
    chain.write_sources(warehouse)
    instance = dg.DagsterInstance.ephemeral()
    result = chain_defs.build(warehouse, [TOGS], d("2023-11-08"), d("2023-11-08"), instance=instance)
    assert result.success and chain.materialized(result) == set()
    assert not warehouse.table_exists("nba_analytics.team_offense_game_summary")  # nothing was built
    (refused,) = chain.date_evaluations(result).values()
    assert not refused.passed and "gate_0_raw_readiness fail" in refused.description
    tags = instance.get_run_by_id(result.run_id).tags
    assert (tags["nba_backfill/dates_built"], tags["nba_backfill/dates_refused"]) == ("0", "1")

    # an operator may override the gates for one run, deliberately
    forced = chain_defs.build(warehouse, [TOGS], d("2023-11-08"), d("2023-11-08"), tags={IGNORE_TAG: "true"})
    assert chain.materialized(forced) == {TOGS}
    assert chain.rows_on(warehouse, "nba_analytics.team_offense_game_summary") == {d("2023-11-08"): 4}


def test_gate0_runs_as_a_check_on_the_raw_schedule(warehouse):
    league.load_raw(warehouse, league.raw_frames(missing_games=[X]))
    defs = dg.Definitions(
        assets=RAW_ASSETS,
        asset_checks=raw_checks(),  # Gate 0
        jobs=[dg.define_asset_job("raw_readiness", selection=dg.AssetSelection.checks_for_assets("nbac_schedule"))],
        resources={"warehouse": warehouse},
    )
    config = {"ops": {"nbac_schedule_gate_0_raw_readiness": {"config": {"start": "2023-11-07", "end": "2023-11-09"}}}}
    result = defs.resolve_job_def("raw_readiness").execute_in_process(
        run_config=config, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    (evaluation,) = chain.evaluations(result).values()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["failing_dates"].value == ["2023-11-08"]
    assert evaluation.metadata["date_range"].value == "2023-11-07 .. 2023-11-09"


def test_a_check_run_on_its_own_checks_every_date(chain_defs, clean_warehouse):
    """The UI's "Execute" on one check: no partition, no build; every date is checked."""
    from nba_backfill.partitions import game_date_partitions
    from nba_backfill.seasons import load_calendar

    key = dg.AssetCheckKey(dg.AssetKey(TOGS), "gate_1_phase3_complete")
    result = dg.materialize(
        [chain_defs.tables], selection=dg.AssetSelection.checks(key), resources={"warehouse": clean_warehouse},
        instance=dg.DagsterInstance.ephemeral(), run_config=chain.QUIET,
    )
    assert result.success and chain.materialized(result) == set()
    seasons = [e.event_specific_data for e in result.all_events
               if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.partition is None]
    assert len(seasons) == len(load_calendar().seasons)  # one range evaluation per season
    assert all(s.passed for s in seasons)
    checked = sum(s.metadata["dates_checked"].value for s in seasons)
    assert checked == len(game_date_partitions().get_partition_keys())
