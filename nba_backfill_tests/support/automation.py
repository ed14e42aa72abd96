"""Helpers for the automation tests: US/Eastern wall-clock times, run-history rows as a
build would write them, the webhook stand-in's record, and a sensor log that keeps its lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pandas as pd

ET = ZoneInfo("America/New_York")
ALL_TABLES = [
    "team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
    "upcoming_player_game_context", "upcoming_team_game_context", "team_defense_zone_analysis",
    "player_shot_zone_analysis", "player_composite_factors", "player_daily_cache", "ml_feature_store_v2",
]


def et(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock time in US/Eastern (the deadlines' zone), aware."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ET)


def record_runs(warehouse, rows, run_id: str = "seed", started_at: dt.datetime | None = None) -> None:
    """Run-history rows as a build would write them: (processor, date, status[, reason])."""
    rows = [r if len(r) == 4 else (*r, None) for r in rows]
    at = started_at or dt.datetime(2024, 1, 1)
    warehouse.load_dataframe(
        "nba_reference.processor_run_history",
        pd.DataFrame({
            "processor_name": [r[0] for r in rows], "data_date": [r[1] for r in rows],
            "status": [r[2] for r in rows], "skip_reason": [r[3] for r in rows],
            "run_id": run_id, "started_at": pd.Timestamp(at),
        }),
    )


def built_through(warehouse, first: dt.date, last: dt.date, tables=ALL_TABLES) -> None:
    """Every table built (success) on every day of [first, last]."""
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    record_runs(warehouse, [(t, d, "success") for d in days for t in tables])


@dataclass
class Webhook:
    """A loopback HTTP server standing in for Slack: records each JSON body it accepts;
    ``down`` requests are answered 500 first."""

    server: ThreadingHTTPServer
    received: list[dict] = field(default_factory=list)
    attempts: int = 0
    down: int = 0

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/services/T000/B000/secret-token"

    def texts(self) -> list[str]:
        return [body["text"] for body in self.received]


class ListLog:
    """A sensor log stand-in that keeps its lines (to prove what is, and is not, logged)."""

    def __init__(self):
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)

    def warning(self, message: str) -> None:
        self.lines.append(message)
