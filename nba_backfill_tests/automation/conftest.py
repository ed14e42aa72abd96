"""Fixtures for the automation tests: one demo season (2023-24) generated once per session
and copied per test, a persistent Dagster instance in a temp folder, and a webhook: a real
HTTP server on 127.0.0.1 that records what it is sent (or answers 500 while it is down).
Helpers (et, record_runs, built_through, ListLog, ...) are in support/automation.py."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dagster as dg
import pytest

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.automation import Webhook
from nba_backfill_tests.support.dagster_ui import build_demo_warehouse


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
