"""The Dagster UI as a person sees it: a real webserver over a real instance, driven by a
real (headless) Chromium. Screenshots land in the test's tmp folder."""

from __future__ import annotations

import pandas as pd
import pytest

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.dagster_ui import DagsterUI, dagster_home, open_page


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    warehouse = DuckDBWarehouse(path=str(tmp / "w.duckdb"))
    warehouse.setup()
    warehouse.load_dataframe(
        "nba_raw.nbac_schedule",
        pd.DataFrame({"game_id": ["20231024_LAL_DEN"], "game_date": [pd.Timestamp("2023-10-24").date()], "game_status": [3]}),
    )
    ui = DagsterUI(home=dagster_home(tmp), warehouse_path=tmp / "w.duckdb", logs=tmp / "logs", daemon=False)
    ui.start(deadline_seconds=90)
    yield ui.base, tmp
    ui.stop()


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
