"""The Dagster UI as a person sees it: a real webserver over a real instance, driven by a
real (headless) Chromium. Screenshots land in the test's tmp folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    warehouse = DuckDBWarehouse(path=str(tmp / "w.duckdb"))
    warehouse.setup()
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": ["20231024_LAL_DEN"], "game_date": [pd.Timestamp("2023-10-24").date()], "game_status": [3]}),
    )
    (tmp / "home").mkdir()
    shutil.copy(REPO / "deploy" / "local" / "dagster.yaml", tmp / "home" / "dagster.yaml")
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "home"), "NBA_BACKFILL_DUCKDB_PATH": str(tmp / "w.duckdb")}
    server = subprocess.Popen(
        [sys.executable, "-m", "dagster_webserver", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/server_info", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"dagster-webserver did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
    yield base, tmp
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url, wait_until="networkidle")
    skip = page.get_by_role("button", name="Skip")  # the first-visit community dialog
    if skip.count():
        skip.first.click()
    return page


def test_asset_catalog_lists_the_raw_tables(webserver, browser):
    base, tmp = webserver
    page = open_page(browser, f"{base}/assets")
    page.get_by_text("nbac_schedule").first.wait_for(timeout=60_000)
    for table in ("nbac_gamebook_player_stats", "bigdataball_play_by_play", "odds_api_player_points_props"):
        assert page.get_by_text(table).count() >= 1
    page.screenshot(path=str(tmp / "assets.png"))


def test_raw_asset_page_shows_game_date_partitions(webserver, browser):
    base, tmp = webserver
    page = open_page(browser, f"{base}/assets/nbac_schedule?view=partitions")
    page.get_by_text("2020-12-22").first.wait_for(timeout=60_000)  # first partition: 2020-21 opener
    page.get_by_placeholder("Filter by name").fill("2021-07-2")
    page.get_by_text("2021-07-20").first.wait_for(timeout=30_000)  # the 2020-21 Finals
    page.screenshot(path=str(tmp / "partitions.png"))
    assert page.get_by_text("2021-07-21").count() == 0  # off-season days are not partitions
