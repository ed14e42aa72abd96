"""Deterministic, realistic demo Phase 2 data: one DataFrame per ``nba_raw`` table.

``generate_demo_data(seasons, seed)`` simulates whole NBA seasons (schedule, box scores,
shots, prop and game lines) and then plants a few known defects, listed in
``demo_defects``, so every fallback and gate downstream has something real to do.

- **Determinism.** Every season draws from its own random streams keyed by
  ``(seed, season_year, purpose)``, and rosters evolve one off-season at a time from
  ``BASE_YEAR``; so a season's rows do not depend on which other seasons were asked for,
  and changing, say, the defect planting does not reshuffle the box scores.
- **Stages.** One module a stage, each documenting its own choices and importing only the
  stages before it: ``league`` (teams, players, injuries) → ``schedule`` (regular-season
  dates) → ``games`` (box scores) → ``postseason`` (the season's games in order, play-in
  and playoffs) → ``events`` (shots and free throws) → ``season`` (one season played end
  to end) → ``lines`` and ``defects`` → ``tables`` (the box-score and play-by-play
  frames). Underscored names are private to this package, shared between its modules.
- **Types.** DATE columns are ``datetime64[ns]`` at midnight (DuckDB ingests them far
  faster than ``date`` objects); TIMESTAMP columns are UTC-aware; INT64 columns that can
  be NULL are pandas ``Int64``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from nba_backfill.demo.defects import _defects_frame, _plant_defects
from nba_backfill.demo.league import _DEFECTS, _LINES, _rng
from nba_backfill.demo.lines import _bettingpros_frame, _game_lines_frame, _odds_props_frame, _prop_base
from nba_backfill.demo.season import _play_season
from nba_backfill.demo.tables import (
    _bigdataball_frame,
    _gamebook_frame,
    _nbac_pbp_frame,
    _player_box_frame,
    _schedule_frame,
    _team_box_frame,
)

if TYPE_CHECKING:
    from nba_backfill.seasons import Season


def generate_demo_data(seasons: Sequence[Season], seed: int = 7) -> dict[str, pd.DataFrame]:
    """One DataFrame per nba_raw table (keys without the schema) for the given seasons."""
    per_season = [_season_tables(season, seed) for season in seasons]
    return {
        name: pd.concat([tables[name] for tables in per_season], ignore_index=True)
        for name in per_season[0]
    }


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
