"""Range backfills from the terminal, through the same Dagster asset and the same single
run a backfill launched in the UI makes, recorded in the persistent instance.

The run builds the selected tables season by season, every date it can; refused dates
(a gate failed upstream, or a lookback not built yet) and failed ones are counted from
run history, so the summary says what was built, what was refused and why, what failed,
and the one command that resumes.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Sequence

import dagster as dg
from filelock import FileLock

from nba_backfill.assets.build_run import FAIL_FAST_TAG, MISSING_ONLY_TAG
from nba_backfill.assets.run_history import TABLE as RUN_HISTORY
from nba_backfill.assets.tables import TABLES_ASSET
from nba_backfill.definitions import OBSERVE_RAW_JOB, WAREHOUSE_TAG
from nba_backfill.errors import UserError
from nba_backfill.lease import process_tags, waiting_line
from nba_backfill.operations.outcome import RunOutcome, history_outcome
from nba_backfill.seasons import in_season_days

LOCAL_INSTANCE_CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "local" / "dagster.yaml"
PROGRESS_TAG = "nba_backfill/progress_id"
POLL_SECONDS = 1.0
# Quiet in-process runs: the progress bar and the summary speak for them (the run's own
# log, in the UI, keeps every refused date and why).
# CRITICAL, not ERROR: Dagster logs a failed step at ERROR with its whole stack trace, and
# a warehouse that is down or locked must end as one `error:` line (issue #13, item 6).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def instance() -> dg.DagsterInstance:
    """The persistent instance (DAGSTER_HOME, default .dagster_home beside the repo)."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(LOCAL_INSTANCE_CONFIG.parents[2] / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # two commands started at once on a new instance would both create its SQLite schema
    # (alembic then finds two heads): the first creates it, the other waits for it
    with FileLock(home / ".nba_backfill_instance.lock"):
        if not config.exists() and LOCAL_INSTANCE_CONFIG.exists():
            config.write_text(LOCAL_INSTANCE_CONFIG.read_text())
        return dg.DagsterInstance.get()


def partition_keys(start: dt.date, end: dt.date) -> list[str]:
    keys = [d.isoformat() for d in in_season_days(start, end)]
    if not keys:
        raise UserError(f"no partitions between {start} and {end} (nothing has been played yet?)")
    return keys


def table_build(defs: dg.Definitions) -> dg.AssetsDefinition:
    """The table multi-asset in ``defs`` (what every backfill materializes)."""

    return next(a for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition) and a.node_def.name == TABLES_ASSET)


def select_tables(defs: dg.Definitions, names: Sequence[str] | None, groups: Sequence[str]) -> list[str]:
    """The tables named (default: every table in ``groups``), in graph order."""
    asset = table_build(defs)
    groups_by_name = {k.to_user_string(): g for k, g in asset.group_names_by_key.items()}
    if names:
        unknown = [n for n in names if n not in groups_by_name]
        if unknown:
            raise UserError(
                f"unknown asset(s) {', '.join(unknown)}; choose from {', '.join(sorted(groups_by_name))}"
            )
        return [n for n in groups_by_name if n in names]
    return [n for n, g in groups_by_name.items() if g in groups]


def run_range(
    defs: dg.Definitions,
    tables: Sequence[str],
    start: dt.date,
    end: dt.date,
    dagster_instance: dg.DagsterInstance,
    on_progress: Callable[[int], None] = lambda dates: None,
    extra_tags: dict[str, str] | None = None,
    on_wait: Callable[[str], None] = lambda line: None,
) -> dg.ExecuteInProcessResult:
    """One Dagster run building ``tables`` over [start, end] (in-season days).

    The run executes in a worker thread while this one watches the instance, so
    ``on_progress`` hears how many table-dates were materialized so far, and ``on_wait``
    who holds the warehouse while the run waits for it.
    """
    keys = partition_keys(start, end)
    marker = uuid.uuid4().hex
    tags = {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
        "nba_backfill/command": "backfill",
        WAREHOUSE_TAG: defs.resources["warehouse"].dialect,
        PROGRESS_TAG: marker,
        **process_tags(),  # a run whose process died is found and freed (lease.py)
        **(extra_tags or {}),
    }
    watcher = _ProgressWatcher(dagster_instance, marker, on_progress, on_wait)
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            dg.materialize, [table_build(defs)], selection=list(tables), instance=dagster_instance,
            resources=defs.resources, tags=tags, run_config=QUIET, raise_on_error=False,
        )
        # a poll a second, but back as soon as the run ends (a fixed sleep lost up to a
        # second of every command, half a second on average)
        while not wait([running], timeout=POLL_SECONDS).done:
            watcher.poll()
        result = running.result()
    watcher.poll()
    return result


class _ProgressWatcher:
    """Counts the materializations of the run tagged with ``marker`` as they land, and
    says who holds the warehouse while the run waits for it."""

    def __init__(self, dagster_instance: dg.DagsterInstance, marker: str, on_progress, on_wait):
        self._instance, self._marker, self._on_progress = dagster_instance, marker, on_progress
        self._on_wait = on_wait
        self._run_id: str | None = None
        self._counted = 0
        self._said: str | None = None

    def poll(self) -> None:
        if self._run_id is None:
            runs = self._instance.get_runs(filters=dg.RunsFilter(tags={PROGRESS_TAG: self._marker}), limit=1)
            if not runs:
                return
            self._run_id = runs[0].run_id
        # a count, not the events: reading them back (metadata and all) cost ~0.6 s a season
        counted = self._instance.get_run_stats(self._run_id).materializations
        if counted > self._counted:
            self._on_progress(counted - self._counted)
            self._counted = counted
        elif not self._counted:
            self._say_who_holds_the_warehouse()

    def _say_who_holds_the_warehouse(self) -> None:
        line = waiting_line(self._instance, self._run_id)
        if line and line != self._said:
            self._on_wait(line)
        self._said = line


def outcome(defs: dg.Definitions, result: dg.ExecuteInProcessResult) -> RunOutcome:
    """The run's dates by status, read from run history (the warehouse's own record). The
    first problem shown is the earliest date's most upstream one: the root of a cascade."""
    warehouse = defs.resources["warehouse"]
    if not warehouse.table_exists(RUN_HISTORY):
        return RunOutcome(result.run_id, result.success)
    done = history_outcome(warehouse, result.run_id, result.success)
    if not done.first_problem and not result.success:
        done.first_problem = first_failure(result)
    return done


def first_failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            cause = error.cause or error
            # the first line says what failed; the last may be a caret under a quoted query
            message = cause.message.strip().splitlines()[0] if cause.message else cause.cls_name
            return f"{event.step_key}: {message}"
    return "the run failed (see the Dagster UI for its logs)"


def backfill(
    defs: dg.Definitions,
    tables: Sequence[str],
    start: dt.date,
    end: dt.date,
    on_progress: Callable[[int], None] = lambda dates: None,
    fail_fast: bool = False,
    on_wait: Callable[[str], None] = lambda line: None,
    missing_only: bool = False,
    dagster_instance: dg.DagsterInstance | None = None,
) -> RunOutcome:
    """Build ``tables`` over [start, end] in one run, every date it can (``fail_fast``:
    stop after the first season with a refused or failed date; ``missing_only``: skip the
    dates already complete), in ``dagster_instance`` (default: the persistent one; a caller
    that already opened it passes it, opening it again costs ~0.1 s)."""
    tags = {FAIL_FAST_TAG: "true"} if fail_fast else {}
    if missing_only:
        tags[MISSING_ONLY_TAG] = "true"
    dagster_instance = dagster_instance or instance()
    result = run_range(defs, tables, start, end, dagster_instance, on_progress, tags, on_wait)
    return outcome(defs, result)


def observe_raw(defs: dg.Definitions) -> dict[str, int]:
    """Run the raw observation job in the instance; partition dates observed per table."""
    result = defs.resolve_job_def(OBSERVE_RAW_JOB).execute_in_process(
        instance=instance(), run_config=QUIET, raise_on_error=True
    )
    observed: dict[str, int] = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_OBSERVATION":
            key = event.asset_key.to_user_string()
            observed[key] = observed.get(key, 0) + 1
    return observed
