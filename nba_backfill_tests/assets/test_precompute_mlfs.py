"""ml_feature_store_v2 (SPEC §3): the 25-feature vector, its sources and quality against an
independent pandas re-derivation; bootstrap placeholders; fallbacks; arrays on DuckDB."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nba_backfill_tests.support.handmade_phase3 import (
    FIRST_DAY,
    LAST_DAY,
    OPENER,
    build_phase4,
    day,
    is_missing,
    load,
    new_warehouse,
    read,
    tiny_season,
)

TABLE = "nba_predictions.ml_feature_store_v2"
NAMES = [  # SPEC §3 table, in order
    "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
    "games_in_last_7_days", "fatigue_score", "shot_zone_mismatch_score", "pace_score",
    "usage_spike_score", "rest_advantage", "injury_risk", "recent_trend", "minutes_change",
    "opponent_def_rating", "opponent_pace", "home_away", "back_to_back", "playoff_game",
    "pct_paint", "pct_mid_range", "pct_three", "pct_free_throw", "team_pace",
    "team_off_rating", "team_win_pct",
]
WEIGHT = {"phase4": 100, "phase3": 87, "calculated": 100, "default": 40}


def _first(*candidates):
    """(value, source) of the first candidate whose value is known."""
    for value, source in candidates:
        if not is_missing(value):
            return float(value), source
    raise AssertionError("no candidate")


def _steps(x, big, small):
    return 2 if x >= big else 1 if x >= small else -2 if x <= -big else -1 if x <= -small else 0


def _injury(reason) -> bool:
    words = ("injur", "illness", "sprain", "strain", "sore", "surgery", "fracture", "contusion",
             "concussion", "protocol")
    return isinstance(reason, str) and any(w in reason.lower() for w in words)


def _lookup(frame: pd.DataFrame, keys: list[str]) -> dict:
    return {tuple(r[k] for k in keys): r for r in frame.to_dict("records")}


def expected_vectors(frames, pdc, pcf, psza, tdza) -> pd.DataFrame:
    pgs = frames["nba_analytics.player_game_summary"]
    played = pgs[pgs.is_active.fillna(False).astype(bool) & (pgs.minutes_played.fillna(0) > 0)]
    togs = frames["nba_analytics.team_offense_game_summary"]
    utgc = _lookup(frames["nba_analytics.upcoming_team_game_context"], ["team_abbr", "game_date"])
    gamebook = _lookup(frames["nba_raw.nbac_gamebook_player_stats"], ["player_lookup", "game_date"])
    pdc, pcf = _lookup(pdc, ["player_lookup", "cache_date"]), _lookup(pcf, ["player_lookup", "game_date"])
    psza, tdza = _lookup(psza, ["player_lookup", "analysis_date"]), _lookup(tdza, ["team_abbr", "analysis_date"])
    rows = []
    for u in frames["nba_analytics.upcoming_player_game_context"].to_dict("records"):
        date, player = u["game_date"], u["player_lookup"]
        if (date - OPENER).days < 14:
            continue
        g = played[(played.player_lookup == player) & (played.game_date >= OPENER)
                   & (played.game_date < date)].sort_values(["game_date", "game_id"], ascending=False)
        l10 = g.head(10)
        d = pdc.get((player, date), {})
        f = pcf.get((player, date), {})
        z = psza.get((player, date), {})
        t = tdza.get((u["opponent_team_abbr"], date), {})
        opponent = utgc.get((u["opponent_team_abbr"], date), {})
        book = gamebook.get((player, date))
        team = togs[(togs.team_abbr == u["team_abbr"]) & (togs.game_date >= OPENER) & (togs.game_date < date)]
        features = [
            _first((d.get("points_avg_last_5"), "phase4"), (g.head(5).points.mean(), "phase3"), (10, "default")),
            _first((d.get("points_avg_last_10"), "phase4"), (l10.points.mean(), "phase3"), (10, "default")),
            _first((d.get("points_avg_season"), "phase4"), (g.points.mean(), "phase3"), (10, "default")),
            _first((d.get("points_std_last_10"), "phase4"),
                   (l10.points.astype(float).std(ddof=1) if len(l10) >= 2 else None, "phase3"), (5, "default")),
            _first((u.get("games_in_last_7_days"), "phase3"), (3, "default")),
            _first((f.get("fatigue_score"), "phase4"), (50, "default")),
            _first((f.get("shot_zone_mismatch_score"), "phase4"), (0, "default")),
            _first((f.get("pace_score"), "phase4"), (0, "default")),
            _first((f.get("usage_spike_score"), "phase4"), (0, "default")),
            _first((None if is_missing(u["days_rest"]) or is_missing(opponent.get("days_rest"))
                    else max(-2, min(2, u["days_rest"] - opponent["days_rest"])), "calculated"),
                   (0, "default")),
            _first((None if book is None else
                    3 if book["player_status"] == "inactive"
                    or (book["player_status"] == "dnp" and _injury(book["dnp_reason"]))
                    else 0, "calculated"), (0, "default")),
            _first((_steps(g.head(2).points.mean() - g.iloc[2:5].points.mean(), 5, 2) if len(g) >= 5 else None,
                    "calculated"), (0, "default")),
            _first((_steps((l10.minutes_played.mean() - g.minutes_played.mean()) / g.minutes_played.mean(), 0.2, 0.1)
                    if len(g) else None, "calculated"), (0, "default")),
            _first((t.get("defensive_rating_last_15"), "phase4"), (112, "default")),
            _first((t.get("opponent_pace_last_15"), "phase4"), (100, "default")),
            _first((None if is_missing(u["home_game"]) else int(u["home_game"]), "phase3"), (0, "default")),
            _first((None if is_missing(u["back_to_back"]) else int(u["back_to_back"]), "phase3"), (0, "default")),
            _first((None if is_missing(u["season_phase"]) else int(u["season_phase"] == "playoffs"), "phase3"),
                   (0, "default")),
            *[(np.nan, "default") if is_missing(z.get(c)) else (float(z[c]), "phase4")
              for c in ("paint_rate_last_10", "mid_range_rate_last_10", "three_pt_rate_last_10")],
            _first((min(l10.free_throws_made.sum() / l10.points.sum(), 0.5)
                    if len(l10) >= 5 and l10.points.sum() > 0 else None, "calculated"), (0.15, "default")),
            _first((d.get("team_pace_last_10"), "phase4"), (100, "default")),
            _first((d.get("team_off_rating_last_10"), "phase4"), (112, "default")),
            _first((team.win_flag.astype(bool).sum() / len(team) if len(team) >= 5 else None, "calculated"),
                   (0.5, "default")),
        ]
        values, sources = zip(*features)
        score = np.mean([WEIGHT[s] for s in sources])
        phase4 = sources.count("phase4")
        rows.append(dict(
            player_lookup=player, game_date=date, values=list(values), sources=list(sources),
            feature_quality_score=score,
            quality_tier="gold" if score >= 95 else "silver" if score >= 85 else "bronze" if score >= 70
            else "poor" if score >= 50 else "critical",
            data_source="phase4" if phase4 >= 13.5 else "phase4_partial" if phase4 >= 7.5
            else "mixed" if phase4 else "phase3",
            phase4_feature_count=phase4, default_feature_count=sources.count("default"),
            early_season_flag=(date - OPENER).days <= 21,
        ))
    return pd.DataFrame(rows)


def _phase4_tables(warehouse):
    return (read(warehouse, "nba_precompute.player_daily_cache"),
            read(warehouse, "nba_precompute.player_composite_factors"),
            read(warehouse, "nba_precompute.player_shot_zone_analysis"),
            read(warehouse, "nba_precompute.team_defense_zone_analysis"))


def _compare(built: pd.DataFrame, expected: pd.DataFrame):
    built = built.set_index(["player_lookup", "game_date"])
    assert len(expected) > 0
    for row in expected.itertuples():
        got = built.loc[(row.player_lookup, row.game_date)]
        where = (row.player_lookup, row.game_date)
        assert list(got.feature_sources) == row.sources, where
        assert np.allclose(np.asarray(got.features, dtype=float), row.values, equal_nan=True), (
            where, list(got.features), row.values)
        assert got.feature_quality_score == pytest.approx(row.feature_quality_score), where
        assert (got.quality_tier, got.data_source, got.phase4_feature_count, got.default_feature_count,
                got.early_season_flag, got.is_production_ready) == (
            row.quality_tier, row.data_source, row.phase4_feature_count, row.default_feature_count,
            row.early_season_flag, row.quality_tier in ("gold", "silver", "bronze")), where


def test_feature_vectors_match_the_pandas_rederivation(built_season):
    warehouse, frames = built_season
    expected = expected_vectors(frames, *_phase4_tables(warehouse))
    built = read(warehouse, TABLE)
    _compare(built[built.days_since_opener >= 14], expected)
    # every kind of source and several tiers occur in the season
    sources = {s for row in expected.sources for s in row}
    assert sources == {"phase4", "phase3", "calculated", "default"}
    assert expected.quality_tier.nunique() >= 2 and expected.data_source.nunique() >= 2
    assert {tuple(v)[10] for v in expected["values"]} == {0.0, 3.0}  # injury risk both ways


def test_bootstrap_days_write_placeholder_rows(built_season):
    warehouse, frames = built_season
    upgc = frames["nba_analytics.upcoming_player_game_context"]
    early = upgc[upgc.game_date.map(lambda g: (g - OPENER).days < 14)]
    built = read(warehouse, TABLE)
    placeholders = built[built.days_since_opener < 14]
    assert sorted(zip(placeholders.player_lookup, placeholders.game_date)) == sorted(
        zip(early.player_lookup, early.game_date))
    # "features NULL" (SPEC §3) is an empty array: BigQuery cannot store a NULL array
    assert all(len(f) == 0 for f in placeholders.features)
    assert all(len(s) == 0 for s in placeholders.feature_sources)
    assert (placeholders.feature_count == 0).all()
    assert (placeholders.feature_quality_score == 0).all() and placeholders.early_season_flag.all()
    assert (~placeholders.is_production_ready).all()
    assert set(placeholders.quality_tier) == {"critical"}
    assert all(list(names) == NAMES for names in placeholders.feature_names)
    # one row per UPGC row on every date, bootstrap or not
    assert len(built) == len(upgc[(upgc.game_date >= FIRST_DAY) & (upgc.game_date <= LAST_DAY)])


def test_arrays_are_real_lists_on_duckdb(built_season):
    warehouse, _ = built_season
    with warehouse.connect(read_only=True) as connection:
        types = connection.execute(
            f"SELECT DISTINCT typeof(features), typeof(feature_names), typeof(feature_sources), "
            f"len(features), len(feature_names), feature_version FROM {TABLE} "
            "WHERE days_since_opener >= 14").fetchall()
        element = connection.execute(f"SELECT features[14] FROM {TABLE} WHERE feature_count = 25 LIMIT 1").fetchone()
    assert types == [("DOUBLE[]", "VARCHAR[]", "VARCHAR[]", 25, 25, "v1_25features")]
    assert isinstance(element[0], float)  # list indexing works: element 14 = opponent_def_rating


def test_missing_phase4_rows_fall_back_to_phase3_and_defaults(tmp_path):
    warehouse = new_warehouse(tmp_path)
    frames = tiny_season()
    load(warehouse, frames)
    build_phase4(warehouse, FIRST_DAY, LAST_DAY)
    with warehouse.connect() as connection:  # a player's Phase 4 rows vanish for a week
        for table, column in (("player_daily_cache", "cache_date"), ("player_composite_factors", "game_date"),
                              ("player_shot_zone_analysis", "analysis_date")):
            connection.execute(f"DELETE FROM nba_precompute.{table} WHERE player_lookup = 'cccplayer0' "
                               f"AND {column} BETWEEN ? AND ?", [day(24), day(30)])
    build_phase4(warehouse, day(24), day(30), names=["ml_feature_store_v2"])
    expected = expected_vectors(frames, *_phase4_tables(warehouse))
    expected = expected[(expected.game_date >= day(24)) & (expected.game_date <= day(30))]
    _compare(read(warehouse, TABLE), expected)
    ccc = expected[expected.player_lookup == "cccplayer0"]
    assert len(ccc) > 0
    for sources in ccc.sources:
        assert sources[:4] == ["phase3"] * 4 and sources[5:9] == ["default"] * 4
        assert sources[18:21] == ["default"] * 3 and sources[22:24] == ["default"] * 2
    for values in ccc["values"]:
        assert values[5:9] == [50.0, 0.0, 0.0, 0.0] and np.isnan(values[18:21]).all()
        assert values[22:24] == [100.0, 112.0]


# -- hand-worked: the calculated features at their thresholds --------------------------------

HAND = day(30)
# player: (team, days_rest, gamebook (status, reason) or None, PGS games newest first as
#          (points, minutes, free throws made))
HAND_PLAYERS = {
    "trend_up2": ("OWN", 4, ("active", None), [(12, 30, 0)] * 2 + [(10, 30, 0)] * 3),
    "trend_up5": ("OWN", 2, ("active", None), [(15, 30, 0)] * 2 + [(10, 30, 0)] * 3),
    "trend_down2": ("OWN", 1, ("active", None), [(8, 30, 0)] * 2 + [(10, 30, 0)] * 3),
    "trend_down5": ("OWN", None, ("active", None), [(5, 30, 0)] * 2 + [(10, 30, 0)] * 3),
    "trend_small": ("OWN", 1, ("active", None), [(11, 30, 0), (12, 30, 0)] + [(10, 30, 0)] * 3),
    "four_games": ("NEW", 1, ("active", None), [(10, 30, 1)] * 4),
    "minutes_up": ("OWN", 1, ("active", None), [(10, 36, 6)] * 10 + [(10, 15, 0)] * 4),
    "minutes_down": ("OWN", 1, ("active", None), [(10, 27, 1)] * 10 + [(10, 45, 0)] * 4),
    "inactive": ("OWN", 1, ("inactive", None), []),
    "dnp_rest": ("OWN", 1, ("dnp", "Rest"), []),
    "dnp_sore": ("OWN", 1, ("dnp", "Sore left knee"), []),
    "no_book": ("OWN", 1, None, []),
}
# by hand: rest_advantage (opponent days_rest 1), injury_risk, recent_trend, minutes_change,
# pct_free_throw, team_win_pct; None = the default, sourced "default"
HAND_FEATURES = {
    "trend_up2": (2, 0, 1, 0, 0.0, 0.6),  # 4 - 1 = 3 → 2; 12 - 10 = 2 → 1
    "trend_up5": (1, 0, 2, 0, 0.0, 0.6),  # 15 - 10 = 5 → 2
    "trend_down2": (0, 0, -1, 0, 0.0, 0.6),  # 8 - 10 = -2 → -1
    "trend_down5": (None, 0, -2, 0, 0.0, 0.6),  # 5 - 10 = -5 → -2; no days_rest
    "trend_small": (0, 0, 0, 0, 0.0, 0.6),  # 11.5 - 10 = 1.5 → 0
    "four_games": (0, 0, None, 0, None, None),  # < 5 games; NEW has 4 team games
    "minutes_up": (0, 0, 0, 2, 0.5, 0.6),  # (36 - 30)/30 = .2 → 2; 60/100 capped at .5
    "minutes_down": (0, 0, 0, -1, 0.1, 0.6),  # (27 - 450/14)/(450/14) = -.16 → -1
    "inactive": (0, 3, None, None, None, 0.6),
    "dnp_rest": (0, 0, None, None, None, 0.6),
    "dnp_sore": (0, 3, None, None, None, 0.6),
    "no_book": (0, None, None, None, None, 0.6),
}
CALCULATED = (9, 10, 11, 12, 21, 24)
DEFAULTS = {9: 0.0, 10: 0.0, 11: 0.0, 12: 0.0, 21: 0.15, 24: 0.5}


def _hand_tables(warehouse):
    from nba_backfill_tests.support.warehouse_sql import create_table

    upgc, pgs, book = [], [], []
    for player, (team, rest, status, games) in HAND_PLAYERS.items():
        upgc.append(dict(player_lookup=player, game_date=HAND, game_id=f"g_{team}", team_abbr=team,
                         opponent_team_abbr="OPP", home_game=True, back_to_back=False,
                         days_rest=rest, games_in_last_7_days=2, season_phase="early"))
        for n, (points, minutes, ftm) in enumerate(games):  # newest first, one per day back
            pgs.append(dict(game_id=f"p{n}", game_date=day(29 - n), player_lookup=player,
                            is_active=True, minutes_played=float(minutes), points=points,
                            free_throws_made=ftm))
        if status:
            book.append(dict(game_id=f"g_{team}", game_date=HAND, player_lookup=player, team_abbr=team,
                             player_status=status[0], dnp_reason=status[1],
                             processed_at=pd.Timestamp(HAND)))
    togs = [dict(game_id=f"t{n}", game_date=day(20 + n), team_abbr="OWN", win_flag=n < 3) for n in range(5)]
    togs += [dict(game_id=f"n{n}", game_date=day(20 + n), team_abbr="NEW", win_flag=True) for n in range(4)]
    create_table(warehouse, "nba_analytics.upcoming_player_game_context",
                 pd.DataFrame(upgc).astype({"days_rest": "Int64"}))
    create_table(warehouse, "nba_analytics.upcoming_team_game_context",
                 pd.DataFrame([dict(game_date=HAND, team_abbr="OPP", days_rest=1)]))
    create_table(warehouse, "nba_analytics.player_game_summary", pd.DataFrame(pgs))
    create_table(warehouse, "nba_analytics.team_offense_game_summary", pd.DataFrame(togs))
    warehouse.load_dataframe("nba_raw.nbac_gamebook_player_stats", pd.DataFrame(book))
    # Phase 4 inputs with nothing on the date (one row elsewhere, for the column types)
    elsewhere = day(2)
    create_table(warehouse, "nba_precompute.player_daily_cache", pd.DataFrame([dict(
        cache_date=elsewhere, player_lookup="x", points_avg_last_5=1.0, points_avg_last_10=1.0,
        points_avg_season=1.0, points_std_last_10=1.0, team_pace_last_10=1.0,
        team_off_rating_last_10=1.0)]))
    create_table(warehouse, "nba_precompute.player_composite_factors", pd.DataFrame([dict(
        game_date=elsewhere, player_lookup="x", fatigue_score=1, shot_zone_mismatch_score=1.0,
        pace_score=1.0, usage_spike_score=1.0)]))
    create_table(warehouse, "nba_precompute.player_shot_zone_analysis", pd.DataFrame([dict(
        analysis_date=elsewhere, player_lookup="x", paint_rate_last_10=1.0,
        mid_range_rate_last_10=1.0, three_pt_rate_last_10=1.0)]))
    create_table(warehouse, "nba_precompute.team_defense_zone_analysis", pd.DataFrame([dict(
        analysis_date=elsewhere, team_abbr="x", defensive_rating_last_15=1.0,
        opponent_pace_last_15=1.0)]))


def test_hand_worked_calculated_features(warehouse):
    _hand_tables(warehouse)
    build_phase4(warehouse, HAND, HAND, names=["ml_feature_store_v2"])
    built = read(warehouse, TABLE).set_index("player_lookup")
    assert sorted(built.index) == sorted(HAND_PLAYERS)
    for player, expected in HAND_FEATURES.items():
        features, sources = list(built.loc[player, "features"]), list(built.loc[player, "feature_sources"])
        for index, value in zip(CALCULATED, expected):
            wanted = DEFAULTS[index] if value is None else value
            assert features[index] == pytest.approx(wanted), (player, NAMES[index])
            assert sources[index] == ("default" if value is None else "calculated"), (player, NAMES[index])
    # no Phase 4 rows: points from PGS (phase3) or defaults; Phase 4 features default
    four = list(built.loc["four_games", "features"])
    assert four[:4] == pytest.approx([10, 10, 10, 0])  # std of four 10s is 0
    assert four[5:9] == [50, 0, 0, 0] and four[13:15] == [112, 100] and four[22:24] == [100, 112]
    assert np.isnan(four[18:21]).all()
    # quality by hand for no_book: phase3 ×4 (4, 15-17), calculated ×2 (9, 24), default ×19
    row = built.loc["no_book"]
    assert row.feature_quality_score == pytest.approx((4 * 87 + 2 * 100 + 19 * 40) / 25)  # 52.32
    assert (row.quality_tier, row.data_source, row.is_production_ready) == ("poor", "phase3", False)
