"""The test emulator's parser patch (support/sqlglot_unnest.py) changes only how fast
sqlglot parses: every statement our engines send BigQuery, and every SQL file, parses to
the same tree as with sqlglot's own parser, implicit UNNESTs included."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.parser import Parser

from nba_backfill import catalog
from nba_backfill.assets.sql_asset import table_writes
from nba_backfill.warehouse import base, sql
from nba_backfill_tests.support import sqlglot_unnest

IMPLICIT_UNNESTS = [
    "SELECT x FROM list_table, list_table.list_col AS x",
    "SELECT x FROM (SELECT [1, 2] AS a) AS t, t.a AS x",
    "SELECT x FROM (SELECT [1, 2] AS a) AS T, t.a AS x",  # unquoted names match case-blind
    "SELECT x FROM `p.d.t` AS t, t.items AS x JOIN u ON u.id = x.id",
    "SELECT 1 FROM (SELECT 1) JOIN (SELECT 2) AS s ON TRUE",  # a source without an alias
]


def statements() -> list[str]:
    texts = list(IMPLICIT_UNNESTS)
    for spec in catalog.tables().values():
        for write in table_writes(spec):  # the file's query in the range fence in the INSERT
            texts.append(base.insert_statement(write, ["x"]).sql("bigquery"))
    texts += [sql.sql_path(f).read_text() for f in sorted(p.relative_to(sql.sql_root()).as_posix()
                                                          for p in sql.sql_root().rglob("*.sql"))]
    return texts


def parsed(texts: list[str]) -> list[str]:
    return [repr(sqlglot.parse(text, read="bigquery")) for text in texts]


def test_the_patched_parser_gives_sqlglots_own_trees(monkeypatch):
    texts = statements()
    own = parsed(texts)
    monkeypatch.setattr(Parser, "_implicit_unnests_to_explicit", Parser._implicit_unnests_to_explicit)  # restored
    sqlglot_unnest.install()
    assert Parser._implicit_unnests_to_explicit is sqlglot_unnest.implicit_unnests_to_explicit
    assert parsed(texts) == own
    # the implicit UNNESTs were made explicit, as sqlglot does
    tree = sqlglot.parse_one(IMPLICIT_UNNESTS[1], read="bigquery")
    assert tree.find(exp.Unnest) is not None
