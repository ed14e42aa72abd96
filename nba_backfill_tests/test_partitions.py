"""The game-date partitions: every in-season day, no off-season day (SPEC §7)."""

from nba_backfill import partitions as p


def test_partitions_are_in_season_days_only():
    keys = set(p.game_date_partitions().get_partition_keys())
    assert "2020-12-22" in keys and "2021-07-20" in keys
    assert "2021-07-21" not in keys and "2021-10-18" not in keys  # off-season
    assert "2021-10-19" in keys
    assert "2024-02-18" in keys  # All-Star weekend: in season, no games, still a partition
    assert "2023-08-15" not in keys
