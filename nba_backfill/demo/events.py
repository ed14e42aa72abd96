"""Play-by-play events: the box scores expanded into single shots and free throws.

Only shots and free throws are generated (the event types readers use); assists and
blocks in the box score are counted from the events' assist/block roles, so box score
and play-by-play agree. Paint shots are 0-8 ft, mid-range 8.1-23.5 ft, threes 23.8-30
ft except corner threes (a fifth) at 22.0-23.5 ft: shot_type, not distance, tells a
three from a two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nba_backfill.demo.games import _Box
from nba_backfill.demo.league import ROSTER, _within_block

# Assisted share of makes and blocked share of misses, by zone (paint, mid-range, three).
_ASSIST_P = np.array([0.50, 0.60, 0.80])
_BLOCK_P = np.array([0.24, 0.09, 0.02])
PAINT, MID, THREE, FREE_THROW = range(4)


@dataclass(frozen=True)
class _Events:
    """Shots and free throws of every game, sorted by game then time."""

    game: np.ndarray
    event_id: np.ndarray
    period: np.ndarray
    zone: np.ndarray  # PAINT / MID / THREE / FREE_THROW
    made: np.ndarray
    distance: np.ndarray
    shooter: np.ndarray  # cell = team-game row * 15 + rank
    helper: np.ndarray  # cell of the assister or blocker, -1 when none
    helper_is_assist: np.ndarray


def _events(box: _Box, skill: dict[str, np.ndarray], rng: np.random.Generator) -> _Events:
    """Expand the box counts into single shots and free throws, with assists and blocks."""
    s = box.stats
    parts = [
        (PAINT, s["paint_a"], s["paint_m"]), (MID, s["mid_a"], s["mid_m"]),
        (THREE, s["three_a"], s["three_m"]), (FREE_THROW, s["fta"], s["ftm"]),
    ]
    expanded = [(_expand(a, m), zone) for zone, a, m in parts]
    shooter = np.concatenate([cell for (cell, _), _ in expanded])
    made = np.concatenate([m for (_, m), _ in expanded])
    zone = np.concatenate([np.full(cell.size, z) for (cell, _), z in expanded])
    helper, is_assist = _helpers(box, skill, shooter, zone, made, rng)
    game = shooter // (2 * ROSTER)
    minutes = 48 + 5 * box.n_ot[game]
    clock = rng.random(shooter.size) * minutes
    order = np.lexsort((clock, game))
    game, clock = game[order], clock[order]
    period = np.where(clock < 48, clock // 12 + 1, 5 + (clock - 48) // 5).astype(np.int64)
    return _Events(
        game=game, event_id=_event_ids(game, rng), period=period, zone=zone[order],
        made=made[order], distance=_distances(zone[order], rng), shooter=shooter[order],
        helper=helper[order], helper_is_assist=is_assist[order],
    )


def _expand(attempts: np.ndarray, makes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One entry per attempt: its player cell, made for the first `makes` of each cell."""
    a = attempts.ravel()
    cell = np.repeat(np.arange(a.size), a)
    return cell, _within_block(a) < makes.ravel()[cell]


def _helpers(box: _Box, skill, shooter, zone, made, rng):
    """Assister (teammate) for assisted makes, blocker (opponent) for blocked misses."""
    share = box.secs / box.secs.sum(axis=1, keepdims=True)
    players = box.team[:, None] * ROSTER + np.arange(ROSTER)
    row, rank = shooter // ROSTER, shooter % ROSTER
    field_goal = zone != FREE_THROW
    zone_p = np.where(field_goal, zone, 0)
    assisted = field_goal & made & (rng.random(zone.size) < _ASSIST_P[zone_p])
    blocked = field_goal & ~made & (rng.random(zone.size) < _BLOCK_P[zone_p])
    helper = np.full(zone.size, -1)
    ast_w = share * skill["ast"][players]
    blk_w = share * skill["blk"][players]
    rows = row[assisted]
    helper[assisted] = rows * ROSTER + _draw_slot(ast_w[rows], rank[assisted], rng)
    opponent = row[blocked] ^ 1
    helper[blocked] = opponent * ROSTER + _draw_slot(blk_w[opponent], None, rng)
    return helper, assisted


def _draw_slot(weights: np.ndarray, exclude: np.ndarray | None, rng) -> np.ndarray:
    """One rank per row with probability ∝ weights, never the excluded rank."""
    w = weights.copy()
    if exclude is not None:
        w[np.arange(w.shape[0]), exclude] = 0.0
    cumulative = np.cumsum(w, axis=1)
    u = rng.random(w.shape[0]) * cumulative[:, -1]
    return (cumulative <= u[:, None]).sum(axis=1)


def _distances(zone: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Feet, one decimal: paint 0-8, mid 8.1-23.5, threes 23.8-30 or corner 22.0-23.5."""
    n = zone.size
    paint = 8.0 * rng.beta(0.9, 2.5, n)
    mid = 8.1 + 15.4 * rng.beta(1.6, 1.4, n)
    corner = rng.random(n) < 0.2
    three = np.where(corner, 22.0 + 1.5 * rng.random(n), 23.8 + 6.2 * rng.beta(1.0, 3.0, n))
    feet = np.choose(zone, [paint, mid, three, np.full(n, np.nan)])
    return np.round(feet, 1)


def _event_ids(game: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Increasing within a game with small gaps (the events not generated)."""
    gaps = rng.integers(1, 4, game.size)
    total = np.cumsum(gaps)
    first = np.flatnonzero(np.r_[True, game[1:] != game[:-1]])
    counts = np.diff(np.r_[first, game.size])
    return total - np.repeat(total[first] - gaps[first], counts)
