"""Table specs for tests that build their own tables (pass-through chains, toy queries):
a real table's spec with the test's upstreams and columns keeps the real table's checks,
so the real gates and contamination checks judge what the test's SQL wrote."""

from __future__ import annotations

import dataclasses
from typing import Iterable

from nba_backfill import catalog
from nba_backfill.catalog import Group, TableSpec, Upstream

FAILURES = {"analytics": "nba_processing.analytics_failures", "precompute": "nba_processing.precompute_failures"}


def scratch_spec(
    name: str, dataset: str, group: str, phase: str, date_column: str,
    upstream: Iterable[Upstream] = (), description: str = "test table",
) -> TableSpec:
    real = catalog.tables().get(name)
    own_group = Group(group, phase, dataset, FAILURES.get(group, FAILURES["analytics"]), (name,))
    # the test's own columns (its query's, undeclared): no clustering or breakdown of the real table's
    fields = dict(name=name, group=own_group, folder=f"{group}/{name}", dataset=dataset,
                  date_column=date_column, description=description, upstream=tuple(upstream),
                  columns=(), cluster_by=(), breakdown_column=None)
    return dataclasses.replace(real, **fields) if real else TableSpec(**fields)
