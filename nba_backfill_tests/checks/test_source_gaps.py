"""Source gaps are not contamination (SPEC §6), on the real Phase 3/4 SQL.

The last weeks of the 2023-24 demo season (seed 7) are loaded from 2024-03-08 (so every
team has 15+ games before the play-in) to the Finals, with NO play-by-play in either feed
for any play-in or playoff game (stripped here, whatever the generator does). Phase 3 is
built over the whole load, Phase 4 from 2024-04-12 (two regular-season dates) to the end.

  * The build completes with no contamination check failing or warning: the play-by-play
    gaps are source gaps, counted apart (``source_gap_rows``), with NO_SOURCE notes on the
    dates where every row is one. Every expected count is recomputed here with pandas from
    the raw frames (schedule, gamebook), never from the SQL under test.
  * Real contamination is still caught: Phase 3 built while play-by-play that exists was
    absent (then restored), and a Phase 4 upstream date deleted before its readers were
    rebuilt, both FAIL.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from nba_backfill import catalog
from nba_backfill.assets.sql_asset import build_range
from nba_backfill.checks.contamination import ContaminationCheck
from nba_backfill.checks.core import Outcome
from nba_backfill.checks.registry import Evaluator, all_checks
from nba_backfill.demo.generate import generate_demo_data
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

D = dt.date
SEASON, SEED = "2023-24", 7
LOAD_START = D(2024, 3, 8)
PHASE4_START = REGULAR_DAY = D(2024, 4, 12)  # a regular-season date: every window has play-by-play
PLAY_IN_DAY = D(2024, 4, 17)
PLAYOFF_DAY = D(2024, 4, 26)
PLAY_BY_PLAY = ("bigdataball_play_by_play", "nbac_play_by_play")
CHECK = {c.asset: c for c in all_checks() if isinstance(c, ContaminationCheck)}
TDGS, TDZA, PSZA = "team_defense_game_summary", "team_defense_zone_analysis", "player_shot_zone_analysis"
PCF, MLFS = "player_composite_factors", "ml_feature_store_v2"


# --------------------------------------------------------------------------- the season


@pytest.fixture(scope="module")
def season():
    return load_calendar().by_label(SEASON)


@pytest.fixture(scope="module")
def raw(season) -> dict[str, pd.DataFrame]:
    """The loaded raw frames: the demo's last weeks, no postseason play-by-play."""
    frames = {}
    for name, frame in generate_demo_data([season], SEED).items():
        days = pd.to_datetime(frame["game_date"]).dt.date
        frames[name] = frame[(days >= LOAD_START) & (days <= season.last_day)].reset_index(drop=True)
    postseason = set(postseason_games(frames["nbac_schedule"]).game_id)
    for name in PLAY_BY_PLAY:
        frames[name] = frames[name][~frames[name]["game_id"].isin(postseason)].reset_index(drop=True)
    return frames


def schedule_of(raw) -> pd.DataFrame:
    """One row per final game (the latest scrape), with a plain date."""
    frame = raw["nbac_schedule"].sort_values("processed_at").drop_duplicates("game_id", keep="last")
    return frame[frame["game_status"] == 3].assign(day=lambda f: pd.to_datetime(f["game_date"]).dt.date)


def postseason_games(schedule: pd.DataFrame) -> pd.DataFrame:
    return schedule[schedule["is_playoffs"] | schedule["is_play_in"]]


def team_games(raw) -> pd.DataFrame:
    """One row per team per final game: team, game_id, day, postseason."""
    schedule = schedule_of(raw)
    sides = [
        schedule.assign(team=schedule[column])[["game_id", "day", "team", "is_playoffs", "is_play_in"]]
        for column in ("home_team_tricode", "away_team_tricode")
    ]
    frame = pd.concat(sides, ignore_index=True)
    return frame.assign(postseason=frame["is_playoffs"] | frame["is_play_in"])


def played_games(raw) -> pd.DataFrame:
    """One row per player per game he played (active, more than 0:00), from the gamebook."""
    gamebook = raw["nbac_gamebook_player_stats"].sort_values("processed_at")
    gamebook = gamebook.drop_duplicates(["game_id", "player_lookup"], keep="last")
    seconds = gamebook["minutes"].fillna("0:00").str.split(":", expand=True).astype(int)
    played = gamebook[(gamebook["player_status"] == "active") & (seconds[0] * 60 + seconds[1] > 0)]
    postseason = set(postseason_games(schedule_of(raw)).game_id)
    return played.assign(
        day=pd.to_datetime(played["game_date"]).dt.date, postseason=played["game_id"].isin(postseason)
    )[["game_id", "day", "player_lookup", "postseason"]]


def last_games(games: pd.DataFrame, key: str, day: dt.date, n: int, reach: int) -> pd.DataFrame:
    """Each ``key``'s newest ``n`` games before ``day``, at most ``reach`` days back (the
    loaded range is one season)."""
    earlier = games[(games["day"] < day) & (games["day"] >= day - dt.timedelta(days=reach))]
    return earlier.sort_values(["day", "game_id"], ascending=False).groupby(key).head(n)


@pytest.fixture(scope="module")
def built(tmp_path_factory, season, raw):
    """The warehouse file, Phase 3 over the load, Phase 4 from 2024-04-12 on (one range
    per asset, in dependency order, as a backfill builds them)."""
    path = tmp_path_factory.mktemp("source_gaps") / "warehouse.duckdb"
    warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=5)
    warehouse.setup()
    warehouse.load_frames({f"nba_raw.{name}": frame for name, frame in raw.items()},
                          ("game_date", season.opener, season.last_day))
    for spec in catalog.tables_in("analytics").values():
        build_range(spec, warehouse, LOAD_START, season.last_day, "season")
    for spec in catalog.tables_in("precompute").values():
        build_range(spec, warehouse, PHASE4_START, season.last_day, "season")
    return path


@pytest.fixture
def scratch(built, tmp_path) -> DuckDBWarehouse:
    """A private copy of the built warehouse, for a test that changes it."""
    target = tmp_path / "copy.duckdb"
    shutil.copy(built, target)
    return DuckDBWarehouse(path=str(target), lock_timeout_seconds=5)


def read(warehouse: DuckDBWarehouse, table: str, column: str, day: dt.date) -> pd.DataFrame:
    with warehouse.connect(read_only=True) as connection:
        return connection.execute(f"SELECT * FROM {table} WHERE {column} = $day", {"day": day}).df()


def execute(warehouse: DuckDBWarehouse, statement: str, params: dict | None = None) -> None:
    with warehouse.connect() as connection:
        connection.execute(statement, params or {})


def reports(warehouse: DuckDBWarehouse, start: dt.date, end: dt.date, assets=tuple(CHECK)):
    evaluator = Evaluator(warehouse)
    return {asset: evaluator.report(CHECK[asset], start, end) for asset in assets}


# --------------------------------------------------------------------------- source gaps


def test_the_premise_no_postseason_game_has_play_by_play(raw):
    postseason = postseason_games(schedule_of(raw))
    assert len(postseason) > 80 and postseason["is_play_in"].any()
    for name in PLAY_BY_PLAY:
        assert not raw[name]["game_id"].isin(set(postseason.game_id)).any()
    regular = schedule_of(raw)
    regular = regular[regular["is_regular_season"]]
    assert regular.game_id.isin(set(raw["bigdataball_play_by_play"].game_id)).all()


def test_a_postseason_without_play_by_play_is_never_contamination(built, season):
    warehouse = DuckDBWarehouse(path=str(built), lock_timeout_seconds=5)
    for asset, report in reports(warehouse, LOAD_START, season.last_day).items():
        assert report.passed, (asset, [(r.day, r.detail) for r in report.problems()][:3])
        assert not report.days(Outcome.FAIL, Outcome.WARN)
        assert all(r.values.get("status") != "CONTAMINATED" for r in report.results)


def test_team_defense_game_summary_postseason_dates_are_all_source_gaps(built, season, raw):
    warehouse = DuckDBWarehouse(path=str(built), lock_timeout_seconds=5)
    report = reports(warehouse, LOAD_START, season.last_day, [TDGS])[TDGS]
    by_day = report.by_day()
    schedule = schedule_of(raw)
    rows_per_day = 2 * schedule.groupby("day").size()  # two defenses per game
    postseason_days = set(postseason_games(schedule).day)
    for day, rows in rows_per_day.items():
        result = by_day[day]
        assert result.outcome is Outcome.PASS
        if day in postseason_days:  # every game of the date lacks play-by-play
            assert result.values["status"] == "NO_SOURCE"
            assert (result.values["rows_checked"], result.values["source_gap_rows"]) == (0, rows)
            assert result.detail.startswith(f"NO_SOURCE: all {rows} rows lack play-by-play")
        else:
            assert (result.values["rows_checked"], result.values["source_gap_rows"]) == (rows, 0)
            assert result.values["status"] == "CLEAN" and result.detail == ""
    # the check's metadata reports the source gaps: every postseason team-game
    metadata = report.metadata()
    assert metadata["source_gap_rows"] == 2 * len(postseason_games(schedule))
    assert set(metadata["source_gap_rows_by_date"]) == {d.isoformat() for d in postseason_days}
    assert metadata["failing_dates"] == [] and metadata["warning_dates"] == []


@pytest.mark.parametrize("day", [REGULAR_DAY, PLAY_IN_DAY, PLAYOFF_DAY, D(2024, 6, 17)])
def test_player_rows_with_a_postseason_game_in_their_window_are_source_gaps(built, raw, day):
    warehouse = DuckDBWarehouse(path=str(built), lock_timeout_seconds=5)
    rows = read(warehouse, "nba_precompute.player_shot_zone_analysis", "analysis_date", day)
    windows = last_games(played_games(raw), "player_lookup", day, 10, 90)
    lacking = windows.groupby("player_lookup")["postseason"].sum()  # games without play-by-play
    sizes = windows.groupby("player_lookup").size()
    assert len(rows) > 300
    for row in rows.itertuples():
        assert row.games_in_sample_10 == sizes[row.player_lookup]
        # the row says how many of its window games lack play-by-play, and is NULL then
        assert row.games_without_shot_zones_10 == lacking[row.player_lookup], row.player_lookup
        assert pd.isna(row.paint_rate_last_10) == (lacking[row.player_lookup] > 0)
    gaps = int((lacking.reindex(rows.player_lookup) > 0).sum())
    (result,) = reports(warehouse, day, day, [PSZA])[PSZA].results
    assert result.outcome is Outcome.PASS
    assert (result.values["rows_checked"], result.values["source_gap_rows"]) == (len(rows) - gaps, gaps)
    assert result.values["paint_rate_last_10_valid_share"] == 1.0
    if day == REGULAR_DAY:
        assert gaps == 0 and result.detail == ""
    else:
        assert gaps > 0 and result.detail.startswith(f"{gaps} source-gap rows not judged (NO_SOURCE)")


@pytest.mark.parametrize("day", [REGULAR_DAY, PLAYOFF_DAY, D(2024, 5, 31), D(2024, 6, 17)])
def test_team_rows_whose_window_is_all_postseason_are_source_gaps(built, raw, day):
    warehouse = DuckDBWarehouse(path=str(built), lock_timeout_seconds=5)
    rows = read(warehouse, "nba_precompute.team_defense_zone_analysis", "analysis_date", day)
    windows = last_games(team_games(raw), "team", day, 15, 60)
    lacking = windows.groupby("team")["postseason"].sum()
    sizes = windows.groupby("team").size()
    assert len(rows) > 0
    gaps = 0
    for row in rows.itertuples():
        no_zones = lacking[row.team_abbr]
        assert (row.games_in_sample, row.games_without_shot_zones) == (sizes[row.team_abbr], no_zones)
        zone_games = row.games_in_sample - no_zones  # a source gap lowers the tier
        assert row.data_quality_tier == ("high" if zone_games >= 15 else "medium" if zone_games >= 10 else "low")
        # NULL vs-league values exactly when no window game has play-by-play
        assert pd.isna(row.paint_defense_vs_league_avg) == (zone_games == 0)
        assert pd.notna(row.three_pt_defense_vs_league_avg)  # box-score threes: never a gap
        gaps += zone_games == 0
    (result,) = reports(warehouse, day, day, [TDZA])[TDZA].results
    assert result.outcome is Outcome.PASS
    assert (result.values["rows_checked"], result.values["source_gap_rows"]) == (len(rows) - gaps, gaps)
    if day in (REGULAR_DAY, PLAYOFF_DAY):
        assert gaps == 0
    if day == D(2024, 6, 17):  # only deep playoff runs reach 15 games in 60 days: all playoffs
        assert gaps == len(rows) >= 2
        assert result.values["status"] == "NO_SOURCE"
        assert result.detail == (f"NO_SOURCE: all {gaps} rows lack play-by-play "
                                 "(no game of the team's window has any in the raw feeds)")


# --------------------------------------------------------------------------- contamination


def test_phase3_built_without_play_by_play_that_exists_is_contamination(scratch, raw):
    """Phase 3 ran while the play-by-play of 03-08 .. 04-11 was not loaded yet; it arrived
    afterwards and Phase 4 was rebuilt on 04-12 without rebuilding Phase 3: the NULL zones
    have raw inputs now, so they are contamination, not source gaps."""
    last = REGULAR_DAY - dt.timedelta(days=1)
    execute(scratch, "DELETE FROM nba_raw.bigdataball_play_by_play WHERE game_date BETWEEN $a AND $b",
            {"a": LOAD_START, "b": last})
    for name in ("player_game_summary", TDGS):
        build_range(catalog.tables()[name], scratch, LOAD_START, last, "early")
    shots = raw["bigdataball_play_by_play"]
    days = pd.to_datetime(shots["game_date"]).dt.date
    scratch.load_frames({"nba_raw.bigdataball_play_by_play": shots[(days >= LOAD_START) & (days <= last)]},
                     ("game_date", LOAD_START, last))
    for name in (TDZA, PSZA):
        build_range(catalog.tables()[name], scratch, REGULAR_DAY, REGULAR_DAY, "stale")

    found = reports(scratch, LOAD_START, REGULAR_DAY, [TDGS, TDZA, PSZA])
    game_days = sorted(day for day in set(schedule_of(raw).day) if day < REGULAR_DAY)
    assert found[TDGS].days(Outcome.FAIL) == game_days  # zones NULL where the shots exist
    for asset in (TDZA, PSZA):
        assert found[asset].days(Outcome.FAIL) == [REGULAR_DAY], asset
        result = found[asset].by_day()[REGULAR_DAY]
        assert result.values["status"] == "CONTAMINATED" and result.values["source_gap_rows"] == 0
        assert result.detail.startswith("CONTAMINATED: ")
    # the rows still say their windows lacked zones when they were built
    tdza = read(scratch, "nba_precompute.team_defense_zone_analysis", "analysis_date", REGULAR_DAY)
    assert (tdza.games_without_shot_zones == tdza.games_in_sample).all()

    # recovery: rebuild Phase 3, then the Phase 4 date that read it
    for name in ("player_game_summary", TDGS):
        build_range(catalog.tables()[name], scratch, LOAD_START, last, "fixed")
    for name in (TDZA, PSZA):
        build_range(catalog.tables()[name], scratch, REGULAR_DAY, REGULAR_DAY, "fixed")
    assert all(r.passed for r in reports(scratch, LOAD_START, REGULAR_DAY, [TDGS, TDZA, PSZA]).values())


def test_a_missing_upstream_build_is_contamination_among_source_gaps(scratch):
    """On a playoff date (source gaps upstream: PSZA rows with NULL rates), PCF and the
    feature store pass; once the date's TDZA rows are gone and they are rebuilt, the
    opponent's defense comes from defaults, which is contamination."""
    before = reports(scratch, PLAYOFF_DAY, PLAYOFF_DAY, [PSZA, PCF, MLFS])
    assert before[PSZA].by_day()[PLAYOFF_DAY].values["source_gap_rows"] > 0
    assert before[PCF].passed and before[MLFS].passed

    execute(scratch, "DELETE FROM nba_precompute.team_defense_zone_analysis WHERE analysis_date = $d",
            {"d": PLAYOFF_DAY})
    for name in (PCF, MLFS):
        build_range(catalog.tables()[name], scratch, PLAYOFF_DAY, PLAYOFF_DAY, "rebuilt")

    after = reports(scratch, PLAYOFF_DAY, PLAYOFF_DAY, [PCF, MLFS])
    pcf, mlfs = after[PCF].by_day()[PLAYOFF_DAY], after[MLFS].by_day()[PLAYOFF_DAY]
    assert pcf.outcome is Outcome.FAIL and pcf.values["opponent_tdza_valid_share"] == 0.0
    assert mlfs.outcome is Outcome.FAIL and mlfs.values["feature_13_from_tdza_valid_share"] == 0.0
    assert after[PCF].severity == after[MLFS].severity == "ERROR"
