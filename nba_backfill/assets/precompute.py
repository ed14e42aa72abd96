"""Phase 4: precomputed per-date features (SPEC §3), one SQL file per table.

Order for one date (SPEC §4): TDZA and PSZA → PCF → PDC → MLFS. Reads of earlier Phase 3
dates are lookbacks: the build's guard and `plan` read their reach from here (Dagster sees
same-date dependencies, see ``Upstream``), and every SQL file bounds its windows to the
date's own season (and to the same N days) itself.
"""

from __future__ import annotations

from nba_backfill.assets.sql_asset import SqlAssetSpec, Upstream
from nba_backfill.partitions import load_calendar

GROUP = "precompute"
PHASE = "phase4"
FAILURES = "nba_processing.precompute_failures"

# Lookbacks in days inside a season. Each SQL file bounds its windows by the same number
# of days, so what the guard waits for and what the SQL reads agree.
TEAM_GAMES_LOOKBACK = 60  # a team's last 15 (TDZA) or 10 (PDC) games take ~30 days
PLAYER_GAMES_LOOKBACK = 90  # a player's last 20 games: ~40 days, more around injuries
# Season-to-date reads (PDC, PCF season usage, MLFS fallbacks): the longest season in the
# calendar (2025-26: 253 in-season days) covers any date's season so far; the SQL keeps
# only the date's own season.
SEASON_LOOKBACK = max(len(season.days()) for season in load_calendar().seasons)


def _spec(name: str, description: str, upstream: tuple[Upstream, ...], cluster_by: tuple[str, ...],
          dataset: str = "nba_precompute", date_column: str = "game_date") -> SqlAssetSpec:
    return SqlAssetSpec(
        name=name,
        dataset=dataset,
        group=GROUP,
        phase=PHASE,
        date_column=date_column,
        description=description,
        upstream=upstream,
        cluster_by=cluster_by,
        failures_table=FAILURES,
    )


def _schedule(lookback: int) -> Upstream:
    """The raw schedule: which dates have final games, and completeness (SPEC §5.3)."""
    return Upstream("nbac_schedule", lookback=lookback)


SPECS = {
    spec.name: spec
    for spec in (
        _spec(
            "team_defense_zone_analysis",
            "TDZA: each team's shot-zone defense over its last 15 games this season, "
            "against the league average.",
            (
                Upstream("team_defense_game_summary", lookback=TEAM_GAMES_LOOKBACK, same_date=False),
                _schedule(TEAM_GAMES_LOOKBACK),
            ),
            ("team_abbr",),
            date_column="analysis_date",
        ),
        _spec(
            "player_shot_zone_analysis",
            "PSZA: each player's shot-zone profile over his last 10 and 20 games played "
            "this season.",
            (
                Upstream("player_game_summary", lookback=PLAYER_GAMES_LOOKBACK, same_date=False),
                _schedule(PLAYER_GAMES_LOOKBACK),
            ),
            ("player_lookup",),
            date_column="analysis_date",
        ),
        _spec(
            "player_composite_factors",
            "PCF: fatigue, shot-zone mismatch, pace and usage-spike factors per player "
            "and game, and their total adjustment.",
            (
                Upstream("upcoming_player_game_context"),
                Upstream("player_shot_zone_analysis"),
                Upstream("team_defense_zone_analysis"),
                Upstream("player_game_summary", lookback=SEASON_LOOKBACK, same_date=False),
                _schedule(0),
            ),
            ("player_lookup",),
        ),
        _spec(
            "player_daily_cache",
            "PDC: per player and date, season-to-date and last-10 scoring, usage and team "
            "context, fatigue inputs and zone rates in one row.",
            (
                Upstream("upcoming_player_game_context"),
                Upstream("player_shot_zone_analysis"),
                Upstream("player_game_summary", lookback=SEASON_LOOKBACK, same_date=False),
                Upstream("team_offense_game_summary", lookback=TEAM_GAMES_LOOKBACK, same_date=False),
                _schedule(SEASON_LOOKBACK),
            ),
            ("player_lookup",),
            date_column="cache_date",
        ),
        _spec(
            "ml_feature_store_v2",
            "MLFS: the 25-feature vector per player and game for the prediction models, "
            "with per-feature sources and a quality score.",
            (
                Upstream("player_daily_cache"),
                Upstream("player_composite_factors"),
                Upstream("player_shot_zone_analysis"),
                Upstream("team_defense_zone_analysis"),
                Upstream("upcoming_player_game_context"),
                Upstream("upcoming_team_game_context"),
                # season-to-date fallbacks (features 0-3, 11, 12, 21, 24)
                Upstream("player_game_summary", lookback=SEASON_LOOKBACK, same_date=False),
                Upstream("team_offense_game_summary", lookback=SEASON_LOOKBACK, same_date=False),
                # status and DNP reason on the date (injury risk): pre-game information
                Upstream("nbac_gamebook_player_stats"),
                _schedule(0),
            ),
            ("player_lookup",),
            dataset="nba_predictions",
        ),
    )
}

