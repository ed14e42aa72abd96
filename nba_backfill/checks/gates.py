"""Quality gates (SPEC §6): per date, is everything there that the schedule's final games
say should be?

- Gate 0, raw readiness, on ``nbac_schedule``: every final game has both teams' box-score
  line (or ≥ 5 active gamebook players to reconstruct it) and gamebook rows.
- Gate 1, Phase 3 complete, on each Phase 3 asset: its rows for every final game.
- Gate 2, Phase 4 complete, on each Phase 4 asset: rows for the teams / players the rules
  say (the failure-rate band and PROCESSING_ERROR live in ``failure_rates``).

A date without final games, and for Phase 4 a bootstrap day, is complete by definition.
Each gate's SQL returns ``check_date, expected, actual, missing`` per date with games.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from nba_backfill.checks.core import CheckDef, DateResult, Outcome, is_bootstrap_day, number, shorten

GATE_0 = "gate_0_raw_readiness"
GATE_1 = "gate_1_phase3_complete"
GATE_2 = "gate_2_phase4_complete"


@dataclass(frozen=True)
class GateCheck(CheckDef):
    unit: str = "rows"  # what expected/actual count, for messages
    kind: str = "gate"
    # the feature store writes placeholder rows on bootstrap days (SPEC §3): a bootstrap
    # day without them was not built, and plan/gaps must say so
    bootstrap_rows: bool = False

    def _bootstrap(self, day: dt.date, expected: int, actual: int) -> bool:
        return self.phase4 and is_bootstrap_day(day) and not (self.bootstrap_rows and actual < expected)

    def judge(self, day: dt.date, row: Mapping[str, object] | None) -> DateResult:
        expected, actual = number(row, "expected"), number(row, "actual")
        values = {"expected": expected, "actual": actual}
        if self._bootstrap(day, expected, actual):
            return DateResult(day, Outcome.BOOTSTRAP, "bootstrap day: no rows by rule", values)
        if expected == 0:
            return DateResult(day, Outcome.NO_GAMES, "", values)
        if actual >= expected:
            return DateResult(day, Outcome.PASS, "", values)
        missing = shorten(row.get("missing") if row else None)
        if self.raw:
            what = f"{expected - actual} of {expected} final games not ready"
        elif actual == 0:
            what = "no rows"
        else:
            what = f"{expected - actual} of {expected} {self.unit} missing"
        return DateResult(day, Outcome.FAIL, f"{what}: {missing}" if missing else what, values)

    def missing_table(self, day: dt.date, table: str, final_games: int) -> DateResult:
        """Nothing was ever built: every date with final games is missing."""
        values = {"expected": final_games, "actual": 0}
        if self._bootstrap(day, final_games, 0):
            return DateResult(day, Outcome.BOOTSTRAP, "bootstrap day: no rows by rule", values)
        if final_games == 0:
            return DateResult(day, Outcome.NO_GAMES, "", values)
        return DateResult(day, Outcome.FAIL, f"no rows: {table} does not exist yet", values)


RAW_READINESS = GateCheck(
    asset="nbac_schedule",
    name=GATE_0,
    sql_file="checks/gate0_raw_readiness.sql",
    description=(
        "Gate 0, raw readiness (SPEC §6): every final game in the schedule has both teams' "
        "box-score line, or ≥ 5 active gamebook players to reconstruct it, and gamebook rows. "
        "Phase 3/4 assets reading the box score or gamebook refuse dates that fail it."
    ),
    guards=("nbac_team_boxscore", "nbac_gamebook_player_stats"),
    raw=True,
    unit="games",
)


def _phase3(name: str, unit: str, what: str) -> GateCheck:
    return GateCheck(
        asset=name,
        name=GATE_1,
        sql_file=f"checks/gate1_{name}.sql",
        description=f"Gate 1, Phase 3 complete (SPEC §6): {what}. Blocking: downstream assets "
        "stop in the same run and later runs refuse the dates that fail.",
        tables=(f"nba_analytics.{name}",),
        unit=unit,
    )


def _phase4(
    name: str, table: str, what: str, extra: tuple[str, ...] = (), bootstrap_rows: bool = False
) -> GateCheck:
    return GateCheck(
        asset=name,
        name=GATE_2,
        sql_file=f"checks/gate2_{name}.sql",
        description=f"Gate 2, Phase 4 complete (SPEC §6): outside bootstrap, {what}. Blocking: "
        "downstream assets stop in the same run and later runs refuse the dates that fail.",
        tables=(table, *extra),
        phase4=True,
        unit="entities",
        bootstrap_rows=bootstrap_rows,
    )


PHASE3_GATES = (
    _phase3("team_offense_game_summary", "team-games", "2 rows per final game"),
    _phase3("team_defense_game_summary", "team-games", "2 rows per final game"),
    _phase3("player_game_summary", "team-games", "player rows for both teams of every final game"),
    _phase3("upcoming_player_game_context", "players", "a row for every gamebook player of the final games"),
    _phase3("upcoming_team_game_context", "team-games", "2 rows per final game"),
)

PHASE4_GATES = (
    _phase4(
        "team_defense_zone_analysis", "nba_precompute.team_defense_zone_analysis",
        "a TDZA row for every team playing that meets the minimum games (others: a failure row)",
        ("nba_analytics.team_defense_game_summary",),
    ),
    _phase4(
        "player_shot_zone_analysis", "nba_precompute.player_shot_zone_analysis",
        "a PSZA row for every player of the date's games that meets the minimum games",
        ("nba_analytics.player_game_summary",),
    ),
    _phase4(
        "player_composite_factors", "nba_precompute.player_composite_factors",
        "a PCF row for every player of the date's games",
    ),
    _phase4(
        "player_daily_cache", "nba_precompute.player_daily_cache",
        "a PDC row for every player of the date's games with ≥ 3 games played (others: a failure row)",
        ("nba_analytics.player_game_summary",),
    ),
    _phase4(
        "ml_feature_store_v2", "nba_predictions.ml_feature_store_v2",
        "an MLFS row for every player of the date's games (on bootstrap days, a placeholder row)",
        bootstrap_rows=True,
    ),
)

GATES: tuple[GateCheck, ...] = (RAW_READINESS, *PHASE3_GATES, *PHASE4_GATES)
