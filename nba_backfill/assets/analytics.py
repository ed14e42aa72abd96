"""Phase 3 analytics (SPEC §2): five date-partitioned tables in nba_analytics.

Each table is one SQL file under sql/analytics/ (plus its .failures.sql); the SQL reads
raw data through the staging views in sql/staging/ (deduplicated re-scrapes, unusable
rows flagged), so every source chain is written once. Dependencies follow SPEC §4: the
three game summaries read raw tables of the same date only; the two context tables also
read earlier Phase 3 partitions of the season.
"""

from __future__ import annotations

from nba_backfill.assets.sql_asset import SqlAssetSpec, Upstream

DATASET = "nba_analytics"
FAILURES = "nba_processing.analytics_failures"
# SPEC §4: "30 days covers the windows". The SQL bounds every window to the date's own
# season, so a lookback mapping reaching into the previous season reads nothing there.
LOOKBACK = 30


def _spec(name: str, description: str, upstream: tuple[Upstream, ...], **kwargs) -> SqlAssetSpec:
    return SqlAssetSpec(
        name=name,
        dataset=DATASET,
        group="analytics",
        phase="phase3",
        date_column="game_date",
        description=description,
        upstream=upstream,
        failures_table=FAILURES,
        **kwargs,
    )


_TEAM_RAW = (
    Upstream("nbac_schedule"),
    Upstream("nbac_team_boxscore"),
    Upstream("nbac_gamebook_player_stats"),
    Upstream("bigdataball_play_by_play"),
    Upstream("nbac_play_by_play"),
)

SPECS: dict[str, SqlAssetSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "team_offense_game_summary",
            "Team x final game offense: box stats, possessions, ratings, pace, shot zones.",
            _TEAM_RAW,
            cluster_by=("team_abbr", "game_id"),
            breakdown_column="primary_source",
        ),
        _spec(
            "team_defense_game_summary",
            "Defending team x final game: the opponent's line seen from the defense.",
            _TEAM_RAW,
            cluster_by=("defending_team_abbr", "game_id"),
            breakdown_column="primary_source",
        ),
        _spec(
            "player_game_summary",
            "Player x final game (DNP and inactive included): box stats, rates, zones, prop result.",
            _TEAM_RAW
            + (
                Upstream("nbac_player_boxscores"),
                Upstream("odds_api_player_points_props"),
                Upstream("bettingpros_player_points_props"),
            ),
            cluster_by=("player_lookup", "team_abbr"),
            breakdown_column="primary_source",
        ),
        _spec(
            "upcoming_player_game_context",
            "Player x game context before tip-off: rest, recent form, prop line, opponent, odds.",
            (
                Upstream("nbac_schedule", lookback=LOOKBACK),
                Upstream("nbac_gamebook_player_stats"),
                Upstream("odds_api_player_points_props"),
                Upstream("bettingpros_player_points_props"),
                Upstream("odds_api_game_lines"),
                Upstream("team_offense_game_summary", lookback=LOOKBACK),
                Upstream("player_game_summary", lookback=LOOKBACK, same_date=False),
            ),
            cluster_by=("player_lookup", "team_abbr"),
            breakdown_column="prop_source",
        ),
        _spec(
            "upcoming_team_game_context",
            "Team x game context before tip-off: rest, schedule density, streaks, odds.",
            (
                Upstream("nbac_schedule", lookback=LOOKBACK),
                Upstream("odds_api_game_lines"),
                # tip-off time for the pre-tip snapshot comes from the props' snapshots
                Upstream("odds_api_player_points_props"),
                Upstream("team_offense_game_summary", lookback=LOOKBACK, same_date=False),
            ),
            cluster_by=("team_abbr", "game_id"),
            breakdown_column="quality_tier",
        ),
    )
}

