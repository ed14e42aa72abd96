"""Failure-rate band (SPEC §5.1): the share of entities in the failure table against the
band for the week of the season; above warns, any PROCESSING_ERROR fails."""

from __future__ import annotations

import pandas as pd
import pytest

from nba_backfill.checks.core import Outcome, run_check
from nba_backfill.checks.failure_rates import FailureRateCheck, band_for
from nba_backfill.checks.registry import all_checks
from nba_backfill_tests.support.league import d
from nba_backfill_tests.support.warehouse_sql import create_table

CHECK = {c.asset: c for c in all_checks() if isinstance(c, FailureRateCheck)}


@pytest.mark.parametrize(
    "day_index, low, high",
    [(0, 0.90, 1.00), (13, 0.90, 1.00), (14, 0.60, 0.75), (20, 0.60, 0.75), (21, 0.40, 0.50),
     (27, 0.40, 0.50), (28, 0.25, 0.30), (59, 0.25, 0.30), (60, 0.15, 0.20), (200, 0.15, 0.20)],
)
def test_band_by_week_of_the_season(day_index, low, high):
    band = band_for(day_index)
    assert (band.low, band.high) == (low, high)


def _failures(day, entities, category="INSUFFICIENT_DATA", processor="player_shot_zone_analysis"):
    return pd.DataFrame({"processor_name": processor, "analysis_date": d(day), "entity_id": entities,
                         "failure_category": category})


def test_player_share_against_the_band(warehouse):
    # 2024-01-02 is day 70 of 2023-24 (band 15-20%), 2023-11-14 day 21 (40-50%)
    rows = pd.DataFrame({
        "analysis_date": [d("2024-01-02")] * 10 + [d("2024-01-03")] * 10 + [d("2023-11-14")] * 10,
        "player_lookup": [f"p{i}" for i in range(10)] * 3,
    })
    create_table(warehouse, "nba_precompute.player_shot_zone_analysis", rows)
    warehouse.load_frames({"nba_processing.precompute_failures": pd.concat([
        _failures("2024-01-02", ["x1", "x2"]),  # 2 of 12 = 16.7%: inside
        _failures("2024-01-02", ["p0"], "INCOMPLETE_DATA"),  # a row AND a failure: 3 of 12 = 25%
        _failures("2024-01-02", ["DATE_LEVEL"], "MISSING_DEPENDENCY"),  # not an entity
        _failures("2024-01-03", ["x1"]),  # 1 of 11 = 9%: below the band is fine
        _failures("2023-11-14", ["x1", "x2", "x3", "x4", "x5", "x6"]),  # 6 of 16 = 37.5%: fine
    ], ignore_index=True)})
    report = run_check(CHECK["player_shot_zone_analysis"], warehouse, d("2023-11-14"), d("2024-01-03"))
    by_day = report.by_day()
    warned = by_day[d("2024-01-02")]
    assert warned.outcome is Outcome.WARN
    assert (warned.values["entities"], warned.values["entities_failed"]) == (12, 3)
    assert warned.detail == "25% of 12 entities failing (3); expected 15%-20% in after day 60"
    assert by_day[d("2024-01-03")].outcome is Outcome.PASS
    assert by_day[d("2023-11-14")].outcome is Outcome.PASS
    assert report.severity == "WARN" and not report.failed


def test_processing_error_fails_even_on_a_bootstrap_day_and_teams_have_no_band(warehouse):
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis",
                 pd.DataFrame({"analysis_date": [d("2023-11-20")], "team_abbr": ["AAA"]}))
    warehouse.load_frames({"nba_processing.precompute_failures": pd.concat([
        _failures("2023-11-20", ["BBB", "CCC", "DDD"], processor="team_defense_zone_analysis"),  # 75%
        _failures("2023-10-30", ["DATE_LEVEL"], "PROCESSING_ERROR", "team_defense_zone_analysis"),
    ], ignore_index=True)})
    report = run_check(CHECK["team_defense_zone_analysis"], warehouse, d("2023-10-30"), d("2023-11-20"))
    by_day = report.by_day()
    assert by_day[d("2023-10-30")].outcome is Outcome.FAIL
    assert by_day[d("2023-10-30")].detail == "1 PROCESSING_ERROR failure rows (a bug)"
    assert by_day[d("2023-11-20")].outcome is Outcome.PASS  # teams: no band
    assert by_day[d("2023-10-31")].outcome is Outcome.BOOTSTRAP
    assert report.severity == "ERROR"
