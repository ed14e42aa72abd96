"""Loading stats.nba.com exports: hand-made CSVs in each accepted variation → raw rows.

Every expected value below is worked out by hand from the rows written here (team sums,
possessions = FGA + 0.44·FTA + TOV − OREB), never taken from the loader.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlglot import exp

from nba_backfill.errors import UserError
from nba_backfill.ingest import csv_formats as fmt
from nba_backfill.ingest.nba_api import LoadReport, SkippedRow, _segments, load_files
from nba_backfill_tests.support.nba_api_files import DEN, LAL, PLAYER_LOG_HEADER, player_row, write_csv

D1, D2 = dt.date(2023, 10, 24), dt.date(2023, 10, 25)

# -- fixtures: CSVs as nba_api writes them ------------------------------------------------

# Hand-added team totals of the DEN and LAL rows (G1: LAL @ DEN, 2023-10-24).
DEN_TOTAL = dict(points=100, fg_made=40, fg_attempted=73, three_pt_made=9, three_pt_attempted=22,
                 ft_made=11, ft_attempted=13, offensive_rebounds=7, defensive_rebounds=25,
                 total_rebounds=32, assists=23, turnovers=7, steals=4, blocks=2, personal_fouls=12)  # fmt: skip
LAL_TOTAL = dict(points=88, fg_made=35, fg_attempted=73, three_pt_made=8, three_pt_attempted=22,
                 ft_made=10, ft_attempted=13, offensive_rebounds=6, defensive_rebounds=19,
                 total_rebounds=25, assists=20, turnovers=7, steals=3, blocks=3, personal_fouls=9)  # fmt: skip


@pytest.fixture
def g1_file(tmp_path) -> Path:
    """PlayerGameLogs style: ISO dates with a time, full game ids, decimal minutes."""
    rows = [player_row(p, "DEN", "LAL", True) for p in DEN] + [player_row(p, "LAL", "DEN", False) for p in LAL]
    return write_csv(tmp_path / "player_logs_g1.csv", PLAYER_LOG_HEADER, rows)


# G2 in LeagueGameLog player style: "OCT 25, 2023", game id without its zeros, an overtime
# game, MIN as MM:SS (BOS) and as whole minutes (NYK), SEASON_ID instead of SEASON_YEAR.
LGL_HEADER = ["SEASON_ID", "PLAYER_ID", "PLAYER_NAME", "TEAM_ID", "TEAM_ABBREVIATION", "TEAM_NAME",
              "GAME_ID", "GAME_DATE", "MATCHUP", "WL", "MIN", "FGM", "FGA", "FG_PCT", "FG3M", "FG3A",
              "FG3_PCT", "FTM", "FTA", "FT_PCT", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV",
              "PF", "PTS", "PLUS_MINUS", "VIDEO_AVAILABLE"]  # fmt: skip
BOS = ["Jayson Tatum", "Jaylen Brown", "Kristaps Porziņģis", "Derrick White", "Jrue Holiday"]
BOS_MIN = ["52:59", "53:01", "53:00", "53:00", "53:00"]
NYK = ["Jalen Brunson", "Julius Randle", "RJ Barrett", "Mitchell Robinson", "Josh Hart"]


@pytest.fixture
def g2_file(tmp_path) -> Path:
    rows = []
    for name, minutes in zip(BOS, BOS_MIN):
        # FGM FGA FG% FG3M FG3A FG3% FTM FTA FT% OREB DREB REB AST STL BLK TOV PF PTS +/-
        stats = [8, 17, 0.47, 2, 6, 0.33, 4, 5, 0.8, 1, 5, 6, 5, 1, 1, 2, 3, 22, 2]
        rows.append(["22023", 1, name, 1610612738, "BOS", "Boston Celtics", "22300070", "OCT 25, 2023",
                     "BOS @ NYK", "W", minutes, *stats, 1])  # fmt: skip
    for name in NYK:
        ftm, pts = (3, 20) if name == "Josh Hart" else (5, 22)
        stats = [8, 18, 0.44, 1, 5, 0.2, ftm, 6, 0.8, 2, 4, 6, 4, 1, 0, 1, 2, pts, -2]
        rows.append(["22023", 1, name, 1610612752, "NYK", "New York Knicks", "22300070", "OCT 25, 2023",
                     "NYK vs. BOS", "L", "53", *stats, 1])  # fmt: skip
    return write_csv(tmp_path / "leaguegamelog_g2.csv", LGL_HEADER, rows)


def raw(warehouse, table: str, order: str | None = None) -> pd.DataFrame:
    """A raw table's rows, ordered by ``order`` (default: every column but processed_at)."""
    frame = warehouse.query_expression(exp.select("*").from_(exp.to_table(f"nba_raw.{table}")))
    by = [order] if order else [c for c in frame.columns if c != "processed_at"]
    return frame.sort_values(by, na_position="first").reset_index(drop=True)


def as_records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    out = []
    for row in frame[columns].to_dict("records"):
        out.append({k: (None if pd.isna(v) else v) for k, v in row.items()})
    return out


# -- player logs → gamebook, schedule, team box scores -------------------------------------


def test_player_logs_write_gamebook_schedule_and_team_sums(warehouse, g1_file):
    report = load_files(warehouse, [g1_file])

    assert report.rows_by_table == {
        "nba_raw.nbac_gamebook_player_stats": 10,
        "nba_raw.nbac_team_boxscore": 2,
        "nba_raw.nbac_schedule": 1,
    }
    assert report.dates == [D1] and report.skipped == [] and report.warnings == []

    schedule = as_records(raw(warehouse, "nbac_schedule", "game_id"), [
        "nba_game_id", "game_id", "game_date", "season_year", "game_status", "home_team_tricode",
        "away_team_tricode", "home_team_score", "away_team_score", "is_regular_season",
        "is_playoffs", "is_play_in"])  # fmt: skip
    assert schedule == [{
        "nba_game_id": "0022300061", "game_id": "20231024_LAL_DEN", "game_date": pd.Timestamp(D1),
        "season_year": 2023, "game_status": 3, "home_team_tricode": "DEN", "away_team_tricode": "LAL",
        "home_team_score": 100, "away_team_score": 88, "is_regular_season": True,
        "is_playoffs": False, "is_play_in": False,
    }]  # fmt: skip

    box = raw(warehouse, "nbac_team_boxscore", "team_abbr").set_index("team_abbr")
    for team, totals, is_home, plus_minus in (("DEN", DEN_TOTAL, True, 12), ("LAL", LAL_TOTAL, False, -12)):
        row = box.loc[team]
        assert row.game_id == "20231024_LAL_DEN" and bool(row.is_home) is is_home
        assert row.minutes == "240:00"  # 4 x 48:00 + 47:59 (DEN) rounds to the game's 240:00
        assert row.plus_minus == plus_minus  # the margin, not the players' sum (5 x margin)
        assert {k: int(row[k]) for k in totals} == totals
        assert row.processed_at is not None

    book = raw(warehouse, "nbac_gamebook_player_stats", "player_lookup").set_index("player_lookup")
    assert set(book.index) == {
        "nikolajokic", "jamalmurray", "michaelporterjr", "aarongordon", "kentaviouscaldwellpope",
        "lebronjames", "anthonydavis", "dangelorussell", "austinreaves", "taureanprince",
    }  # fmt: skip
    jokic = book.loc["nikolajokic"]
    assert (jokic.player_name, jokic.team_abbr, jokic.player_status, jokic.minutes) == (
        "Nikola Jokić", "DEN", "active", "48:00")
    assert pd.isna(jokic.dnp_reason)
    assert [int(jokic[c]) for c in (
        "points", "field_goals_made", "field_goals_attempted", "three_pointers_made",
        "three_pointers_attempted", "free_throws_made", "free_throws_attempted", "offensive_rebounds",
        "defensive_rebounds", "total_rebounds", "assists", "turnovers", "steals", "blocks",
        "personal_fouls", "plus_minus")] == [29, 12, 20, 1, 3, 4, 5, 3, 10, 13, 11, 2, 1, 1, 2, 12]  # fmt: skip
    assert book.loc["jamalmurray"].minutes == "47:59"  # 47.983333 min = 2879 s
    assert set(book.game_id) == {"20231024_LAL_DEN"}


def test_leaguegamelog_style_overtime_game(warehouse, g2_file):
    report = load_files(warehouse, [g2_file])

    assert report.dates == [D2] and report.skipped == []
    schedule = raw(warehouse, "nbac_schedule", "game_id").iloc[0]
    assert (schedule.nba_game_id, schedule.game_id) == ("0022300070", "20231025_BOS_NYK")
    assert (schedule.home_team_tricode, schedule.home_team_score, schedule.away_team_score) == ("NYK", 108, 110)
    box = raw(warehouse, "nbac_team_boxscore", "team_abbr").set_index("team_abbr")
    assert box.loc["BOS", "minutes"] == "265:00" and box.loc["NYK", "minutes"] == "265:00"  # one OT
    assert box.loc["BOS", "fg_attempted"] == 85 and box.loc["NYK", "ft_made"] == 23
    assert (box.loc["BOS", "plus_minus"], box.loc["NYK", "plus_minus"]) == (2, -2)
    book = raw(warehouse, "nbac_gamebook_player_stats", "player_lookup").set_index("player_lookup")
    assert book.loc["kristapsporzingis", "player_name"] == "Kristaps Porziņģis"
    assert book.loc["jaysontatum", "minutes"] == "52:59" and book.loc["joshhart", "minutes"] == "53:00"
    assert set(book.game_date) == {pd.Timestamp(D2)}


@pytest.mark.parametrize(
    "date_text, game_id",
    [("2023-10-24", "22300061"), ("2023-10-24T00:00:00", "0022300061"), ("10/24/2023", "22300061"),
     ("10-24-2023", "0022300061"), ("OCT 24, 2023", "22300061"), ("20231024", "0022300061")],
)  # fmt: skip
def test_every_date_and_game_id_format_gives_the_same_rows(warehouse, tmp_path, date_text, game_id):
    rows = [player_row(DEN[0], "DEN", "LAL", True, game_id, date_text),
            player_row(LAL[0], "LAL", "DEN", False, game_id, date_text)]  # fmt: skip
    load_files(warehouse, [write_csv(tmp_path / "one.csv", PLAYER_LOG_HEADER, rows)])

    schedule = raw(warehouse, "nbac_schedule", "game_id")
    assert list(schedule.nba_game_id) == ["0022300061"] and list(schedule.game_id) == ["20231024_LAL_DEN"]
    assert list(schedule.game_date) == [pd.Timestamp(D1)]
    assert list(raw(warehouse, "nbac_gamebook_player_stats", "player_lookup").game_id) == ["20231024_LAL_DEN"] * 2


def test_season_types_from_game_id_and_season_type_column(warehouse, tmp_path):
    header = PLAYER_LOG_HEADER + ["SEASON_TYPE"]
    one = ("A Player", "48:00", 10, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    two = ("B Player", "48:00", 8, 4, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    games = [  # id, date (US formats), home, away, season-type label
        ("0022300180", "11/10/2023", "BOS", "NYK", "IST"),  # Cup group game: regular season
        ("0062300001", "12/09/2023", "LAL", "IND", "NBA Cup"),  # Cup final: none of the three
        ("0052300101", "04-16-2024", "NOP", "LAL", "PlayIn"),
        ("0042300101", "04-20-2024", "NYK", "PHI", "Playoffs"),
        ("0032300001", "02/18/2024", "WST", "EST", "All Star"),  # skipped
    ]
    rows = []
    for game_id, date, home, away, label in games:
        rows.append(player_row(one, home, away, True, game_id, date) + [label])
        rows.append(player_row(two, away, home, False, game_id, date) + [label])
    path = write_csv(tmp_path / "kinds.csv", header, rows)

    report = load_files(warehouse, [path])

    schedule = raw(warehouse, "nbac_schedule", "game_date")
    flags = {r.nba_game_id: (r.is_regular_season, r.is_playoffs, r.is_play_in, r.season_year)
             for r in schedule.itertuples()}  # fmt: skip
    assert flags == {
        "0022300180": (True, False, False, 2023),
        "0062300001": (False, False, False, 2023),
        "0052300101": (False, False, True, 2023),
        "0042300101": (False, True, False, 2023),
    }
    assert [str(s) for s in report.skipped] == [
        f"{path}:10: All-Star game 0032300001: not loaded",
        f"{path}:11: All-Star game 0032300001: not loaded",
    ]


# -- bad rows, bad files, replacement ------------------------------------------------------


def test_unusable_rows_are_skipped_and_reported_with_file_and_line(warehouse, tmp_path):
    curry = ("Stephen Curry", "36:00", 30, 10, 20, 5, 10, 5, 5, 0, 5, 5, 5, 3, 1, 0, 2, 4)
    curry_again = ("Stephen Curry", "36:00", 31, 10, 20, 5, 10, 6, 6, 0, 5, 5, 5, 3, 1, 0, 2, 4)
    durant = ("Kevin Durant", "38:00", 28, 11, 19, 2, 4, 4, 4, 1, 6, 7, 4, 2, 0, 1, 2, -4)
    game = dict(game_id="0022300080", date="2023-10-26")
    no_team = player_row(durant, "PHX", "GSW", False, **game)
    no_team[3:5] = ["", ""]
    rows = [
        player_row(curry, "GSW", "PHX", True, **game),  # line 2: superseded by line 9
        player_row(curry, "GSW", "PHX", True, "", "2023-10-26"),  # 3: no game id
        player_row(curry, "GSW", "PHX", True, "0022300080", "yesterday"),  # 4
        no_team,  # 5
        player_row(("Stephen Curry", "abc", *curry[2:]), "GSW", "PHX", True, **game),  # 6
        player_row(durant, "PHX", "GSW", False, **game),  # 7: fine
        player_row(curry, "GSW", "PHX", True, "0022300080", "2023-08-01"),  # 8: off-season
        player_row(curry_again, "GSW", "PHX", True, **game),  # 9: fine
    ]
    path = write_csv(tmp_path / "bad.csv", PLAYER_LOG_HEADER, rows)

    report = load_files(warehouse, [path])

    assert sorted(report.skipped, key=lambda s: s.line) == [
        SkippedRow(str(path), 2, f"Stephen Curry in game 0022300080 again at {path}:9; kept that row"),
        SkippedRow(str(path), 3, "no GAME_ID"),
        SkippedRow(str(path), 4, "GAME_DATE 'yesterday' is not a date"),
        SkippedRow(str(path), 5, "player Kevin Durant has no team"),
        SkippedRow(str(path), 6, "MIN 'abc' is not minutes"),
        SkippedRow(str(path), 8, "2023-08-01 is outside every season in the calendar"),
    ]
    assert f"  {path}:4: GAME_DATE 'yesterday' is not a date" in report.lines()
    # the game's date has unusable rows (line 4's by its game id): held back whole, with
    # the off-season date line 8 states; the superseded line 2 holds nothing back
    assert report.held_back == [dt.date(2023, 8, 1), dt.date(2023, 10, 26)] and report.unusable == 5
    assert len(raw(warehouse, "nbac_gamebook_player_stats")) == 0 and report.rows_by_table == {}

    good = write_csv(tmp_path / "good.csv", PLAYER_LOG_HEADER, [rows[5], rows[7]])  # lines 7 and 9
    assert load_files(warehouse, [good]).error() is None
    book = raw(warehouse, "nbac_gamebook_player_stats", "player_lookup")
    assert list(book.player_lookup) == ["kevindurant", "stephencurry"]
    assert list(book.points) == [28, 31]  # the later Curry row


def test_report_lines_cap_the_skipped_rows():
    skipped = [SkippedRow("f.csv", n, "no GAME_ID") for n in range(2, 27)]
    report = LoadReport({"nba_raw.nbac_schedule": 3}, [D1, D2, dt.date(2023, 10, 27)], skipped)
    lines = report.lines()
    assert lines[0] == "nba_raw.nbac_schedule: 3 rows"
    assert lines[1] == "dates: 3 (2023-10-24 .. 2023-10-25, 2023-10-27)"
    assert lines[2] == "skipped: 25 rows"
    assert lines[3] == "  f.csv:2: no GAME_ID" and lines[22] == "  f.csv:21: no GAME_ID"
    assert lines[23:] == ["  ... and 5 more"]


def test_reloading_the_same_files_changes_nothing(warehouse, g1_file, g2_file, tmp_path):
    shots = write_shot_chart(tmp_path)
    first = load_files(warehouse, [g1_file, g2_file], shots=[shots])
    tables = ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_play_by_play")
    before = {t: raw(warehouse, t).drop(columns="processed_at") for t in tables}

    second = load_files(warehouse, [g1_file, g2_file], shots=[shots])

    assert second.rows_by_table == first.rows_by_table
    for table in tables:
        after = raw(warehouse, table).drop(columns="processed_at")
        pd.testing.assert_frame_equal(after, before[table])
    assert len(before["nbac_gamebook_player_stats"]) == 20


def test_a_load_replaces_exactly_the_dates_in_its_files(warehouse, g1_file, g2_file, tmp_path):
    load_files(warehouse, [g2_file])  # 2023-10-25 from an earlier load
    stale = pd.DataFrame({"game_id": ["20231024_LAL_DEN"], "game_date": [D1], "player_lookup": ["stale"]})
    warehouse.load_dataframe("nba_raw.nbac_gamebook_player_stats", stale)
    later = [player_row(p, "LAL", "DEN", False, "0022300090", "2023-10-26") for p in LAL[:1]]
    g3_file = write_csv(tmp_path / "g3.csv", PLAYER_LOG_HEADER, later)

    report = load_files(warehouse, [g1_file, g3_file])  # 10-24 and 10-26, not 10-25

    assert report.dates == [D1, dt.date(2023, 10, 26)]
    book = raw(warehouse, "nbac_gamebook_player_stats", "game_date")
    assert book.groupby("game_date").size().to_dict() == {
        pd.Timestamp(D1): 10, pd.Timestamp(D2): 10, pd.Timestamp(2023, 10, 26): 1}
    assert "stale" not in set(book.player_lookup)
    assert len(raw(warehouse, "nbac_schedule", "game_date")) == 3
    assert any("no rows for DEN; its score is NULL" in w for w in report.warnings)


def test_segments_group_consecutive_dates_with_the_same_tables():
    a, b = "nba_raw.a", "nba_raw.b"
    d = lambda day: dt.date(2023, 10, day)  # noqa: E731
    coverage = {a: {d(24), d(25), d(26), d(28)}, b: {d(25), d(26)}}
    assert _segments(coverage) == [
        (d(24), d(24), (a,)), (d(25), d(26), (a, b)), (d(28), d(28), (a,)),
    ]  # fmt: skip


def count_all(warehouse) -> int:
    tables = ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_play_by_play")
    return sum(len(raw(warehouse, t)) for t in tables)


def test_a_file_missing_columns_raises_before_anything_is_written(warehouse, g1_file, tmp_path):
    broken = pd.read_csv(g1_file, dtype=str).drop(columns=["FGA", "PTS"])
    broken_file = tmp_path / "broken.csv"
    broken.to_csv(broken_file, index=False)

    with pytest.raises(UserError, match=r"player game log .*broken\.csv lacks column\(s\) FGA, PTS$"):
        load_files(warehouse, [g1_file, broken_file])
    assert count_all(warehouse) == 0

    with pytest.raises(UserError, match="does not exist"):
        load_files(warehouse, [g1_file], shots=[tmp_path / "missing.csv"])
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(UserError, match="is empty"):
        load_files(warehouse, [g1_file], team_logs=[empty])
    assert count_all(warehouse) == 0


def test_a_team_log_given_as_player_log_says_so(warehouse, tmp_path):
    team_log = write_team_log(tmp_path)
    with pytest.raises(UserError, match="pass it with --team-logs"):
        load_files(warehouse, [team_log])
    with pytest.raises(UserError, match="pass it with --player-logs"):
        load_files(warehouse, [], team_logs=[write_csv(tmp_path / "p.csv", PLAYER_LOG_HEADER, [])])


# -- team logs, schedule exports, shot charts ----------------------------------------------

TEAM_LOG_HEADER = ["", "SEASON_ID", "TEAM_ID", "TEAM_ABBREVIATION", "TEAM_NAME", "GAME_ID", "GAME_DATE",
                   "MATCHUP", "WL", "MIN", "FGM", "FGA", "FG3M", "FG3A", "FTM", "FTA", "OREB", "DREB",
                   "REB", "AST", "STL", "BLK", "TOV", "PF", "PTS", "PLUS_MINUS"]  # fmt: skip


def write_team_log(tmp_path) -> Path:
    """LeagueGameLog team mode (MIN 240) and TeamGameLogs (MIN 48), with a pandas index."""
    order = ["fg_made", "fg_attempted", "three_pt_made", "three_pt_attempted", "ft_made", "ft_attempted",
             "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists", "steals", "blocks",
             "turnovers", "personal_fouls", "points"]  # fmt: skip
    rows = [
        [0, "22023", 1610612743, "DEN", "Denver Nuggets", "0022300061", "2023-10-24", "DEN vs. LAL", "W",
         "48", *[DEN_TOTAL[k] for k in order], 12],
        [1, "22023", 1610612747, "LAL", "Los Angeles Lakers", "0022300061", "2023-10-24", "LAL @ DEN", "L",
         "240", *[LAL_TOTAL[k] for k in order], -12],
    ]  # fmt: skip
    return write_csv(tmp_path / "team_logs.csv", TEAM_LOG_HEADER, rows)


def test_team_logs_alone_give_team_box_scores_and_the_schedule(warehouse, tmp_path):
    report = load_files(warehouse, [], team_logs=[write_team_log(tmp_path)])

    assert report.rows_by_table == {"nba_raw.nbac_team_boxscore": 2, "nba_raw.nbac_schedule": 1}
    box = raw(warehouse, "nbac_team_boxscore", "team_abbr").set_index("team_abbr")
    assert list(box.minutes) == ["240:00", "240:00"]
    assert {k: int(box.loc["DEN", k]) for k in DEN_TOTAL} == DEN_TOTAL
    assert (box.loc["DEN", "plus_minus"], box.loc["LAL", "plus_minus"]) == (12, -12)
    schedule = raw(warehouse, "nbac_schedule", "game_id").iloc[0]
    assert (schedule.game_id, schedule.home_team_score, schedule.away_team_score) == ("20231024_LAL_DEN", 100, 88)


def test_team_logs_win_over_player_sums(warehouse, tmp_path, g1_file):
    team_log = write_team_log(tmp_path)
    changed = pd.read_csv(team_log, dtype=str, keep_default_na=False)
    changed.loc[0, "MIN"] = "53"  # the team log says overtime; the players' sum says 240
    changed.to_csv(team_log, index=False)

    load_files(warehouse, [g1_file], team_logs=[team_log])

    box = raw(warehouse, "nbac_team_boxscore", "team_abbr").set_index("team_abbr")
    assert len(box) == 2 and box.loc["DEN", "minutes"] == "265:00" and box.loc["LAL", "minutes"] == "240:00"
    assert len(raw(warehouse, "nbac_gamebook_player_stats", "player_lookup")) == 10


SCHEDULE_HEADER = ["leagueId", "seasonYear", "gameDate", "gameId", "gameStatus", "gameStatusText",
                   "gameDateEst", "homeTeam_teamId", "homeTeam_teamTricode", "homeTeam_score",
                   "awayTeam_teamId", "awayTeam_teamTricode", "awayTeam_score"]  # fmt: skip


def test_a_schedule_export_is_the_schedule(warehouse, tmp_path, g1_file, g2_file):
    rows = [
        ["00", "2023-24", "10/24/2023 00:00:00", "0022300061", 3, "Final", "2023-10-24T00:00:00Z",
         1610612743, "DEN", 119, 1610612747, "LAL", 107],
        ["00", "2023-24", "10/24/2023 00:00:00", "0022300062", 3, "Final", "2023-10-24T00:00:00Z",
         1610612744, "GSW", 104, 1610612756, "PHX", 108],
        ["00", "2023-24", "10/27/2023 00:00:00", "0022300099", 1, "7:30 pm ET", "2023-10-27T00:00:00Z",
         1610612744, "GSW", 0, 1610612758, "SAC", 0],
        ["00", "2023-24", "10/05/2023 00:00:00", "0012300001", 3, "Final", "2023-10-05T00:00:00Z",
         1610612744, "GSW", 99, 1610612747, "LAL", 98],
    ]  # fmt: skip
    schedule_file = write_csv(tmp_path / "schedule.csv", SCHEDULE_HEADER, rows)

    report = load_files(warehouse, [g1_file, g2_file], schedule=schedule_file)

    schedule = raw(warehouse, "nbac_schedule", "game_id")
    assert as_records(schedule, ["game_id", "game_status", "home_team_score", "away_team_score"]) == [
        {"game_id": "20231024_LAL_DEN", "game_status": 3, "home_team_score": 119, "away_team_score": 107},
        {"game_id": "20231024_PHX_GSW", "game_status": 3, "home_team_score": 104, "away_team_score": 108},
        {"game_id": "20231027_SAC_GSW", "game_status": 1, "home_team_score": None, "away_team_score": None},
    ]
    assert [str(s) for s in report.skipped] == [f"{schedule_file}:5: preseason game 0012300001: not loaded"]
    assert report.error() is None  # left out on purpose: not an error
    assert report.warnings == ["game 0022300070 (BOS @ NYK on 2023-10-25) is in the logs but not in the schedule file"]
    assert report.dates == [D1, D2, dt.date(2023, 10, 27)]


SHOT_HEADER = ["GRID_TYPE", "GAME_ID", "GAME_EVENT_ID", "PLAYER_ID", "PLAYER_NAME", "TEAM_ID", "TEAM_NAME",
               "PERIOD", "MINUTES_REMAINING", "SECONDS_REMAINING", "EVENT_TYPE", "ACTION_TYPE", "SHOT_TYPE",
               "SHOT_ZONE_BASIC", "SHOT_ZONE_AREA", "SHOT_ZONE_RANGE", "SHOT_DISTANCE", "LOC_X", "LOC_Y",
               "SHOT_ATTEMPTED_FLAG", "SHOT_MADE_FLAG", "GAME_DATE", "HTM", "VTM"]  # fmt: skip


def write_shot_chart(tmp_path, bad_row: bool = False) -> Path:
    """G1's shots; ``bad_row`` adds a shot by a team nobody knows (an unusable row)."""
    def shot(event, name, team_id, period, made, kind, zone, distance):
        return ["Shot Chart Detail", "0022300061", event, 1, name, team_id, "", period, 5, 0,
                "Made Shot" if made else "Missed Shot", "Jump Shot", kind, zone, "Center(C)", "",
                distance, 0, 0, 1, int(made), "20231024", "DEN", "LAL"]  # fmt: skip

    rows = [
        shot(7, "Nikola Jokić", 1610612743, 1, True, "2PT Field Goal", "Restricted Area", 2),
        shot(12, "Jamal Murray", 1610612743, 1, False, "3PT Field Goal", "Above the Break 3", 25),
        shot(20, "LeBron James", 1610612747, 2, True, "2PT Field Goal", "Mid-Range", 15),
    ]
    if bad_row:
        rows.append(shot(21, "Nobody", 123, 2, True, "2PT Field Goal", "Mid-Range", 15))
    return write_csv(tmp_path / ("shots_bad.csv" if bad_row else "shots.csv"), SHOT_HEADER, rows)


def test_shot_chart_becomes_nbac_play_by_play_field_goals(warehouse, tmp_path):
    path = write_shot_chart(tmp_path)

    report = load_files(warehouse, [], shots=[path])  # HTM/VTM name the game

    assert report.rows_by_table == {"nba_raw.nbac_play_by_play": 3}
    assert report.skipped == [] and report.error() is None
    rows = as_records(raw(warehouse, "nbac_play_by_play", "event_id"), [
        "game_id", "game_date", "event_id", "period", "event_type", "shot_made", "shot_type",
        "shot_distance", "player_1_lookup", "player_1_team_abbr"])  # fmt: skip
    day = pd.Timestamp(D1)
    assert rows == [
        dict(game_id="20231024_LAL_DEN", game_date=day, event_id=7, period=1, event_type="fieldgoal",
             shot_made=True, shot_type="2PT", shot_distance=2.0, player_1_lookup="nikolajokic",
             player_1_team_abbr="DEN"),
        dict(game_id="20231024_LAL_DEN", game_date=day, event_id=12, period=1, event_type="fieldgoal",
             shot_made=False, shot_type="3PT", shot_distance=25.0, player_1_lookup="jamalmurray",
             player_1_team_abbr="DEN"),
        dict(game_id="20231024_LAL_DEN", game_date=day, event_id=20, period=2, event_type="fieldgoal",
             shot_made=True, shot_type="2PT", shot_distance=15.0, player_1_lookup="lebronjames",
             player_1_team_abbr="LAL"),
    ]  # fmt: skip
    assert len(raw(warehouse, "bigdataball_play_by_play", )) == 0

    # the same file with one unusable shot: reported, and its date held back whole, so
    # the three shots loaded above stay as they are
    bad = write_shot_chart(tmp_path, bad_row=True)
    again = load_files(warehouse, [], shots=[bad])
    assert [str(s) for s in again.skipped] == [f"{bad}:5: shot by Nobody has no team (unknown TEAM_ID 123)"]
    assert again.held_back == [D1] and again.rows_by_table == {}
    assert again.error().startswith("1 row unusable: dates 2023-10-24 not loaded")
    kept = as_records(raw(warehouse, "nbac_play_by_play", "event_id"), ["game_id", "event_id", "player_1_lookup"])
    assert [r["event_id"] for r in kept] == [7, 12, 20]


def test_sparse_shot_exports_use_the_warehouse_schedule(warehouse, tmp_path, g1_file):
    load_files(warehouse, [g1_file])  # the schedule now knows 0022300061
    header = ["GAME_ID", "GAME_DATE", "PLAYER_NAME", "TEAM_ID", "PERIOD", "EVENT_TYPE", "SHOT_MADE_FLAG",
              "SHOT_TYPE", "SHOT_DISTANCE"]  # fmt: skip
    rows = [
        ["22300061", "2023-10-24", "Nikola Jokić", "1610612743", "1", "Made Shot", "", "2PT Field Goal", "5"],
        ["22300061", "2023-10-24", "Austin Reaves", "1610612747", "3", "Made Shot", "FALSE", "3PT Field Goal", "24"],
        # an unknown game, on another date: that date is held back, 2023-10-24 loads
        ["22300999", "2023-10-25", "Austin Reaves", "1610612747", "3", "Made Shot", "TRUE", "3PT Field Goal", "24"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "sparse.csv", header, rows)

    report = load_files(warehouse, [], shots=[path])

    shots = raw(warehouse, "nbac_play_by_play", "event_id")
    assert as_records(shots, ["game_id", "event_id", "shot_made", "player_1_lookup"]) == [
        {"game_id": "20231024_LAL_DEN", "event_id": 1, "shot_made": True, "player_1_lookup": "nikolajokic"},
        {"game_id": "20231024_LAL_DEN", "event_id": 2, "shot_made": False, "player_1_lookup": "austinreaves"},
    ]
    assert [s.line for s in report.skipped] == [4]
    assert "game 0022300999 is in neither these files nor the warehouse schedule" in report.skipped[0].reason
    assert report.held_back == [D2]
    assert len(raw(warehouse, "nbac_gamebook_player_stats", )) == 10  # shots touch only shots


# -- value formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2023-10-24", "2023-10-24T00:00:00", "2023-10-24T00:00:00Z", "20231024", "10/24/2023",
     "10/24/2023 00:00:00", "10-24-2023", "OCT 24, 2023", "Oct 24, 2023", "October 24, 2023"],
)  # fmt: skip
def test_parse_date_formats(text):
    assert fmt.parse_date(text) == D1


@pytest.mark.parametrize("text", ["", "24/10/2023", "2023-13-01", "OCX 24, 2023", "yesterday"])
def test_parse_date_rejects(text):
    with pytest.raises(fmt.BadValue):
        fmt.parse_date(text)


@pytest.mark.parametrize(
    "text, seconds",
    [("34:31", 2071), ("5:07", 307), ("34.516667", 2071), ("34.5", 2070), ("35", 2100),
     ("PT34M31.00S", 2071), ("0", 0)],
)  # fmt: skip
def test_parse_minutes(text, seconds):
    assert fmt.parse_minutes(text) == seconds


def test_minutes_formats_and_team_minutes():
    with pytest.raises(fmt.BadValue):
        fmt.parse_minutes("34:75")
    assert fmt.format_minutes(307) == "05:07"
    assert fmt.team_minutes(240 * 60 - 1) == "240:00"
    assert fmt.team_minutes(265 * 60 + 40) == "265:00"
    assert fmt.team_minutes(290 * 60) == "290:00"
    assert fmt.team_log_seconds("48") == 240 * 60 and fmt.team_log_seconds("240") == 240 * 60


@pytest.mark.parametrize(
    "text, value", [("1", True), ("0", False), ("TRUE", True), ("false", False), ("1.0", True),
                    ("Made Shot", True), ("Missed Shot", False)]
)  # fmt: skip
def test_parse_bool(text, value):
    assert fmt.parse_bool(text, "SHOT_MADE_FLAG") is value


def test_game_ids_names_and_kinds():
    assert fmt.parse_game_id("22300061") == "0022300061" == fmt.parse_game_id("22300061.0")
    with pytest.raises(fmt.BadValue):
        fmt.parse_game_id("G-1")
    assert fmt.player_lookup("Nikola Jokić") == "nikolajokic"
    assert fmt.player_lookup("Karl-Anthony Towns") == "karlanthonytowns"
    assert fmt.player_lookup("Dāvis Bertāns") == "davisbertans"
    assert fmt.player_lookup("Bogdan Bogdanović") == "bogdanbogdanovic"
    assert fmt.player_lookup("Jusuf Nurkić") == fmt.player_lookup("Jusuf Nurkic")
    assert fmt.parse_matchup("LAL @ DEN") == ("LAL", "DEN", False)
    assert fmt.parse_matchup("DEN vs. LAL") == ("DEN", "LAL", True)
    assert fmt.kind_from_game_id("0062300001") == fmt.CUP_FINAL
    assert fmt.kind_from_label("PlayIn") == fmt.PLAY_IN and fmt.kind_from_label("IST") == fmt.REGULAR
    assert fmt.parse_shot_type("3PT Field Goal") == "3PT" and fmt.parse_shot_type("") is None


# -- Phase 3 on the loaded dates ---------------------------------------------------------------


def test_phase3_points_possessions_and_zones_on_loaded_dates(warehouse, g1_file, g2_file, tmp_path):
    from nba_backfill import catalog
    from nba_backfill.assets.sql_asset import build_range

    specs = catalog.tables()
    load_files(warehouse, [g1_file, g2_file], shots=[write_shot_chart(tmp_path)])  # shots: G1 only
    for name in ("team_offense_game_summary", "player_game_summary"):
        build_range(specs[name], warehouse, D1, D2, run_id="real-data-test")

    query = exp.select("*").from_(exp.to_table("nba_analytics.team_offense_game_summary"))
    togs = warehouse.query_expression(query).set_index("team_abbr")
    # possessions = FGA + 0.44 FTA + TOV - OREB, from the hand totals
    expected = {"DEN": (100, 73 + 0.44 * 13 + 7 - 7), "LAL": (88, 73 + 0.44 * 13 + 7 - 6),
                "BOS": (110, 85 + 0.44 * 25 + 10 - 5), "NYK": (108, 90 + 0.44 * 30 + 5 - 10)}  # fmt: skip
    assert set(togs.index) == set(expected)
    for team, (points, possessions) in expected.items():
        assert togs.loc[team, "points_scored"] == points
        assert togs.loc[team, "possessions"] == pytest.approx(possessions)

    query = exp.select("*").from_(exp.to_table("nba_analytics.player_game_summary"))
    pgs = warehouse.query_expression(query).set_index("player_lookup")
    assert len(pgs) == 20
    assert pgs.loc["nikolajokic", "points"] == 29 and pgs.loc["joshhart", "points"] == 20
    assert pgs.loc["jamalmurray", "minutes_played"] == pytest.approx(47 + 59 / 60)
    # the shot chart's three G1 shots: Jokić 2 ft make, Murray 25 ft 3PT miss, James 15 ft make
    zones = ["paint_attempts", "paint_makes", "mid_range_attempts", "mid_range_makes", "three_attempts", "three_makes"]
    assert [int(pgs.loc["nikolajokic", z]) for z in zones] == [1, 1, 0, 0, 0, 0]
    assert [int(pgs.loc["jamalmurray", z]) for z in zones] == [0, 0, 0, 0, 1, 0]
    assert [int(pgs.loc["lebronjames", z]) for z in zones] == [0, 0, 1, 1, 0, 0]
    assert pgs.loc["lebronjames", "shot_zones_source"] == "nbac_pbp"
    assert pd.isna(pgs.loc["lebronjames", "assisted_fg_makes"])  # unknown, not 0
    assert pgs.loc["jaysontatum", [*zones, "shot_zones_source"]].isna().all()  # G2: no shots loaded
