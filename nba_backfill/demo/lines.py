"""Prop and game lines: the Odds API, BettingPros and game-line frames.

The Odds API covers exactly 40% of simulated active player-games (players with the most
minutes, mostly the same ones game after game), BettingPros exactly 99.7%; both are
centred on the player's season scoring average, so a prop is as predictable as the
player. Game lines come from the teams' season scoring, home court included. Lines use
their own random stream and ignore the planted defects: a missing raw game still has
its lines, as in the real feeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nba_backfill.demo.games import ACTIVE, _gamebook_stats
from nba_backfill.demo.league import N_TEAMS, ROSTER, TRICODES
from nba_backfill.demo.season import _NS_PER_MINUTE, _dates, _Played, _utc

_ODDS_API_SHARE = 0.40  # of active player-games (SPEC §1 coverage facts)
_BETTINGPROS_SHARE = 0.997
_SNAPSHOT_MINUTES = np.array([600, 120, 15, -30])  # -30: an in-game snapshot


@dataclass(frozen=True)
class _PropBase:
    """One entry per simulated active player-game, with the market's consensus line."""

    game: np.ndarray
    player: np.ndarray
    line: np.ndarray  # x.5 near the player's season scoring average
    rebound_line: np.ndarray
    pick: np.ndarray  # how likely the Odds API carries him: minutes first, then the game


def _prop_base(played: _Played, rng: np.random.Generator) -> _PropBase:
    box = played.box
    cell = np.flatnonzero((box.status == ACTIVE).ravel())
    game = cell // (2 * ROSTER)
    player = box.team[cell // ROSTER] * ROSTER + cell % ROSTER
    players = N_TEAMS * ROSTER
    n_games = np.maximum(np.bincount(player, minlength=players), 1)

    def season_avg(values: np.ndarray) -> np.ndarray:
        return np.bincount(player, weights=values.ravel()[cell], minlength=players) / n_games

    points = season_avg(_gamebook_stats(box)["points"])
    rebounds = season_avg(box.stats["oreb"] + box.stats["dreb"])
    minutes = season_avg(box.secs)
    star = (minutes - minutes.mean()) / minutes.std()
    pick = (
        1.6 * star[player] + rng.normal(0, 0.4, players)[player]
        + rng.normal(0, 0.7, game.max() + 1)[game] + rng.normal(0, 0.5, cell.size)
    )
    return _PropBase(
        game=game,
        player=player,
        line=np.floor(points[player] * rng.lognormal(0, 0.1, cell.size)) + 0.5,
        rebound_line=np.floor(rebounds[player]) + 0.5,
        pick=pick,
    )


def _steps(rng: np.random.Generator, shape, sizes, p) -> np.ndarray:
    """Line moves: a random signed choice of sizes."""
    return rng.choice(np.array(sizes, float), shape, p=p)


def _odds_props_frame(played: _Played, base: _PropBase, rng: np.random.Generator) -> pd.DataFrame:
    """Exactly 40% of player-games, 2-3 books, 2-3 pre-tip snapshots, rarely one in-game."""
    n_pick = round(_ODDS_API_SHARE * base.game.size)
    chosen = np.sort(np.argpartition(-base.pick, n_pick - 1)[:n_pick])
    n = chosen.size
    has_book = np.column_stack([np.ones((n, 2), bool), rng.random(n) < 0.35])
    patterns = np.array([[1, 1, 1, 0], [0, 1, 1, 0], [1, 0, 1, 0]], bool)
    has_snap = patterns[rng.choice(3, n, p=[0.5, 0.3, 0.2])]
    in_game = (rng.random((n, 3)) < 0.05)[:, :, None] & (_SNAPSHOT_MINUTES < 0)
    present = has_book[:, :, None] & (has_snap[:, None, :] | in_game)
    close = base.line[chosen][:, None] + _steps(rng, (n, 3), [-1, 0, 1], [0.125, 0.75, 0.125])
    opening = close + _steps(rng, (n, 3), [-1, 0, 1], [0.15, 0.7, 0.15])
    middle = np.where(rng.random((n, 3)) < 0.5, opening, close)
    live = close + _steps(rng, (n, 3), [-4, -3, -2, 2, 3, 4], [1 / 6] * 6)
    line = np.maximum(np.stack([opening, middle, close, live], axis=2), 0.5)
    over = -110 + 5 * rng.integers(-2, 3, line.shape)
    i, b, s = np.nonzero(present)
    game, player = base.game[chosen][i], base.player[chosen][i]
    return pd.DataFrame({
        "game_id": played.game_id[game],
        "game_date": _dates(played.day_ns[game]),
        "player_lookup": played.roster.lookup[player],
        "bookmaker": np.array(["draftkings", "fanduel", "betmgm"], dtype=object)[b],
        "snapshot_timestamp": _utc(played.tip_ns[game] - _SNAPSHOT_MINUTES[s] * _NS_PER_MINUTE),
        "minutes_before_tipoff": _SNAPSHOT_MINUTES[s].astype(np.int64),
        "points_line": line[i, b, s],
        "over_price_american": over[i, b, s].astype(np.int64),
        "under_price_american": (-220 - over[i, b, s]).astype(np.int64),
    })


_BETTINGPROS_BOOKS = np.array(["DraftKings", "FanDuel", "BetMGM", "BettingPros Consensus"], dtype=object)


def _bettingpros_frame(played: _Played, base: _PropBase, rng: np.random.Generator) -> pd.DataFrame:
    """Exactly 99.7% of player-games: over and under for 3-4 books, best line flagged per
    side among the real books; plus a few rebounds rows readers must skip."""
    dropped = rng.choice(base.game.size, round((1 - _BETTINGPROS_SHARE) * base.game.size), replace=False)
    keep = np.setdiff1d(np.arange(base.game.size), dropped)
    n = keep.size
    has = np.column_stack([np.ones((n, 2), bool), rng.random(n) < 0.3, np.ones(n, bool)])
    book_shift = np.column_stack([_steps(rng, (n, 3), [-1, 0, 1], [0.15, 0.7, 0.15]), np.zeros(n)])
    line = np.maximum(base.line[keep][:, None] + book_shift, 0.5)
    opening = np.maximum(line + _steps(rng, (n, 4), [-1, 0, 1], [0.2, 0.6, 0.2]), 0.5)
    tiebreak = rng.random((n, 3)) * 0.01
    best = np.zeros((n, 4, 2), bool)
    for side, sign in ((0, 1), (1, -1)):  # over wants the lowest line, under the highest
        key = np.where(has[:, :3], sign * line[:, :3] + tiebreak, np.inf)
        best[np.arange(n), key.argmin(axis=1), side] = True
    active = rng.random((n, 4)) >= 0.004
    updated = played.tip_ns[base.game[keep]][:, None] - (rng.uniform(5, 300, (n, 4)) * _NS_PER_MINUTE).astype(np.int64)
    i, b, side = np.nonzero(np.repeat(has[:, :, None], 2, axis=2))
    points = _bettingpros_rows(
        played, base.game[keep][i], base.player[keep][i], "points", side, _BETTINGPROS_BOOKS[b],
        line[i, b], opening[i, b], active[i, b], best[i, b, side], updated[i, b],
    )
    reb = np.flatnonzero(rng.random(n) < 0.005).repeat(2)
    reb_line = base.rebound_line[keep][reb]
    rebounds = _bettingpros_rows(
        played, base.game[keep][reb], base.player[keep][reb], "rebounds", np.tile([0, 1], reb.size // 2),
        np.full(reb.size, "DraftKings", dtype=object), reb_line, reb_line, np.ones(reb.size, bool),
        np.zeros(reb.size, bool), updated[reb, 0],
    )
    return pd.concat([points, rebounds], ignore_index=True)


def _bettingpros_rows(played, game, player, market, side, book, line, opening, active, best, updated_ns):
    return pd.DataFrame({
        "game_date": _dates(played.day_ns[game]),
        "player_lookup": played.roster.lookup[player],
        "market_type": np.full(game.size, market, dtype=object),
        "bet_side": np.array(["over", "under"], dtype=object)[side],
        "bookmaker": book,
        "points_line": line.astype(float),
        "opening_line": opening.astype(float),
        "is_active": active,
        "is_best_line": best,
        "bookmaker_last_update": _utc(updated_ns),
    })


def _game_lines_frame(played: _Played, rng: np.random.Generator) -> pd.DataFrame:
    """Spreads and totals from the teams' season scoring, 2-3 books, two pre-tip snapshots."""
    games, box = played.games, played.box
    points = box.points
    allowed = points.reshape(-1, 2)[:, ::-1].ravel()
    count = np.bincount(box.team, minlength=N_TEAMS)
    scored = np.bincount(box.team, weights=points, minlength=N_TEAMS) / count
    conceded = np.bincount(box.team, weights=allowed, minlength=N_TEAMS) / count
    net = scored - conceded
    h, a, n = games.home, games.away, games.home.size
    home_margin = 2.3 + (net[h] - net[a]) / 2 + rng.normal(0, 1.5, n)
    total = (scored[h] + conceded[a] + scored[a] + conceded[h]) / 2 + rng.normal(0, 3, n)
    spread = -np.round(home_margin * 2) / 2
    early_spread = spread[:, None] + _steps(rng, (n, 3), [-0.5, 0, 0.5], [0.15, 0.7, 0.15])
    early_total = np.round(total * 2)[:, None] / 2 + _steps(rng, (n, 3), [-0.5, 0, 0.5], [0.15, 0.7, 0.15])
    late_spread = early_spread + _steps(rng, (n, 3), [-1, -0.5, 0, 0.5, 1], [0.05, 0.15, 0.6, 0.15, 0.05])
    late_total = early_total + _steps(rng, (n, 3), [-1.5, -1, -0.5, 0, 0.5, 1, 1.5], [0.025, 0.075, 0.15, 0.5, 0.15, 0.075, 0.025])
    home_spread = np.stack([early_spread, late_spread], axis=2)  # (game, book, snapshot)
    totals = np.stack([early_total, late_total], axis=2)
    value = np.stack([-home_spread, home_spread, totals, totals], axis=3)  # away, home, over, under
    has_book = np.column_stack([np.ones((n, 2), bool), rng.random(n) < 0.5])
    i, b, s, o = np.nonzero(np.broadcast_to(has_book[:, :, None, None], value.shape))
    names = np.column_stack([TRICODES[a], TRICODES[h], np.full(n, "Over"), np.full(n, "Under")]).astype(object)
    before = np.array([20 * 60, 40])[s]
    return pd.DataFrame({
        "game_id": played.game_id[i],
        "game_date": _dates(played.day_ns[i]),
        "bookmaker_key": np.array(["draftkings", "fanduel", "betmgm"], dtype=object)[b],
        "market_key": np.array(["spreads", "spreads", "totals", "totals"], dtype=object)[o],
        "outcome_name": names[i, o],
        "outcome_point": value[i, b, s, o],
        "snapshot_timestamp": _utc(played.tip_ns[i] - before * _NS_PER_MINUTE),
    })
