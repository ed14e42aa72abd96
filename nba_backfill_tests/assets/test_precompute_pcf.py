"""player_composite_factors (SPEC §3): hand-worked players for every branch, and a pandas
re-derivation of the tiny season from its Phase 3 frames and the built PSZA/TDZA rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nba_backfill_tests.support.handmade_phase3 import (
    OPENER,
    PRIOR_SEASON_DAYS,
    assert_rows_match,
    build_phase4,
    day,
    read,
)
from nba_backfill_tests.support.warehouse_sql import create_table

TABLE = "nba_precompute.player_composite_factors"
RATE = {"paint": "paint_rate_last_10", "mid_range": "mid_range_rate_last_10",
        "perimeter": "three_pt_rate_last_10"}
VERSUS = {"paint": "paint_defense_vs_league_avg", "mid_range": "mid_range_defense_vs_league_avg",
          "perimeter": "three_pt_defense_vs_league_avg"}


def _clamp(x, lo, hi):
    return max(lo, min(hi, x))


def _value(row, column, default):
    value = row.get(column)
    return default if value is None or pd.isna(value) else value


def expected_pcf(upgc: pd.DataFrame, psza: pd.DataFrame, tdza: pd.DataFrame, pgs: pd.DataFrame):
    played = pgs[pgs.is_active.fillna(False).astype(bool) & (pgs.minutes_played.fillna(0) > 0)]
    psza = {(r["player_lookup"], r["analysis_date"]): r for r in psza.to_dict("records")}
    tdza = {(r["team_abbr"], r["analysis_date"]): r for r in tdza.to_dict("records")}
    rows = []
    for u in upgc.to_dict("records"):
        date = u["game_date"]
        if (date - OPENER).days < 14:
            continue
        rest = _value(u, "days_rest", 1)
        fatigue = 100 + (-15 if rest == 1 else 5 if rest >= 3 else 0)
        fatigue -= 10 if _value(u, "games_in_last_7_days", 3) >= 4 else 0
        fatigue -= 10 if _value(u, "minutes_in_last_7_days", 200) > 240 else 0
        fatigue -= 8 if _value(u, "avg_minutes_per_game_last_7", 30) > 35 else 0
        b2b = _value(u, "back_to_backs_last_14_days", 0)
        fatigue -= 12 if b2b >= 2 else 5 if b2b == 1 else 0
        fatigue = _clamp(fatigue, 0, 100)
        zone_row = psza.get((u["player_lookup"], date))
        defense = tdza.get((u["opponent_team_abbr"], date))
        zone = zone_row["primary_scoring_zone"] if zone_row else None
        zone = zone if zone in ("mid_range", "perimeter") else "paint"
        rate = _value(zone_row or {}, RATE[zone], 0.5)
        versus = _value(defense or {}, VERSUS[zone], 0.0)
        mismatch = versus * min(rate / 0.5, 1)
        mismatch = _clamp(mismatch * 1.2 if abs(mismatch) > 5 else mismatch, -10, 10)
        mismatch = mismatch if zone_row and defense else 0.0
        pace_diff = _value(u, "pace_differential", None)
        pace = _clamp(pace_diff / 2, -3, 3) if pace_diff is not None else 0.0
        mine = played[(played.player_lookup == u["player_lookup"]) & (played.game_date >= OPENER)
                      & (played.game_date < date)].usage_rate.dropna()
        season = mine.mean() if len(mine) else None
        recent = _value(u, "avg_usage_rate_last_7_games", None)
        usage = _clamp((season - recent) * 30, -3, 3) if season is not None and recent is not None else 0.0
        rows.append(dict(
            player_lookup=u["player_lookup"], game_date=date, fatigue_score=fatigue,
            shot_zone_mismatch_score=float(mismatch), pace_score=float(pace),
            usage_spike_score=float(usage),
            total_composite_adjustment=(fatigue - 100) / 20 + mismatch + pace + usage,
            mismatch_zone=zone, season_usage_rate=np.nan if season is None else season,
            data_completeness_pct=25.0 * (1 + bool(zone_row) + bool(defense) + (pace_diff is not None)),
        ))
    return pd.DataFrame(rows)


def test_tiny_season_matches_the_pandas_rederivation(built_season):
    warehouse, frames = built_season
    psza = read(warehouse, "nba_precompute.player_shot_zone_analysis")
    tdza = read(warehouse, "nba_precompute.team_defense_zone_analysis")
    expected = expected_pcf(frames["nba_analytics.upcoming_player_game_context"], psza, tdza,
                            frames["nba_analytics.player_game_summary"])
    assert_rows_match(read(warehouse, TABLE), expected, ["player_lookup", "game_date"])
    # branches seen: missing PSZA (the rookie), clamps, every completeness level
    assert set(expected.data_completeness_pct) >= {50.0, 75.0, 100.0}
    assert expected.shot_zone_mismatch_score.abs().max() > 0
    assert (expected.pace_score.abs() == 3).any() and (expected.usage_spike_score.abs() == 3).any()


HAND = day(30)
OPPONENTS = {  # the opponents' TDZA vs-league values (paint, mid_range, three_pt)
    "T1": (-7.0, 0.0, 6.0), "T2": (9.0, 8.0, 0.0), "T4": (4.0, 0.0, 0.0), "T5": (0.0, 5.0, 0.0),
    # T3: no TDZA row
}
# player: (opponent, days_rest, games_7, minutes_7, mpg_7, b2b_14, pace_diff, usage_7,
#          PSZA (zone, paint, mid, three) or None)
PLAYERS = {
    "defaults": ("T1", None, None, None, None, None, None, None, None),
    "tired": ("T1", 1, 4, 250.0, 36.0, 2, 8.0, 0.20, ("perimeter", 0.4, 0.3, 0.3)),
    "rested": ("T2", 3, 2, 100.0, 20.0, 1, -3.0, 0.35, ("mid_range", 0.3, 0.4, 0.3)),
    "clamped": ("T2", 2, None, None, None, None, None, None, ("paint", 0.6, 0.2, 0.2)),
    "balanced": ("T1", 2, None, None, None, None, None, None, ("balanced", 0.45, 0.3, 0.25)),
    "nullzone": ("T4", 2, None, None, None, None, None, None, (None, None, None, None)),
    "noopp": ("T3", 2, None, None, None, None, 1.0, None, ("paint", 0.6, 0.2, 0.2)),
    "edges": ("T5", 2, 3, 240.0, 35.0, 0, 6.0, None, ("mid_range", 0.2, 0.5, 0.3)),
}
# worked by hand from SPEC §3:
# fatigue, mismatch, pace, usage, total, completeness
HAND_EXPECTED = {
    "defaults": (85, 0.0, 0.0, 0.0, -0.75, 50.0),  # days_rest default 1 = b2b: -15
    # 100-15-10-10-8-12; three +6 · min(.3/.5, 1) = 3.6; 8/2 = 4 → 3; (.275 - .20)·30
    "tired": (45, 3.6, 3.0, 2.25, -2.75 + 3.6 + 3.0 + 2.25, 100.0),
    # 100+5-5; mid +8 · .8 = 6.4 > 5 → ×1.2 = 7.68; -1.5; (.20 - .35)·30 = -4.5 → -3
    "rested": (100, 7.68, -1.5, -3.0, 7.68 - 1.5 - 3.0, 100.0),
    "clamped": (100, 10.0, 0.0, 0.0, 10.0, 75.0),  # paint +9 · 1 → 10.8 → clamp 10
    "balanced": (100, -7.56, 0.0, 0.0, -7.56, 75.0),  # paint: -7 · .9 = -6.3 → ×1.2
    "nullzone": (100, 4.0, 0.0, 0.0, 4.0, 75.0),  # zone NULL → paint, rate default .5
    "noopp": (100, 0.0, 0.5, 0.0, 0.5, 75.0),  # no TDZA row for T3 → 0
    # thresholds not crossed: 240 min, 35 mpg, 3 games; mid +5 · 1 = 5, not > 5: no ×1.2;
    # 6/2 = 3, exactly the clamp
    "edges": (100, 5.0, 3.0, 0.0, 8.0, 100.0),
}


def _hand_tables(warehouse):
    upgc, psza, pgs = [], [], []
    for player, (opp, rest, g7, m7, mpg, b2b, pace, usage, zones) in PLAYERS.items():
        upgc.append(dict(player_lookup=player, game_date=HAND, game_id=f"g_{player}",
                         team_abbr="OWN", opponent_team_abbr=opp, days_rest=rest,
                         games_in_last_7_days=g7, minutes_in_last_7_days=m7,
                         avg_minutes_per_game_last_7=mpg, back_to_backs_last_14_days=b2b,
                         pace_differential=pace, avg_usage_rate_last_7_games=usage))
        if zones:
            psza.append(dict(player_lookup=player, analysis_date=HAND,
                             primary_scoring_zone=zones[0], paint_rate_last_10=zones[1],
                             mid_range_rate_last_10=zones[2], three_pt_rate_last_10=zones[3]))
    # a bootstrap-day context row: no PCF row for it
    upgc.append(dict(upgc[0], game_date=day(5)))
    tdza = [dict(team_abbr=t, analysis_date=HAND, paint_defense_vs_league_avg=p,
                 mid_range_defense_vs_league_avg=m, three_pt_defense_vs_league_avg=th)
            for t, (p, m, th) in OPPONENTS.items()]
    # season usage: tired .25 and .30 (and a DNP, and last season's .90: both ignored);
    # rested .20
    for player, date, usage, active in (("tired", day(10), 0.25, True), ("tired", day(12), 0.30, True),
                                        ("tired", day(13), 0.50, False),
                                        ("tired", PRIOR_SEASON_DAYS[0], 0.90, True),
                                        ("rested", day(11), 0.20, True)):
        pgs.append(dict(player_lookup=player, game_date=date, game_id=f"g_{player}_{date:%Y%m%d}", is_active=active,
                        minutes_played=30.0 if active else 0.0, usage_rate=usage))
    frame = pd.DataFrame(upgc).astype({c: "Int64" for c in
                                       ["days_rest", "games_in_last_7_days", "back_to_backs_last_14_days"]})
    frame = frame.astype({c: "Float64" for c in ["minutes_in_last_7_days", "avg_minutes_per_game_last_7",
                                                 "pace_differential", "avg_usage_rate_last_7_games"]})
    create_table(warehouse, "nba_analytics.upcoming_player_game_context", frame)
    create_table(warehouse, "nba_precompute.player_shot_zone_analysis",
                 pd.DataFrame(psza).astype({"primary_scoring_zone": "string"}).astype(
                     {c: "Float64" for c in RATE.values()}))
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis", pd.DataFrame(tdza))
    create_table(warehouse, "nba_analytics.player_game_summary", pd.DataFrame(pgs))


def test_hand_worked_factors(warehouse):
    _hand_tables(warehouse)
    build_phase4(warehouse, day(0), HAND, names=["player_composite_factors"])
    built = read(warehouse, TABLE).set_index("player_lookup")
    assert sorted(built.index) == sorted(PLAYERS)  # nothing for the bootstrap-day row
    assert (built.game_date == HAND).all()
    for player, values in HAND_EXPECTED.items():
        row = built.loc[player]
        got = (row.fatigue_score, row.shot_zone_mismatch_score, row.pace_score,
               row.usage_spike_score, row.total_composite_adjustment, row.data_completeness_pct)
        assert got == pytest.approx(values), player
    assert built.loc["tired", "season_usage_rate"] == pytest.approx(0.275)
    assert built.loc["balanced", "mismatch_zone"] == "paint"
    assert built.fatigue_score.dtype.kind == "i"
