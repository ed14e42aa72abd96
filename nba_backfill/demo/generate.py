"""Deterministic, realistic demo Phase 2 data: one DataFrame per ``nba_raw`` table.

``generate_demo_data(seasons, seed)`` simulates whole NBA seasons (schedule, box scores,
shots, prop and game lines) and then plants a few known defects, listed in
``demo_defects``, so every fallback and gate downstream has something real to do.

How the data is made, and the choices behind it:

- **Determinism.** Every season draws from its own random streams keyed by
  ``(seed, season_year, purpose)``, and rosters evolve one off-season at a time from
  ``BASE_YEAR``; so a season's rows do not depend on which other seasons were asked for,
  and changing, say, the defect planting does not reshuffle the box scores.
- **Schedule.** The 30 real teams in their real divisions and the NBA's 82-game formula
  (4 games against each division rival, 3 or 4 against the other conference teams, 2
  against the other conference; 41 at home). Dates are filled greedily from the opener
  (2 games; 5 on Christmas) to the regular-season end, teams furthest behind first, never
  three nights in a row; weekday weights (busy Wednesdays and Fridays) create the
  back-to-backs, ~14 a team. No games on Thanksgiving, Christmas Eve or in the All-Star
  break (Friday to Wednesday around the third Sunday of February). A season too short for
  82 games (2020-21) gets the 72-game format it really had.
- **Season shape.** The regular season ends on the Sunday at least 64 days before the
  calendar's ``last_day`` (the real end dates of 2020-21 to 2024-25); the play-in follows
  on Tuesday, Wednesday and Friday; the playoffs start on Saturday (seeds from the
  simulated standings, 2-2-1-1-1 home court), are simulated round by round and dated
  afterwards, with the Finals dated backwards so their last game falls on ``last_day``.
- **Players.** 15 per team with stable, league-wide unique names and lookups; each has a
  role (guard/wing/big) and a latent quality setting his minutes, usage, shot profile and
  rates, so his games correlate (a team's best scores ~23, the league's best ~30, the end
  of the bench ~2). Injury spells sit players for runs of games; stars rest on some
  second nights; the deepest bench fills the inactive list.
- **Box scores.** Team totals are drawn per game and split among the active players by
  minutes × skill, so totals stay realistic whoever plays. Both teams get about the same
  possessions; offensive rebounds come from a team's own misses (each a second-chance
  shot) and defensive rebounds from the opponent's; in the second half the leader's
  shooting eases off and the trailer's picks up, which keeps margins NBA-sized (mean
  ~12 points). Minutes are whole seconds summing to 240:00 (+25:00 per overtime);
  overtime is decided after the score, for close games only (~6% of games).
- **Events.** Only shots and free throws are generated (the event types readers use);
  assists and blocks in the box score are counted from the events' assist/block roles.
  Paint shots are 0-8 ft, mid-range 8.1-23.5 ft, threes 23.8-30 ft except corner threes
  (a fifth) at 22.0-23.5 ft: shot_type, not distance, tells a three from a two.
  nbac_play_by_play has the bigdataball gap's games and every January game.
- **Source gaps** (SPEC §6: play-by-play the real feeds never had, as public shot charts
  cover the regular season only and miss whole ranges): in 2023-24 no play-in or playoff
  game has play-by-play in either feed, and in 2024-25 no game of December 2024 has any.
  They are listed in ``demo_defects`` as ``source_gap_no_pbp`` (two rows per game, one
  per feed): zone columns are NULL there, which the contamination checks count apart
  (NO_SOURCE), never as contamination. Keyed by season, not drawn: the other seasons'
  rows are unchanged, and the other defects never fall on a source-gap date.
- **Lines.** The Odds API covers exactly 40% of simulated active player-games (players
  with the most minutes, mostly the same ones game after game), BettingPros exactly
  99.7%; both are centred on the player's season scoring average. Game lines come from
  the teams' season scoring, home court included.
- **Defects** (see ``_Defects``): never in a season's first 14 days, never after the
  regular season (source gaps aside), never two kinds on one date. A missing raw game keeps its schedule row,
  prop and game lines: only the box-score and play-by-play scrapers failed for it. A
  re-scrape leaves an internally consistent stale copy three hours older.
- **Types.** DATE columns are ``datetime64[ns]`` at midnight (DuckDB ingests them far
  faster than ``date`` objects); TIMESTAMP columns are UTC-aware; INT64 columns that can
  be NULL are pandas ``Int64``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from nba_backfill.partitions import Season

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
_MIN_DAYS_FOR_82 = 150  # fewer regular-season game days: the 72-game format
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

# Assisted share of makes and blocked share of misses, by zone (paint, mid-range, three).
_ASSIST_P = np.array([0.50, 0.60, 0.80])
_BLOCK_P = np.array([0.24, 0.09, 0.02])
PAINT, MID, THREE, FREE_THROW = range(4)

ACTIVE, DNP, INACTIVE = range(3)
_INJURIES = (
    "Left Knee; Soreness", "Right Ankle; Sprain", "Left Ankle; Sprain", "Low Back; Spasms",
    "Right Hamstring; Strain", "Left Hamstring; Strain", "Illness",
    "Right Foot; Plantar Fasciitis", "Left Calf; Strain", "Right Knee; Tendinitis",
    "Right Hand; Fracture", "Left Shoulder; Sprain", "Concussion Protocol",
    "Right Hip; Contusion",
)
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
_MAX_TEAM_GAMES = 120  # 82 + play-in + up to 28 playoff games, with room to spare

REGULAR, PLAY_IN, PLAYOFFS = range(3)
# (days from game 1 of a series, of the Finals, rest days between rounds): the relaxed
# pace (Finals Thu, Sun, Wed, Fri, Mon, Thu, Sun) unless long series force every other day.
_PLAYOFF_PACES = (
    (np.array([0, 2, 5, 7, 9, 11, 13]), np.array([0, 3, 6, 8, 11, 14, 17]), 2),
    (2 * np.arange(7), 2 * np.arange(7), 1),
)
_SERIES_HOME_HIGH = np.array([True, True, False, False, True, False, True])  # 2-2-1-1-1

_NS_PER_MINUTE = 60 * 10**9
_NS_PER_HOUR = 60 * _NS_PER_MINUTE
# Scrapers run the morning after (UTC): hours after the game date's midnight.
_NBAC_PBP_MONTH = 1  # every January game also has nbac_play_by_play: an overlap to compare
# Source gaps (SPEC §6), by season_year: no play-by-play in either feed for ...
_NO_POSTSEASON_PBP = frozenset({2023})  # ... any play-in or playoff game (2023-24)
_NO_PBP_MONTH = {2024: 12}  # ... any game of that calendar month (December 2024, 2024-25)
_SOURCE_GAP_TABLES = ("bigdataball_play_by_play", "nbac_play_by_play")
_PROCESSED_AT_HOURS = {
    "nbac_schedule": 29.0, "nbac_team_boxscore": 30.0, "nbac_gamebook_player_stats": 30.5,
    "nbac_player_boxscores": 31.0, "nbac_play_by_play": 32.0, "bigdataball_play_by_play": 33.0,
}

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


def generate_demo_data(seasons: Sequence[Season], seed: int = 7) -> dict[str, pd.DataFrame]:
    """One DataFrame per nba_raw table (keys without the schema) for the given seasons."""
    per_season = [_season_tables(season, seed) for season in seasons]
    return {
        name: pd.concat([tables[name] for tables in per_season], ignore_index=True)
        for name in per_season[0]
    }


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])


def _lookup(name: str) -> str:
    """SPEC §0 player_lookup: lowercased, everything but a-z removed."""
    return re.sub("[^a-z]", "", name.lower())


# --------------------------------------------------------------------------- rosters


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


# --------------------------------------------------------------------------- schedule


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _regular_season_end(season: Season) -> dt.date:
    """The Sunday on or before last_day - 64 days (the real pattern 2020-21 … 2024-25)."""
    target = season.last_day - dt.timedelta(days=64)
    return target - dt.timedelta(days=(target.weekday() + 1) % 7)


def _regular_season_days(season: Season) -> np.ndarray:
    """Game days: opener .. regular-season end without Thanksgiving, Christmas Eve and
    the All-Star break (Friday before to Wednesday after the third Sunday of February)."""
    year = season.season_year
    all_star = _nth_weekday(year + 1, 2, 6, 3)
    dark = {_nth_weekday(year, 11, 3, 4), dt.date(year, 12, 24)}
    dark |= {all_star + dt.timedelta(days=k) for k in range(-2, 4)}
    days = np.arange(season.opener, _regular_season_end(season) + dt.timedelta(days=1), dtype="datetime64[D]")
    return days[~np.isin(days, np.array(sorted(dark), dtype="datetime64[D]"))]


def _matchups(rng: np.random.Generator, short_season: bool) -> tuple[np.ndarray, np.ndarray]:
    """Home and away team of every game: the NBA formula, half of each team's games at home.

    82 games: 4 against each division rival, 2 against the other conference, and 3 or 4
    against the other ten conference teams; a team's position in its division (shuffled
    each season) picks the four it meets three times, two of them twice at home.
    72 games (a season too short for 82, as 2020-21 was): 3 against every conference
    team, home-heavy against the next seven in a shuffled circle, 2 against the others.
    """
    position = np.concatenate([rng.permutation(5) for _ in range(N_TEAMS // 5)])
    circle = np.concatenate([rng.permutation(15) for _ in range(2)])
    home: list[int] = []
    away: list[int] = []
    for i in range(N_TEAMS):
        for j in range(i + 1, N_TEAMS):
            if short_season:
                home_i, home_j = _home_games_72(i, j, circle)
            else:
                home_i, home_j = _home_games_82(i, j, position)
            home += [i] * home_i + [j] * home_j
            away += [j] * home_i + [i] * home_j
    return np.array(home), np.array(away)


def _home_games_82(i: int, j: int, position: np.ndarray) -> tuple[int, int]:
    """(games at i, games at j) for teams i < j."""
    if i // 15 != j // 15:
        return 1, 1
    if i // 5 == j // 5:
        return 2, 2
    shift = (position[j] - position[i]) % 5
    return {0: (2, 1), 1: (1, 2)}.get(shift, (2, 2))


def _home_games_72(i: int, j: int, circle: np.ndarray) -> tuple[int, int]:
    if i // 15 != j // 15:
        return 1, 1
    return (2, 1) if 1 <= (circle[j] - circle[i]) % 15 <= 7 else (1, 2)


def _date_games(home: np.ndarray, away: np.ndarray, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Day index of every game: greedy day by day, teams furthest behind first."""
    weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weights = np.array([0.85, 0.75, 1.35, 0.6, 1.25, 1.0, 0.8])[weekday] * rng.lognormal(0, 0.2, days.size)
    fixed = {0: 2}  # opening night: two games
    christmas = np.flatnonzero(days == np.datetime64(f"{days[0].astype(object).year}-12-25"))
    fixed.update({int(d): 5 for d in christmas})
    weights_left = np.cumsum(weights[::-1])[::-1]
    day_of = np.full(home.size, -1)
    games_left = np.bincount(home, minlength=N_TEAMS) + np.bincount(away, minlength=N_TEAMS)
    last = np.full(N_TEAMS, -99)
    before_last = np.full(N_TEAMS, -99)
    back_to_backs = np.zeros(N_TEAMS)
    for d, today in enumerate(days.astype(int)):
        pending = np.flatnonzero(day_of < 0)
        target = fixed.get(d, round(pending.size * weights[d] / weights_left[d]))
        played_yesterday = last == today - 1
        pressure = games_left / (days.size - d)
        # a back-to-back costs more for teams that already had many: evens them out
        urgency = pressure + 10.0 * (pressure >= 1.0) - (0.2 + 0.03 * back_to_backs) * played_yesterday
        score = urgency[home[pending]] + urgency[away[pending]] + rng.normal(0, 0.25, pending.size)
        third_night = played_yesterday & (before_last == today - 2)
        score[third_night[home[pending]] | third_night[away[pending]]] = -np.inf
        for g in _pick_disjoint(pending, score, home, away, min(max(target, 1), 15)):
            day_of[g] = d
            for team in (home[g], away[g]):
                games_left[team] -= 1
                back_to_backs[team] += last[team] == today - 1
                before_last[team], last[team] = last[team], today
    _place_leftovers(day_of, home, away, days.astype(int))
    return day_of


def _pick_disjoint(pending, score, home, away, target) -> list[int]:
    """Best-scoring games until target, no team twice."""
    busy = np.zeros(N_TEAMS, bool)
    picked: list[int] = []
    for k in np.argsort(-score, kind="stable"):
        g = pending[k]
        if len(picked) == target or score[k] == -np.inf:
            break
        if not (busy[home[g]] or busy[away[g]]):
            busy[home[g]] = busy[away[g]] = True
            picked.append(g)
    return picked


def _place_leftovers(day_of: np.ndarray, home: np.ndarray, away: np.ndarray, ordinals: np.ndarray) -> None:
    """Games the greedy pass could not fit go to the latest day both teams are free
    without a third straight night, preferring days that add no back-to-back."""
    for g in np.flatnonzero(day_of < 0):
        best = None
        nights = [ordinals[day_of[((home == t) | (away == t)) & (day_of >= 0)]] for t in (home[g], away[g])]
        for d in range(ordinals.size - 1, -1, -1):
            if any(ordinals[d] in n for n in nights):
                continue
            runs = [_longest_run(np.append(n, ordinals[d])) for n in nights]
            if max(runs) > 2:
                continue
            cost = sum(runs)
            if best is None or cost < best[0]:
                best = (cost, d)
        if best is None:
            raise RuntimeError("demo schedule: no day left for a game; the season is too short")
        day_of[g] = best[1]


def _longest_run(nights: np.ndarray) -> int:
    nights = np.unique(nights)
    breaks = np.flatnonzero(np.diff(nights) != 1)
    edges = np.concatenate([[-1], breaks, [nights.size - 1]])
    return int(np.diff(edges).max())


# --------------------------------------------------------------------------- box scores


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


# --------------------------------------------------------------------------- postseason


@dataclass(frozen=True)
class _Games:
    """Game-level facts parallel to a _Box."""

    home: np.ndarray
    away: np.ndarray
    day: np.ndarray  # datetime64[D]
    kind: np.ndarray  # REGULAR / PLAY_IN / PLAYOFFS
    nba_game_id: np.ndarray  # NBA.com 10-digit ids

    def take(self, games: np.ndarray) -> _Games:
        return _Games(*(getattr(self, f)[games] for f in ("home", "away", "day", "kind", "nba_game_id")))

    @staticmethod
    def concat(parts: Sequence[_Games]) -> _Games:
        return _Games(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("home", "away", "day", "kind", "nba_game_id")))


class _Season:
    """Accumulates simulated games in order and tracks each team's game count."""

    def __init__(self, sim: _Sim, season: Season):
        self.sim = sim
        self.yy = f"{season.season_year % 100:02d}"
        self.played = np.zeros(N_TEAMS, int)
        self.games: list[_Games] = []
        self.boxes: list[_Box] = []

    def play(self, home: np.ndarray, away: np.ndarray, ahead: int = 0) -> _Box:
        """Simulate postseason games, each team's ``ahead``-th game from now (no rest nights)."""
        teams = np.column_stack([away, home]).ravel()
        return _simulate(self.sim, teams, self.played[teams] + ahead, np.zeros(teams.size, bool))

    def count(self, home: np.ndarray, away: np.ndarray) -> None:
        np.add.at(self.played, np.concatenate([home, away]), 1)

    def store(self, games: _Games, box: _Box) -> None:
        self.games.append(games)
        self.boxes.append(box)

    def record(self, games: _Games, box: _Box) -> None:
        self.count(games.home, games.away)
        self.store(games, box)


def _play_regular_season(season: _Season, days: np.ndarray, rng: np.random.Generator) -> None:
    home, away = _matchups(rng, short_season=days.size < _MIN_DAYS_FOR_82)
    day_of = _date_games(home, away, days, rng)
    order = np.lexsort((rng.random(home.size), day_of))
    home, away, day = home[order], away[order], days[day_of[order]]
    teams = np.column_stack([away, home]).ravel()
    game_day = np.repeat(day, 2)
    number, second_night = _team_game_numbers(teams, game_day)
    box = _simulate(season.sim, teams, number, second_night)
    ids = np.array([f"002{season.yy}{k:05d}" for k in range(1, home.size + 1)], dtype=object)
    season.record(_Games(home, away, day, np.full(home.size, REGULAR), ids), box)


def _team_game_numbers(teams: np.ndarray, game_day: np.ndarray):
    """Each team-game's index in the team's season, and whether it is a second night."""
    order = np.lexsort((game_day, teams))
    sorted_teams = teams[order]
    first = np.r_[True, sorted_teams[1:] != sorted_teams[:-1]]
    index = np.arange(teams.size) - np.maximum.accumulate(np.where(first, np.arange(teams.size), 0))
    gap = np.r_[0, np.diff(game_day[order].astype(int))]
    number = np.empty_like(index)
    number[order] = index
    second = np.empty(teams.size, bool)
    second[order] = ~first & (gap == 1)
    return number, second


def _standings(season: _Season) -> list[np.ndarray]:
    """Per conference, teams best to worst by wins, then point differential."""
    box = season.boxes[0]
    points = box.points
    wins = np.bincount(box.team, weights=_team_won(box), minlength=N_TEAMS)
    net = np.bincount(box.team, weights=points - points.reshape(-1, 2)[:, ::-1].ravel(), minlength=N_TEAMS)
    order = np.lexsort((-net, -wins))
    return [order[order // 15 == c] for c in (0, 1)]


def _play_postseason(season: _Season, end: dt.date, last_day: dt.date) -> None:
    standings = _standings(season)
    day0 = np.datetime64(end, "D")
    seeds = _play_in(season, standings, day0)
    _play_playoffs(season, seeds, day0 + 6, np.datetime64(last_day, "D"))


def _winners(box: _Box, home: np.ndarray, away: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    home_won = box.points[1::2] > box.points[0::2]
    return np.where(home_won, home, away), np.where(home_won, away, home)


def _play_in(season: _Season, standings, day0) -> list[list[int]]:
    """7 v 8 and 9 v 10 (East Tuesday, West Wednesday), then Friday's game for the 8th
    seed; returns each conference's eight playoff seeds."""
    first_home = np.array([c[k] for c in standings for k in (6, 8)])
    first_away = np.array([c[k] for c in standings for k in (7, 9)])
    box = season.play(first_home, first_away)
    win, lose = _winners(box, first_home, first_away)
    days = day0 + np.array([2, 2, 3, 3])
    ids = [f"005{season.yy}001{k}1" for k in range(4)]
    season.record(_Games(first_home, first_away, days, np.full(4, PLAY_IN), np.array(ids, object)), box)
    final_home, final_away = lose[0::2], win[1::2]  # loser of 7v8 hosts winner of 9v10
    box = season.play(final_home, final_away)
    win8, _ = _winners(box, final_home, final_away)
    ids = [f"005{season.yy}002{k}1" for k in range(2)]
    season.record(_Games(final_home, final_away, np.full(2, day0 + 5), np.full(2, PLAY_IN), np.array(ids, object)), box)
    return [list(standings[c][:6]) + [win[2 * c], win8[c]] for c in (0, 1)]


@dataclass(frozen=True)
class _Series:
    """A round's series, each simulated to all seven games; ``length`` were played."""

    home: np.ndarray  # (series, 7)
    away: np.ndarray
    box: _Box  # game index = k * series + s
    length: np.ndarray
    winner: np.ndarray
    ids: np.ndarray  # (series, 7) NBA.com ids


def _play_playoffs(season: _Season, seeds: list[list[int]], start, last_day) -> None:
    """Four rounds of best-of-7 (series are (home-court team, other)), simulated first and
    dated afterwards, since results do not depend on dates."""
    bracket = [(conf[a], conf[b]) for conf in seeds for a, b in ((0, 7), (3, 4), (1, 6), (2, 5))]
    seed_of = {team: k for conf in seeds for k, team in enumerate(conf)}
    wins = np.bincount(season.boxes[0].team, weights=_team_won(season.boxes[0]), minlength=N_TEAMS)
    rounds: list[_Series] = []
    for round_no in (1, 2, 3, 4):
        rounds.append(_series_games(season, bracket, round_no))
        winners = list(rounds[-1].winner)
        # home court: the better seed, and in the Finals the better record
        key = seed_of.get if round_no < 3 else (lambda t: (-wins[t], t))
        bracket = [tuple(sorted(winners[k : k + 2], key=key)) for k in range(0, len(winners), 2)]
    starts, offsets = _date_playoffs(rounds, start, last_day)
    for series, first, offset in zip(rounds, starts, offsets):
        _store_series(season, series, first[:, None] + offset[None, :])


def _team_won(box: _Box) -> np.ndarray:
    points = box.points
    return points > points.reshape(-1, 2)[:, ::-1].ravel()


def _series_games(season: _Season, pairs, round_no: int) -> _Series:
    """Simulate all seven possible games of each series; count those actually played."""
    high = np.array([p[0] for p in pairs])
    low = np.array([p[1] for p in pairs])
    home = np.where(_SERIES_HOME_HIGH, high[:, None], low[:, None])
    away = np.where(_SERIES_HOME_HIGH, low[:, None], high[:, None])
    box = _Box.concat([season.play(home[:, k], away[:, k], ahead=k) for k in range(7)])
    n = len(pairs)
    high_won = (_winners(box, home.T.ravel(), away.T.ravel())[0] == np.tile(high, 7)).reshape(7, n).T
    high_wins, low_wins = np.cumsum(high_won, axis=1), np.cumsum(~high_won, axis=1)
    length = 1 + np.argmax((high_wins == 4) | (low_wins == 4), axis=1)
    winner = np.where(high_wins[np.arange(n), length - 1] == 4, high, low)
    season.count(np.repeat(high, length), np.repeat(low, length))
    ids = np.array([[f"004{season.yy}00{round_no}{s}{k + 1}" for k in range(7)] for s in range(n)], object)
    return _Series(home, away, box, length, winner, ids)


def _date_playoffs(rounds: list[_Series], start, last_day):
    """First day of every series and its game-day offsets: the first pace under which the
    Finals, dated backwards, still start after both conference finals are over."""
    for series_offsets, finals_offsets, rest in _PLAYOFF_PACES:
        starts = [start + np.tile([1, 0], 4)]  # 1 v 8 and 2 v 7 wait a day for the play-in
        for series in rounds[:-1]:
            ends = starts[-1] + series_offsets[series.length - 1]
            starts.append(np.maximum(ends[0::2], ends[1::2]) + rest + np.arange(ends.size // 2) % 2)
        finals_start = last_day - finals_offsets[rounds[-1].length - 1]
        if finals_start[0] >= starts[-1][0]:
            return starts[:-1] + [finals_start], [series_offsets] * 3 + [finals_offsets]
    raise ValueError(f"demo schedule: the playoffs cannot end by {last_day}")


def _store_series(season: _Season, series: _Series, days: np.ndarray) -> None:
    """Keep the games played (series-major order) out of the game-number-major box."""
    played = np.arange(7)[None, :] < series.length[:, None]
    s, k = np.nonzero(played)
    games = _Games(series.home[s, k], series.away[s, k], days[s, k], np.full(s.size, PLAYOFFS), series.ids[s, k])
    season.store(games, series.box.take(k * series.home.shape[0] + s))


# --------------------------------------------------------------------------- events


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


# --------------------------------------------------------------------------- season


@dataclass(frozen=True)
class _Played:
    """One simulated season, games in date order, with what every table is built from."""

    season_year: int
    roster: _Roster
    games: _Games
    box: _Box
    events: _Events
    game_id: np.ndarray  # system ids, YYYYMMDD_AWAY_HOME
    day_ns: np.ndarray  # game date as int64 nanoseconds
    tip_ns: np.ndarray  # tip-off, UTC nanoseconds
    jitter_ns: np.ndarray  # how late the scrapers ran for the game


def _season_tables(season: Season, seed: int) -> dict[str, pd.DataFrame]:
    played = _play_season(season, seed)
    defects = _plant_defects(played, season, _rng(seed, _DEFECTS, season.season_year))
    lines_rng = _rng(seed, _LINES, season.season_year)
    props = _prop_base(played, lines_rng)
    return {
        "nbac_schedule": _schedule_frame(played, defects),
        "nbac_team_boxscore": _team_box_frame(played, defects),
        "nbac_gamebook_player_stats": _gamebook_frame(played, defects),
        "nbac_player_boxscores": _player_box_frame(played, defects),
        "bigdataball_play_by_play": _bigdataball_frame(played, defects),
        "nbac_play_by_play": _nbac_pbp_frame(played, defects),
        "odds_api_player_points_props": _odds_props_frame(played, props, lines_rng),
        "bettingpros_player_points_props": _bettingpros_frame(played, props, lines_rng),
        "odds_api_game_lines": _game_lines_frame(played, lines_rng),
        "demo_defects": _defects_frame(played, defects),
    }


def _play_season(season: Season, seed: int) -> _Played:
    year = season.season_year
    roster = _roster(year, seed)
    rng = _rng(seed, _GAMES, year)
    offense, defense = _team_ratings(roster, rng)
    state = _Season(_Sim(roster, offense, defense, _injury_table(rng), rng), season)
    _play_regular_season(state, _regular_season_days(season), _rng(seed, _SCHEDULE, year))
    _play_postseason(state, _regular_season_end(season), season.last_day)
    games, box = _Games.concat(state.games), _Box.concat(state.boxes)
    order = np.argsort(games.day, kind="stable")
    games, box = games.take(order), box.take(order)
    events = _events(box, roster.skill, _rng(seed, _EVENTS, year))
    # assists and blocks are credited from the events, so box score and play-by-play agree
    cells = box.status.size
    box.stats["ast"] = np.bincount(events.helper[events.helper_is_assist], minlength=cells).reshape(box.status.shape)
    blocked = (events.helper >= 0) & ~events.helper_is_assist
    box.stats["blk"] = np.bincount(events.helper[blocked], minlength=cells).reshape(box.status.shape)
    day_ns = games.day.astype("datetime64[ns]").astype(np.int64)
    jitter = (rng.uniform(0, 40, games.day.size) * _NS_PER_MINUTE).astype(np.int64)
    return _Played(year, roster, games, box, events, _system_ids(games), day_ns, _tipoffs(games, day_ns, rng), jitter)


def _system_ids(games: _Games) -> np.ndarray:
    ymd = np.char.replace(np.datetime_as_string(games.day), "-", "")
    return np.array(
        [f"{d}_{TRICODES[a]}_{TRICODES[h]}" for d, a, h in zip(ymd, games.away, games.home)], dtype=object
    )


def _tipoffs(games: _Games, day_ns: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """UTC tip-off: 7-10:30 pm Eastern, some weekend games in the afternoon."""
    minutes = rng.choice([0, 30, 60, 90, 120, 150, 210], games.day.size, p=[0.15, 0.25, 0.2, 0.1, 0.1, 0.1, 0.1])
    weekend = ((games.day.astype(int) + 3) % 7) >= 5
    matinee = weekend & (rng.random(games.day.size) < 0.25)
    return day_ns + (23 * 60 + minutes - 360 * matinee) * _NS_PER_MINUTE


def _processed_ns(played: _Played, table: str, games: np.ndarray) -> np.ndarray:
    """processed_at per game for a scraper: the morning after, a game's jitter shared."""
    return played.day_ns[games] + int(_PROCESSED_AT_HOURS[table] * _NS_PER_HOUR) + played.jitter_ns[games]


def _utc(ns: np.ndarray) -> pd.DatetimeIndex:
    return pd.to_datetime(ns, utc=True)


def _dates(ns: np.ndarray) -> np.ndarray:
    return ns.astype("datetime64[ns]")


# --------------------------------------------------------------------------- defects


# A missing raw game is missing from these; a re-scraped game is doubled in those.
_PER_GAME_TABLES = (
    "nbac_team_boxscore", "nbac_gamebook_player_stats", "nbac_player_boxscores",
    "bigdataball_play_by_play", "nbac_play_by_play",
)
_DUPLICATED_TABLES = ("nbac_schedule", "nbac_team_boxscore", "nbac_gamebook_player_stats")
_STALE_HOURS_EARLIER = 3  # the stale copy's processed_at, before the final scrape


@dataclass(frozen=True)
class _Defects:
    """Planted defects (game indexes into _Played), on distinct regular-season dates
    from day 14 on."""

    no_team_box: np.ndarray  # every game of ~3 dates: no nbac_team_boxscore rows
    no_bigdataball: np.ndarray  # every game of 7-10 consecutive game dates
    missing: np.ndarray  # ~2 games with no box-score or play-by-play rows at all
    duplicated: np.ndarray  # ~3 games re-scraped: an earlier, stale copy stays behind
    no_player_box_days: np.ndarray  # datetime64[D]: dates without nbac_player_boxscores
    stale_box: _Box  # the box as first scraped; differs from the final one in `duplicated`
    stale_players: dict[int, list[str]]  # game -> names whose stale stats differ
    no_pbp: np.ndarray  # source gaps: games no play-by-play feed ever had
    no_pbp_detail: str  # what the source gap is, for the manifest


def _source_gaps(played: _Played) -> tuple[np.ndarray, str]:
    """Games without play-by-play in either feed (SPEC §6 source gaps), and why."""
    games, year = played.games, played.season_year
    if year in _NO_POSTSEASON_PBP:
        return np.flatnonzero(games.kind != REGULAR), (
            "play-in/playoff game: neither play-by-play feed has it (a source gap: zones NULL, "
            "counted apart by the contamination checks)"
        )
    if year in _NO_PBP_MONTH:
        month = _NO_PBP_MONTH[year]
        in_month = games.day.astype("datetime64[M]").astype(int) % 12 + 1 == month
        name = dt.date(2000, month, 1).strftime("%B")
        return np.flatnonzero(in_month), (
            f"no play-by-play in either feed for all of {name} (a source gap: zones NULL, "
            "counted apart by the contamination checks)"
        )
    return np.array([], dtype=np.int64), ""


def _plant_defects(played: _Played, season: Season, rng: np.random.Generator) -> _Defects:
    games = played.games
    no_pbp, no_pbp_detail = _source_gaps(played)
    eligible = np.unique(games.day[(games.kind == REGULAR) & (games.day >= np.datetime64(season.opener) + 14)])
    eligible = np.setdiff1d(eligible, games.day[no_pbp])  # never two kinds on one date
    gap_len = int(rng.integers(7, 11))
    gap_start = int(rng.integers(0, eligible.size * 2 // 3))
    gap_days = eligible[gap_start : gap_start + gap_len]
    rest = np.setdiff1d(eligible, gap_days)
    n_player_box = int(rng.integers(3, 6))
    picked = rng.choice(rest, 3 + 2 + 3 + n_player_box, replace=False)
    team_box_days, missing_days, dup_days = picked[:3], picked[3:5], picked[5:8]
    missing = np.array([rng.choice(np.flatnonzero(games.day == d)) for d in missing_days])
    duplicated = np.array([rng.choice(np.flatnonzero(games.day == d)) for d in dup_days])
    stale_box, stale_players = _stale_copy(played, duplicated, rng)
    return _Defects(
        no_team_box=np.flatnonzero(np.isin(games.day, team_box_days)),
        no_bigdataball=np.flatnonzero(np.isin(games.day, gap_days)),
        missing=np.sort(missing),
        duplicated=np.sort(duplicated),
        no_player_box_days=np.sort(picked[8:]),
        stale_box=stale_box,
        stale_players=stale_players,
        no_pbp=no_pbp,
        no_pbp_detail=no_pbp_detail,
    )


def _stale_copy(played: _Played, games: np.ndarray, rng: np.random.Generator):
    """The box as first scraped: two players per game not yet credited with a made two
    (and one defensive rebound each). Every stale row is internally consistent."""
    stats = {k: v.copy() for k, v in played.box.stats.items()}
    stale = replace(played.box, stats=stats)
    names: dict[int, list[str]] = {}
    for g in games:
        rows = np.array([2 * g, 2 * g + 1])
        twos = stats["paint_m"][rows] + stats["mid_m"][rows]
        candidates = np.argwhere((twos > 0) & (played.box.status[rows] == ACTIVE))
        chosen = candidates[rng.choice(len(candidates), 2, replace=False)]
        names[int(g)] = []
        for side, rank in chosen:
            row = rows[side]
            zone = "paint" if stats["paint_m"][row, rank] > 0 else "mid"
            for stat in (f"{zone}_m", f"{zone}_a"):
                stats[stat][row, rank] -= 1
            stats["dreb"][row, rank] -= stats["dreb"][row, rank] > 0
            names[int(g)].append(played.roster.name[played.box.team[row] * ROSTER + rank])
    return stale, names


def _kept(played: _Played, *dropped: np.ndarray) -> np.ndarray:
    """Game indexes not in any of the dropped sets."""
    return np.setdiff1d(np.arange(played.games.day.size), np.concatenate(dropped))


def _defects_frame(played: _Played, defects: _Defects) -> pd.DataFrame:
    rows: list[tuple] = []
    listed = [
        ("no_team_boxscore", defects.no_team_box, ("nbac_team_boxscore",),
         "no team box-score rows; the gamebook has the game, so TOGS reconstructs it"),
        ("no_bigdataball_pbp", defects.no_bigdataball, ("bigdataball_play_by_play",),
         "no bigdataball events; nbac_play_by_play has the game's shots"),
        ("missing_raw_game", defects.missing, _PER_GAME_TABLES,
         "final in the schedule, but no box-score or play-by-play rows anywhere"),
        ("source_gap_no_pbp", defects.no_pbp, _SOURCE_GAP_TABLES, defects.no_pbp_detail),
    ]
    for kind, games, tables, detail in listed:
        rows += [(kind, played.day_ns[g], played.game_id[g], t, detail) for g in games for t in tables]
    for g in defects.duplicated:
        detail = (
            "re-scraped: an earlier processed_at copy with stale stats for "
            f"{' and '.join(defects.stale_players[int(g)])}; keep the latest processed_at"
        )
        rows += [("duplicate_rescrape", played.day_ns[g], played.game_id[g], t, detail) for t in _DUPLICATED_TABLES]
    for day in defects.no_player_box_days:
        n = int((played.games.day == day).sum())
        detail = f"no player box scores for the date's {n} games; the gamebook is complete"
        rows.append(("no_player_boxscores", np.datetime64(day, "ns").astype(np.int64), None, "nbac_player_boxscores", detail))
    frame = pd.DataFrame(rows, columns=["defect_type", "game_date", "game_id", "raw_table", "detail"])
    frame["game_date"] = _dates(frame["game_date"].to_numpy(np.int64))
    return frame.sort_values(["game_date", "defect_type", "game_id", "raw_table"], ignore_index=True)


# --------------------------------------------------------------------------- box-score tables


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


# --------------------------------------------------------------------------- lines


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
