"""Coverage per asset and date, the heatmap (a real PNG of the documented size, with its
legend; a self-contained HTML page), and the report's view of planted defects."""

from __future__ import annotations

import datetime as dt

import matplotlib.image
import numpy as np
import pandas as pd

from nba_backfill.operations import gaps, report, status
from nba_backfill_tests.support.chain import PCF, SPECS, TDGS, TDZA, TOGS
from nba_backfill_tests.support.league import FIRST, LAST, d, game_id
from nba_backfill_tests.support.warehouse_sql import execute

X = game_id(d("2023-11-08"), "CCC", "DDD")
Y, Z, W = (game_id(d("2023-11-10"), "AAA", "BBB"), game_id(d("2023-11-11"), "BBB", "CCC"),
           game_id(d("2023-11-13"), "CCC", "AAA"))


def plant(warehouse) -> None:
    """After a clean build: the raw game X disappears (Gate 0 fails on 11-08; the Phase 3
    rows built before stay), TOGS loses 11-10 entirely and one team-game of 11-13."""
    execute(warehouse, f"DELETE FROM nba_raw.nbac_gamebook_player_stats WHERE game_id = '{X}'")
    execute(warehouse, f"DELETE FROM nba_raw.nbac_team_boxscore WHERE game_id = '{X}'")
    execute(warehouse, "DELETE FROM nba_analytics.team_offense_game_summary WHERE game_date = DATE '2023-11-10'")
    execute(warehouse, "DELETE FROM nba_analytics.team_offense_game_summary "
                       "WHERE game_date = DATE '2023-11-13' AND team_abbr = 'AAA'")


def test_coverage_states_per_asset_and_date(clean_warehouse):
    plant(clean_warehouse)
    cover = status.coverage(clean_warehouse, FIRST, LAST, SPECS)
    assert cover.assets == ["nbac_schedule", *SPECS]
    raw, togs, tdza = cover.cells["nbac_schedule"], cover.cells[TOGS], cover.cells[TDZA]
    assert raw[d("2023-11-08")].state == status.FAILED and raw[d("2023-11-07")].state == status.BUILT
    assert togs[d("2023-11-10")].state == status.MISSING
    assert togs[d("2023-11-13")].state == status.FAILED
    assert togs[d("2023-11-08")].state == status.BUILT  # built before the raw game vanished
    assert togs[d("2023-11-09")].state == status.NO_GAMES
    assert tdza[d("2023-10-25")].state == status.BOOTSTRAP and tdza[d("2023-10-24")].state == status.BOOTSTRAP
    table = {row["asset"]: row for row in gaps.season_table(cover)}
    # TOGS: 6 game days, 4 built; 15 days without games (21 days in 10-24 .. 11-13)
    assert (table[TOGS]["due"], table[TOGS]["built"], table[TOGS]["missing"], table[TOGS]["failed"]) == (6, 4, 1, 1)
    assert table[TOGS]["no_games"] == 15
    # TDZA: 5 game days outside bootstrap, all built; 14 bootstrap days (10-25 has games)
    assert (table[TDZA]["due"], table[TDZA]["built"], table[TDZA]["bootstrap"]) == (5, 5, 14)
    assert gaps.problem_ranges(cover) == {
        "raw (gate 0)": {"failed": ["2023-11-08"]},
        TOGS: {"missing": ["2023-11-10"], "failed": ["2023-11-13"]},
    }
    assert not cover.complete


def colours_in(png) -> set[str]:
    rgb = (matplotlib.image.imread(png)[..., :3] * 255).round().astype(int).reshape(-1, 3)
    found = set()
    for state, colour in gaps.COLOURS.items():
        wanted = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        if (np.abs(rgb - wanted).max(axis=1) <= 2).any():
            found.add(state)
    return found


def test_heatmap_png_and_html(clean_warehouse, tmp_path):
    # nothing is missing or failed yet: those colours can only come from the legend
    clean = status.coverage(clean_warehouse, FIRST, LAST, SPECS)
    assert clean.complete
    assert colours_in(gaps.render_png(clean, tmp_path / "clean.png")) == set(gaps.COLOURS)

    plant(clean_warehouse)
    cover = status.coverage(clean_warehouse, d("2023-06-01"), LAST, SPECS)  # two seasons' days
    png = gaps.render_png(cover, tmp_path / "out" / "heatmap.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = matplotlib.image.imread(png)
    # 16 x 100 px wide; (2.0 + 0.4 per asset row) x 100 px high, 6 rows (raw + 5 assets)
    assert pixels.shape[:2] == (440, 1600)
    assert colours_in(png) == set(gaps.COLOURS)

    html_path = gaps.render_html(cover, tmp_path / "out" / "gaps.html", png)
    page = html_path.read_text()
    legend = page.split("id='legend'>", 1)[1].split("</div>", 1)[0]
    for label in ("built", "missing", "failed gate", "bootstrap", "no games"):
        assert f"<span class='label'>{label}</span>" in legend
    assert ("<span class='c s-missing' title='team_offense_game_summary 2023-11-10: missing — gate: no rows"
            in page)
    assert "<span class='c s-failed' title='raw (gate 0) 2023-11-08: failed gate" in page
    assert "data:image/png;base64," in page  # self-contained: the PNG is inside
    assert "<h2>2022-23: 2023-06-01 .. 2023-06-12</h2>" in page and "<h2>2023-24: 2023-10-24 .. 2023-11-13</h2>" in page


def test_report_finds_the_planted_defects_by_date(clean_warehouse, tmp_path):
    plant(clean_warehouse)
    defects = pd.DataFrame([
        {"defect_type": "missing_raw_game", "game_date": d("2023-11-08"), "game_id": X,
         "raw_table": "nbac_team_boxscore", "detail": "gone"},
        {"defect_type": "no_team_boxscore", "game_date": d("2023-11-11"), "game_id": "g",
         "raw_table": "nbac_team_boxscore", "detail": "reconstructed"},
        {"defect_type": "duplicate_rescrape", "game_date": d("2023-11-13"), "game_id": "h",
         "raw_table": "nbac_schedule", "detail": "deduplicated"},
    ])
    clean_warehouse.load_dataframe("nba_raw.demo_defects", defects)
    result = report.build_report(clean_warehouse, FIRST, LAST, SPECS, out_dir=tmp_path / "reports")

    assert [(r["date"], r["defect_type"], r["found_by_gates"], r["as_expected"]) for r in result.defects] == [
        ("2023-11-08", "missing_raw_game", True, True),  # Gate 0 caught it
        ("2023-11-11", "no_team_boxscore", False, True),  # a fallback handled it: gates pass
        ("2023-11-13", "duplicate_rescrape", True, False),  # TOGS fails there: not expected
    ]
    unexpected = result.unexpected()
    assert unexpected[0].startswith("2023-11-13 duplicate_rescrape: gates fail on the date: team_offense_game_summary")
    assert any(line.startswith(f"{TOGS} 2023-11-10 missing") for line in unexpected)
    assert not any("2023-11-08" in line for line in unexpected)  # explained by the caught defect
    assert not result.ok
    phases = {row["phase"]: row for row in result.phases}
    assert (phases["phase3"]["dates_due"], phases["phase3"]["dates_complete"]) == (6, 4)
    assert (phases["phase4"]["dates_due"], phases["phase4"]["dates_complete"]) == (5, 5)
    assert {row["asset"]: row["status"] for row in result.contamination}[TDZA] == "CLEAN"
    assert (tmp_path / "reports" / report.HEATMAP_PNG).exists()
    assert (tmp_path / "reports" / report.HEATMAP_HTML).exists()
    text = "\n".join(report.describe(result))
    assert "planted defects (nba_raw.demo_defects): 3, 2 found by the gates, 1 unexpected" in text
    assert f"heatmap: {tmp_path / 'reports' / report.HEATMAP_PNG}" in text


def test_report_expects_source_gaps_and_counts_them_apart(clean_warehouse, tmp_path):
    """The league has no play-by-play at all: every team-defense row is a source gap. Listed
    as planted source gaps, they are expected wherever every check passes on the date; on
    a date where a check fails (TOGS 11-13 after plant) they are not."""
    plant(clean_warehouse)
    clean_warehouse.load_dataframe("nba_raw.demo_defects", pd.DataFrame([
        {"defect_type": "source_gap_no_pbp", "game_date": day, "game_id": gid,
         "raw_table": table, "detail": "no play-by-play"}
        for day, gid in ((d("2023-11-10"), Y), (d("2023-11-11"), Z), (d("2023-11-13"), W))
        for table in ("bigdataball_play_by_play", "nbac_play_by_play")
    ]))
    result = report.build_report(clean_warehouse, FIRST, LAST, SPECS, out_dir=None)

    assert [(r["date"], r["found_by_gates"], r["as_expected"]) for r in result.defects] == [
        ("2023-11-10", True, False),  # TOGS is missing there (plant): not what a source gap does
        ("2023-11-11", False, True),
        ("2023-11-13", True, False),  # TOGS fails there
    ]
    assert result.defects[1]["verdict"].startswith("source gap (no play-by-play in either feed): every check passes")
    assert result.defects[2]["verdict"].startswith("checks fail on the date: team_offense_game_summary")
    tdgs = {row["asset"]: row for row in result.contamination}[TDGS]
    # all six game days (TDGS is Phase 3: no bootstrap; plant left its rows): 2 rows per game
    assert tdgs["status"] == "CLEAN" and tdgs["NO_SOURCE"] == 6
    assert tdgs["source_gap_rows"] == 2 * 12  # every team-game of the league, none checked
    text = "\n".join(report.describe(result))
    assert "ok 2023-11-11 .. 2023-11-11 source_gap_no_pbp (2023-24, 1 dates)" in text
    assert "!! 2023-11-13 source_gap_no_pbp" in text
    assert f"{TDGS:<30} CLEAN         dates clean " in text and "24 source-gap rows counted apart" in text


def test_day_ranges_bridge_only_across_days_that_change_nothing():
    from nba_backfill.checks.core import day_ranges

    days = [dt.date(2023, 11, 1) + dt.timedelta(days=i) for i in range(8)]
    picked = [days[0], days[1], days[3], days[6]]
    assert day_ranges(picked, days) == [(days[0], days[1]), (days[3], days[3]), (days[6], days[6])]
    assert day_ranges(picked, days, bridge=[days[2]]) == [(days[0], days[3]), (days[6], days[6])]
    # a bridge day never starts or ends a range
    assert day_ranges([days[3]], days, bridge=[days[2], days[4]]) == [(days[3], days[3])]
