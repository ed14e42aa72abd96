"""Freshness with deadlines: Phase 3 of a game date built by 10:00 US/Eastern the next
morning, Phase 4 by 12:00; WARN when late, ERROR after 2 hours; pass on no-game days, in
the off-season and before the deadline. The clock is the test's; every expected number is
worked out by hand from the rows and the time (US/Eastern is UTC-5 in January, UTC-4 from
the second Sunday of March)."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from nba_backfill.automation.freshness import CHECK_NAME, evaluate
from nba_backfill_tests.support.automation import et, record_runs

D = dt.date
PGS, PCF = "player_game_summary", "player_composite_factors"
PHASES = {PGS: "phase3", PCF: "phase4"}
GAME_DAY = D(2024, 1, 10)
TEAMS = [("LAL", "DEN"), ("BOS", "MIL"), ("NYK", "MIA")]


def schedule(warehouse, games):
    """games: (game_date, game_status) each, a game id as the schedule writes it."""
    ids = [f"{d:%Y%m%d}_{TEAMS[i % 3][0]}_{TEAMS[i % 3][1]}" for i, (d, _) in enumerate(games)]
    warehouse.load_dataframe("nba_raw.nbac_schedule", pd.DataFrame({
        "game_id": ids, "game_date": [d for d, _ in games], "game_status": [s for _, s in games],
        "away_team_tricode": [TEAMS[i % 3][0] for i in range(len(games))],
        "home_team_tricode": [TEAMS[i % 3][1] for i in range(len(games))],
    }))


def judge(warehouse, now):
    """(passed, severity, metadata as plain values) per asset."""
    out = {}
    for asset, verdict in evaluate(warehouse, PHASES, now).items():
        result = verdict.result()
        metadata = {k: v.value for k, v in result.metadata.items()}
        for minutes in (metadata.get("minutes_late") or {}).values():
            assert minutes >= 0, metadata
        out[asset] = (result.passed, result.severity, metadata)
    return out


def test_before_either_deadline_nothing_is_late(warehouse):
    schedule(warehouse, [(GAME_DAY, 3)])
    for now in (et(2024, 1, 10, 23), et(2024, 1, 11, 9, 59), et(2024, 1, 11, 10, 0)):  # 10:00 sharp: on time
        verdicts = judge(warehouse, now)
        assert verdicts[PGS][0] and verdicts[PCF][0], now
        assert verdicts[PGS][2]["note"] == "every date with final games is built, or not due yet"


def test_phase3_late_warns_then_errors_after_two_hours(warehouse):
    schedule(warehouse, [(GAME_DAY, 3), (GAME_DAY, 3)])
    passed, severity, metadata = judge(warehouse, et(2024, 1, 11, 10, 30))[PGS]
    assert not passed and severity == dg.AssetCheckSeverity.WARN
    assert metadata["late_dates"] == {"2024-01-10": "0h 30m late"}
    assert metadata["minutes_late"] == {"2024-01-10": 30}
    assert metadata["fix"] == "nba-backfill backfill --start 2024-01-10 --end 2024-01-10 --select player_game_summary"
    assert metadata["deadline"].startswith("phase3: 10:00 US/Eastern")
    assert judge(warehouse, et(2024, 1, 11, 10, 30))[PCF][0]  # Phase 4 is due at 12:00

    passed, severity, metadata = judge(warehouse, et(2024, 1, 11, 12, 0))[PGS]
    assert not passed and severity == dg.AssetCheckSeverity.WARN  # exactly 2 hours: still WARN
    passed, severity, metadata = judge(warehouse, et(2024, 1, 11, 12, 1))[PGS]
    assert not passed and severity == dg.AssetCheckSeverity.ERROR
    assert metadata["minutes_late"] == {"2024-01-10": 121}


def test_phase4_has_its_own_deadline(warehouse):
    schedule(warehouse, [(GAME_DAY, 3)])
    record_runs(warehouse, [(PGS, GAME_DAY, "success")])  # Phase 3 built in time
    verdicts = judge(warehouse, et(2024, 1, 11, 12, 1))
    assert verdicts[PGS][0]
    assert not verdicts[PCF][0] and verdicts[PCF][1] == dg.AssetCheckSeverity.WARN
    assert verdicts[PCF][2]["minutes_late"] == {"2024-01-10": 1}
    late = judge(warehouse, et(2024, 1, 11, 14, 30))[PCF]
    assert late[1] == dg.AssetCheckSeverity.ERROR and late[2]["late_dates"] == {"2024-01-10": "2h 30m late"}


def test_built_dates_pass_and_a_newer_refusal_unbuilds(warehouse):
    schedule(warehouse, [(D(2024, 1, 9), 3), (GAME_DAY, 3)])
    record_runs(warehouse, [(PGS, D(2024, 1, 9), "success"), (PGS, GAME_DAY, "success"),
                            (PCF, D(2024, 1, 9), "success"), (PCF, GAME_DAY, "success")],
                started_at=dt.datetime(2024, 1, 11, 6))
    assert all(v[0] for v in judge(warehouse, et(2024, 1, 11, 15)).values())
    record_runs(warehouse, [(PCF, GAME_DAY, "skipped", "refused: a gate failed")], run_id="later",
                started_at=dt.datetime(2024, 1, 11, 7))
    verdicts = judge(warehouse, et(2024, 1, 11, 15))
    assert verdicts[PGS][0]
    assert verdicts[PCF][2]["late_dates"] == {"2024-01-10": "3h 00m late"}


def test_several_late_dates_and_how_late_each_is(warehouse):
    schedule(warehouse, [(D(2024, 1, 8), 3), (D(2024, 1, 9), 3), (GAME_DAY, 3)])
    record_runs(warehouse, [(PGS, D(2024, 1, 8), "success")])
    passed, severity, metadata = judge(warehouse, et(2024, 1, 11, 10, 45))[PGS]
    # 01-09 was due 01-10 10:00 (24h45m ago), 01-10 is due 01-11 10:00 (45 min ago)
    assert metadata["minutes_late"] == {"2024-01-09": 24 * 60 + 45, "2024-01-10": 45}
    assert severity == dg.AssetCheckSeverity.ERROR  # the worst date decides
    assert metadata["fix"] == "nba-backfill backfill --start 2024-01-09 --end 2024-01-10 --select player_game_summary"


def test_no_game_days_and_games_not_final_are_never_late(warehouse):
    # 01-10 has no game at all; 01-11's game never became final (postponed or scrape behind)
    schedule(warehouse, [(D(2024, 1, 9), 3), (D(2024, 1, 11), 1)])
    record_runs(warehouse, [(PGS, D(2024, 1, 9), "success"), (PCF, D(2024, 1, 9), "success")])
    for now in (et(2024, 1, 11, 13), et(2024, 1, 12, 18)):
        assert all(v[0] for v in judge(warehouse, now).values()), now


def test_off_season_passes_with_a_note(warehouse):
    schedule(warehouse, [(D(2024, 6, 17), 3)])  # the Finals, never built
    passed, _, metadata = judge(warehouse, et(2024, 8, 1, 12))[PGS]
    assert passed and metadata["checked_dates"] == "off-season"
    assert metadata["note"] == "off-season: no game date to be late"
    # two days after the Finals the window still holds them: late
    assert not judge(warehouse, et(2024, 6, 19, 12))[PGS][0]


def test_an_old_hole_is_plans_not_a_missed_deadline(warehouse):
    # a date 20 days back, never built: outside the 14-day window
    schedule(warehouse, [(D(2023, 12, 21), 3), (GAME_DAY, 3)])
    record_runs(warehouse, [(PGS, GAME_DAY, "success")])
    passed, _, metadata = judge(warehouse, et(2024, 1, 11, 11))[PGS]
    assert passed and metadata["checked_dates"] == "2023-12-28 .. 2024-01-10"


def test_deadlines_are_eastern_wall_clock_across_daylight_saving(warehouse):
    # clocks went forward on 2024-03-10: 10:00 EDT on 03-11 is 14:00 UTC (not 15:00)
    schedule(warehouse, [(D(2024, 3, 10), 3)])
    now = dt.datetime(2024, 3, 11, 14, 30, tzinfo=dt.timezone.utc)
    assert judge(warehouse, now)[PGS][2]["minutes_late"] == {"2024-03-10": 30}


def test_the_check_as_dagster_runs_it(warehouse):
    from nba_backfill.automation.freshness import freshness_check

    schedule(warehouse, [(GAME_DAY, 3)])
    check = freshness_check(PGS, "phase3", clock=lambda: et(2024, 1, 11, 13))
    spec = next(iter(check.check_specs))
    assert spec.name == CHECK_NAME and "10:00 US/Eastern" in spec.description and "turn it on/off" in spec.description
    result = dg.materialize([dg.AssetSpec(PGS), check], resources={"warehouse": warehouse},
                            selection=dg.AssetSelection.checks(dg.AssetCheckKey(dg.AssetKey(PGS), CHECK_NAME)))
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["minutes_late"].value == {"2024-01-10": 180}
