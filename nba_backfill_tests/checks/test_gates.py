"""Gates 0, 1 and 2 over hand-made tables: the right dates fail, with the right reasons;
no-game days, bootstrap days and the off-season never do."""

from __future__ import annotations

import pandas as pd

from nba_backfill.checks.core import Outcome, run_check
from nba_backfill.checks.gates import RAW_READINESS, GateCheck
from nba_backfill.checks.registry import Evaluator, all_checks
from nba_backfill_tests.support import chain, league
from nba_backfill_tests.support.league import d, game_id, load_raw, raw_frames
from nba_backfill_tests.support.warehouse_sql import create_table

GATE = {c.asset: c for c in all_checks() if isinstance(c, GateCheck)}
X = game_id(d("2023-11-08"), "CCC", "DDD")  # missing raw game
Y = game_id(d("2023-11-10"), "AAA", "BBB")  # BBB: no box score, 3 active players
Z = game_id(d("2023-11-11"), "BBB", "CCC")  # CCC: no box score, but 5 active players


def outcomes(report) -> dict:
    return {r.day.isoformat(): r.outcome for r in report.results}


def test_gate0_fails_exactly_the_dates_whose_raw_games_are_not_ready(warehouse):
    frames = raw_frames(missing_games=[X], no_box=[(Y, "BBB"), (Z, "CCC")], active={(Y, "BBB"): 3, (Z, "CCC"): 5})
    # a re-scrape: the same 2023-11-13 game, first scraped as scheduled (status 1) earlier
    first = frames["nbac_schedule"].iloc[[-1]].assign(game_status=1, processed_at=pd.Timestamp("2023-11-13", tz="UTC"))
    # a game that is only scheduled, on a date without final games
    scheduled = frames["nbac_schedule"].iloc[[-1]].assign(
        game_id="20231112_AAA_BBB", game_date=d("2023-11-12"), game_status=1)
    frames["nbac_schedule"] = pd.concat([frames["nbac_schedule"], first, scheduled], ignore_index=True)
    load_raw(warehouse, frames)

    report = run_check(RAW_READINESS, warehouse, d("2023-11-05"), d("2023-11-13"))

    assert outcomes(report) == {
        "2023-11-05": Outcome.NO_GAMES, "2023-11-06": Outcome.NO_GAMES,
        "2023-11-07": Outcome.PASS,
        "2023-11-08": Outcome.FAIL,  # X has nothing
        "2023-11-09": Outcome.NO_GAMES,
        "2023-11-10": Outcome.FAIL,  # Y: BBB can be neither read nor reconstructed
        "2023-11-11": Outcome.PASS,  # Z: CCC reconstructs from 5 active players
        "2023-11-12": Outcome.NO_GAMES,  # scheduled, not final: not due
        "2023-11-13": Outcome.PASS,  # the final scrape of a re-scraped game counts
    }
    by_day = report.by_day()
    assert by_day[d("2023-11-08")].values == {"expected": 2, "actual": 1}
    assert X in by_day[d("2023-11-08")].detail and "no gamebook rows" in by_day[d("2023-11-08")].detail
    assert "BBB: no team box score and only 3 active gamebook players" in by_day[d("2023-11-10")].detail
    assert report.severity == "ERROR"
    assert report.rebuild_commands() == [
        "re-load the raw games, then: nba-backfill plan --start 2023-11-08 --end 2023-11-10"
    ]


def test_gates_skip_the_off_season_and_pass_no_game_days(warehouse):
    load_raw(warehouse, raw_frames())
    # 2022-23 ends 2023-06-12, 2023-24 opens 2023-10-24: the days between are no partitions
    report = run_check(RAW_READINESS, warehouse, d("2023-06-01"), d("2023-10-26"))
    days = [r.day for r in report.results]
    assert days[:12] == [d(f"2023-06-{n:02d}") for n in range(1, 13)]
    assert days[12:] == [d("2023-10-24"), d("2023-10-25"), d("2023-10-26")]
    assert outcomes(report)["2023-10-25"] == Outcome.PASS
    assert report.passed and report.severity == "OK"


def test_gate1_counts_team_games_and_gamebook_players(warehouse):
    load_raw(warehouse, raw_frames())
    togs = league.togs_rows()
    togs = togs[~((togs.game_id == Y) & (togs.team_abbr == "BBB"))]  # one team-game missing
    togs = togs[togs.game_date != d("2023-11-11")]  # a whole date missing
    create_table(warehouse, "nba_analytics.team_offense_game_summary", togs)
    upgc = league.upgc_rows()
    upgc = upgc[~((upgc.game_date == d("2023-11-07")) & (upgc.player_lookup == "cccsix"))]
    create_table(warehouse, "nba_analytics.upcoming_player_game_context", upgc)

    report = run_check(GATE["team_offense_game_summary"], warehouse, d("2023-11-07"), d("2023-11-13"))
    assert outcomes(report) == {
        "2023-11-07": Outcome.PASS, "2023-11-08": Outcome.PASS, "2023-11-09": Outcome.NO_GAMES,
        "2023-11-10": Outcome.FAIL, "2023-11-11": Outcome.FAIL, "2023-11-12": Outcome.NO_GAMES,
        "2023-11-13": Outcome.PASS,
    }
    by_day = report.by_day()
    assert by_day[d("2023-11-10")].values == {"expected": 4, "actual": 3}
    assert by_day[d("2023-11-10")].detail == f"1 of 4 team-games missing: {Y}:BBB"
    assert by_day[d("2023-11-11")].values == {"expected": 4, "actual": 0}
    assert report.rebuild_commands() == [
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-11 --select team_offense_game_summary"
    ]

    upgc_report = run_check(GATE["upcoming_player_game_context"], warehouse, d("2023-11-07"), d("2023-11-08"))
    first = upgc_report.by_day()[d("2023-11-07")]
    assert first.outcome is Outcome.FAIL and first.values == {"expected": 24, "actual": 23}
    assert first.detail.endswith(f"{game_id(d('2023-11-07'), 'AAA', 'CCC')}:cccsix")


def test_gate1_expects_inactive_gamebook_players_in_upgc_too(warehouse):
    gid = game_id(d("2023-11-07"), "AAA", "CCC")
    load_raw(warehouse, raw_frames(active={(gid, "AAA"): 5}))  # aaasix is inactive
    upgc = league.upgc_rows([d("2023-11-07")])
    create_table(warehouse, "nba_analytics.upcoming_player_game_context", upgc[upgc.player_lookup != "aaasix"])
    report = run_check(GATE["upcoming_player_game_context"], warehouse, d("2023-11-07"), d("2023-11-07"))
    assert report.results[0].outcome is Outcome.FAIL and f"{gid}:aaasix" in report.results[0].detail


def test_gate2_tdza_rows_for_teams_meeting_the_minimum_failures_for_the_others(warehouse):
    load_raw(warehouse, raw_frames())
    # AAA defended every day from the opener: 14 games before 2023-11-07 (day 14, minimum
    # 5 + 14 // 3 = 9). The others have only their 2023-10-25 game.
    tdgs = pd.DataFrame(
        [{"game_id": f"g{i}", "game_date": d("2023-10-24") + pd.Timedelta(days=i), "defending_team_abbr": "AAA"}
         for i in range(14)]
        + [{"game_id": "h", "game_date": d("2023-10-25"), "defending_team_abbr": t} for t in ("BBB", "CCC", "DDD")]
    )
    tdgs["game_date"] = [pd.Timestamp(x).date() for x in tdgs.game_date]
    create_table(warehouse, "nba_analytics.team_defense_game_summary", tdgs)
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis",
                 pd.DataFrame({"analysis_date": [d("2023-11-05")], "team_abbr": ["ZZZ"]}))
    failures = pd.DataFrame({
        "processor_name": "team_defense_zone_analysis", "analysis_date": d("2023-11-07"),
        "entity_id": ["AAA", "BBB", "CCC"], "failure_category": "INSUFFICIENT_DATA",
    })
    warehouse.load_dataframe("nba_processing.precompute_failures", failures)

    report = run_check(GATE["team_defense_zone_analysis"], warehouse, d("2023-10-24"), d("2023-11-07"))
    by_day = report.by_day()
    assert by_day[d("2023-10-25")].outcome is Outcome.BOOTSTRAP  # games, no rows: by rule
    assert by_day[d("2023-10-24")].outcome is Outcome.BOOTSTRAP
    last = by_day[d("2023-11-07")]
    # AAA meets the minimum: a failure row is not enough. DDD is under it without a failure row.
    assert last.outcome is Outcome.FAIL and last.values == {"expected": 4, "actual": 2}
    assert last.detail == "2 of 4 entities missing: AAA (14 games, minimum 9), DDD (1 games, minimum 9)"


def test_gate2_pdc_needs_rows_from_three_games_played(warehouse):
    load_raw(warehouse, raw_frames())
    # aaaone: 3 games played before 2023-11-08; aaatwo: 2; the rest: none (game_id: every PGS
    # row has one, and shared/player_games numbers played games in (game_date, game_id) order)
    played = []
    for day in ("2023-10-25", "2023-11-07", "2023-11-08"):
        played.append({"game_date": d(day), "game_id": f"{day}_aaaone", "player_lookup": "aaaone", "is_active": True,
                       "minutes_played": 30.0})
    for day in ("2023-10-25", "2023-11-07"):
        played.append({"game_date": d(day), "game_id": f"{day}_aaatwo", "player_lookup": "aaatwo", "is_active": True,
                       "minutes_played": 20.0})
    played.append({"game_date": d("2023-11-07"), "game_id": "2023-11-07_aaathree", "player_lookup": "aaathree",
                   "is_active": True, "minutes_played": 0.0})
    create_table(warehouse, "nba_analytics.player_game_summary", pd.DataFrame(played))
    create_table(warehouse, "nba_precompute.player_daily_cache",
                 pd.DataFrame({"cache_date": [d("2023-11-10")], "player_lookup": ["bbbone"]}))
    failures = pd.DataFrame({
        "processor_name": "player_daily_cache", "analysis_date": d("2023-11-10"),
        "entity_id": [p for p in league.TEAM_OF if p not in ("aaaone", "bbbone")],
        "failure_category": "INSUFFICIENT_DATA",
    })
    warehouse.load_dataframe("nba_processing.precompute_failures", failures)
    # 2023-11-10: AAA@BBB, DDD@CCC. aaaone has 3 games and no row; bbbone has a row; the
    # others have fewer than 3 games and a failure row.
    report = run_check(GATE["player_daily_cache"], warehouse, d("2023-11-10"), d("2023-11-10"))
    (result,) = report.results
    assert result.outcome is Outcome.FAIL and result.values == {"expected": 24, "actual": 23}
    assert result.detail.endswith("aaaone (3 games)")


def test_a_gate_on_a_missing_table_fails_every_game_day_and_nothing_else(warehouse):
    load_raw(warehouse, raw_frames())
    report = run_check(GATE["player_composite_factors"], warehouse, d("2023-11-05"), d("2023-11-09"))
    assert outcomes(report) == {
        "2023-11-05": Outcome.BOOTSTRAP, "2023-11-06": Outcome.BOOTSTRAP, "2023-11-07": Outcome.FAIL,
        "2023-11-08": Outcome.FAIL, "2023-11-09": Outcome.NO_GAMES,
    }
    assert "does not exist yet" in report.by_day()[d("2023-11-07")].detail


def test_a_gate_failure_caused_upstream_is_blocked_not_failed(warehouse):
    load_raw(warehouse, raw_frames(missing_games=[X]))
    togs = league.togs_rows()
    togs = togs[togs.game_id != X]  # not built: its raw game is missing
    togs = togs[~((togs.game_id == Z) & (togs.team_abbr == "CCC"))]  # lost, raw is fine
    create_table(warehouse, "nba_analytics.team_offense_game_summary", togs)

    evaluator = Evaluator(warehouse, chain.SPECS)
    report = evaluator.report(GATE["team_offense_game_summary"], d("2023-11-07"), d("2023-11-11"))
    assert outcomes(report)["2023-11-08"] is Outcome.BLOCKED
    assert outcomes(report)["2023-11-11"] is Outcome.FAIL
    assert "blocked by upstream: nbac_schedule gate_0_raw_readiness fail" in report.by_day()[d("2023-11-08")].detail
    assert report.severity == "ERROR" and report.failed

    # a downstream reader of TOGS and the gamebook on the same date: refused on both dates
    refused = evaluator.upstream_failures(chain.UPGC, d("2023-11-07"), d("2023-11-11"))
    assert sorted(refused) == [d("2023-11-08"), d("2023-11-11")]
    assert any("gate_0_raw_readiness" in r for r in refused[d("2023-11-08")])
    assert refused[d("2023-11-11")] == [
        f"team_offense_game_summary gate_1_phase3_complete fail (1 of 4 team-games missing: {Z}:CCC)"
    ]
    # a reader through a lookback only (TDZA reads earlier TDGS dates) is never refused
    assert evaluator.upstream_failures(chain.TDZA, d("2023-11-07"), d("2023-11-11")) == {}
