"""The box-score, schedule and play-by-play frames, with the planted defects applied.

The schedule, team box-score and gamebook frames add, for re-scraped games, rows built
from the stale box, so a duplicate differs only where the stale copy does. Games and
dates a defect drops are left out here, never in the simulation, which keeps every
other table of the game intact. nbac_play_by_play, the fallback feed, carries the
bigdataball gap's games plus every January game, an overlap in which the two feeds can
be compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_backfill.demo.defects import _STALE_HOURS_EARLIER, _Defects, _kept
from nba_backfill.demo.games import ACTIVE, REASONS, _Box, _gamebook_stats, _rank_desc
from nba_backfill.demo.league import ROSTER, TRICODES
from nba_backfill.demo.postseason import PLAY_IN, PLAYOFFS, REGULAR
from nba_backfill.demo.season import _NS_PER_HOUR, _dates, _Played, _processed_ns, _utc

_NBAC_PBP_MONTH = 1  # every January game also has nbac_play_by_play: an overlap to compare

_GAMEBOOK_STATS = (
    "points", "field_goals_made", "field_goals_attempted", "three_pointers_made",
    "three_pointers_attempted", "free_throws_made", "free_throws_attempted",
    "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists", "steals",
    "blocks", "turnovers", "personal_fouls",
)
_TEAM_STAT_NAMES = dict(zip(_GAMEBOOK_STATS, (
    "points", "fg_made", "fg_attempted", "three_pt_made", "three_pt_attempted", "ft_made",
    "ft_attempted", "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists",
    "steals", "blocks", "turnovers", "personal_fouls",
)))
_TEAM_BOX_COLUMNS = (
    "game_id", "game_date", "team_abbr", "is_home", "minutes", "fg_made", "fg_attempted",
    "three_pt_made", "three_pt_attempted", "ft_made", "ft_attempted", "offensive_rebounds",
    "defensive_rebounds", "total_rebounds", "assists", "steals", "blocks", "turnovers",
    "personal_fouls", "points", "plus_minus", "processed_at",
)


# --------------------------------------------------------------------------- box-score tables


def _clock(seconds: np.ndarray) -> np.ndarray:
    """'MM:SS' (minutes at least two digits) for whole seconds."""
    table = np.array([f"{s // 60:02d}:{s % 60:02d}" for s in range(int(seconds.max(initial=0)) + 1)], dtype=object)
    return table[seconds]


def _player_rows(played: _Played, box: _Box, games: np.ndarray, processed_ns: np.ndarray) -> pd.DataFrame:
    """Every rostered player of the games, with the gamebook's columns plus starter."""
    sub = box.take(games)
    rows = sub.status.size
    team_game = np.arange(rows) // ROSTER
    game = np.repeat(games, 2 * ROSTER)
    player = sub.team[team_game] * ROSTER + np.arange(rows) % ROSTER
    status = sub.status.ravel()
    inactive = status != ACTIVE
    reason = sub.reason.ravel()
    starter = (_rank_desc(sub.secs) < 5).ravel() & ~inactive
    columns = {
        "game_id": played.game_id[game],
        "game_date": _dates(played.day_ns[game]),
        "player_lookup": played.roster.lookup[player],
        "player_name": played.roster.name[player],
        "team_abbr": TRICODES[sub.team[team_game]],
        "player_status": np.array(["active", "dnp", "inactive"], dtype=object)[status],
        "dnp_reason": np.where(inactive, REASONS[np.maximum(reason, 0)], None),
        "starter": starter,
        "minutes": np.where(inactive, None, _clock(sub.secs.ravel())),
    }
    stats = _gamebook_stats(sub) | {"plus_minus": sub.stats["plus_minus"]}
    for name, values in stats.items():
        columns[name] = pd.arrays.IntegerArray(values.ravel().astype(np.int64), inactive)
    columns["processed_at"] = _utc(np.repeat(processed_ns, 2 * ROSTER))
    return pd.DataFrame(columns)


def _gamebook_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    table = "nbac_gamebook_player_stats"
    games = _kept(played, defects.missing)
    fresh = _player_rows(played, played.box, games, _processed_ns(played, table, games))
    stale = _player_rows(played, defects.stale_box, defects.duplicated, _stale_ns(played, table, defects.duplicated))
    frame = pd.concat([fresh, stale], ignore_index=True).drop(columns="starter")
    return frame.sort_values(["game_date", "game_id", "processed_at"], kind="stable", ignore_index=True)


def _stale_ns(played: _Played, table: str, games: np.ndarray) -> np.ndarray:
    return _processed_ns(played, table, games) - _STALE_HOURS_EARLIER * _NS_PER_HOUR


def _player_box_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    table = "nbac_player_boxscores"
    no_box = np.flatnonzero(np.isin(played.games.day, defects.no_player_box_days))
    games = _kept(played, defects.missing, no_box)
    frame = _player_rows(played, played.box, games, _processed_ns(played, table, games))
    frame = frame[frame["player_status"] == "active"].drop(columns=["player_status", "dnp_reason"])
    return frame.astype({name: np.int64 for name in (*_GAMEBOOK_STATS, "plus_minus")}).reset_index(drop=True)


def _team_rows(played: _Played, box: _Box, games: np.ndarray, processed_ns: np.ndarray) -> pd.DataFrame:
    """Two rows per game, every stat the sum of the team's players."""
    sub = box.take(games)
    points = sub.points
    columns = {
        "game_id": np.repeat(played.game_id[games], 2),
        "game_date": _dates(np.repeat(played.day_ns[games], 2)),
        "team_abbr": TRICODES[sub.team],
        "is_home": np.tile([False, True], games.size),
        "minutes": np.repeat([f"{240 + 25 * n}:00" for n in sub.n_ot], 2).astype(object),
    }
    for name, values in _gamebook_stats(sub).items():
        columns[_TEAM_STAT_NAMES[name]] = values.sum(axis=1)
    columns["plus_minus"] = points - points.reshape(-1, 2)[:, ::-1].ravel()
    columns["processed_at"] = _utc(np.repeat(processed_ns, 2))
    return pd.DataFrame(columns)[list(_TEAM_BOX_COLUMNS)]


def _team_box_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    table = "nbac_team_boxscore"
    games = _kept(played, defects.missing, defects.no_team_box)
    fresh = _team_rows(played, played.box, games, _processed_ns(played, table, games))
    stale = _team_rows(played, defects.stale_box, defects.duplicated, _stale_ns(played, table, defects.duplicated))
    frame = pd.concat([fresh, stale], ignore_index=True)
    return frame.sort_values(["game_date", "game_id", "processed_at"], kind="stable", ignore_index=True)


def _schedule_rows(played: _Played, box: _Box, games: np.ndarray, processed_ns: np.ndarray) -> pd.DataFrame:
    g = played.games.take(games)
    points = box.take(games).points
    return pd.DataFrame({
        "nba_game_id": g.nba_game_id,
        "game_id": played.game_id[games],
        "game_date": _dates(played.day_ns[games]),
        "season_year": np.full(games.size, played.season_year, dtype=np.int64),
        "game_status": np.full(games.size, 3, dtype=np.int64),
        "home_team_tricode": TRICODES[g.home],
        "away_team_tricode": TRICODES[g.away],
        "home_team_score": points[1::2],
        "away_team_score": points[0::2],
        "is_regular_season": g.kind == REGULAR,
        "is_playoffs": g.kind == PLAYOFFS,
        "is_play_in": g.kind == PLAY_IN,
        "processed_at": _utc(processed_ns),
    })


def _schedule_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    table = "nbac_schedule"
    games = np.arange(played.games.day.size)
    fresh = _schedule_rows(played, played.box, games, _processed_ns(played, table, games))
    stale = _schedule_rows(played, defects.stale_box, defects.duplicated, _stale_ns(played, table, defects.duplicated))
    frame = pd.concat([fresh, stale], ignore_index=True)
    return frame.sort_values(["game_date", "game_id", "processed_at"], kind="stable", ignore_index=True)


# --------------------------------------------------------------------------- play-by-play tables


def _event_rows(played: _Played, games: np.ndarray, table: str) -> dict[str, object]:
    """Columns shared by both play-by-play tables for the events of the given games."""
    ev = played.events
    keep = np.isin(ev.game, games)
    game, shooter = ev.game[keep], ev.shooter[keep]
    team = played.box.team[shooter // ROSTER]
    return {
        "keep": keep,
        "game_id": played.game_id[game],
        "game_date": _dates(played.day_ns[game]),
        "event_id": ev.event_id[keep],
        "period": ev.period[keep],
        "zone": ev.zone[keep],
        "shot_made": ev.made[keep],
        "shot_type": np.array(["2PT", "2PT", "3PT", "FT"], dtype=object)[ev.zone[keep]],
        "shot_distance": ev.distance[keep],
        "player_1_lookup": played.roster.lookup[team * ROSTER + shooter % ROSTER],
        "player_1_team_abbr": TRICODES[team],
        "processed_at": _utc(_processed_ns(played, table, game)),
    }


def _bigdataball_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    table = "bigdataball_play_by_play"
    cols = _event_rows(played, _kept(played, defects.missing, defects.no_bigdataball, defects.no_pbp), table)
    ev, keep = played.events, cols.pop("keep")
    helper = ev.helper[keep]
    has_helper = helper >= 0
    helper_player = played.box.team[np.maximum(helper, 0) // ROSTER] * ROSTER + np.maximum(helper, 0) % ROSTER
    role = np.where(ev.helper_is_assist[keep], "assist", "block")
    kinds = np.array(["shot", "shot", "shot", "free throw"], dtype=object)
    processed = cols.pop("processed_at")
    return pd.DataFrame({
        **{k: cols[k] for k in ("game_id", "game_date", "event_id", "period")},
        "event_type": kinds[cols.pop("zone")],
        **{k: cols[k] for k in ("shot_made", "shot_type", "shot_distance", "player_1_lookup", "player_1_team_abbr")},
        "player_2_lookup": np.where(has_helper, played.roster.lookup[helper_player], None),
        "player_2_role": np.where(has_helper, role, None).astype(object),
        "processed_at": processed,
    })


def _nbac_pbp_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    """Fallback shots: the bigdataball gap, plus every game of the overlap month (never a
    source-gap game)."""
    month = played.games.day.astype("datetime64[M]").astype(int) % 12 + 1
    wanted = np.union1d(defects.no_bigdataball, np.flatnonzero(month == _NBAC_PBP_MONTH))
    cols = _event_rows(played, np.setdiff1d(wanted, np.union1d(defects.missing, defects.no_pbp)), "nbac_play_by_play")
    cols.pop("keep")
    kinds = np.array(["fieldgoal", "fieldgoal", "fieldgoal", "freethrow"], dtype=object)
    processed = cols.pop("processed_at")
    return pd.DataFrame({
        **{k: cols[k] for k in ("game_id", "game_date", "event_id", "period")},
        "event_type": kinds[cols.pop("zone")],
        **{k: cols[k] for k in ("shot_made", "shot_type", "shot_distance", "player_1_lookup", "player_1_team_abbr")},
        "processed_at": processed,
    })
