"""Hand-made Phase 3 tables for the Phase 4 tests: a tiny season from a small generator.

Phase 4 tests must not depend on the Phase 3 SQL, so this module writes the Phase 3
tables directly, with only the columns Phase 4 reads and the types SPEC §2 gives. The
values are random but seeded: the tests recompute every expected number from these frames.

The season is 2023-24 (opener 2023-10-24, from seasons.toml): 4 teams, 2 players each,
days 0-33 (30 game dates). ``prior_season=True`` adds games at the end of 2022-23 with
absurd values (90 points, 100% shooting): a Phase 4 window that reached into the previous
season would show them at once. Deliberate defects (missing TDGS/PGS rows, a rookie with
two games, games without play-by-play) give failures and completeness something to find.

Also here: building Phase 4 in tests (``build_phase4``), reading tables back (``read``),
a row-by-row comparison (``assert_rows_match``). The ``built_season`` fixture that builds
this season once per module is in nba_backfill_tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nba_backfill import catalog
from nba_backfill.assets.sql_asset import build_range
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.warehouse_sql import create_table

OPENER = dt.date(2023, 10, 24)  # 2023-24
PRIOR_SEASON_DAYS = [dt.date(2023, 6, d) for d in range(1, 9)]  # end of 2022-23
# A made-up season ending the day before the 2023-24 opener; tests that use it add this row
# to nba_reference.season_calendar (the SQL's only calendar).
ADJACENT_SEASON = pd.DataFrame({"season_label": ["2023-pre"], "season_year": [2022],
                                "opener": [dt.date(2023, 10, 1)], "last_day": [dt.date(2023, 10, 23)]})
TEAM_NAMES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH", "III", "JJJ", "KKK", "LLL"]

DNP_REASONS = {"injury": "Left ankle sprain", "rest": "Rest", "coach_decision": "Coach's decision"}


@dataclass(frozen=True)
class SeasonShape:
    teams: int = 4
    players_per_team: int = 2
    days: int = 34  # in-season days generated: opener .. opener + days - 1
    rest_days: tuple[int, ...] = (6, 13, 20, 27)  # in-season days without games
    no_zone_days: tuple[int, ...] = (1, 28)  # games these days lack play-by-play (NULL zones)
    seed: int = 7
    prior_season: bool = True
    # Defects, so failures and completeness have something to find:
    # TDGS rows missing for a team (DDD: too few games; CCC: a window under 70% complete)
    defense_gaps: tuple[tuple[str, tuple[int, ...]], ...] = (
        ("DDD", tuple(range(8, 20))), ("CCC", tuple(range(8, 18))),
    )
    # PGS rows missing for a player (not even a DNP row): an incomplete window
    player_gaps: tuple[tuple[str, tuple[int, ...]], ...] = (("aaaplayer1", tuple(range(19, 27))),)
    rookie: str | None = "bbbrookie"  # on BBB from day 14, plays only two games (15+)
    # absurd games on the 12 days before the opener, in a made-up season that ends the day
    # before it (ADJACENT_SEASON): inside every lookback mapping, outside the season
    adjacent_prior_season: bool = False


def day(n: int) -> dt.date:
    """The date n days after the 2023-24 opener."""
    return OPENER + dt.timedelta(days=n)


def _games(shape: SeasonShape, dates: list[dt.date]) -> list[tuple[dt.date, str, str]]:
    """(date, away, home) pairings: teams rotate; every third game date has one game fewer,
    so teams reach different game counts (the ramp and league averages need that)."""
    teams = TEAM_NAMES[: shape.teams]
    games = []
    for k, date in enumerate(dates):
        rotated = teams[k % len(teams):] + teams[: k % len(teams)]
        n_games = len(teams) // 2 - (1 if k % 3 == 0 else 0)
        for g in range(max(n_games, 1)):
            a, b = rotated[2 * g], rotated[2 * g + 1]
            games.append((date, a, b) if k % 2 else (date, b, a))
    return games


def _game_rows(games, rng: np.random.Generator, extreme: bool, players: dict[str, list[str]],
               no_zone_days: tuple[int, ...] = ()):
    schedule, defense, offense, player_rows = [], [], [], []
    for date, away, home in games:
        game_id = f"{date:%Y%m%d}_{away}_{home}"
        home_won = bool(rng.random() < 0.5)
        schedule.append(
            dict(game_id=game_id, nba_game_id=f"00{len(schedule):08d}", game_date=date,
                 season_year=2022 if extreme else 2023, game_status=3,
                 home_team_tricode=home, away_team_tricode=away,
                 home_team_score=110, away_team_score=100, is_regular_season=True,
                 is_playoffs=False, is_play_in=False, processed_at=pd.Timestamp(date))
        )
        has_zones = extreme or (date - OPENER).days not in no_zone_days
        has_bdb = extreme or rng.random() > 0.3  # bigdataball (assisted makes) sparser
        for team, opponent, home in ((home, away, True), (away, home, False)):
            zones = {}
            for zone, lo, hi, p in (("paint", 25, 45, 0.58), ("mid_range", 10, 25, 0.41),
                                    ("three_pt", 25, 45, 0.36)):
                att = int(rng.integers(lo, hi))
                made = att if extreme else int(rng.binomial(att, p))
                zones[f"opp_{zone}_attempts"] = att if has_zones else None
                zones[f"opp_{zone}_makes"] = made if has_zones else None
            defense.append(
                dict(game_id=game_id, game_date=date, season_year=2023,
                     defending_team_abbr=team, opponent_team_abbr=opponent, home_game=home,
                     points_in_paint_allowed=(2 * zones["opp_paint_makes"]) if has_zones else None,
                     defensive_rating=200.0 if extreme else float(rng.uniform(100, 125)),
                     opponent_pace=200.0 if extreme else float(rng.uniform(94, 106)), **zones)
            )
            offense.append(
                dict(game_id=game_id, game_date=date, season_year=2023, team_abbr=team,
                     opponent_team_abbr=opponent, home_game=home,
                     win_flag=True if extreme else (home_won == home),
                     pace=200.0 if extreme else float(rng.uniform(94, 106)),
                     offensive_rating=200.0 if extreme else float(rng.uniform(100, 125)))
            )
            for player in players[team]:
                player_rows.append(_player_row(rng, extreme, date, game_id, player, team,
                                               opponent, home, has_zones, has_bdb))
    return schedule, defense, offense, player_rows


def _player_row(rng, extreme, date, game_id, player, team, opponent, home, has_zones, has_bdb,
                status=None):
    roll = rng.random()
    if status is None:
        status = "active" if extreme or roll > 0.14 else ("dnp" if roll > 0.05 else "inactive")
    reason = None if status == "active" else str(rng.choice(list(DNP_REASONS)))
    row = dict(game_id=game_id, game_date=date, season_year=2023, player_lookup=player,
               team_abbr=team, opponent_team_abbr=opponent, home_game=home,
               player_status=status, dnp_reason_category=reason,
               is_active=status == "active", is_dnp=status != "active")
    if status != "active":
        return row | dict(minutes_played=0.0 if status == "dnp" else None, points=0)
    zone_att = [int(rng.integers(0, 9)), int(rng.integers(0, 6)), int(rng.integers(0, 9))]
    zone_made = [int(rng.binomial(a, p)) for a, p in zip(zone_att, (0.6, 0.42, 0.36))]
    fgm, tpm = zone_made[0] + zone_made[1] + zone_made[2], zone_made[2]
    ftm = int(rng.integers(0, 8))
    assisted = int(rng.integers(0, fgm + 1))
    return row | dict(
        minutes_played=40.0 if extreme else round(float(rng.uniform(8, 40)), 2),
        points=90 if extreme else 2 * fgm + tpm + ftm,
        field_goals_made=fgm, field_goals_attempted=sum(zone_att),
        free_throws_made=ftm, free_throws_attempted=ftm + int(rng.integers(0, 3)),
        usage_rate=0.9 if extreme else (None if rng.random() < 0.1 else round(float(rng.uniform(0.1, 0.35)), 4)),
        ts_pct=round(float(rng.uniform(0.45, 0.7)), 4),
        paint_attempts=zone_att[0] if has_zones else None,
        paint_makes=zone_made[0] if has_zones else None,
        mid_range_attempts=zone_att[1] if has_zones else None,
        mid_range_makes=zone_made[1] if has_zones else None,
        three_attempts=zone_att[2] if has_zones else None,
        three_makes=zone_made[2] if has_zones else None,
        assisted_fg_makes=assisted if has_bdb else None,
        unassisted_fg_makes=(fgm - assisted) if has_bdb else None,
    )


def _maybe(rng, value, p_null=0.1):
    return None if rng.random() < p_null else value


def _context_rows(rng, games, players):
    """UPGC and UTGC rows for every game: values are free inputs to Phase 4, so random."""
    upgc, utgc = [], []
    for date, away, home in games:
        game_id = f"{date:%Y%m%d}_{away}_{home}"
        for team, opponent, is_home in ((home, away, True), (away, home, False)):
            utgc.append(dict(team_abbr=team, opponent_team_abbr=opponent, game_id=game_id,
                             game_date=date, home_game=is_home,
                             days_rest=_maybe(rng, int(rng.integers(1, 5)))))
            for player in players[team]:
                days_rest = _maybe(rng, int(rng.integers(1, 5)))
                upgc.append(dict(
                    player_lookup=player, game_id=game_id, game_date=date, team_abbr=team,
                    opponent_team_abbr=opponent, home_game=is_home, days_rest=days_rest,
                    back_to_back=None if days_rest is None else days_rest == 1,
                    games_in_last_7_days=_maybe(rng, int(rng.integers(0, 6))),
                    games_in_last_14_days=_maybe(rng, int(rng.integers(0, 9))),
                    minutes_in_last_7_days=_maybe(rng, round(float(rng.uniform(0, 300)), 1)),
                    avg_minutes_per_game_last_7=_maybe(rng, round(float(rng.uniform(15, 40)), 1)),
                    back_to_backs_last_14_days=_maybe(rng, int(rng.integers(0, 4))),
                    avg_usage_rate_last_7_games=_maybe(rng, round(float(rng.uniform(0.1, 0.35)), 4)),
                    pace_differential=_maybe(rng, round(float(rng.uniform(-9, 9)), 2), 0.15),
                    season_phase=str(rng.choice(["early", "early", "early", "playoffs"])),
                    is_production_ready=True,
                ))
    return upgc, utgc


def _add_rookie(shape: SeasonShape, rng, games, pgs: list, upgc: list) -> None:
    """A player who joins BBB on day 14 and plays only its first two games from day 15:
    PSZA/PDC must refuse him (INSUFFICIENT_DATA) while MLFS falls back to Phase 3/defaults."""
    played = 0
    for date, away, home in games:
        if "BBB" not in (away, home) or (date - OPENER).days < 14:
            continue
        team, opponent, is_home = ("BBB", away, True) if home == "BBB" else ("BBB", home, False)
        game_id = f"{date:%Y%m%d}_{away}_{home}"
        status = "inactive"
        if (date - OPENER).days >= 15 and played < 2:
            status, played = "active", played + 1
        pgs.append(_player_row(rng, False, date, game_id, shape.rookie, team, opponent, is_home,
                               True, True, status=status))
        upgc.append(dict(player_lookup=shape.rookie, game_id=game_id, game_date=date,
                         team_abbr=team, opponent_team_abbr=opponent, home_game=is_home,
                         days_rest=None, back_to_back=None, season_phase="early",
                         is_production_ready=True))


def _drop(rows: list[dict], key: str, gaps) -> list[dict]:
    missing = {(who, day(n)) for who, days in gaps for n in days}
    return [r for r in rows if (r[key], r["game_date"]) not in missing]


def _gamebook(pgs: pd.DataFrame) -> pd.DataFrame:
    rows = pgs.assign(
        player_name=pgs.player_lookup,
        dnp_reason=pgs.dnp_reason_category.map(DNP_REASONS),
        minutes=pgs.minutes_played.map(lambda m: None if pd.isna(m) else f"{int(m)}:{int(round(m % 1 * 60)):02d}"),
        processed_at=pd.to_datetime(pgs.game_date),
    )
    return rows[["game_id", "game_date", "player_lookup", "player_name", "team_abbr",
                 "player_status", "dnp_reason", "minutes", "points", "processed_at"]]


_TYPES = {  # nullable dtypes so NULLs stay NULL and integers stay INT64
    "Int64": ["season_year", "game_status", "home_team_score", "away_team_score", "points",
              "field_goals_made", "field_goals_attempted", "free_throws_made",
              "free_throws_attempted", "paint_attempts", "paint_makes", "mid_range_attempts",
              "mid_range_makes", "three_attempts", "three_makes", "assisted_fg_makes",
              "unassisted_fg_makes", "opp_paint_attempts", "opp_paint_makes",
              "opp_mid_range_attempts", "opp_mid_range_makes", "opp_three_pt_attempts",
              "opp_three_pt_makes", "points_in_paint_allowed", "days_rest",
              "games_in_last_7_days", "games_in_last_14_days", "back_to_backs_last_14_days"],
    "Float64": ["minutes_played", "usage_rate", "ts_pct", "defensive_rating", "opponent_pace",
                "pace", "offensive_rating", "minutes_in_last_7_days",
                "avg_minutes_per_game_last_7", "avg_usage_rate_last_7_games", "pace_differential"],
    "boolean": ["back_to_back", "is_active", "is_dnp", "home_game", "win_flag",
                "is_production_ready"],
}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for dtype, columns in _TYPES.items():
        for column in columns:
            if column in frame:
                frame[column] = frame[column].astype(dtype)
    return frame


def tiny_season(shape: SeasonShape = SeasonShape()) -> dict[str, pd.DataFrame]:
    """Table name (``nba_raw.x`` / ``nba_analytics.x``) → rows of the tiny season."""
    rng = np.random.default_rng(shape.seed)
    teams = TEAM_NAMES[: shape.teams]
    players = {t: [f"{t.lower()}player{i}" for i in range(shape.players_per_team)] for t in teams}
    dates = [day(n) for n in range(shape.days) if n not in shape.rest_days]
    games = _games(shape, dates)
    schedule, defense, offense, pgs = _game_rows(games, rng, False, players, shape.no_zone_days)
    upgc, utgc = _context_rows(rng, games, players)
    if shape.rookie:
        _add_rookie(shape, rng, games, pgs, upgc)
    gamebook_pgs = pd.DataFrame(pgs)  # the gamebook keeps every player row
    defense = _drop(defense, "defending_team_abbr", shape.defense_gaps)
    pgs = _drop(pgs, "player_lookup", shape.player_gaps)
    prior_days = (PRIOR_SEASON_DAYS if shape.prior_season else []) + (
        [day(n) for n in range(-12, 0)] if shape.adjacent_prior_season else [])
    if prior_days:
        prior = _game_rows(_games(shape, prior_days), rng, True, players)
        for rows, extra in zip((schedule, defense, offense, pgs), prior):
            rows.extend(extra)
    pgs_frame = pd.DataFrame(pgs)
    return {
        "nba_raw.nbac_schedule": _typed(pd.DataFrame(schedule)),
        "nba_raw.nbac_gamebook_player_stats": _typed(_gamebook(gamebook_pgs)),
        "nba_analytics.team_defense_game_summary": _typed(pd.DataFrame(defense)),
        "nba_analytics.team_offense_game_summary": _typed(pd.DataFrame(offense)),
        "nba_analytics.player_game_summary": _typed(pgs_frame.drop(columns=["player_status"])),
        "nba_analytics.upcoming_player_game_context": _typed(pd.DataFrame(upgc)),
        "nba_analytics.upcoming_team_game_context": _typed(pd.DataFrame(utgc)),
    }


def load(warehouse, frames: dict[str, pd.DataFrame]) -> None:
    """Raw tables append to their fixed DDL; Phase 3 tables are created from the frames."""
    for table, frame in frames.items():
        if table.startswith("nba_raw."):
            warehouse.load_dataframe(table, frame)
        else:
            create_table(warehouse, table, frame)


def build_dates(frames: dict[str, pd.DataFrame]) -> list[dt.date]:
    """Dates of the current season with final games (the dates Phase 4 builds rows for)."""
    schedule = frames["nba_raw.nbac_schedule"]
    dates = schedule.loc[schedule.game_date >= OPENER, "game_date"]
    return sorted(set(dates))


# -- building and reading Phase 4 in tests ------------------------------------------------

PHASE4_ORDER = (  # SPEC §4: TDZA and PSZA, then PCF, PDC, MLFS
    "team_defense_zone_analysis",
    "player_shot_zone_analysis",
    "player_composite_factors",
    "player_daily_cache",
    "ml_feature_store_v2",
)
FIRST_DAY, LAST_DAY = day(0), day(33)


def new_warehouse(directory) -> DuckDBWarehouse:
    built = DuckDBWarehouse(path=str(directory / "warehouse.duckdb"), lock_timeout_seconds=5)
    built.setup()
    return built


def build_phase4(warehouse, start: dt.date, end: dt.date, names=PHASE4_ORDER, run_id="test-run"):
    """Build [start, end] of each table as ONE range, in the SPEC §4 order."""
    for name in names:
        build_range(catalog.tables()[name], warehouse, start, end, run_id)


def read(warehouse, table: str) -> pd.DataFrame:
    """A whole table, DATE columns as datetime.date (what the frames hold)."""
    with warehouse.connect(read_only=True) as connection:
        frame = connection.execute(f"SELECT * FROM {table}").df()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]) and not getattr(frame[column].dt, "tz", None):
            frame[column] = frame[column].dt.date
    return frame


def failures(warehouse, processor: str) -> pd.DataFrame:
    frame = read(warehouse, "nba_processing.precompute_failures")
    return frame[frame.processor_name == processor].reset_index(drop=True)


def ramp_day(date: dt.date) -> int:
    return (date - OPENER).days


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT


def assert_rows_match(actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str], tol=1e-9):
    """Same keys, and every column of ``expected`` equal in ``actual`` (floats to ``tol``,
    NULL only where NULL is expected). Names the first mismatching cell."""
    got = actual.set_index(keys).sort_index()
    want = expected.set_index(keys).sort_index()
    assert list(got.index) == list(want.index), (
        f"row keys differ: only built {sorted(set(got.index) - set(want.index))[:5]}, "
        f"only expected {sorted(set(want.index) - set(got.index))[:5]}"
    )
    for column in want.columns:
        for key, value, wanted in zip(want.index, got[column].tolist(), want[column].tolist()):
            if is_missing(wanted):
                assert is_missing(value), f"{column} at {key}: {value!r}, expected NULL"
            elif isinstance(wanted, (float, np.floating)) and not isinstance(wanted, bool):
                assert not is_missing(value) and abs(value - wanted) <= tol * max(1.0, abs(wanted)), (
                    f"{column} at {key}: {value!r}, expected {wanted!r}"
                )
            else:
                assert value == wanted, f"{column} at {key}: {value!r}, expected {wanted!r}"
