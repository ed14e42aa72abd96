"""The fixed tables every warehouse has before any build: raw, processing, reference.

Phase 3/4 tables are not listed here: each is created by its first build, from its own
query's schema, so a table and the SQL that fills it cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse import sql

# staging: views over raw (deduplicated, bad rows filtered) that Phase 3 reads.
DDL_FOLDERS = ("raw", "processing", "reference", "staging")

CALENDAR_TABLE = "nba_reference.season_calendar"
# The calendar table is rewritten whole on every setup: config is the truth.
CALENDAR_REPLACE = ("opener", dt.date(1900, 1, 1), dt.date(2999, 12, 31))

RAW_TABLES = tuple(
    sorted(p.stem for p in (sql.SQL_DIR / "raw").glob("*.sql") if p.stem != "demo_defects")
)


def ddl_files() -> list[str]:
    return [
        f"{folder}/{path.name}"
        for folder in DDL_FOLDERS
        for path in sorted((sql.SQL_DIR / folder).glob("*.sql"))
    ]


def calendar_frame() -> pd.DataFrame:
    seasons = load_calendar().seasons
    return pd.DataFrame(
        {
            "season_label": [s.label for s in seasons],
            "season_year": [s.season_year for s in seasons],
            "opener": [s.opener for s in seasons],
            "last_day": [s.last_day for s in seasons],
        }
    )
