"""A copy of the ``sql/`` tree in which some tables' queries are the test's own, so a test
controls exactly what each build writes (and can plant defects) without the real Phase 3/4
SQL. Every other folder, and each table's other files (its gate, the rows its
contamination check judges), stay the real ones, linked in."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from nba_backfill import catalog
from nba_backfill.warehouse import sql


@contextmanager
def sql_tree(root: Path, queries: Mapping[str, str]) -> Iterator[Path]:
    """Point nba_backfill at ``root``: the real tree, but ``query.sql`` of each table in
    ``queries`` is the SELECT given, and its ``failures.sql`` writes no rows. The real
    tree comes back afterwards."""
    real = sql.SQL_DIR
    for child in real.iterdir():
        if child.is_dir() and child.name not in catalog.PHASE_GROUPS:
            (root / child.name).symlink_to(child, target_is_directory=True)
    specs = catalog.load(real)
    for group in catalog.PHASE_GROUPS:
        (root / group).mkdir()
        (root / group / catalog.GROUP_FILE).symlink_to(real / group / catalog.GROUP_FILE)
    for spec in specs.values():
        folder = root / spec.folder
        folder.mkdir()
        for other in (real / spec.folder).iterdir():
            if other.name not in ("query.sql", "failures.sql") or spec.name not in queries:
                (folder / other.name).symlink_to(other)
        if spec.name in queries:
            (folder / "query.sql").write_text(f"-- the test's rows for {spec.name}\n{queries[spec.name]}\n")
            (folder / "failures.sql").write_text(
                f"-- the test's failure rows for {spec.name}: none\nSELECT * FROM {spec.failures_table} WHERE FALSE\n"
            )
    sql.SQL_DIR = root  # parsed SQL is cached per tree: nothing to forget
    try:
        yield root
    finally:
        sql.SQL_DIR = real
