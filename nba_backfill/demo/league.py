"""The league every demo season is played in: 30 teams, their players and injuries.

The 30 real teams sit in their real divisions, since the schedule formula is built on
them. Each has 15 players with stable, league-wide unique names and lookups (the join
key); each player has a role (guard/wing/big) and a latent quality that set his minutes,
usage, shot profile and rates, so his games correlate (a team's best scores ~23, the
league's best ~30, the end of the bench ~2). Rosters are founded in ``BASE_YEAR`` and
evolve one off-season at a time, so a season's players never depend on which other
seasons were asked for. Injury spells sit players for runs of games. The random streams
(``_rng``, keyed by purpose) live here, at the bottom of the dependency order, because
every later stage draws from a stream of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

# (tricode, conference, division), ordered so index // 5 is the division, // 15 the conference.
TEAMS: tuple[tuple[str, str, str], ...] = (
    ("BOS", "East", "Atlantic"), ("BKN", "East", "Atlantic"), ("NYK", "East", "Atlantic"),
    ("PHI", "East", "Atlantic"), ("TOR", "East", "Atlantic"),
    ("CHI", "East", "Central"), ("CLE", "East", "Central"), ("DET", "East", "Central"),
    ("IND", "East", "Central"), ("MIL", "East", "Central"),
    ("ATL", "East", "Southeast"), ("CHA", "East", "Southeast"), ("MIA", "East", "Southeast"),
    ("ORL", "East", "Southeast"), ("WAS", "East", "Southeast"),
    ("DEN", "West", "Northwest"), ("MIN", "West", "Northwest"), ("OKC", "West", "Northwest"),
    ("POR", "West", "Northwest"), ("UTA", "West", "Northwest"),
    ("GSW", "West", "Pacific"), ("LAC", "West", "Pacific"), ("LAL", "West", "Pacific"),
    ("PHX", "West", "Pacific"), ("SAC", "West", "Pacific"),
    ("DAL", "West", "Southwest"), ("HOU", "West", "Southwest"), ("MEM", "West", "Southwest"),
    ("NOP", "West", "Southwest"), ("SAS", "West", "Southwest"),
)
N_TEAMS = len(TEAMS)
TRICODES = np.array([t[0] for t in TEAMS], dtype=object)
ROSTER = 15
GAMES_PER_TEAM = 82
BASE_YEAR = 2019  # rosters are founded here and evolve one off-season at a time

# Random streams, so one purpose's draws never shift another's.
_NAMES, _ROSTERS, _SCHEDULE, _GAMES, _EVENTS, _LINES, _DEFECTS = range(7)

_FIRST = (
    "Aaron", "Andre", "Anthony", "Bennett", "Brandon", "Caleb", "Cameron", "Chris", "Cole",
    "Collin", "Corey", "Damon", "D'Angelo", "Darius", "De'Aaron", "Dennis", "Derrick",
    "Desmond", "Devin", "Dominic", "Donovan", "Dwayne", "Elijah", "Eric", "Evan", "Gary",
    "Grant", "Isaiah", "Jabari", "Ja'Marcus", "Jalen", "Jamal", "Jaren", "Jarrett", "Jaylen",
    "Jerome", "Jonah", "Jordan", "Josh", "Julian", "Justin", "Karl-Anthony", "Keegan",
    "Kendall", "Kevin", "Kyle", "Lamar", "Malik", "Marcus", "Mason", "Miles", "Myles",
    "Nick", "Noah", "Obi", "Quentin", "Reggie", "Rodney", "Shawn", "Terrence", "Trey",
    "Tyler", "Tyrese", "Victor", "Zach",
)
_LAST = (
    "Adams", "Allen", "Anderson", "Bailey", "Barnes", "Bell", "Brooks", "Brown", "Bryant",
    "Butler", "Carter", "Clark", "Coleman", "Collins", "Cooper", "Davis", "Dixon", "Edwards",
    "Ellis", "Evans", "Fisher", "Ford", "Foster", "Gibson", "Gordon", "Graham", "Grant",
    "Green", "Griffin", "Hall", "Harris", "Hayes", "Henderson", "Hill", "Holmes", "Howard",
    "Hughes", "Jackson", "James", "Jenkins", "Johnson", "Jones", "Kelly", "King", "Lewis",
    "Lopez", "Martin", "Mason", "McDaniels", "Mitchell", "Moore", "Morris", "Murray",
    "Nelson", "O'Neal", "Owens", "Parker", "Patterson", "Payne", "Perry", "Porter", "Powell",
    "Price", "Reed", "Richardson", "Robinson", "Ross", "Russell", "Sanders", "Scott",
    "Simmons", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Vander-Berg",
    "Walker", "Wallace", "Ward", "Washington", "Watson", "White", "Williams", "Wilson",
    "Wright", "Young",
)
_SUFFIXES = ("", " Jr.", " II", " III")

GUARD, WING, BIG = 0, 1, 2
# Roles by rank at founding: two guards, two wings and a big start; the bench mirrors it.
_ROLE_BY_RANK = np.array([GUARD, GUARD, WING, WING, BIG, GUARD, WING, BIG, GUARD, WING, BIG, GUARD, WING, BIG, GUARD])
_TRAITS = 12  # persistent per-player normals behind the skill profile

# Injured body parts: the spells drawn here, and the DNP/inactive reasons in games.py.
_INJURIES = (
    "Left Knee; Soreness", "Right Ankle; Sprain", "Left Ankle; Sprain", "Low Back; Spasms",
    "Right Hamstring; Strain", "Left Hamstring; Strain", "Illness",
    "Right Foot; Plantar Fasciitis", "Left Calf; Strain", "Right Knee; Tendinitis",
    "Right Hand; Fracture", "Left Shoulder; Sprain", "Concussion Protocol",
    "Right Hip; Contusion",
)
_MAX_TEAM_GAMES = 120  # 82 + play-in + up to 28 playoff games, with room to spare


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])


def _lookup(name: str) -> str:
    """SPEC §0 player_lookup: lowercased, everything but a-z removed."""
    return re.sub("[^a-z]", "", name.lower())


@dataclass(frozen=True)
class _League:
    """Everyone under contract in one season, in no particular order."""

    name: np.ndarray
    team: np.ndarray
    role: np.ndarray
    quality: np.ndarray
    traits: np.ndarray  # (players, _TRAITS)
    names_used: int  # position in the name stream for the next new player


@dataclass(frozen=True)
class _Roster:
    """A season's players ordered by team then rank: player index = team * 15 + rank."""

    name: np.ndarray
    lookup: np.ndarray
    quality: np.ndarray
    skill: dict[str, np.ndarray]


@cache
def _name_stream(seed: int) -> tuple[str, ...]:
    """Every first × last name once, shuffled, unique by lookup (the join key)."""
    rng = _rng(seed, _NAMES)
    suffix = rng.choice(len(_SUFFIXES), len(_FIRST) * len(_LAST), p=[0.91, 0.06, 0.01, 0.02])
    names = [f"{f} {l}" for f in _FIRST for l in _LAST]
    names = [name + _SUFFIXES[s] for name, s in zip(names, suffix)]
    unique = {_lookup(name): name for name in (names[i] for i in rng.permutation(len(names)))}
    return tuple(unique.values())


@cache
def _league(season_year: int, seed: int) -> _League:
    if season_year <= BASE_YEAR:
        return _founding_league(seed)
    return _next_season(_league(season_year - 1, seed), season_year, seed)


def _founding_league(seed: int) -> _League:
    rng = _rng(seed, _ROSTERS, BASE_YEAR)
    size = N_TEAMS * ROSTER
    quality = -np.sort(-rng.normal(0.0, 1.0, (N_TEAMS, ROSTER)), axis=1).ravel()
    return _League(
        name=np.array(_name_stream(seed)[:size], dtype=object),
        team=np.repeat(np.arange(N_TEAMS), ROSTER),
        role=np.tile(_ROLE_BY_RANK, N_TEAMS),
        quality=quality,
        traits=rng.normal(size=(size, _TRAITS)),
        names_used=size,
    )


def _next_season(league: _League, year: int, seed: int) -> _League:
    """One off-season: players develop or decline, ~18% leave for newcomers, a few trades."""
    rng = _rng(seed, _ROSTERS, year)
    size = league.team.size
    quality = 0.95 * league.quality + rng.normal(0.0, 0.3, size)  # reverts: spread stays ~1
    traits = league.traits.copy()
    name = league.name.copy()
    leaving = np.flatnonzero(rng.random(size) < 0.18)
    stream = _name_stream(seed)
    name[leaving] = stream[league.names_used : league.names_used + leaving.size]
    quality[leaving] = rng.normal(-0.4, 0.9, leaving.size)
    traits[leaving] = rng.normal(size=(leaving.size, _TRAITS))
    team = league.team.copy()
    a, b = rng.choice(size, (2, 12), replace=False)
    swap = (league.role[a] == league.role[b]) & (team[a] != team[b])
    team[a[swap]], team[b[swap]] = league.team[b[swap]], league.team[a[swap]]
    return _League(name, team, league.role, quality, traits, league.names_used + leaving.size)


def _roster(season_year: int, seed: int) -> _Roster:
    league = _league(season_year, seed)
    order = np.lexsort((-league.quality, league.team))
    name = league.name[order]
    return _Roster(
        name=name,
        lookup=np.array([_lookup(n) for n in name], dtype=object),
        quality=league.quality[order],
        skill=_skills(league.role[order], league.quality[order], league.traits[order]),
    )


def _skills(role: np.ndarray, quality: np.ndarray, z: np.ndarray) -> dict[str, np.ndarray]:
    """Per-player rates; weights are relative within a team, probabilities absolute.
    Quality is capped in the scoring terms so no season grows a 40-point scorer."""
    quality = np.clip(quality, -2.0, 2.2)

    def by_role(guard: float, wing: float, big: float) -> np.ndarray:
        return np.array([guard, wing, big])[role]

    return {
        "usage": np.minimum(np.exp(0.25 * quality + 0.12 * z[:, 0]), 2.1),
        "three_rate": np.clip(by_role(0.53, 0.49, 0.19) + 0.08 * z[:, 1], 0.02, 0.75),
        "paint_share": np.clip(by_role(0.52, 0.57, 0.80) + 0.08 * z[:, 2], 0.2, 0.97),
        "p_paint": np.clip(by_role(0.58, 0.60, 0.65) + 0.03 * z[:, 3] + 0.01 * quality, 0.4, 0.8),
        "p_mid": np.clip(0.42 + 0.035 * z[:, 4] + 0.01 * quality, 0.28, 0.56),
        "p_three": np.clip(by_role(0.37, 0.365, 0.33) + 0.025 * z[:, 5] + 0.005 * quality, 0.2, 0.46),
        "p_ft": np.clip(by_role(0.82, 0.79, 0.70) + 0.06 * z[:, 6], 0.45, 0.95),
        "ft_rate": np.clip(np.exp(0.2 * quality + 0.2 * z[:, 7]), 0.4, 2.2) * by_role(1.0, 1.0, 1.25),
        "oreb": by_role(0.5, 1.0, 3.2) * np.exp(0.25 * z[:, 8]),
        "dreb": by_role(1.0, 1.4, 2.8) * np.exp(0.2 * z[:, 8]),
        "ast": by_role(3.0, 1.5, 1.0) * np.exp(0.3 * quality + 0.25 * z[:, 9]),
        "stl": by_role(1.3, 1.2, 0.8) * np.exp(0.2 * z[:, 10]),
        "blk": by_role(0.35, 1.0, 4.0) * np.exp(0.3 * z[:, 11]),
        "tov": by_role(1.3, 1.0, 1.0) * np.exp(0.33 * quality),
        "pf": by_role(1.0, 1.1, 1.5),
    }


def _team_ratings(roster: _Roster, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Offense and defense as make-probability shifts; deeper rosters shoot a bit better."""
    top8 = roster.quality.reshape(N_TEAMS, ROSTER)[:, :8].mean(axis=1)
    offense = 0.012 * (top8 - top8.mean()) + rng.normal(0.0, 0.014, N_TEAMS)
    defense = rng.normal(0.0, 0.016, N_TEAMS)
    return offense, defense


def _injury_table(rng: np.random.Generator) -> np.ndarray:
    """Injury part per player × team game (-1 healthy): about one spell per player-season."""
    players = N_TEAMS * ROSTER
    spells = rng.poisson(1.0, players)
    who = np.repeat(np.arange(players), spells)
    start = rng.integers(0, GAMES_PER_TEAM + 20, who.size)
    long = rng.random(who.size) < 0.1
    length = np.where(long, rng.integers(12, 30, who.size), 1 + rng.geometric(0.3, who.size))
    part = rng.integers(0, len(_INJURIES), who.size)
    table = np.full((players, _MAX_TEAM_GAMES), -1)
    cell_player = np.repeat(who, length)
    cell_game = np.repeat(start, length) + _within_block(length)
    keep = cell_game < _MAX_TEAM_GAMES
    table[cell_player[keep], cell_game[keep]] = np.repeat(part, length)[keep]
    return table


def _within_block(lengths: np.ndarray) -> np.ndarray:
    """0, 1, …, n-1 for each block of np.repeat(…, lengths)."""
    starts = np.cumsum(lengths) - lengths
    return np.arange(lengths.sum()) - np.repeat(starts, lengths)
