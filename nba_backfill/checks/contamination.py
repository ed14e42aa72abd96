"""Cascade contamination (SPEC §6): rows that exist but hold NULL/zero where a value must
be, because an upstream was missing when they were built.

Per date and critical field, the share of valid rows: ≥ 99% CLEAN, 50-99% PARTIAL,
< 50% CONTAMINATED. A date is as bad as its worst field: CONTAMINATED fails (ERROR),
PARTIAL warns. Each SQL returns ``check_date, rows_checked, valid_<field>...`` and, where
the raw source can be absent, ``source_gap_rows``.

Source gaps are not contamination (SPEC §6): a row whose value is NULL because the raw
source never had the data (no play-by-play for the game, or for a game of the row's
window) is a source gap. The SQL counts such rows apart in ``source_gap_rows`` and leaves
them out of ``rows_checked``, so valid shares are taken over the rows whose raw inputs
exist. A date where every row is a source gap passes with a NO_SOURCE note; a date with
some passes or fails on the rest, and its values and detail say how many were set apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from nba_backfill.checks.core import CheckDef, DateResult, Outcome, is_bootstrap_day, number

NAME = "cascade_contamination"
CLEAN = 0.99
PARTIAL = 0.50
VALID_PREFIX = "valid_"
SOURCE_GAP_ROWS = "source_gap_rows"
NO_SOURCE = "NO_SOURCE"  # the status of a date whose rows are all source gaps


def status(share: float) -> str:
    if share >= CLEAN:
        return "CLEAN"
    return "PARTIAL" if share >= PARTIAL else "CONTAMINATED"


@dataclass(frozen=True)
class ContaminationCheck(CheckDef):
    kind: str = "contamination"
    # what a source-gap row lacks, for the notes ("" when the SQL counts no source gaps)
    source_gap: str = ""

    def judge(self, day: dt.date, row: Mapping[str, object] | None) -> DateResult:
        if self.phase4 and is_bootstrap_day(day):
            return DateResult(day, Outcome.BOOTSTRAP, "bootstrap day: nothing to check")
        checked = number(row, "rows_checked")
        gaps = number(row, SOURCE_GAP_ROWS)
        counted = {SOURCE_GAP_ROWS: gaps} if row and SOURCE_GAP_ROWS in row else {}
        if not row or checked == 0:
            if gaps:
                detail = f"{NO_SOURCE}: all {gaps} rows {self.source_gap or 'lack their raw source'}"
                return DateResult(day, Outcome.PASS, detail, {"rows_checked": 0, **counted, "status": NO_SOURCE})
            return DateResult(day, Outcome.PASS, "", {"rows_checked": 0, **counted, "status": "CLEAN"})
        shares = {
            column[len(VALID_PREFIX):]: number(row, column) / checked
            for column in row
            if column.startswith(VALID_PREFIX)
        }
        worst_field = min(shares, key=lambda f: shares[f])
        worst = status(shares[worst_field])
        values: dict[str, object] = {"rows_checked": checked, **counted, "status": worst}
        values.update({f"{f}_valid_share": round(s, 4) for f, s in shares.items()})
        bad = [f"{f} {s:.0%} valid" for f, s in sorted(shares.items(), key=lambda kv: kv[1]) if s < CLEAN]
        detail = f"{worst}: " + ", ".join(bad) + f" (of {checked} rows)" if bad else ""
        if gaps:
            note = f"{gaps} source-gap rows not judged ({NO_SOURCE}): they {self.source_gap or 'lack their raw source'}"
            detail = f"{detail}; {note}" if detail else note
        outcome = {"CLEAN": Outcome.PASS, "PARTIAL": Outcome.WARN, "CONTAMINATED": Outcome.FAIL}[worst]
        return DateResult(day, outcome, detail, values)


def _check(
    asset: str, table: str, fields: str, extra: tuple[str, ...] = (), phase4: bool = True, source_gap: str = ""
):
    gaps = (
        f" Source gaps (SPEC §6), rows that {source_gap}, are counted apart (NO_SOURCE) and "
        "never judged; a date of only source gaps passes."
        if source_gap else ""
    )
    return ContaminationCheck(
        asset=asset,
        name=NAME,
        sql_file=f"checks/contamination_{asset}.sql",
        description=(
            f"Cascade contamination (SPEC §6): per date, the share of rows with {fields}. "
            "≥ 99% CLEAN, 50-99% PARTIAL (warns), < 50% CONTAMINATED (fails, blocking)." + gaps
        ),
        tables=(table, *extra),
        phase4=phase4,
        source_gap=source_gap,
    )


CONTAMINATION_CHECKS: tuple[ContaminationCheck, ...] = (
    _check(
        "team_defense_game_summary", "nba_analytics.team_defense_game_summary",
        "opp_paint/mid_range/three_pt attempts > 0 (games with shot data)", phase4=False,
        source_gap="lack play-by-play (their game has none in either raw feed)",
    ),
    _check(
        "team_defense_zone_analysis", "nba_precompute.team_defense_zone_analysis",
        "paint/mid_range/three_pt defense_vs_league_avg NOT NULL",
        source_gap="lack play-by-play (no game of the team's window has any in the raw feeds)",
    ),
    _check(
        "player_shot_zone_analysis", "nba_precompute.player_shot_zone_analysis",
        "paint_rate_last_10 NOT NULL and games_in_sample_10 > 0",
        ("nba_analytics.player_game_summary",),
        source_gap="lack play-by-play (a game of the player's last-10 window has none in the raw feeds)",
    ),
    _check(
        "player_composite_factors", "nba_precompute.player_composite_factors",
        "shot_zone_mismatch_score NOT NULL and the opponent's TDZA row present",
        ("nba_analytics.upcoming_player_game_context", "nba_precompute.team_defense_zone_analysis"),
    ),
    _check(
        "player_daily_cache", "nba_precompute.player_daily_cache",
        "points_avg_season NOT NULL and games_played_season > 0",
    ),
    _check(
        "ml_feature_store_v2", "nba_predictions.ml_feature_store_v2",
        "quality_tier NOT NULL and feature 13 (opponent_def_rating) from TDZA, not the default",
        ("nba_analytics.upcoming_player_game_context",),
    ),
)
