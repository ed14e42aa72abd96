"""Plant each kind of defect in a small warehouse built by the real factory and checks:
the right check fails on the right dates, the downstream asset is blocked, ``plan`` names
exactly the dates to rebuild (in dependency order, as commands), and after running those
commands everything passes. No false alarms on no-game days, bootstrap days and the
off-season.

The chain (nba_backfill_tests/support/chain.py): TOGS -> TDGS (same date), TOGS -> UPGC
(same date and 2 days back), TDGS -> TDZA (60 earlier days), UPGC + TDZA -> PCF (same
date). League game days: 10-25 (bootstrap), 11-07, 11-08, 11-10, 11-11, 11-13; no games
on 11-09 and 11-12. Every expected plan below is worked out by hand from those reaches.
"""

from __future__ import annotations

from nba_backfill.checks.core import Outcome
from nba_backfill.operations import plan as plan_module
from nba_backfill.operations import status, validate
from nba_backfill_tests.support import chain, league
from nba_backfill_tests.support.chain import ORDER, PCF, SPECS, TDGS, TDZA, TOGS, UPGC
from nba_backfill_tests.support.league import FIRST, LAST, d, game_id
from nba_backfill_tests.support.warehouse_sql import execute

X = game_id(d("2023-11-08"), "CCC", "DDD")
Y = game_id(d("2023-11-10"), "AAA", "BBB")


def make_plan(warehouse):
    return plan_module.make_plan(warehouse, status.coverage(warehouse, FIRST, LAST, SPECS))


def commands(plan) -> list[str]:
    return [c for step in plan.steps for c in step.commands]


def run_plan(chain_defs, warehouse, plan) -> None:
    """What an operator does with the plan: run its commands, in order."""
    for step in plan.steps:
        for first, last in step.ranges:
            assert chain_defs.build(warehouse, step.assets, first, last).success, (step.assets, first, last)


def errors(warehouse) -> dict[tuple[str, str], list]:
    result = validate.validate(warehouse, FIRST, LAST, SPECS)
    return {(r.check.asset, r.check.name): r.days(Outcome.FAIL, Outcome.BLOCKED) for r in result.errors}


def all_pass(warehouse) -> bool:
    return validate.validate(warehouse, FIRST, LAST, SPECS).ok(strict=True) and make_plan(warehouse).ok


def test_missing_raw_game_and_unreconstructable_team(chain_defs, warehouse):
    league.load_raw(warehouse, league.raw_frames(missing_games=[X], no_box=[(Y, "BBB")], active={(Y, "BBB"): 3}))
    chain.write_sources(warehouse)
    assert chain_defs.build(warehouse, ORDER, FIRST, LAST).success

    # Gate 0 fails on exactly the two dates; every same-date reader was refused there
    report = validate.validate(warehouse, FIRST, LAST, SPECS)
    by_check = {(r.check.asset, r.check.name): r for r in report.reports}
    assert by_check[("nbac_schedule", "gate_0_raw_readiness")].days(Outcome.FAIL) == [d("2023-11-08"), d("2023-11-10")]
    for asset in (TOGS, TDGS, UPGC, PCF):
        gate = next(r for (a, _), r in by_check.items() if a == asset and r.check.kind == "gate")
        assert gate.days(Outcome.BLOCKED) == [d("2023-11-08"), d("2023-11-10")] and not gate.failed, asset
    assert [(r.check.asset, r.check.name) for r in report.errors] == [("nbac_schedule", "gate_0_raw_readiness")]

    # nothing can be rebuilt before the raw games are re-loaded
    plan = make_plan(warehouse)
    assert sorted(plan.raw_failures) == [d("2023-11-08"), d("2023-11-10")]
    assert plan.steps == []
    assert {a: [x.isoformat() for x in plan.waiting(a)] for a in ORDER} == {
        TOGS: ["2023-11-08", "2023-11-10"],
        TDGS: ["2023-11-08", "2023-11-10"],
        UPGC: ["2023-11-08", "2023-11-10", "2023-11-11"],  # reads TOGS 2 days back
        TDZA: ["2023-11-10", "2023-11-11", "2023-11-13"],  # reads earlier TDGS dates
        PCF: ["2023-11-08", "2023-11-10", "2023-11-11", "2023-11-13"],
    }

    # the scrapers re-load the raw games
    fix = league.raw_frames(only=[X, Y])
    box = fix["nbac_team_boxscore"]
    fix["nbac_team_boxscore"] = box[(box.game_id == X) | (box.team_abbr == "BBB")]
    fix["nbac_gamebook_player_stats"] = fix["nbac_gamebook_player_stats"].query("game_id == @X")
    league.load_raw(warehouse, {k: v for k, v in fix.items() if k != "nbac_schedule"})

    plan = make_plan(warehouse)
    assert not plan.raw_failures
    assert commands(plan) == [
        "nba-backfill backfill --start 2023-11-08 --end 2023-11-10 --select team_offense_game_summary,team_defense_game_summary",
        "nba-backfill backfill --start 2023-11-08 --end 2023-11-11 --select upcoming_player_game_context",
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-13 --select team_defense_zone_analysis",
        "nba-backfill backfill --start 2023-11-08 --end 2023-11-13 --select player_composite_factors",
    ]
    run_plan(chain_defs, warehouse, plan)
    assert all_pass(warehouse)


def test_upstream_date_deleted_after_phase4_was_built(chain_defs, clean_warehouse):
    warehouse = clean_warehouse
    execute(warehouse, "DELETE FROM nba_analytics.team_offense_game_summary WHERE game_date = DATE '2023-11-10'")

    assert errors(warehouse) == {(TOGS, "gate_1_phase3_complete"): [d("2023-11-10")]}
    # a reader of that date is blocked: the run refuses it and leaves its rows alone
    before = chain.rows_on(warehouse, "nba_analytics.team_defense_game_summary")
    refused = chain_defs.build(warehouse, [TDGS], d("2023-11-10"), d("2023-11-10"))
    assert refused.success and chain.materialized(refused) == set()
    assert chain.rows_on(warehouse, "nba_analytics.team_defense_game_summary") == before

    plan = make_plan(warehouse)
    assert plan.now(TOGS) == [d("2023-11-10")]
    assert commands(plan) == [
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-10 --select team_offense_game_summary,team_defense_game_summary",
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-11 --select upcoming_player_game_context",
        "nba-backfill backfill --start 2023-11-11 --end 2023-11-13 --select team_defense_zone_analysis",
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-13 --select player_composite_factors",
    ]
    assert plan.steps[0].ui == [
        'Dagster UI: select key:"team_offense_game_summary" or key:"team_defense_game_summary", '
        "Materialize, partitions 2023-11-10...2023-11-10"
    ]
    run_plan(chain_defs, warehouse, plan)
    assert all_pass(warehouse)


def test_an_upstream_rebuilt_later_makes_its_readers_stale(chain_defs, clean_warehouse):
    warehouse = clean_warehouse
    assert make_plan(warehouse).ok
    assert chain_defs.build(warehouse, [TDGS], d("2023-11-08"), d("2023-11-08")).success

    plan = make_plan(warehouse)
    # TDZA reads TDGS 1-60 days back: its built dates after 11-08 are stale; PCF reads them
    assert plan.now(TDZA) == [d("2023-11-10"), d("2023-11-11"), d("2023-11-13")]
    assert all(r.startswith("stale: team_defense_game_summary 2023-11-08") for x in plan.now(TDZA)
               for r in plan.needs[TDZA][x].reasons)
    assert commands(plan) == [
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-13 --select team_defense_zone_analysis,player_composite_factors",
    ]
    run_plan(chain_defs, warehouse, plan)
    assert all_pass(warehouse)


def test_nulled_zone_fields_are_contamination(chain_defs, clean_warehouse):
    warehouse = clean_warehouse
    execute(warehouse, "UPDATE nba_precompute.team_defense_zone_analysis SET paint_defense_vs_league_avg = NULL, "
                       "mid_range_defense_vs_league_avg = NULL WHERE analysis_date = DATE '2023-11-11'")

    assert errors(warehouse) == {(TDZA, "cascade_contamination"): [d("2023-11-11")]}
    blocked = chain_defs.build(warehouse, [PCF], d("2023-11-11"), d("2023-11-11"))
    assert blocked.success and chain.materialized(blocked) == set()  # refused, not built

    plan = make_plan(warehouse)
    assert commands(plan) == [
        "nba-backfill backfill --start 2023-11-11 --end 2023-11-11 --select team_defense_zone_analysis,player_composite_factors",
    ]
    run_plan(chain_defs, warehouse, plan)
    assert all_pass(warehouse)


def test_no_false_alarms_on_no_game_days_bootstrap_and_the_off_season(chain_defs, clean_warehouse):
    warehouse = clean_warehouse
    # from inside 2022-23 (no games loaded there), across the off-season, into 2023-24
    start = d("2023-06-01")
    result = validate.validate(warehouse, start, LAST, SPECS)
    assert result.ok(strict=True), [r.summary() for r in result.reports if not r.passed]
    days = [r.day for r in result.reports[0].results]
    assert d("2023-06-12") in days and d("2023-10-24") in days
    assert not any(d("2023-06-13") <= x < d("2023-10-24") for x in days)
    cover = status.coverage(warehouse, start, LAST, SPECS)
    assert cover.complete
    assert cover.cells[TDZA][d("2023-10-25")].state == status.BOOTSTRAP
    assert cover.cells[PCF][d("2023-11-09")].state == status.NO_GAMES
    assert cover.cells[TOGS][d("2023-10-25")].state == status.BUILT
    assert plan_module.make_plan(warehouse, cover).ok
