"""Fixtures for the automation tests: one demo season (2023-24) generated once per session
and copied per test, a persistent Dagster instance in a temp folder, and a webhook: a real
HTTP server on 127.0.0.1 that records what it is sent (or answers 500 while it is down)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import dagster as dg
import pandas as pd
import pytest

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.ui.harness import build_demo_warehouse

ET = ZoneInfo("America/New_York")
ALL_TABLES = [
    "team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
    "upcoming_player_game_context", "upcoming_team_game_context", "team_defense_zone_analysis",
    "player_shot_zone_analysis", "player_composite_factors", "player_daily_cache", "ml_feature_store_v2",
]


def et(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock time in US/Eastern (the deadlines' zone), aware."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ET)


@pytest.fixture(scope="session")
def demo_season_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "season.duckdb"
    build_demo_warehouse(path, ["2023-24"])
    return path


@pytest.fixture
def demo_warehouse(demo_season_file, tmp_path) -> DuckDBWarehouse:
    """The demo 2023-24 season's raw data (every day has games but the All-Star break
    2024-02-16..21; 2024-01-10 has a planted game without raw rows), no build yet."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_season_file, path)
    return DuckDBWarehouse(path=str(path), lock_timeout_seconds=1)


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as test_instance:
        yield test_instance


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


@pytest.fixture
def webhook():
    hook: Webhook

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hook.attempts += 1
            if hook.down > 0:
                hook.down -= 1
                self.send_response(500)
                self.end_headers()
                return
            hook.received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):  # keep pytest output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook = Webhook(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()


class ListLog:
    """A sensor log stand-in that keeps its lines (to prove what is, and is not, logged)."""

    def __init__(self):
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)

    def warning(self, message: str) -> None:
        self.lines.append(message)
