"""The `nba-backfill` commands a person is told to run (in a check's metadata, a refusal,
an alert, the terminal's summary), written in one place so every message agrees with the
CLI's flags."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

CLI = "nba-backfill"


def command(verb: str, start: dt.date, end: dt.date, assets: Sequence[str] = (), *flags: str) -> str:
    """``nba-backfill <verb> --start A --end B [--select x,y] [flags]``"""
    select = ("--select", ",".join(assets)) if assets else ()
    return " ".join((CLI, verb, "--start", str(start), "--end", str(end), *select, *flags))


def backfill_command(start: dt.date, end: dt.date, assets: Sequence[str] = (), missing_only: bool = False) -> str:
    return command("backfill", start, end, assets, *(("--missing-only",) if missing_only else ()))


def plan_command(start: dt.date, end: dt.date) -> str:
    return command("plan", start, end)


def validate_command(start: dt.date, end: dt.date) -> str:
    return command("validate", start, end)
