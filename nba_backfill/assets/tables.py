"""Every Phase 3 and Phase 4 table as one Dagster multi-asset, so a range build is exact,
fast and truthful whoever launches it (the UI's "Launch backfill" or `nba-backfill`).

- **Exact**: every dependency is same-date, and a backfill is one run
  (``BackfillPolicy.single_run()``), so Dagster targets exactly the partitions asked for.
  Lookback order is kept by the build itself: it walks the range season by season, every
  selected table in dependency order, and the guard refuses a date whose window reads an
  earlier date no run has taken its turn on yet (``checks/refusal.py``).
- **Fast**: one step, in the run's process: no step per asset, no process per step, and a
  check the build has just computed is reused by the guards downstream. The build runs
  in a thread one table ahead of Dagster, which stores one table's events while the next
  table's SQL runs (``ahead.py``).
- **Truthful**: only the dates actually built are materialized, one event per date with
  that date's rows and verdicts. A refused date is not materialized (the backfill page
  marks it failed); a date whose build raised fails the run, so it shows as failed.
- **One writer**: the build holds the warehouse lease (``nba_backfill/lease.py``); a run
  that waits for it says who holds it, and a dead holder is freed.
- **One date, one verdict**: a failing date stops that date and its same-date readers,
  never the other dates of the run (SPEC §6).
"""

from __future__ import annotations

from typing import Mapping

import dagster as dg

from nba_backfill import catalog
from nba_backfill.assets.build_run import TableBuild
from nba_backfill.assets.sql_asset import asset_spec
from nba_backfill.catalog import TableSpec
from nba_backfill.checks.dagster_checks import check_spec
from nba_backfill.checks.registry import table_checks
from nba_backfill.lease import warehouse_lease

TABLES_ASSET = "phase3_phase4_tables"


def tables_asset(specs: Mapping[str, TableSpec], name: str = TABLES_ASSET) -> dg.AssetsDefinition:
    """One multi-asset building any subset of ``specs`` over any range of dates."""
    order = catalog.dependency_order(specs)
    checks = [check for table in order for check in table_checks(specs[table])]

    @dg.multi_asset(
        name=name,
        specs=[asset_spec(specs[table]) for table in order],
        check_specs=[check_spec(check) for check in checks],
        can_subset=True,
        backfill_policy=dg.BackfillPolicy.single_run(),
        required_resource_keys={"warehouse"},
        description="Builds the selected Phase 3/4 tables over the selected dates: season by "
        "season, each table in dependency order, one SQL statement per table and range.",
    )
    def _build(context):  # (an annotation would be a string here, which Dagster refuses)
        # one writer at a time, claimed here rather than with pool= (nba_backfill/lease.py)
        with warehouse_lease(context.instance, context.run_id, str(context.op_handle), context.log.warning):
            yield from TableBuild(context, specs, order, checks).run()

    return _build
