"""Cascade contamination (SPEC §6): rows that exist but hold NULL/zero where a value must
be, because an upstream was missing when they were built.

Per date and critical field, the share of valid rows: ≥ 99% CLEAN, 50-99% PARTIAL,
< 50% CONTAMINATED. A date is as bad as its worst field: CONTAMINATED fails (ERROR),
PARTIAL warns. One template (``sql/checks/templates/contamination.sql``) serves every
table: the fields and their predicates come from its table.toml, the rows judged from its
``contamination_rows.sql`` (or its own rows), and it returns ``check_date, rows_checked,
source_gap_rows, valid_<field>...``.

Source gaps are not contamination (SPEC §6): a row whose value is NULL because the raw
source never had the data (no play-by-play for the game, or for a game of the row's
window) is a source gap. The SQL counts such rows apart in ``source_gap_rows`` and leaves
them out of ``rows_checked``, so valid shares are taken over the rows whose raw inputs
exist. A date where every row is a source gap passes with a NO_SOURCE note; a date with
some passes or fails on the rest, and its values and detail say how many were set apart.
Only tables whose raw source can be absent (``source_gap`` in table.toml) report them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

import sqlglot
from sqlglot import exp

from nba_backfill.catalog import TableSpec
from nba_backfill.checks.core import CheckDef, DateResult, Outcome, number
from nba_backfill.seasons import is_bootstrap
from nba_backfill.warehouse import sql

NAME = "cascade_contamination"
CLEAN = 0.99
PARTIAL = 0.50
VALID_PREFIX = "valid_"
SOURCE_GAP_ROWS = "source_gap_rows"
NO_SOURCE = "NO_SOURCE"  # the status of a date whose rows are all source gaps
TEMPLATE = "checks/templates/contamination.sql"
ROWS_TEMPLATE = "checks/templates/contamination_rows.sql"  # a table's own rows, none a gap


def status(share: float) -> str:
    if share >= CLEAN:
        return "CLEAN"
    return "PARTIAL" if share >= PARTIAL else "CONTAMINATED"


@dataclass(frozen=True)
class ContaminationCheck(CheckDef):
    kind: str = "contamination"
    # what a source-gap row lacks, for the notes ("" when the table has no source gaps)
    source_gap: str = ""
    rows_file: str = ROWS_TEMPLATE  # the rows judged: the table's own unless it has a file
    valid: tuple[tuple[str, str], ...] = ()  # (field, predicate a valid row satisfies)

    def bound(self) -> dict[str, sql.Binding]:
        table = dict(self.bindings)
        rows = sql.instantiate(self.rows_file, table) if self.rows_file == ROWS_TEMPLATE else sql.parse_file(self.rows_file)
        return {"rows": rows, "valid": [self._valid_count(f, p) for f, p in self.valid]}

    @staticmethod
    def _valid_count(field: str, predicate: str) -> exp.Expression:
        """CAST(COUNTIF(NOT source_gap AND (<predicate>)) AS INT64) AS valid_<field>"""
        judged = exp.and_(exp.not_(exp.column("source_gap")), exp.paren(sqlglot.parse_one(predicate, read="bigquery")))
        count = exp.cast(exp.func("COUNTIF", judged), exp.DataType.build("INT64", dialect="bigquery"))
        return count.as_(f"{VALID_PREFIX}{field}")

    def judge(self, day: dt.date, row: Mapping[str, object] | None) -> DateResult:
        if self.phase4 and is_bootstrap(day):
            return DateResult(day, Outcome.BOOTSTRAP, "bootstrap day: nothing to check")
        checked = number(row, "rows_checked")
        gaps = number(row, SOURCE_GAP_ROWS)
        counted = {SOURCE_GAP_ROWS: gaps} if row and self.source_gap else {}
        if not row or checked == 0:
            if gaps:
                detail = f"{NO_SOURCE}: all {gaps} rows {self.source_gap or 'lack their raw source'}"
                return DateResult(day, Outcome.PASS, detail, {"rows_checked": 0, **counted, "status": NO_SOURCE})
            return DateResult(day, Outcome.PASS, "", {"rows_checked": 0, **counted, "status": "CLEAN"})
        shares = {
            column[len(VALID_PREFIX):]: number(row, column) / checked
            for column in row
            if column.startswith(VALID_PREFIX)
        }
        worst_field = min(shares, key=lambda f: shares[f])
        worst = status(shares[worst_field])
        values: dict[str, object] = {"rows_checked": checked, **counted, "status": worst}
        values.update({f"{f}_valid_share": round(s, 4) for f, s in shares.items()})
        bad = [f"{f} {s:.0%} valid" for f, s in sorted(shares.items(), key=lambda kv: kv[1]) if s < CLEAN]
        detail = f"{worst}: " + ", ".join(bad) + f" (of {checked} rows)" if bad else ""
        if gaps:
            note = f"{gaps} source-gap rows not judged ({NO_SOURCE}): they {self.source_gap or 'lack their raw source'}"
            detail = f"{detail}; {note}" if detail else note
        outcome = {"CLEAN": Outcome.PASS, "PARTIAL": Outcome.WARN, "CONTAMINATED": Outcome.FAIL}[worst]
        return DateResult(day, outcome, detail, values)


def contamination_check(spec: TableSpec) -> ContaminationCheck:
    params = spec.contamination
    gaps = (
        f" Source gaps (SPEC §6), rows that {params.source_gap}, are counted apart (NO_SOURCE) and "
        "never judged; a date of only source gaps passes."
        if params.source_gap else ""
    )
    return ContaminationCheck(
        asset=spec.name,
        name=NAME,
        sql_file=TEMPLATE,
        bindings=(("table", spec.table), ("date", spec.date_column)),
        description=(
            f"Cascade contamination (SPEC §6): per date, the share of rows with {params.what}. "
            "≥ 99% CLEAN, 50-99% PARTIAL (warns), < 50% CONTAMINATED (fails, blocking)." + gaps
        ),
        tables=(spec.table, *params.reads),
        phase4=spec.phase == "phase4",
        source_gap=params.source_gap,
        rows_file=spec.file("contamination_rows.sql") if params.rows else ROWS_TEMPLATE,
        valid=params.valid,
    )
