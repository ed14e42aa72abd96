"""Write the generated demo data into a warehouse: every raw table in one transaction."""

from __future__ import annotations

from typing import Sequence

from nba_backfill.demo.generate import generate_demo_data
from nba_backfill.seasons import Season
from nba_backfill.warehouse import Warehouse


def write_demo_data(warehouse: Warehouse, seasons: Sequence[Season], seed: int) -> dict[str, int]:
    """Replace the seasons' dates of every raw table with fresh demo rows; rows per table."""
    frames = generate_demo_data(seasons, seed)
    warehouse.setup()
    span = ("game_date", min(s.opener for s in seasons), max(s.last_day for s in seasons))
    warehouse.load_frames({f"nba_raw.{name}": frame for name, frame in frames.items()}, span)
    return {name: len(frame) for name, frame in frames.items()}
