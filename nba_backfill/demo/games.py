"""Box scores: one simulated game per pair of team-game rows, whatever the date.

Team totals are drawn per game and split among the active players by minutes × skill,
so totals stay realistic whoever plays. Both teams get about the same possessions;
offensive rebounds come from a team's own misses (each a second-chance shot) and
defensive rebounds from the opponent's; in the second half the leader's shooting eases
off and the trailer's picks up, which keeps margins NBA-sized (mean ~12 points). Minutes
are whole seconds summing to 240:00 (+25:00 per overtime); overtime is decided after the
score, for close games only (~6% of games). Before a game, injured players sit, stars
rest on some second nights and the deepest bench fills the inactive list. Nothing here
knows about dates: the regular season and the postseason both call ``_simulate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nba_backfill.demo.league import _INJURIES, _MAX_TEAM_GAMES, ROSTER, _Roster

# Share of the 240 team minutes by depth-chart rank before the day's absences.
_MINUTE_WEIGHTS = np.array([36, 34, 33, 31, 29, 23, 20, 17, 14, 10, 7, 5, 4, 3, 2], float)
_MIN_ACTIVE = 8
_MAX_SHARE = 44 / 240  # nobody plays more than 44 minutes of regulation

# League per-game team averages (2021-25 era) the box scores are drawn around.
_TEAM_MEANS = {"fta": 22.5, "stl": 7.6, "tov": 13.4, "pf": 19.6}
# Both teams get about the same possessions (FGA - OREB + 0.44 FTA + TOV), which ties
# their shot volumes together; rebound rates turn misses into ~10 OREB and ~34 DREB.
_POSSESSIONS = 101.5
_OREB_RATE = 0.25
_DREB_RATE = 0.92  # the rest are team and dead-ball rebounds
_RUBBER_BAND = 0.0025  # second-half make-probability shift per point of halftime lead
_HOME_EDGE = 0.012  # make-probability bonus at home: about +2.5 points
_OT_IF_CLOSE = 0.22  # share of games within 5 points that went to overtime (~6% of all)

ACTIVE, DNP, INACTIVE = range(3)
_OTHER_INACTIVE = (
    "Inactive - G League - Two-Way", "Inactive - G League - On Assignment",
    "Inactive - Personal Reasons", "Inactive - Not With Team",
)
_OTHER_INACTIVE_P = np.array([0.5, 0.2, 0.2, 0.1])
REASONS = np.array(
    ["DNP - Coach's Decision", "DNP - Rest", *_OTHER_INACTIVE]
    + [f"DNP - Injury/Illness - {part}" for part in _INJURIES]
    + [f"Inactive - Injury/Illness - {part}" for part in _INJURIES],
    dtype=object,
)
_COACH, _REST, _OTHER_INACTIVE_AT = 0, 1, 2
_DNP_INJURY_AT = _OTHER_INACTIVE_AT + len(_OTHER_INACTIVE)
_INACTIVE_INJURY_AT = _DNP_INJURY_AT + len(_INJURIES)
_REST_P = 0.2  # a top-3 player sits the second night of a back-to-back this often


@dataclass(frozen=True)
class _Box:
    """Simulated games. Team-game rows 2g (away) and 2g+1 (home) belong to game g;
    the (team-games, 15) arrays are indexed by roster rank."""

    team: np.ndarray  # (TG,)
    n_ot: np.ndarray  # (G,)
    status: np.ndarray  # (TG, 15) ACTIVE / DNP / INACTIVE
    reason: np.ndarray  # (TG, 15) index into REASONS, -1 when active
    secs: np.ndarray  # (TG, 15) seconds played
    stats: dict[str, np.ndarray]  # (TG, 15) counting stats

    @property
    def points(self) -> np.ndarray:
        return _team_points(self.stats)

    def take(self, games: np.ndarray) -> _Box:
        rows = (2 * games[:, None] + np.arange(2)).ravel()
        return _Box(
            self.team[rows], self.n_ot[games], self.status[rows], self.reason[rows],
            self.secs[rows], {k: v[rows] for k, v in self.stats.items()},
        )

    @staticmethod
    def concat(boxes: Sequence[_Box]) -> _Box:
        return _Box(
            *(np.concatenate([getattr(b, f) for b in boxes]) for f in ("team", "n_ot", "status", "reason", "secs")),
            {k: np.concatenate([b.stats[k] for b in boxes]) for k in boxes[0].stats},
        )


@dataclass(frozen=True)
class _Sim:
    """What every game simulation needs about the season."""

    roster: _Roster
    offense: np.ndarray
    defense: np.ndarray
    injuries: np.ndarray
    rng: np.random.Generator


def _simulate(sim: _Sim, teams: np.ndarray, game_number: np.ndarray, rest_night: np.ndarray) -> _Box:
    """Box scores for team-game rows (away, home, away, home, …)."""
    players = teams[:, None] * ROSTER + np.arange(ROSTER)
    status, reason = _availability(sim, players, game_number, rest_night)
    share = _minute_shares(status == ACTIVE, sim.rng)
    stats = _box_counts(sim, players, teams, share)
    _break_ties(stats, share, sim.rng)
    points = _team_points(stats)
    margin = points[1::2] - points[0::2]
    n_ot = _overtimes(margin, sim.rng)
    secs = _seconds(share, n_ot)
    stats["plus_minus"] = _plus_minus(secs, np.repeat(margin, 2) * np.tile([-1, 1], margin.size), sim.rng)
    return _Box(teams, n_ot, status, reason, secs, stats)


def _availability(sim: _Sim, players: np.ndarray, game_number: np.ndarray, rest_night: np.ndarray):
    """Who sits, and why: injured first (inactive, then DNP), rested stars, then the end
    of the bench by coach's decision; the deepest bench fills the remaining inactive spots."""
    rng = sim.rng
    shape = players.shape
    rank = np.arange(ROSTER)
    part = sim.injuries[players, np.minimum(game_number, _MAX_TEAM_GAMES - 1)[:, None]]
    injured = part >= 0
    rest = rest_night[:, None] & (rank < 3) & ~injured & (rng.random(shape) < _REST_P)
    n_injured, n_rest = injured.sum(axis=1), rest.sum(axis=1)
    n_inactive = np.where(n_injured >= 2, 2, 1 + (rng.random(shape[0]) < 0.4))
    n_dnp = rng.choice([2, 3, 4], shape[0], p=[0.35, 0.4, 0.25])
    n_sit = np.maximum(n_inactive + n_dnp, np.maximum(n_injured, n_inactive) + n_rest)
    n_sit = np.minimum(n_sit, ROSTER - _MIN_ACTIVE)
    sitting = _rank_desc(injured * 100 + rest * 50 + rank + rng.uniform(0, 4, shape)) < n_sit[:, None]
    eligible = sitting & ~rest
    inactive_key = np.where(eligible, injured * 100 + rank + rng.uniform(0, 4, shape), -np.inf)
    inactive = eligible & (_rank_desc(inactive_key) < n_inactive[:, None])
    status = np.where(inactive, INACTIVE, np.where(sitting, DNP, ACTIVE))
    other = _OTHER_INACTIVE_AT + rng.choice(len(_OTHER_INACTIVE), shape, p=_OTHER_INACTIVE_P)
    reason = np.select(
        [status == ACTIVE, inactive & injured, inactive, injured, rest],
        [-1, _INACTIVE_INJURY_AT + part, other, _DNP_INJURY_AT + part, _REST],
        _COACH,
    )
    return status, reason


def _rank_desc(key: np.ndarray) -> np.ndarray:
    """Per row, each element's position when the row is sorted descending."""
    return np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1)


def _minute_shares(active: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each active player's share of the team's minutes; absences spread over the rest."""
    weight = np.where(active, _MINUTE_WEIGHTS * rng.lognormal(0, 0.15, active.shape), 0.0)
    share = _normalize(weight)
    return _normalize(np.minimum(share, _MAX_SHARE))


def _normalize(weight: np.ndarray) -> np.ndarray:
    return weight / weight.sum(axis=1, keepdims=True)


def _box_counts(sim: _Sim, players: np.ndarray, teams: np.ndarray, share: np.ndarray) -> dict[str, np.ndarray]:
    """Team totals drawn per game, split among the active players by minutes × skill.

    Possessions are shared by both teams (pace); a possession ends in a free-throw trip,
    a turnover or a first shot; offensive rebounds come from the team's own misses and
    each gives a second-chance shot, so cold shooting is partly won back, as on court.
    First shots come in two halves; in the second the leader's shooting eases off and the
    trailer's picks up (garbage time, pressing), which keeps margins NBA-sized."""
    rng, skill = sim.rng, sim.roster.skill
    rows = teams.size
    pace = np.repeat(rng.normal(1.0, 0.045, rows // 2), 2)
    opponent_row = np.arange(rows) ^ 1

    def split(weight: np.ndarray, total: np.ndarray) -> np.ndarray:
        return rng.multinomial(total, _normalize(share * weight))

    def drawn(stat: str) -> np.ndarray:
        return rng.poisson(_TEAM_MEANS[stat] * pace)

    fta = split(skill["usage"][players] * skill["ft_rate"][players], drawn("fta"))
    tov = split(skill["usage"][players] * skill["tov"][players], drawn("tov"))
    first_chance = _POSSESSIONS * pace - 0.44 * fta.sum(1) - tov.sum(1) + rng.normal(0, 1.5, rows)
    is_home = np.arange(rows) % 2 == 1
    edge = (sim.offense[teams] - sim.defense[teams[opponent_row]] + _HOME_EDGE * is_home)[:, None]
    first_chance = np.rint(first_chance).astype(np.int64)
    first_half = rng.binomial(first_chance, 0.5)
    shots = _shots(sim, players, share, first_half, edge, putback=False)
    lead = _field_goal_points(shots) - _field_goal_points(shots)[opponent_row]
    edge = edge - _RUBBER_BAND * lead[:, None]
    shots = _added(shots, _shots(sim, players, share, first_chance - first_half, edge, putback=False))
    oreb_total = rng.binomial(_misses(shots), _OREB_RATE)
    shots = _added(shots, _shots(sim, players, share, oreb_total, edge, putback=True))
    defensive_chances = _misses(shots) - oreb_total
    return shots | {
        "fta": fta,
        "ftm": rng.binomial(fta, skill["p_ft"][players]),
        "oreb": split(skill["oreb"][players], oreb_total),
        "dreb": split(skill["dreb"][players], rng.binomial(defensive_chances[opponent_row], _DREB_RATE)),
        "stl": split(skill["stl"][players], drawn("stl")),
        "tov": tov,
        "pf": split(skill["pf"][players], drawn("pf")),
    }


def _shots(sim: _Sim, players, share, total: np.ndarray, edge: np.ndarray, putback: bool) -> dict[str, np.ndarray]:
    """Field-goal attempts and makes by zone; putbacks go to rebounders, mostly at the rim."""
    rng, skill = sim.rng, sim.roster.skill
    weight = skill["oreb"][players] if putback else skill["usage"][players]
    fga = rng.multinomial(total, _normalize(share * weight))
    three_rate = skill["three_rate"][players] * (0.3 if putback else 1.0)
    paint_share = np.minimum(skill["paint_share"][players] + (0.3 if putback else 0.0), 0.97)
    three_a = rng.binomial(fga, three_rate)
    paint_a = rng.binomial(fga - three_a, paint_share)
    mid_a = fga - three_a - paint_a

    def made(attempts: np.ndarray, p: np.ndarray) -> np.ndarray:
        return rng.binomial(attempts, np.clip(p + edge, 0.05, 0.95))

    return {
        "paint_a": paint_a, "paint_m": made(paint_a, skill["p_paint"][players]),
        "mid_a": mid_a, "mid_m": made(mid_a, skill["p_mid"][players]),
        "three_a": three_a, "three_m": made(three_a, skill["p_three"][players]),
    }


def _added(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: a[k] + b[k] for k in a}


def _field_goal_points(shots: dict[str, np.ndarray]) -> np.ndarray:
    return (2 * (shots["paint_m"] + shots["mid_m"]) + 3 * shots["three_m"]).sum(axis=1)


def _misses(shots: dict[str, np.ndarray]) -> np.ndarray:
    """Missed field goals per team-game row."""
    return sum(shots[f"{z}_a"] - shots[f"{z}_m"] for z in ("paint", "mid", "three")).sum(axis=1)


def _team_points(stats: dict[str, np.ndarray]) -> np.ndarray:
    return _field_goal_points(stats) + stats["ftm"].sum(axis=1)


def _break_ties(stats: dict[str, np.ndarray], share: np.ndarray, rng: np.random.Generator) -> None:
    """A game cannot end level: one side's top-minutes player makes one more free throw."""
    points = _team_points(stats)
    tied = np.flatnonzero(points[0::2] == points[1::2])
    rows = 2 * tied + rng.integers(0, 2, tied.size)
    slot = share[rows].argmax(axis=1)
    for stat in ("fta", "ftm"):
        stats[stat][rows, slot] += 1


def _overtimes(margin: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Overtime periods per game: only close games, now and then a double overtime."""
    overtime = (np.abs(margin) <= 5) & (rng.random(margin.size) < _OT_IF_CLOSE)
    return overtime * (1 + (rng.random(margin.size) < 0.12))


def _seconds(share: np.ndarray, n_ot: np.ndarray) -> np.ndarray:
    """Whole seconds per player summing exactly to 5 × game length (240:00 + 25:00 per OT)."""
    total = np.repeat(14_400 + 1_500 * n_ot, 2)
    secs = np.floor(share * total[:, None]).astype(np.int64)
    rows = np.arange(share.shape[0])
    secs[rows, share.argmax(axis=1)] += total - secs.sum(axis=1)
    return secs


def _plus_minus(secs: np.ndarray, margin: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """On-court margin per player; a team's players sum to exactly 5 × its margin."""
    time_share = secs / secs.sum(axis=1, keepdims=True)
    noise = rng.normal(0.0, 5.0, secs.shape) * np.sqrt(time_share * 5)
    noise -= time_share * noise.sum(axis=1, keepdims=True)
    value = np.rint(5 * margin[:, None] * time_share + noise).astype(np.int64)
    value[secs == 0] = 0
    rows = np.arange(secs.shape[0])
    value[rows, secs.argmax(axis=1)] += 5 * margin - value.sum(axis=1)
    return value


def _gamebook_stats(box: _Box) -> dict[str, np.ndarray]:
    """(team-games, 15) arrays under the gamebook's column names."""
    s = box.stats
    fgm = s["paint_m"] + s["mid_m"] + s["three_m"]
    return {
        "points": 2 * fgm + s["three_m"] + s["ftm"],
        "field_goals_made": fgm,
        "field_goals_attempted": s["paint_a"] + s["mid_a"] + s["three_a"],
        "three_pointers_made": s["three_m"],
        "three_pointers_attempted": s["three_a"],
        "free_throws_made": s["ftm"],
        "free_throws_attempted": s["fta"],
        "offensive_rebounds": s["oreb"],
        "defensive_rebounds": s["dreb"],
        "total_rebounds": s["oreb"] + s["dreb"],
        "assists": s["ast"],
        "steals": s["stl"],
        "blocks": s["blk"],
        "turnovers": s["tov"],
        "personal_fouls": s["pf"],
    }
