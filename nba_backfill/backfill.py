"""Range backfills through Dagster, recorded in the persistent instance so the UI shows them.

A date range is cut into runs of at most ``PARTITIONS_PER_RUN`` partitions that never
cross a season; each run builds every selected asset over its whole range (Dagster orders
the assets inside the run), so a season is a handful of runs, not one per date.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import dagster as dg

from nba_backfill.assets.sql_asset import PARTITIONS_PER_RUN
from nba_backfill.definitions import OBSERVE_RAW_JOB, WAREHOUSE_TAG
from nba_backfill.errors import UserError
from nba_backfill.partitions import game_date_partitions, in_season_days, load_calendar

LOCAL_INSTANCE_CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "local" / "dagster.yaml"
PROGRESS_TAG = "nba_backfill/progress_id"
POLL_SECONDS = 1.0
# Quiet in-process runs: the progress bar and a final line speak for them.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class RunChunk:
    first: str
    last: str
    keys: tuple[str, ...]


def instance() -> dg.DagsterInstance:
    """The persistent instance (DAGSTER_HOME, default .dagster_home beside the repo)."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(LOCAL_INSTANCE_CONFIG.parents[2] / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() and LOCAL_INSTANCE_CONFIG.exists():
        config.write_text(LOCAL_INSTANCE_CONFIG.read_text())
    return dg.DagsterInstance.get()


def chunks(start: dt.date, end: dt.date, size: int = PARTITIONS_PER_RUN) -> list[RunChunk]:
    """Partition keys of [start, end] in runs of ≤ size that stay inside one season."""
    days = set(in_season_days(start, end))
    keys = [k for k in game_date_partitions().get_partition_keys() if dt.date.fromisoformat(k) in days]
    if not keys:
        raise UserError(f"no partitions between {start} and {end} (nothing has been played yet?)")
    calendar = load_calendar()
    runs: list[RunChunk] = []
    current: list[str] = []
    for key in keys:
        season = calendar.season_of(dt.date.fromisoformat(key))
        if current and (
            len(current) >= size or calendar.season_of(dt.date.fromisoformat(current[0])) != season
        ):
            runs.append(RunChunk(current[0], current[-1], tuple(current)))
            current = []
        current.append(key)
    runs.append(RunChunk(current[0], current[-1], tuple(current)))
    return runs


def select_assets(defs: dg.Definitions, names: Sequence[str] | None, groups: Sequence[str]) -> list:
    """The buildable assets named (default: every asset in ``groups``), in graph order."""
    graph = defs.resolve_asset_graph()
    buildable = {
        key.to_user_string(): graph.get(key)
        for key in graph.get_all_asset_keys()
        if graph.get(key).is_materializable
    }
    if names:
        unknown = [n for n in names if n not in buildable]
        if unknown:
            raise UserError(
                f"unknown asset(s) {', '.join(unknown)}; choose from {', '.join(sorted(buildable))}"
            )
        chosen = set(names)
    else:
        chosen = {n for n, node in buildable.items() if node.group_name in groups}
    assets = {
        id(a): a
        for a in defs.assets or []
        if isinstance(a, dg.AssetsDefinition) and any(k.to_user_string() in chosen for k in a.keys)
    }
    return list(assets.values())


def run_range(
    defs: dg.Definitions,
    assets: list,
    chunk: RunChunk,
    dagster_instance: dg.DagsterInstance,
    on_step: Callable[[str], None] = lambda step: None,
    extra_tags: dict[str, str] | None = None,
) -> dg.ExecuteInProcessResult:
    """One Dagster run building ``assets`` over the chunk's whole range.

    The run executes in a worker thread while this one watches the instance, so
    ``on_step`` hears of each asset as it finishes (a progress bar that moves).
    """
    marker = uuid.uuid4().hex
    tags = {
        "dagster/asset_partition_range_start": chunk.first,
        "dagster/asset_partition_range_end": chunk.last,
        "nba_backfill/command": "backfill",
        WAREHOUSE_TAG: defs.resources["warehouse"].dialect,
        PROGRESS_TAG: marker,
        **(extra_tags or {}),
    }
    watcher = _StepWatcher(dagster_instance, marker, {k.to_user_string() for a in assets for k in a.keys}, on_step)
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            dg.materialize, assets, instance=dagster_instance, resources=defs.resources,
            tags=tags, run_config=QUIET, raise_on_error=False,
        )
        while not running.done():
            time.sleep(POLL_SECONDS)
            watcher.poll()
        result = running.result()
    watcher.poll()
    return result


class _StepWatcher:
    """Reports each finished asset step of the run tagged with ``marker`` once."""

    def __init__(self, dagster_instance, marker: str, asset_steps: set[str], on_step):
        self._instance, self._marker, self._steps, self._on_step = dagster_instance, marker, asset_steps, on_step
        self._reported: set[str] = set()

    def poll(self) -> None:
        runs = self._instance.get_runs(filters=dg.RunsFilter(tags={PROGRESS_TAG: self._marker}), limit=1)
        if not runs:
            return
        for stats in self._instance.get_run_step_stats(runs[0].run_id):
            if stats.end_time and stats.step_key in self._steps and stats.step_key not in self._reported:
                self._reported.add(stats.step_key)
                self._on_step(stats.step_key)


def first_failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            cause = error.cause or error
            message = cause.message.strip().splitlines()[-1] if cause.message else cause.cls_name
            return f"{event.step_key}: {message}"
    return "the run failed (see the Dagster UI for its logs)"


def backfill(
    defs: dg.Definitions,
    assets: list,
    start: dt.date,
    end: dt.date,
    on_step: Callable[[str], None] = lambda step: None,
    on_run: Callable[[RunChunk, bool], None] = lambda chunk, ok: None,
) -> list[tuple[RunChunk, dg.ExecuteInProcessResult]]:
    """Build ``assets`` over [start, end]; stops at the first failed run."""
    dagster_instance = instance()
    done = []
    for chunk in chunks(start, end):
        result = run_range(defs, assets, chunk, dagster_instance, on_step=on_step)
        on_run(chunk, result.success)
        done.append((chunk, result))
        if not result.success:
            break
    return done


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
