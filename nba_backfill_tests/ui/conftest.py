"""Fixtures shared by the browser tests: a headless system Chromium driven by Playwright.
The servers (webserver, daemon) and the warehouse come from support/dagster_ui.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from nba_backfill_tests.support.dagster_ui import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: `apt-get install chromium` (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
