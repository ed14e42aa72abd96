"""SQL files: load, qualify datasets, transpile BigQuery → the engine's dialect.

Every SQL file under ``sql/`` is BigQuery Standard SQL (the production dialect) with
values as named parameters (``@start_date``). Python never formats values into SQL; the
only rewriting done here is structural (dialect, dataset prefix) through sqlglot's AST.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Mapping, Sequence, Union

import sqlglot
from sqlglot import exp

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
# Another SQL tree (a copy with one more table folder, in a test): read when a file is
# looked up, so the catalog and the SQL always come from the same tree.
SQL_DIR_ENV = "NBA_BACKFILL_SQL_DIR"

SHARED = "shared"  # `FROM shared.<name>`: sql/shared/<name>.sql, a CTE of the reader (``with_shared``)

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


def sql_root() -> Path:
    return Path(os.environ.get(SQL_DIR_ENV) or SQL_DIR)


def sql_path(relative: str) -> Path:
    root = sql_root()
    path = root / relative
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file {relative} under {root}")
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


def render_expression(
    expression: exp.Expression, dialect: str, dataset_prefix: str = "", comments: bool = True
) -> Statement:
    """A statement built with sqlglot (BigQuery dialect) in ``dialect``, datasets prefixed:
    straight from the tree, since parsing a long query back from its text costs more than
    generating it.

    The tree is copied once: sqlglot's generator copies what it is given (its dialect
    rewrites change the tree), so only a prefix, which this function rewrites itself,
    needs a copy of its own, which the generator may then keep."""
    if not dataset_prefix:
        return Statement(expression.sql(dialect=dialect, comments=comments), _parameters(expression))
    tree = qualify(expression.copy(), dataset_prefix)
    parameters = _parameters(tree)  # before the generator rewrites the tree
    return Statement(tree.sql(dialect=dialect, comments=comments, copy=False), parameters)


def render(relative: str, dialect: str, dataset_prefix: str = "") -> tuple[Statement, ...]:
    """The statements of one SQL file for an engine; cached, files do not change in a run."""
    return _render(sql_root(), relative, dialect, dataset_prefix)


@cache
def _render(root: Path, relative: str, dialect: str, dataset_prefix: str) -> tuple[Statement, ...]:
    return tuple(render_expression(parsed, dialect, dataset_prefix) for parsed in _parse(root, relative))


def render_one(relative: str, dialect: str, dataset_prefix: str = "") -> Statement:
    statements = render(relative, dialect, dataset_prefix)
    if len(statements) != 1:
        raise ValueError(f"{relative} must hold exactly one statement, found {len(statements)}")
    return statements[0]


def parse_file(relative: str) -> exp.Expression:
    """One SQL file's statement, parsed once per tree (parsing is costly; files do not
    change in a run); a copy, free to rewrite."""
    statements = _parse(sql_root(), relative)
    if len(statements) != 1:
        raise ValueError(f"{relative} must hold exactly one statement, found {len(statements)}")
    return statements[0].copy()


@cache
def _parse(root: Path, relative: str) -> tuple[exp.Expression, ...]:
    """A file's statements, each with the shared queries it reads ahead of its own CTEs."""
    parsed = sqlglot.parse(sql_path(relative).read_text(), read="bigquery")
    return tuple(with_shared(statement) for statement in parsed if statement is not None)


def with_shared(statement: exp.Expression) -> exp.Expression:
    """``FROM shared.<name> AS x`` → ``FROM shared_<name> AS x``, where ``shared_<name>`` is
    a CTE holding the query of ``sql/shared/<name>.sql``, placed ahead of the statement's
    own CTEs (a shared query reading another comes after it).

    How several files share one piece of SQL (a window, a set of rules) without copying
    it: the shared file is one SELECT with its own header, reading the same @parameters
    as the files that read it."""
    shared: dict[str, exp.Expression] = {}

    def replace_reads(tree: exp.Expression) -> None:
        for table in list(tree.find_all(exp.Table)):
            if table.db != SHARED:
                continue
            name = f"{SHARED}_{table.name}"
            if name not in shared:
                body = sqlglot.parse_one(sql_path(f"{SHARED}/{table.name}.sql").read_text(), read="bigquery")
                replace_reads(body)  # what it reads is defined first
                shared[name] = body
            table.replace(exp.to_table(name).as_(table.alias or table.name))

    replace_reads(statement)
    if shared:
        query = statement if isinstance(statement, exp.Query) else statement.expression
        ctes = [exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(name))) for name, body in shared.items()]
        own = query.args.get("with_")
        query.set("with_", exp.With(expressions=ctes + (own.expressions if own else [])))
    return statement


# -- templates: one query shared by many tables --------------------------------------------

PLACEHOLDER = re.compile(r"^__([a-z_]+)__$")
Binding = Union[str, exp.Expression, Sequence[exp.Expression]]


def instantiate(relative: str, bindings: Mapping[str, Binding]) -> exp.Expression:
    """A template file with its placeholders bound, through the AST (never as text).

    A placeholder is an identifier ``__name__``. As a table it becomes the bound table
    name, or a subquery when bound to a query; as a column or alias, the bound name; a
    ``__name__`` column standing alone in a select list becomes the bound projections.
    Values still travel only as parameters (``@start_date``)."""
    tree = parse_file(relative)
    for select in tree.find_all(exp.Select):
        projections: list[exp.Expression] = []
        for projection in select.expressions:
            bound = bindings.get(_placeholder(projection)) if isinstance(projection, exp.Column) else None
            projections.extend(bound if isinstance(bound, (list, tuple)) else [projection])
        select.set("expressions", projections)

    def bind(node: exp.Expression) -> exp.Expression:
        name = _placeholder(node)
        if name is None or name not in bindings:
            return node
        bound = bindings[name]
        if isinstance(node, exp.Table):
            if isinstance(bound, exp.Expression):
                alias = exp.TableAlias(this=exp.to_identifier(node.alias or name))
                return exp.Subquery(this=bound.copy(), alias=alias)
            table = exp.to_table(str(bound))
            return table.as_(node.alias) if node.alias else table
        if isinstance(node, exp.Identifier) and isinstance(bound, str):
            return exp.to_identifier(bound)
        return node

    unbound = {n for n in (_placeholder(i) for i in tree.find_all(exp.Identifier)) if n and n not in bindings}
    if unbound:
        raise KeyError(f"{relative}: placeholders not bound: {', '.join(sorted(unbound))}")
    return tree.transform(bind, copy=False)  # ``tree`` is parse_file's copy, this call's own


def _placeholder(node: exp.Expression) -> str | None:
    name = node.name if isinstance(node, (exp.Table, exp.Column, exp.Identifier)) else None
    match = PLACEHOLDER.match(name or "")
    return match.group(1) if match else None
