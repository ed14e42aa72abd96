"""The operator commands through the CLI: exit 0 only when all is well, text or --json,
heatmap files where asked, and ``backfill --missing-only`` building just what is missing."""

from __future__ import annotations

import json

import dagster as dg
import pytest

from nba_backfill import catalog, cli
from nba_backfill.checks.dagster_checks import raw_checks
from nba_backfill_tests.support import chain
from nba_backfill_tests.support.chain import SPECS, TDGS, TOGS, UPGC
from nba_backfill_tests.support.league import d

RANGE = ["--start", "2023-11-07", "--end", "2023-11-13"]


@pytest.fixture
def env(clean_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("NBA_BACKFILL_WAREHOUSE", "duckdb")
    monkeypatch.setenv("NBA_BACKFILL_DUCKDB_PATH", clean_warehouse.path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    monkeypatch.setattr(catalog, "tables", lambda: dict(SPECS))
    return clean_warehouse


def run(capsys, *args) -> tuple[int, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    if code not in (0, 1):
        raise AssertionError(f"cli {' '.join(args)} exited {code}: {captured.err}")
    return code, captured.out


def delete_togs_day(warehouse, day: str) -> None:
    with warehouse.connect() as connection:
        connection.execute(f"DELETE FROM nba_analytics.team_offense_game_summary WHERE game_date = DATE '{day}'")


def test_all_well_exits_zero(env, capsys, tmp_path):
    code, out = run(capsys, "validate", *RANGE, "--strict")
    assert code == 0 and out.strip().endswith("all checks pass")
    code, out = run(capsys, "plan", *RANGE)
    assert code == 0 and "nothing to rebuild" in out
    code, out = run(capsys, "preflight", *RANGE)
    assert code == 0 and out.strip().endswith("ready to backfill")
    code, out = run(capsys, "gaps", *RANGE, "--png", str(tmp_path / "h.png"), "--html", str(tmp_path / "h.html"))
    assert code == 0 and "no gaps" in out
    assert (tmp_path / "h.png").stat().st_size > 1000 and "failed gate" in (tmp_path / "h.html").read_text()
    code, out = run(capsys, "report", *RANGE, "--out", str(tmp_path / "reports"), "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["heatmap"]["png"].endswith("coverage_heatmap.png")


def test_a_defect_makes_every_command_say_so(env, capsys):
    delete_togs_day(env, "2023-11-10")
    code, out = run(capsys, "validate", *RANGE)
    assert code == 1
    assert "FAIL team_offense_game_summary" in out and "2023-11-10 fail: no rows" in out
    assert "fix: nba-backfill backfill --start 2023-11-10 --end 2023-11-10 --select team_offense_game_summary" in out

    code, out = run(capsys, "plan", *RANGE, "--json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert data["assets"][TOGS]["rebuild"] == ["2023-11-10"]
    assert data["steps"][0]["commands"] == [
        "nba-backfill backfill --start 2023-11-10 --end 2023-11-10 "
        "--select team_offense_game_summary,team_defense_game_summary"
    ]
    code, out = run(capsys, "gaps", *RANGE, "--json")
    data = json.loads(out)
    assert code == 1 and data["gaps"] == {TOGS: {"missing": ["2023-11-10"]}}
    assert data["dates"][TOGS] == {
        "built": ["2023-11-07..2023-11-08", "2023-11-11", "2023-11-13"],
        "missing": ["2023-11-10"],
        "no_games": ["2023-11-09", "2023-11-12"],
    }


def test_backfill_missing_only_builds_just_the_missing_dates(env, capsys, monkeypatch, chain_defs):
    delete_togs_day(env, "2023-11-10")
    defs = dg.Definitions(assets=[chain_defs.tables], asset_checks=raw_checks(), resources={"warehouse": env})
    monkeypatch.setattr(cli, "_definitions", lambda: defs)
    before = chain.rows_on(env, "nba_analytics.team_defense_game_summary")

    code, out = run(capsys, "backfill", *RANGE, "--missing-only")
    assert code == 0, out
    assert "missing only: team_offense_game_summary" in out
    assert "backfill 2023-11-10 .. 2023-11-10: 1 partitions x" in out  # one run, one date
    assert chain.rows_on(env, "nba_analytics.team_offense_game_summary")[d("2023-11-10")] == 4
    assert chain.rows_on(env, "nba_analytics.team_defense_game_summary") == before  # untouched

    # missing-only is narrow: the readers of the rebuilt date are now stale, and plan says so
    code, out = run(capsys, "plan", *RANGE, "--json")
    data = json.loads(out)
    assert code == 1
    assert data["assets"][TDGS]["rebuild"] == ["2023-11-10"] and data["assets"][UPGC]["rebuild"] == [
        "2023-11-10", "2023-11-11"]
    assert data["assets"][TDGS]["reasons"]["2023-11-10"][0].startswith("stale: team_offense_game_summary 2023-11-10")
    code, out = run(capsys, "backfill", *RANGE, "--missing-only")
    assert code == 0 and "nothing missing in 2023-11-07 .. 2023-11-13" in out


@pytest.fixture
def chain_cli(env, monkeypatch, chain_defs):
    """The CLI over the chain's build (its pass-through SQL and checks)."""
    defs = dg.Definitions(assets=[chain_defs.tables], asset_checks=raw_checks(), resources={"warehouse": env})
    monkeypatch.setattr(cli, "_definitions", lambda: defs)
    return env


def history(warehouse, run_id_prefix: str = "") -> list[tuple[str, str, str]]:
    """(processor, data_date, status) of run history, optionally of one run."""
    with warehouse.connect(read_only=True) as connection:
        rows = connection.execute(
            "SELECT processor_name, CAST(data_date AS VARCHAR), status FROM nba_reference.processor_run_history "
            "WHERE run_id LIKE ? ORDER BY 1, 2", [run_id_prefix + "%"]).fetchall()
    return [tuple(r) for r in rows]


def test_backfill_keeps_going_then_summarizes_what_was_refused(chain_cli, capsys):
    """A raw gap on one date: the other dates are built, the summary counts the refused
    asset-dates by reason and gives the one command that resumes; exit 1."""
    with chain_cli.connect() as connection:
        connection.execute("DELETE FROM nba_raw.nbac_gamebook_player_stats WHERE game_date = DATE '2023-11-10'")
    code = cli.main(["backfill", *RANGE])
    captured = capsys.readouterr()
    assert code == 1
    # Gate 0 fails 2023-11-10: TOGS, UPGC read the gamebook; TDGS and PCF read those on the date
    assert "refused 4 asset-dates: 4 upstream check failed" in captured.err
    assert ("resume with: nba-backfill backfill --start 2023-11-07 --end 2023-11-13 --missing-only"
            in captured.err)
    run_id = captured.out.split("run(s): ")[1].split()[0]
    statuses = {(p, day): s for p, day, s in history(chain_cli, run_id)}
    assert {k for k, s in statuses.items() if s == "skipped"} == {
        (TOGS, "2023-11-10"), (TDGS, "2023-11-10"), (UPGC, "2023-11-10"), ("player_composite_factors", "2023-11-10")}
    assert sum(s == "success" for s in statuses.values()) == 5 * 7 - 4  # every other asset-date built


def test_fail_fast_stops_after_the_first_season_with_a_refused_date(chain_cli, capsys):
    """2023-11-10 is refused in 2023-24; without --fail-fast the run goes on into 2024-25
    (days without games build empty), with it the run stops after 2023-24."""
    with chain_cli.connect() as connection:
        connection.execute("DELETE FROM nba_raw.nbac_gamebook_player_stats WHERE game_date = DATE '2023-11-10'")
    two_seasons = ["--start", "2024-06-16", "--end", "2024-10-23", "--select", TOGS]
    assert cli.main(["backfill", *two_seasons, "--fail-fast"]) == 0  # nothing refused in June: goes on
    assert {day for _, day, _ in history(chain_cli) if day >= "2024-10-22"} == {"2024-10-22", "2024-10-23"}

    code = cli.main(["backfill", "--start", "2023-11-10", "--end", "2024-10-23", "--select", TOGS, "--fail-fast"])
    captured = capsys.readouterr()
    assert code == 1 and "refused 1 asset-dates" in captured.err
    run_id = captured.out.split("run(s): ")[-1].split()[0]
    days = {day for _, day, _ in history(chain_cli, run_id)}
    assert min(days) == "2023-11-10" and max(days) == "2024-06-17"  # stopped at the end of 2023-24

