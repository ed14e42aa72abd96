"""Freshness: built through the newest final game, judged from schedule + run history.

built_through = the newest date <= the newest final game whose newest run succeeded
(sql/checks/freshness.sql). Every expected value below is worked out by hand from the rows.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.automation.freshness import FRESHNESS_SQL, evaluate

D = dt.date
PGS = "player_game_summary"
TODAY = D(2024, 1, 14)


def at(hour: int) -> dt.datetime:
    """A run's started_at: later hour, newer run."""
    return dt.datetime(2024, 1, 20, hour)


def load(warehouse, games, built):
    """games: (game_date, game_status[, game_id]): a repeated game_id is a re-scrape.
    built: (processor, data_date, status[, started_at]): one run-history row each."""
    games = [g if len(g) == 3 else (*g, f"g{i}") for i, g in enumerate(games)]
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": [g for _, _, g in games], "game_date": [d for d, _, _ in games],
                      "game_status": [s for _, s, _ in games], "home_team_tricode": "DEN",
                      "away_team_tricode": "LAL"}),
    )
    if built:
        rows = [b if len(b) == 4 else (*b, None) for b in built]
        warehouse.load_dataframe(
            "nba_reference.processor_run_history",
            pd.DataFrame({"processor_name": [r[0] for r in rows], "data_date": [r[1] for r in rows],
                          "status": [r[2] for r in rows], "run_id": [f"run{i}" for i in range(len(rows))],
                          "started_at": pd.to_datetime(pd.Series([r[3] for r in rows], dtype="object"))}),
        )


def check(warehouse, asset=PGS, today=TODAY):
    result = evaluate(warehouse, asset, today=today)
    metadata = {key: value.value for key, value in result.metadata.items()}
    days = metadata.get("days_behind")
    assert days is None or days >= 0, f"negative days_behind: {metadata}"
    return result.passed, metadata


def test_behind_when_the_newest_final_game_is_not_built(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3), (D(2024, 1, 13), 1)],  # 01-13 not final yet
        built=[(PGS, D(2024, 1, 10), "success"), (PGS, D(2024, 1, 12), "failed")],
    )
    passed, metadata = check(warehouse)
    assert not passed
    assert metadata["built_through"] == "2024-01-10"
    assert metadata["days_behind"] == 2  # 01-12 minus 01-10
    assert metadata["fix"] == "nba-backfill backfill --start 2024-01-11 --end 2024-01-12 --select player_game_summary"


def test_fresh_when_built_through_the_newest_final_game(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 12), "success"), (PGS, D(2024, 1, 13), "success")],
    )
    passed, metadata = check(warehouse)
    # 01-13 (after the newest final game) does not count: built through 01-12, not 01-13 / -1 day
    assert passed and metadata["built_through"] == "2024-01-12" and metadata["days_behind"] == 0
    assert "fix" not in metadata
    # another processor's history does not count for this one
    assert not check(warehouse, "team_offense_game_summary")[0]


def test_success_after_the_newest_final_game_never_counts(warehouse):
    # the issue: a widened backfill wrote success (and skipped) rows past the Finals, and the
    # check said days_behind -129 and passed. Finals 2024-06-14 (re-scraped: 1, then 3);
    # 06-17 is scheduled, never final. The newest final game itself was refused (skipped).
    load(
        warehouse,
        games=[(D(2024, 6, 12), 3), (D(2024, 6, 14), 1, "finals"), (D(2024, 6, 14), 3, "finals"),
               (D(2024, 6, 17), 1)],
        built=[(PGS, D(2024, 6, 12), "success"), (PGS, D(2024, 6, 14), "skipped"),
               (PGS, D(2024, 6, 15), "success"), (PGS, D(2024, 6, 16), "skipped"),
               (PGS, D(2024, 6, 17), "success"), (PGS, D(2024, 10, 21), "success")],
    )
    passed, metadata = check(warehouse, today=D(2024, 10, 23))
    assert not passed
    assert metadata["latest_final_game_date"] == "2024-06-14"
    assert metadata["built_through"] == "2024-06-12"  # not 10-21 (would be -129 days)
    assert metadata["days_behind"] == 2
    assert metadata["fix"] == "nba-backfill backfill --start 2024-06-13 --end 2024-06-14 --select player_game_summary"


def test_success_after_the_newest_final_game_when_built_through_it(warehouse):
    load(
        warehouse,
        games=[(D(2024, 6, 12), 3), (D(2024, 6, 14), 3)],
        built=[(PGS, D(2024, 6, 12), "success"), (PGS, D(2024, 6, 14), "success"),
               (PGS, D(2024, 6, 17), "success"), (PGS, D(2024, 10, 21), "success")],
    )
    passed, metadata = check(warehouse, today=D(2024, 10, 23))
    assert passed and metadata["built_through"] == "2024-06-14" and metadata["days_behind"] == 0
    # the SQL itself, not only the check's guard, stops at the newest final game
    row = warehouse.query(FRESHNESS_SQL, {"processor_name": PGS, "today": D(2024, 10, 23)}).iloc[0]
    assert pd.Timestamp(row.built_through).date() == D(2024, 6, 14) and row.days_behind == 0


def test_a_newer_skipped_or_failed_run_unbuilds_the_date(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 10), "success", at(1)),
               (PGS, D(2024, 1, 12), "success", at(1)), (PGS, D(2024, 1, 12), "skipped", at(2))],
    )
    passed, metadata = check(warehouse)
    assert not passed and metadata["built_through"] == "2024-01-10" and metadata["days_behind"] == 2


def test_a_newer_success_over_an_older_skip_is_built(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 12), "failed", at(1)), (PGS, D(2024, 1, 12), "skipped", at(2)),
               (PGS, D(2024, 1, 12), "success", at(3))],
    )
    passed, metadata = check(warehouse)
    assert passed and metadata["built_through"] == "2024-01-12" and metadata["days_behind"] == 0


def test_a_tie_on_started_at_is_not_built(warehouse):
    # same started_at (or none at all): the non-success row wins, the pessimistic reading
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 10), "success"), (PGS, D(2024, 1, 10), "skipped"),
               (PGS, D(2024, 1, 12), "success", at(5)), (PGS, D(2024, 1, 12), "failed", at(5))],
    )
    passed, metadata = check(warehouse)
    assert not passed and metadata["built_through"] == "never built" and metadata["days_behind"] is None


def test_never_built(warehouse):
    # a failed run, a skipped run, and a success only after the newest final game: never built
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 10), "failed"), (PGS, D(2024, 1, 12), "skipped"), (PGS, D(2024, 1, 13), "success")],
    )
    passed, metadata = check(warehouse)
    assert not passed
    assert metadata["built_through"] == "never built" and metadata["days_behind"] is None
    assert metadata["fix"] == "nba-backfill backfill --start 2024-01-12 --end 2024-01-12 --select player_game_summary"

    empty_history = check(warehouse, "team_offense_game_summary")
    assert not empty_history[0] and empty_history[1]["built_through"] == "never built"


def test_built_through_exactly_the_newest_final_game(warehouse):
    # the frontier is what counts: an older hole (01-10 failed) is for `plan`, not freshness;
    # a built no-game day (01-11) counts as built
    load(
        warehouse,
        games=[(D(2024, 1, 8), 3), (D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 8), "success"), (PGS, D(2024, 1, 10), "failed"),
               (PGS, D(2024, 1, 11), "success"), (PGS, D(2024, 1, 12), "success")],
    )
    passed, metadata = check(warehouse)
    assert passed and metadata["built_through"] == "2024-01-12" and metadata["days_behind"] == 0


def test_a_built_no_game_day_is_the_frontier_when_the_game_is_not(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[(PGS, D(2024, 1, 10), "success"), (PGS, D(2024, 1, 11), "success")],
    )
    passed, metadata = check(warehouse)
    assert not passed and metadata["built_through"] == "2024-01-11" and metadata["days_behind"] == 1
    assert metadata["fix"] == "nba-backfill backfill --start 2024-01-12 --end 2024-01-12 --select player_game_summary"


def test_games_today_are_not_expected_yet(warehouse):
    load(warehouse, games=[(D(2024, 1, 12), 3), (D(2024, 1, 14), 3)], built=[(PGS, D(2024, 1, 12), "success")])
    passed, metadata = check(warehouse)
    assert passed and metadata["latest_final_game_date"] == "2024-01-12" and metadata["days_behind"] == 0


def test_empty_schedule_passes_with_a_note(warehouse):
    passed, metadata = check(warehouse)
    assert passed and "no final games" in metadata["note"]
