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

from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import CheckDef, DateResult, Outcome, number, shorten
from nba_backfill.seasons import is_bootstrap

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
        return self.phase4 and is_bootstrap(day) and not (self.bootstrap_rows and actual < expected)

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


def completeness_gate(spec: TableSpec) -> GateCheck:
    """Gate 1 on a Phase 3 table, Gate 2 on a Phase 4 one, as its table.toml declares:
    a shared template for its grain, or its folder's own gate.sql."""
    params = spec.gate
    phase4 = spec.phase == "phase4"
    name, title = (GATE_2, "Gate 2, Phase 4 complete") if phase4 else (GATE_1, "Gate 1, Phase 3 complete")
    what = f"outside bootstrap, {params.what}" if phase4 else params.what
    bindings = {"table": spec.table, "date": spec.date_column}
    if params.template == "team_games":
        bindings["team"] = params.team_column
    return GateCheck(
        asset=spec.name,
        name=name,
        sql_file=f"checks/templates/gate_{params.template}.sql" if params.template else spec.file("gate.sql"),
        bindings=tuple(bindings.items()) if params.template else (),
        description=f"{title} (SPEC §6): {what}. Blocking: downstream assets stop in the same "
        "run and later runs refuse the dates that fail.",
        tables=(spec.table, *params.reads),
        phase4=phase4,
        unit=params.unit,
        bootstrap_rows=params.bootstrap_rows,
    )
