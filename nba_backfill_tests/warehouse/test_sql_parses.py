"""Every SQL file under sql/ is BigQuery Standard SQL that sqlglot understands.

The files are found with a glob, so a file anyone adds is covered the moment it exists.
The emulator cannot report clustering from DDL, so the DDL's PARTITION BY / CLUSTER BY
surviving the BigQuery rendering is checked here instead.
"""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from nba_backfill.warehouse import schema, sql

FILES = sorted(p.relative_to(sql.SQL_DIR).as_posix() for p in sql.SQL_DIR.rglob("*.sql"))
DDL = [f for f in FILES if f.split("/")[0] in schema.DDL_FOLDERS]
SELECTS = [f for f in FILES if f not in DDL]
PREFIX = "sandbox_"


def test_the_glob_finds_the_sql_tree():
    folders = {f.split("/")[0] for f in FILES}
    assert {"raw", "processing", "reference"} <= folders
    assert len(FILES) >= 14


@pytest.mark.parametrize("relative", FILES)
def test_parses_in_the_bigquery_dialect(relative):
    text = sql.sql_path(relative).read_text()
    statements = [s for s in sqlglot.parse(text, read="bigquery") if s is not None]
    assert statements, f"{relative} holds no statement"
    for statement in statements:
        # sqlglot falls back to an opaque Command for syntax it does not understand.
        assert not isinstance(statement, exp.Command), f"{relative}: not understood: {statement.sql()[:80]}"
    if len(statements) > 1:
        params = [p.name for s in statements for p in s.find_all(exp.Parameter)]
        assert not params, f"{relative}: a multi-statement script must not use @parameters"


@pytest.mark.parametrize("relative", SELECTS)
def test_select_files_hold_one_query_with_a_header(relative):
    text = sql.sql_path(relative).read_text()
    assert text.lstrip().startswith("--"), f"{relative} must start with its header comment"
    statements = [s for s in sqlglot.parse(text, read="bigquery") if s is not None]
    assert len(statements) == 1 and isinstance(statements[0], exp.Query), relative


@pytest.mark.parametrize("relative", FILES)
def test_the_bigquery_rendering_prefixes_every_dataset(relative):
    for statement in sql.render(relative, "bigquery", PREFIX):
        for table in sqlglot.parse_one(statement.sql, read="bigquery").find_all(exp.Table):
            if table.db:
                assert table.db.startswith(PREFIX) or table.db not in sql.DATASETS, (relative, table.sql())
                assert table.db.removeprefix(PREFIX) in sql.DATASETS, (relative, table.sql())


@pytest.mark.parametrize("relative", [f for f in DDL if f.startswith("raw/")])
def test_raw_ddl_keeps_day_partitioning_and_clustering_on_bigquery(relative):
    (statement,) = sql.render(relative, "bigquery", PREFIX)
    created = sqlglot.parse_one(statement.sql, read="bigquery")
    partition = created.find(exp.PartitionedByProperty)
    assert partition is not None and partition.this.name == "game_date", relative
    if relative != "raw/demo_defects.sql":
        cluster = created.find(exp.ClusterProperty, exp.Cluster)
        assert cluster is not None and 1 <= len(cluster.expressions) <= 4, relative
