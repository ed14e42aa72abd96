"""SQL files: load, qualify datasets, transpile BigQuery → the engine's dialect.

Every SQL file under ``sql/`` is BigQuery Standard SQL (the production dialect) with
values as named parameters (``@start_date``). Python never formats values into SQL; the
only rewriting done here is structural (dialect, dataset prefix) through sqlglot's AST.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import sqlglot
from sqlglot import exp

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"

# Datasets (BigQuery) = schemas (DuckDB), SPEC §0.
DATASETS = (
    "nba_raw",
    "nba_analytics",
    "nba_precompute",
    "nba_predictions",
    "nba_processing",
    "nba_reference",
)

# A dataset prefix becomes part of identifiers (schema names), so it may hold only what a
# BigQuery dataset name may: letters, digits, underscores. Run config can set it (Dagster
# merges run config into resources), so the engines reject anything else outright.
DATASET_PREFIX_PATTERN = r"^[A-Za-z0-9_]*$"

# sqlglot warns about BigQuery-only DDL properties (PARTITION BY, CLUSTER BY) it drops for
# DuckDB; dropping them is exactly what we want there.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Statement:
    """One statement ready for an engine, with the parameter names it uses."""

    sql: str
    parameters: tuple[str, ...]

    def bind(self, params: dict[str, object]) -> dict[str, object]:
        missing = [p for p in self.parameters if p not in params]
        if missing:
            raise KeyError(f"SQL parameters not supplied: {', '.join(missing)}")
        return {p: params[p] for p in self.parameters}


def sql_path(relative: str) -> Path:
    path = SQL_DIR / relative
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file {relative} under {SQL_DIR}")
    return path


def header(relative: str) -> str:
    """The leading comment block of a SQL file as Markdown for asset descriptions: each
    comment line stays a line (hard breaks), so the UI shows the header as the file does."""
    lines = []
    for line in sql_path(relative).read_text().splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[3:].rstrip() if line.startswith("-- ") else line[2:].rstrip())
    return "  \n".join(lines).strip()


def qualify(expression: exp.Expression, dataset_prefix: str) -> exp.Expression:
    """Send every known dataset to its prefixed copy (sandboxes, tests)."""
    if not dataset_prefix:
        return expression
    for table in expression.find_all(exp.Table):
        if table.db in DATASETS:
            table.set("db", exp.to_identifier(dataset_prefix + table.db))
    return expression


def _parameters(expression: exp.Expression) -> tuple[str, ...]:
    names = dict.fromkeys(p.name for p in expression.find_all(exp.Parameter))
    return tuple(names)


@lru_cache(maxsize=512)  # a build re-issues the same few statements: parse each once
def transpile(text: str, dialect: str, dataset_prefix: str = "") -> tuple[Statement, ...]:
    """BigQuery SQL text → statements in ``dialect`` (``bigquery`` or ``duckdb``)."""
    statements = []
    for parsed in sqlglot.parse(text, read="bigquery"):
        if parsed is None:
            continue
        parsed = qualify(parsed, dataset_prefix)
        statements.append(Statement(parsed.sql(dialect=dialect), _parameters(parsed)))
    return tuple(statements)


@cache
def render(relative: str, dialect: str, dataset_prefix: str = "") -> tuple[Statement, ...]:
    """The statements of one SQL file for an engine; cached, files do not change in a run."""
    return transpile(sql_path(relative).read_text(), dialect, dataset_prefix)


def render_one(relative: str, dialect: str, dataset_prefix: str = "") -> Statement:
    statements = render(relative, dialect, dataset_prefix)
    if len(statements) != 1:
        raise ValueError(f"{relative} must hold exactly one statement, found {len(statements)}")
    return statements[0]

