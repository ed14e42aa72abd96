"""Freshness: built through the newest final game, judged from schedule + run history."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.automation.freshness import evaluate

D = dt.date


def load(warehouse, games, built):
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": [f"g{i}" for i in range(len(games))], "game_date": [d for d, _ in games],
                      "game_status": [s for _, s in games]}),
    )
    if built:
        warehouse.load_dataframe(
            "nba_reference.processor_run_history",
            pd.DataFrame({"processor_name": [p for p, _, _ in built], "data_date": [d for _, d, _ in built],
                          "status": [s for _, _, s in built]}),
        )


def test_behind_when_the_newest_final_game_is_not_built(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3), (D(2024, 1, 13), 1)],  # 01-13 not final yet
        built=[("player_game_summary", D(2024, 1, 10), "success"), ("player_game_summary", D(2024, 1, 12), "failed")],
    )
    result = evaluate(warehouse, "player_game_summary", today=D(2024, 1, 14))
    assert not result.passed
    assert result.metadata["days_behind"].value == 2  # 01-12 minus 01-10
    assert result.metadata["fix"].value == (
        "nba-backfill backfill --start 2024-01-11 --end 2024-01-12 --select player_game_summary"
    )


def test_fresh_when_built_through_the_newest_final_game(warehouse):
    load(
        warehouse,
        games=[(D(2024, 1, 10), 3), (D(2024, 1, 12), 3)],
        built=[("player_game_summary", D(2024, 1, 12), "success"), ("player_game_summary", D(2024, 1, 13), "success")],
    )
    assert evaluate(warehouse, "player_game_summary", today=D(2024, 1, 14)).passed
    # another processor's history does not count for this one
    assert not evaluate(warehouse, "team_offense_game_summary", today=D(2024, 1, 14)).passed


def test_games_today_are_not_expected_yet(warehouse):
    load(warehouse, games=[(D(2024, 1, 12), 3), (D(2024, 1, 14), 3)],
         built=[("player_game_summary", D(2024, 1, 12), "success")])
    assert evaluate(warehouse, "player_game_summary", today=D(2024, 1, 14)).passed


def test_empty_schedule_passes_with_a_note(warehouse):
    result = evaluate(warehouse, "player_game_summary", today=D(2024, 1, 14))
    assert result.passed and "no final games" in result.metadata["note"].value
