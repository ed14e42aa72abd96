"""The demo Phase 2 data, checked against the raw DDL and basketball with plain pandas.

One season (2023-24, whose play-in and playoffs have no play-by-play) is generated once
for the module, and 2024-25 (a December without play-by-play) for the month-gap test;
every test recomputes what it checks from the frames, never from the generator's internals.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nba_backfill.demo.generate import generate_demo_data
from nba_backfill.seasons import load_calendar

SEED = 11
RAW_DDL = Path(__file__).resolve().parents[2] / "sql" / "raw"
RAW_TABLES = [
    "nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_player_boxscores",
    "bigdataball_play_by_play", "nbac_play_by_play", "odds_api_player_points_props",
    "bettingpros_player_points_props", "odds_api_game_lines", "demo_defects",
]
TRICODES = set(
    "ATL BOS BKN CHA CHI CLE DAL DEN DET GSW HOU IND LAC LAL MEM MIA MIL MIN NOP NYK "
    "OKC ORL PHI PHX POR SAC SAS TOR UTA WAS".split()
)
GAMEBOOK_STATS = [
    "points", "field_goals_made", "field_goals_attempted", "three_pointers_made",
    "three_pointers_attempted", "free_throws_made", "free_throws_attempted",
    "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists", "steals",
    "blocks", "turnovers", "personal_fouls",
]
TEAM_STATS = [
    "points", "fg_made", "fg_attempted", "three_pt_made", "three_pt_attempted", "ft_made",
    "ft_attempted", "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists",
    "steals", "blocks", "turnovers", "personal_fouls",
]


@pytest.fixture(scope="module")
def season():
    return load_calendar().by_label("2023-24")


@pytest.fixture(scope="module")
def data(season) -> dict[str, pd.DataFrame]:
    return generate_demo_data([season], seed=SEED)


def latest(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """What a correct reader sees: the latest processed_at row per key."""
    return frame.sort_values("processed_at").drop_duplicates(keys, keep="last")


@pytest.fixture(scope="module")
def schedule(data) -> pd.DataFrame:
    return latest(data["nbac_schedule"], ["game_id"]).sort_values(["game_date", "nba_game_id"])


@pytest.fixture(scope="module")
def gamebook(data) -> pd.DataFrame:
    return latest(data["nbac_gamebook_player_stats"], ["game_id", "player_lookup"])


@pytest.fixture(scope="module")
def active(gamebook) -> pd.DataFrame:
    rows = gamebook[gamebook["player_status"] == "active"].copy()
    rows["seconds"] = seconds(rows["minutes"])
    return rows


@pytest.fixture(scope="module")
def team_box(data) -> pd.DataFrame:
    return latest(data["nbac_team_boxscore"], ["game_id", "team_abbr"])


@pytest.fixture(scope="module")
def defects(data) -> pd.DataFrame:
    return data["demo_defects"]


def seconds(clock: pd.Series) -> pd.Series:
    parts = clock.str.split(":", expand=True).astype(int)
    return parts[0] * 60 + parts[1]


def team_games(schedule: pd.DataFrame) -> pd.DataFrame:
    """One row per team per game: team, game_date."""
    home = schedule[["game_id", "game_date", "home_team_tricode"]].rename(columns={"home_team_tricode": "team"})
    away = schedule[["game_id", "game_date", "away_team_tricode"]].rename(columns={"away_team_tricode": "team"})
    return pd.concat([home, away], ignore_index=True)


def defect_games(defects: pd.DataFrame, kind: str) -> set[str]:
    return set(defects.loc[defects["defect_type"] == kind, "game_id"])


# --------------------------------------------------------------------------- contract


def ddl_columns(table: str) -> list[tuple[str, str]]:
    body = (RAW_DDL / f"{table}.sql").read_text().split("(", 1)[1].rsplit(")", 1)[0]
    return re.findall(r"^\s*(\w+)\s+(STRING|INT64|FLOAT64|BOOL|DATE|TIMESTAMP)\b", body, re.M)


def test_every_raw_table_is_generated(data):
    assert list(data) == RAW_TABLES


@pytest.mark.parametrize("table", RAW_TABLES)
def test_columns_and_types_follow_the_ddl(data, table):
    frame = data[table]
    columns = ddl_columns(table)
    assert list(frame.columns) == [name for name, _ in columns]
    assert len(frame) > 0
    for name, kind in columns:
        dtype = frame[name].dtype
        if kind == "STRING":
            assert dtype == object
            assert frame[name].dropna().map(type).eq(str).all(), name
        elif kind == "INT64":
            assert str(dtype) in ("int64", "Int64"), name
        elif kind == "FLOAT64":
            assert dtype == np.float64, name
        elif kind == "BOOL":
            assert str(dtype) in ("bool", "boolean"), name
        elif kind == "DATE":
            assert dtype == "datetime64[ns]" and (frame[name] == frame[name].dt.normalize()).all(), name
        else:
            assert str(dtype) == "datetime64[ns, UTC]", name


# --------------------------------------------------------------------------- schedule


def test_the_thirty_real_teams_play(schedule):
    assert set(schedule["home_team_tricode"]) | set(schedule["away_team_tricode"]) == TRICODES


def test_every_team_plays_82_regular_season_games_41_at_home(schedule):
    regular = schedule[schedule["is_regular_season"]]
    assert len(regular) == 1230
    assert team_games(regular)["team"].value_counts().eq(82).all()
    assert regular["home_team_tricode"].value_counts().eq(41).all()


def test_no_team_plays_twice_on_a_day(schedule):
    assert not team_games(schedule).duplicated(["team", "game_date"]).any()


def test_back_to_backs_are_common_but_never_three_in_a_row(schedule):
    games = team_games(schedule[schedule["is_regular_season"]]).sort_values(["team", "game_date"])
    rest = games.groupby("team")["game_date"].diff().dt.days
    back_to_backs = (rest == 1).groupby(games["team"]).sum()
    assert back_to_backs.between(6, 24).all()
    assert 11 <= back_to_backs.mean() <= 17
    third_night = (rest == 1) & (rest.groupby(games["team"]).shift(1) == 1)
    assert not third_night.any()


def test_regular_season_spans_october_to_mid_april_with_breaks(schedule, season):
    days = pd.Series(sorted(schedule.loc[schedule["is_regular_season"], "game_date"].unique()))
    assert days.iloc[0].date() == season.opener
    assert days.iloc[-1].month == 4 and 8 <= days.iloc[-1].day <= 16
    assert 155 <= len(days) <= 175
    empty_days = days.diff().dt.days - 1
    february = days.dt.month == 2
    assert empty_days[february].max() >= 5  # the All-Star break
    no_games = {dt.date(2023, 11, 23), dt.date(2023, 12, 24)}  # Thanksgiving, Christmas Eve
    assert no_games.isdisjoint(d.date() for d in days)


def test_play_in_then_four_playoff_rounds_end_on_the_last_day(schedule, season):
    regular_end = schedule.loc[schedule["is_regular_season"], "game_date"].max()
    play_in = schedule[schedule["is_play_in"]]
    playoffs = schedule[schedule["is_playoffs"]]
    assert len(play_in) == 6 and play_in["game_date"].nunique() == 3
    assert play_in["game_date"].min() > regular_end
    assert playoffs["game_date"].min() > play_in["game_date"].max()
    assert playoffs["game_date"].max().date() == season.last_day
    assert 40 <= (playoffs["game_date"].max() - playoffs["game_date"].min()).days <= 65
    assert not (schedule["is_regular_season"] & (schedule["is_playoffs"] | schedule["is_play_in"])).any()
    assert len(set(playoffs["home_team_tricode"]) | set(playoffs["away_team_tricode"])) == 16


def test_every_playoff_series_ends_when_a_team_reaches_four_wins(schedule):
    playoffs = schedule[schedule["is_playoffs"]].copy()
    playoffs["series"] = playoffs["nba_game_id"].str[7:9]
    playoffs["winner"] = np.where(
        playoffs["home_team_score"] > playoffs["away_team_score"],
        playoffs["home_team_tricode"], playoffs["away_team_tricode"],
    )
    series = playoffs.sort_values("game_date").groupby("series")
    assert series.ngroups == 8 + 4 + 2 + 1
    for _, games in series:
        wins = games["winner"].value_counts()
        assert wins.max() == 4 and (len(wins) == 1 or wins.min() < 4)
        assert games["winner"].iloc[-1] == wins.idxmax()  # nothing played after the clincher
        assert 4 <= len(games) <= 7


def test_ids_flags_and_status(schedule, season):
    dates = schedule["game_date"].dt.strftime("%Y%m%d")
    assert (schedule["game_id"] == dates + "_" + schedule["away_team_tricode"] + "_" + schedule["home_team_tricode"]).all()
    assert schedule["nba_game_id"].str.fullmatch(r"00[245]23\d{5}").all()
    kind = schedule["nba_game_id"].str[:3]
    assert (schedule["is_regular_season"] == (kind == "002")).all()
    assert (schedule["is_playoffs"] == (kind == "004")).all()
    assert (schedule["is_play_in"] == (kind == "005")).all()
    assert (schedule["game_status"] == 3).all() and (schedule["season_year"] == season.season_year).all()
    assert (schedule["home_team_score"] != schedule["away_team_score"]).all()


def test_schedule_scores_are_the_team_box_points(schedule, team_box):
    points = team_box.pivot(index="game_id", columns="is_home", values="points")
    joined = schedule.set_index("game_id").join(points, how="inner")
    assert len(joined) > 1200
    assert (joined["home_team_score"] == joined[True]).all()
    assert (joined["away_team_score"] == joined[False]).all()


def test_processed_at_is_a_few_hours_after_the_game_date(data):
    for table in ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats", "bigdataball_play_by_play"):
        frame = data[table]
        after = frame["processed_at"].dt.tz_localize(None) - frame["game_date"]
        assert after.between(pd.Timedelta(hours=24), pd.Timedelta(hours=36)).all(), table


# --------------------------------------------------------------------------- box scores


def test_player_stats_are_internally_consistent(data, active):
    for frame in (active, data["nbac_player_boxscores"]):
        fgm, fga = frame["field_goals_made"], frame["field_goals_attempted"]
        tpm, tpa = frame["three_pointers_made"], frame["three_pointers_attempted"]
        ftm, fta = frame["free_throws_made"], frame["free_throws_attempted"]
        assert (fgm <= fga).all() and (tpm <= tpa).all() and (tpa <= fga).all() and (tpm <= fgm).all()
        assert (ftm <= fta).all()
        assert (frame["points"] == 2 * fgm + tpm + ftm).all()
        assert (frame["total_rebounds"] == frame["offensive_rebounds"] + frame["defensive_rebounds"]).all()
        assert (frame[GAMEBOOK_STATS] >= 0).all().all()


def test_team_box_is_the_sum_of_its_players(active, team_box):
    sums = active.groupby(["game_id", "team_abbr"])[GAMEBOOK_STATS + ["plus_minus", "seconds"]].sum()
    joined = team_box.set_index(["game_id", "team_abbr"]).join(sums, rsuffix="_players", how="inner")
    assert len(joined) == len(team_box)
    for player_stat, team_stat in zip(GAMEBOOK_STATS, TEAM_STATS):
        column = player_stat if player_stat != team_stat else f"{team_stat}_players"
        assert (joined[team_stat] == joined[column]).all(), team_stat
    assert (joined["plus_minus_players"] == 5 * joined["plus_minus"]).all()
    assert (joined["seconds"] == seconds(joined["minutes"])).all()


def test_minutes_are_240_plus_25_per_overtime(active, team_box):
    per_team = active.groupby(["game_id", "team_abbr"])["seconds"].sum()
    overtime = (per_team - 240 * 60) / (25 * 60)
    assert (overtime == overtime.round()).all() and overtime.between(0, 3).all()
    by_game = overtime.groupby(level="game_id")
    assert (by_game.min() == by_game.max()).all()  # both teams played the same periods
    assert 0.03 <= (by_game.first() > 0).mean() <= 0.09
    assert set(team_box["minutes"]) <= {"240:00", "265:00", "290:00", "315:00"}
    assert (team_box.groupby("game_id")["plus_minus"].sum() == 0).all()


def test_team_totals_look_like_the_nba(team_box):
    means = team_box[TEAM_STATS].mean()
    assert 108 <= means["points"] <= 120
    assert 85 <= means["fg_attempted"] <= 92
    assert 31 <= means["three_pt_attempted"] <= 40
    assert 19 <= means["ft_attempted"] <= 26
    assert 11 <= means["turnovers"] <= 16
    assert 8 <= means["offensive_rebounds"] <= 12
    assert 22 <= means["assists"] <= 30
    margin = team_box.loc[team_box["is_home"], "plus_minus"]
    assert 9 <= margin.abs().mean() <= 15
    assert 0.5 <= (margin > 0).mean() <= 0.62  # home court


def test_every_rostered_player_has_a_row_and_sitting_players_have_null_stats(gamebook):
    counts = gamebook.groupby(["game_id", "team_abbr"])["player_status"].value_counts().unstack(fill_value=0)
    assert (counts.sum(axis=1) == 15).all()
    assert counts["active"].between(8, 13).all() and 10 <= counts["active"].mean() <= 11.2
    assert counts["inactive"].between(1, 3).all()
    assert 2 <= counts["dnp"].mean() <= 4
    sitting = gamebook[gamebook["player_status"] != "active"]
    assert sitting[GAMEBOOK_STATS + ["minutes", "plus_minus"]].isna().all().all()
    assert sitting["dnp_reason"].notna().all()
    assert gamebook.loc[gamebook["player_status"] == "active", "dnp_reason"].isna().all()
    reasons = sitting["dnp_reason"]
    assert reasons[sitting["player_status"] == "dnp"].str.startswith("DNP - ").all()
    assert reasons[sitting["player_status"] == "inactive"].str.startswith("Inactive - ").all()
    for text in ("DNP - Coach's Decision", "DNP - Rest", "Injury/Illness", "Inactive - Personal Reasons"):
        assert reasons.str.contains(text, regex=False).any(), text


def test_players_have_stable_names_and_lookups(gamebook):
    names = gamebook.groupby("player_lookup")["player_name"].nunique()
    assert (names == 1).all()
    lookups = gamebook.drop_duplicates("player_lookup")
    assert (lookups["player_name"].str.lower().str.replace("[^a-z]", "", regex=True) == lookups["player_lookup"]).all()
    roster = gamebook.groupby(["team_abbr"])["player_lookup"].nunique()
    assert roster.between(15, 17).all()


def test_stars_score_like_stars_and_games_correlate(active):
    per_player = active.groupby("player_lookup").agg(points=("points", "mean"), games=("points", "size"))
    regulars = per_player[per_player["games"] >= 40]
    best_per_team = active.groupby(["team_abbr", "player_lookup"])["points"].mean().groupby("team_abbr").max()
    assert 17 <= best_per_team.median() <= 28
    assert 25 <= regulars["points"].max() <= 38
    bench = active.groupby("player_lookup")["seconds"].mean() < 12 * 60
    assert per_player.loc[bench[bench].index, "points"].mean() < 6
    halves = active.assign(half=active["game_date"] < pd.Timestamp("2024-01-20"))
    by_half = halves[halves["player_lookup"].isin(regulars.index)].pivot_table(
        index="player_lookup", columns="half", values="points", aggfunc="mean"
    )
    assert by_half[True].corr(by_half[False]) > 0.8


def test_player_boxscores_are_the_gamebook_active_rows(data, active):
    boxes = latest(data["nbac_player_boxscores"], ["game_id", "player_lookup"])
    joined = boxes.merge(active, on=["game_id", "player_lookup"], suffixes=("", "_gamebook"))
    assert len(joined) == len(boxes)
    for stat in GAMEBOOK_STATS + ["plus_minus", "minutes"]:
        assert (joined[stat] == joined[f"{stat}_gamebook"]).all(), stat
    starters = boxes.groupby(["game_id", "team_abbr"])["starter"].sum()
    assert (starters == 5).all()
    boxes = boxes.assign(seconds=seconds(boxes["minutes"]))
    least_starter = boxes[boxes["starter"]].groupby(["game_id", "team_abbr"])["seconds"].min()
    most_bench = boxes[~boxes["starter"]].groupby(["game_id", "team_abbr"])["seconds"].max()
    assert (least_starter >= most_bench.reindex(least_starter.index).fillna(0)).all()


# --------------------------------------------------------------------------- play-by-play


@pytest.fixture(scope="module")
def shots(data) -> pd.DataFrame:
    return data["bigdataball_play_by_play"]


def shot_counts(events: pd.DataFrame, field_goal: str, free_throw: str) -> pd.DataFrame:
    events = events.assign(
        fga=events["event_type"] == field_goal,
        fta=events["event_type"] == free_throw,
        tpa=events["shot_type"] == "3PT",
    )
    return events.assign(
        fgm=events["fga"] & events["shot_made"],
        ftm=events["fta"] & events["shot_made"],
        tpm=events["tpa"] & events["shot_made"],
    ).groupby(["game_id", "player_1_lookup"])[["fga", "fgm", "tpa", "tpm", "fta", "ftm"]].sum().rename_axis(
        index=["game_id", "player_lookup"]
    )


def test_bigdataball_shots_match_the_box_score(shots, active):
    counts = shot_counts(shots, "shot", "free throw")
    box = active[active["game_id"].isin(set(shots["game_id"]))].set_index(["game_id", "player_lookup"])
    box = box.join(counts, how="left").fillna({column: 0 for column in counts.columns})
    assert (box["fga"] == box["field_goals_attempted"]).all()
    assert (box["fgm"] == box["field_goals_made"]).all()
    assert (box["tpa"] == box["three_pointers_attempted"]).all()
    assert (box["tpm"] == box["three_pointers_made"]).all()
    assert (box["fta"] == box["free_throws_attempted"]).all()
    assert (box["ftm"] == box["free_throws_made"]).all()
    assert counts.index.isin(box.index).all()  # no shots by players who did not play


def test_assists_and_blocks_in_the_box_come_from_the_play_by_play(shots, active):
    helpers = shots.dropna(subset=["player_2_lookup"])
    credited = helpers.groupby(["game_id", "player_2_lookup", "player_2_role"]).size().unstack(fill_value=0)
    credited = credited.rename_axis(index=["game_id", "player_lookup"])
    box = active[active["game_id"].isin(set(shots["game_id"]))].set_index(["game_id", "player_lookup"])
    box = box.join(credited, how="left").fillna({"assist": 0, "block": 0})
    assert (box["assist"] == box["assists"]).all()
    assert (box["block"] == box["blocks"]).all()
    field_goals = shots[shots["event_type"] == "shot"]
    made = field_goals[field_goals["shot_made"]]
    assert 0.5 <= (made["player_2_role"] == "assist").mean() <= 0.7
    assert (shots.loc[shots["player_2_role"] == "assist", "shot_made"]).all()
    assert not (shots.loc[shots["player_2_role"] == "block", "shot_made"]).any()
    assert shots.loc[shots["event_type"] == "free throw", "player_2_lookup"].isna().all()


def test_assisters_are_teammates_and_blockers_opponents(shots, active):
    team_of = active.set_index(["game_id", "player_lookup"])["team_abbr"]
    helpers = shots.dropna(subset=["player_2_lookup"])
    helper_team = team_of.reindex(pd.MultiIndex.from_frame(helpers[["game_id", "player_2_lookup"]])).to_numpy()
    same_team = helper_team == helpers["player_1_team_abbr"].to_numpy()
    is_assist = (helpers["player_2_role"] == "assist").to_numpy()
    assert (same_team == is_assist).all()
    assert (helpers["player_1_lookup"] != helpers["player_2_lookup"]).all()


def test_shot_distances_fit_their_zones(shots):
    distance = shots["shot_distance"]
    three = shots["shot_type"] == "3PT"
    two = shots["shot_type"] == "2PT"
    assert (distance[three] >= 22).all() and (distance[three] <= 30).all()
    assert (distance[two] < 23.75).all() and (distance[two] >= 0).all()
    paint = (distance[two] <= 8).mean()
    assert 0.45 <= paint <= 0.75
    assert distance[shots["shot_type"] == "FT"].isna().all()
    assert set(shots["event_type"]) == {"shot", "free throw"}


def test_event_ids_increase_and_periods_follow_overtime(shots, active):
    ordered = shots.groupby("game_id")["event_id"].apply(lambda ids: ids.is_monotonic_increasing and ids.is_unique)
    assert ordered.all()
    game_seconds = active.groupby("game_id")["seconds"].sum()
    overtime_games = set(game_seconds[game_seconds > 2 * 240 * 60].index)
    late = shots[shots["period"] > 4]
    assert set(late["game_id"]) <= overtime_games
    assert shots["period"].between(1, 7).all()
    assert shots.groupby("game_id")["period"].min().eq(1).all()


def test_nbac_play_by_play_has_the_same_shots(data, shots):
    nbac = data["nbac_play_by_play"]
    assert set(nbac["event_type"]) == {"fieldgoal", "freethrow"}
    both = set(nbac["game_id"]) & set(shots["game_id"])
    assert len(both) >= 100  # a month of overlap
    ours = shot_counts(nbac[nbac["game_id"].isin(both)], "fieldgoal", "freethrow")
    theirs = shot_counts(shots[shots["game_id"].isin(both)], "shot", "free throw")
    pd.testing.assert_frame_equal(ours.sort_index(), theirs.sort_index())


# --------------------------------------------------------------------------- lines


def active_player_games(active: pd.DataFrame) -> pd.DataFrame:
    return active[["game_id", "game_date", "player_lookup"]].drop_duplicates()


def test_odds_api_covers_about_forty_percent_of_player_games(data, active):
    props = data["odds_api_player_points_props"]
    covered = active_player_games(active).merge(props[["game_id", "player_lookup"]].drop_duplicates(), how="left", indicator=True)
    share = (covered["_merge"] == "both").mean()
    assert 0.38 <= share <= 0.42
    assert set(props["bookmaker"]) == {"draftkings", "fanduel", "betmgm"}
    player_games = props[["game_id", "player_lookup"]].drop_duplicates()
    for book in ("draftkings", "fanduel"):
        with_book = props.loc[props["bookmaker"] == book, ["game_id", "player_lookup"]].drop_duplicates()
        assert len(with_book) == len(player_games), book
    assert (props["points_line"] % 1 == 0.5).all()
    assert props["over_price_american"].between(-125, -95).all()
    assert props["under_price_american"].between(-125, -95).all()
    pre_tip = props[props["minutes_before_tipoff"] >= 0]
    snapshots = pre_tip.groupby(["game_id", "player_lookup", "bookmaker"]).size()
    assert snapshots.between(2, 3).all()
    in_game = props[props["minutes_before_tipoff"] < 0]
    assert 0 < len(in_game) < 0.05 * len(props)


def test_odds_api_mostly_follows_the_same_players(data, active):
    props = data["odds_api_player_points_props"][["game_id", "player_lookup"]].drop_duplicates()
    games = active.sort_values("game_date")[["game_id", "player_lookup"]]
    games = games.merge(props, how="left", indicator=True)
    games["has_line"] = games.pop("_merge") == "both"
    previous = games.groupby("player_lookup")["has_line"].shift(1)
    with_line = games["has_line"] & previous.notna()
    assert previous[with_line].astype(bool).mean() >= 0.7
    minutes = active.groupby("player_lookup")["seconds"].mean()
    share = games.groupby("player_lookup")["has_line"].mean()
    assert share.corr(minutes.reindex(share.index)) > 0.6


def test_odds_api_lines_sit_near_what_players_score(data, active):
    props = data["odds_api_player_points_props"]
    closing = props[props["minutes_before_tipoff"] == 15].groupby(["game_id", "player_lookup"])["points_line"].mean()
    points = active.set_index(["game_id", "player_lookup"])["points"].reindex(closing.index)
    assert abs((points - closing).mean()) < 1.5
    assert 0.4 <= (points > closing).mean() <= 0.6


def test_bettingpros_covers_nearly_every_player_game(data, active):
    props = data["bettingpros_player_points_props"]
    points = props[props["market_type"] == "points"]
    keys = points[["game_date", "player_lookup"]].drop_duplicates()
    covered = active_player_games(active).merge(keys, how="left", indicator=True)
    assert 0.995 <= (covered["_merge"] == "both").mean() <= 0.999
    assert (props["market_type"] == "rebounds").any()
    assert set(points["bookmaker"]) == {"DraftKings", "FanDuel", "BetMGM", "BettingPros Consensus"}
    sides = points.groupby(["game_date", "player_lookup", "bookmaker"])["bet_side"].agg(["size", "nunique"])
    assert (sides["size"] == 2).all() and (sides["nunique"] == 2).all()
    best = points.groupby(["game_date", "player_lookup", "bet_side"])["is_best_line"].sum()
    assert (best == 1).all()
    assert not points.loc[points["bookmaker"] == "BettingPros Consensus", "is_best_line"].any()
    assert 0.99 <= points["is_active"].mean() < 1
    assert ((points["opening_line"] - points["points_line"]).abs() <= 2).all()


def test_game_lines_have_spreads_and_totals_for_both_teams(data, schedule):
    lines = data["odds_api_game_lines"]
    assert set(lines["game_id"]) == set(schedule["game_id"])
    spreads = lines[lines["market_key"] == "spreads"]
    per_snapshot = spreads.groupby(["game_id", "bookmaker_key", "snapshot_timestamp"])["outcome_point"]
    assert (per_snapshot.sum() == 0).all() and (per_snapshot.size() == 2).all()
    teams = schedule.set_index("game_id")[["home_team_tricode", "away_team_tricode"]].agg(set, axis=1)
    named = spreads.groupby("game_id")["outcome_name"].agg(set)
    assert (named == teams.reindex(named.index)).all()
    totals = lines[lines["market_key"] == "totals"]
    assert set(totals["outcome_name"]) == {"Over", "Under"}
    assert totals["outcome_point"].between(190, 260).all() and 215 <= totals["outcome_point"].mean() <= 240
    assert lines.groupby("game_id")["bookmaker_key"].nunique().between(2, 3).all()
    assert lines.groupby("game_id")["snapshot_timestamp"].nunique().eq(2).all()
    assert (lines["snapshot_timestamp"].dt.tz_localize(None) < lines["game_date"] + pd.Timedelta(hours=36)).all()


# --------------------------------------------------------------------------- defects


def test_every_defect_type_is_planted(defects):
    assert set(defects["defect_type"]) == {
        "no_team_boxscore", "no_bigdataball_pbp", "missing_raw_game", "duplicate_rescrape", "no_player_boxscores",
        "source_gap_no_pbp",  # 2023-24: the play-in and playoffs
    }


def test_defects_avoid_the_bootstrap_the_postseason_and_each_other(defects, schedule, season):
    regular_end = schedule.loc[schedule["is_regular_season"], "game_date"].max()
    planted = defects[defects["defect_type"] != "source_gap_no_pbp"]  # source gaps: below
    assert (planted["game_date"].dt.date >= season.opener + dt.timedelta(days=14)).all()
    assert (planted["game_date"] <= regular_end).all()
    assert (defects.groupby("game_date")["defect_type"].nunique() == 1).all()


def test_no_team_boxscore_games_can_be_reconstructed(data, defects, active, schedule):
    games = defect_games(defects, "no_team_boxscore")
    days = schedule.loc[schedule["game_id"].isin(games), "game_date"]
    assert 2 <= days.nunique() <= 4
    assert games == set(schedule.loc[schedule["game_date"].isin(days), "game_id"])  # whole dates
    assert not data["nbac_team_boxscore"]["game_id"].isin(games).any()
    per_team = active[active["game_id"].isin(games)].groupby(["game_id", "team_abbr"]).size()
    assert len(per_team) == 2 * len(games) and (per_team >= 5).all()


def test_no_bigdataball_games_fall_back_to_nbac(data, defects, schedule):
    games = defect_games(defects, "no_bigdataball_pbp")
    assert not data["bigdataball_play_by_play"]["game_id"].isin(games).any()
    assert games <= set(data["nbac_play_by_play"]["game_id"])
    game_days = pd.Series(sorted(schedule["game_date"].unique()))
    listed = game_days[game_days.isin(schedule.loc[schedule["game_id"].isin(games), "game_date"])]
    assert 7 <= len(listed) <= 10
    assert (np.diff(listed.index) == 1).all()  # consecutive game dates
    assert games == set(schedule.loc[schedule["game_date"].isin(listed), "game_id"])


def test_missing_raw_games_are_final_but_have_no_rows(data, defects, schedule):
    games = defect_games(defects, "missing_raw_game")
    assert 1 <= len(games) <= 3
    listed = schedule[schedule["game_id"].isin(games)]
    assert len(listed) == len(games) and (listed["game_status"] == 3).all()
    for table in ("nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_player_boxscores",
                  "bigdataball_play_by_play", "nbac_play_by_play"):
        assert not data[table]["game_id"].isin(games).any(), table


def test_duplicate_rescrapes_leave_an_older_stale_copy(data, defects, schedule):
    games = defect_games(defects, "duplicate_rescrape")
    assert 2 <= len(games) <= 4
    assert set(defects.loc[defects["defect_type"] == "duplicate_rescrape", "raw_table"]) == {
        "nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats",
    }
    raw_schedule = data["nbac_schedule"]
    assert raw_schedule["game_id"].value_counts().loc[sorted(games)].eq(2).all()
    assert (raw_schedule["game_id"].value_counts().drop(sorted(games)) == 1).all()
    team_rows = data["nbac_team_boxscore"]
    assert team_rows["game_id"].value_counts().loc[sorted(games)].eq(4).all()
    gamebook = data["nbac_gamebook_player_stats"]
    rows = gamebook[gamebook["game_id"].isin(games)]
    assert rows.groupby("game_id").size().eq(60).all()
    for game, copies in rows.groupby("game_id"):
        older, newer = (c.set_index("player_lookup") for _, c in copies.groupby("processed_at"))
        changed = (older[GAMEBOOK_STATS].fillna(-1) != newer.loc[older.index, GAMEBOOK_STATS].fillna(-1)).any(axis=1)
        assert changed.sum() == 2, game
        naive_points = copies.groupby("team_abbr")["points"].sum()  # a reader that skips dedup
        final = schedule.set_index("game_id").loc[game]
        assert naive_points.sum() != final["home_team_score"] + final["away_team_score"]


def play_by_play_games(data) -> set[str]:
    return set(data["bigdataball_play_by_play"]["game_id"]) | set(data["nbac_play_by_play"]["game_id"])


def test_the_postseason_has_no_play_by_play_a_listed_source_gap(data, defects, schedule):
    postseason = set(schedule.loc[schedule["is_playoffs"] | schedule["is_play_in"], "game_id"])
    assert len(postseason) >= 6 + (8 + 4 + 2 + 1) * 4  # the play-in, then 15 series of 4+ games
    assert not postseason & play_by_play_games(data)
    gaps = defects[defects["defect_type"] == "source_gap_no_pbp"]
    assert set(gaps["game_id"]) == postseason
    assert gaps.groupby("game_id")["raw_table"].apply(set).eq(
        {"bigdataball_play_by_play", "nbac_play_by_play"}).all()
    # every regular-season game but the missing raw ones has play-by-play in a feed
    regular = set(schedule.loc[schedule["is_regular_season"], "game_id"])
    assert regular - play_by_play_games(data) == defect_games(defects, "missing_raw_game")
    # the box scores and gamebook still have every postseason game: only shots are absent
    assert postseason <= set(data["nbac_team_boxscore"]["game_id"])
    assert postseason <= set(data["nbac_gamebook_player_stats"]["game_id"])


@pytest.fixture(scope="module")
def month_gap_season() -> dict[str, pd.DataFrame]:
    """2024-25: December 2024 has no play-by-play at all."""
    return generate_demo_data([load_calendar().by_label("2024-25")], seed=SEED)


def test_a_month_without_play_by_play_is_a_listed_source_gap(month_gap_season):
    data = month_gap_season
    schedule = latest(data["nbac_schedule"], ["game_id"])
    december = schedule["game_date"].dt.to_period("M") == pd.Period("2024-12", "M")
    in_december = set(schedule.loc[december, "game_id"])
    assert len(in_december) > 150  # a whole month of games
    assert not in_december & play_by_play_games(data)
    defects = data["demo_defects"]
    gaps = defects[defects["defect_type"] == "source_gap_no_pbp"]
    assert set(gaps["game_id"]) == in_december and len(gaps) == 2 * len(in_december)
    # no other defect on a December date (never two kinds on one date)
    others = defects[defects["defect_type"] != "source_gap_no_pbp"]
    assert not (others["game_date"].dt.to_period("M") == pd.Period("2024-12", "M")).any()
    assert (defects.groupby("game_date")["defect_type"].nunique() == 1).all()
    # every other game has play-by-play in a feed, the postseason included
    missing = set(defects.loc[defects["defect_type"] == "missing_raw_game", "game_id"])
    assert set(schedule["game_id"]) - play_by_play_games(data) == in_december | missing
    assert schedule.loc[schedule["is_playoffs"], "game_id"].isin(set(data["bigdataball_play_by_play"]["game_id"])).all()


def test_no_player_boxscores_dates_keep_their_gamebook(data, defects, gamebook):
    days = defects.loc[defects["defect_type"] == "no_player_boxscores", "game_date"]
    assert 3 <= len(days) <= 5 and defects.loc[days.index, "game_id"].isna().all()
    assert not data["nbac_player_boxscores"]["game_date"].isin(days).any()
    assert gamebook["game_date"].isin(days).sum() > 0


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_frames_other_seed_other_frames(data, season):
    again = generate_demo_data([season], seed=SEED)
    for table, frame in data.items():
        assert frame.equals(again[table]), table
    other = generate_demo_data([season], seed=SEED + 1)
    assert not other["nbac_schedule"]["game_id"].equals(data["nbac_schedule"]["game_id"])


def test_a_season_does_not_depend_on_the_other_seasons_asked_for(data, season):
    both = generate_demo_data([load_calendar().by_label("2022-23"), season], seed=SEED)
    for table, frame in data.items():
        part = both[table][both[table]["game_date"] >= pd.Timestamp(season.opener)].reset_index(drop=True)
        assert frame.reset_index(drop=True).equals(part), table
