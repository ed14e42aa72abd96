"""What a Phase 3/4 table is: the declaration its folder's ``table.toml`` holds, typed.

Pure data: no Dagster, no warehouse, no SQL read. Assets, checks, ``plan``, ``gaps`` and
the docs all read these objects, so a table is declared once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """A folder of tables under ``sql/`` (its ``group.toml``): one phase, one dataset, one
    failure table, and the list of its tables."""

    name: str  # analytics / precompute: the folder, and the Dagster asset group
    phase: str  # phase3 / phase4 (run history)
    dataset: str  # the default dataset of its tables
    failures_table: str  # nba_processing.*_failures, replaced per processor
    tables: tuple[str, ...]  # its tables' folders, in the order listed


@dataclass(frozen=True)
class Upstream:
    """A dependency; ``lookback`` = how many earlier in-season days the SQL may read.

    Dagster sees every dependency as same-date (identity mapping): an offset mapping widens
    a UI backfill past its range, across the off-season, and splits it into one run per
    asset (FACTS.md). The lookback reach lives here instead, where the guard (no date is
    built before the earlier dates its window reads), ``plan`` and ``gaps`` read it. The
    SQL bounds every window to the date's own season.
    """

    asset: str
    lookback: int = 0  # 0: the same date only
    same_date: bool = True  # False: strictly earlier dates (a pure lookback)


@dataclass(frozen=True)
class GateParams:
    """The completeness gate: a shared template for the table's grain, or its own
    ``gate.sql`` when ``template`` is empty."""

    what: str  # what complete means, for the description
    unit: str = "rows"  # what expected/actual count, for messages
    template: str = ""  # team_games / players: sql/checks/templates/gate_<template>.sql
    team_column: str = "team_abbr"  # team_games: the column naming the team of a row
    reads: tuple[str, ...] = ()  # other built tables its SQL reads
    bootstrap_rows: bool = False  # placeholder rows are due on bootstrap days (SPEC §3)


@dataclass(frozen=True)
class ContaminationParams:
    """The cascade-contamination check: per field, the predicate a valid row satisfies.
    ``rows`` means the folder's ``contamination_rows.sql`` yields the judged rows (with a
    ``source_gap`` flag); otherwise the table's own rows of the date are judged."""

    what: str
    valid: tuple[tuple[str, str], ...]  # (field, predicate over the judged rows)
    rows: bool = False
    reads: tuple[str, ...] = ()
    source_gap: str = ""  # what a source-gap row lacks, for the notes


@dataclass(frozen=True)
class FailureRateParams:
    """The failure-rate band (SPEC §5.1): ``entity`` names what a failure row counts."""

    entity: str
    band: bool = True  # False: processing errors only


@dataclass(frozen=True)
class TableSpec:
    name: str  # asset key and table name
    group: Group
    folder: str  # relative to sql/, e.g. "precompute/player_daily_cache"
    dataset: str
    date_column: str
    description: str
    columns: tuple[tuple[str, str], ...] = ()  # (name, BigQuery type), in table order
    upstream: tuple[Upstream, ...] = ()
    cluster_by: tuple[str, ...] = ()
    breakdown_column: str | None = None  # e.g. primary_source: "rows by source" metadata
    gate: GateParams | None = None
    contamination: ContaminationParams | None = None
    failure_rate: FailureRateParams | None = None

    @property
    def table(self) -> str:
        return f"{self.dataset}.{self.name}"

    @property
    def phase(self) -> str:
        return self.group.phase

    @property
    def failures_table(self) -> str:
        return self.group.failures_table

    @property
    def sql_file(self) -> str:
        return f"{self.folder}/query.sql"

    @property
    def failures_file(self) -> str:
        return f"{self.folder}/failures.sql"

    def file(self, name: str) -> str:
        """Another file of the table's folder, relative to sql/."""
        return f"{self.folder}/{name}"

    @property
    def lookbacks(self) -> tuple[Upstream, ...]:
        return tuple(u for u in self.upstream if u.lookback)

    @property
    def same_date_upstreams(self) -> list[str]:
        return list(dict.fromkeys(u.asset for u in self.upstream if u.same_date))
