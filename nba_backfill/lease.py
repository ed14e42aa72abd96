"""The warehouse lease: one writing run at a time, a waiting run says who it waits for,
and a run whose process died never keeps the warehouse.

The lease is a slot of Dagster's "warehouse" pool (deploy/local/dagster.yaml: one slot),
so the UI's concurrency page and ``get_concurrency_info("warehouse")`` show who holds it.
The table build claims it itself instead of declaring ``pool=`` on the asset, for two
reasons found by killing runs (FACTS.md, issue #13):

- Dagster's step executor waits for a pool slot in a loop that never sleeps
  (``interval_to_next_pending_claim_check`` returns ``min(0, ...)``): a waiting run burns
  a core and logs nothing.
- A run killed with SIGKILL (or by the OOM killer, or a reboot) stays STARTED and keeps
  its slot; every later run then waits forever.

So the claim loop sleeps, logs once who holds the lease, and on every turn checks whether
the holder's process is still alive. A run records its process in the ``PROCESS_TAG`` run
tag (``host:pid``); a run started by Dagster's local run launcher names its process in
its "Started process for run (pid: N)" event. A holder whose process is gone on this
host is marked failed and its slots are freed (`reap_dead_runs`): the CLI does this
before every backfill, the waiting run on every turn, and the daemon's run monitoring
frees the slots of any run that ended (``free_slots_after_run_end_seconds``). A run on
another host is never judged from here: there, Dagster's run monitoring decides.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

import dagster as dg
import psutil
from dagster._core.storage.dagster_run import FINISHED_STATUSES as FINISHED
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES

POOL = "warehouse"  # one writer at a time on the embedded DuckDB file
PROCESS_TAG = "nba_backfill/process"  # host:pid of the process executing the run
WAIT_SECONDS = 1.0
START_TOLERANCE_SECONDS = 2.0  # clock granularity between a process start and its run record
LIVE_STATUSES = (*IN_PROGRESS_RUN_STATUSES, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.CANCELING)
STARTED_PROCESS_MESSAGE = "Started process for run (pid: "


def process_tags() -> dict[str, str]:
    """Tags naming this process, for a run it executes in-process."""
    return {PROCESS_TAG: f"{socket.gethostname()}:{os.getpid()}"}


@dataclass(frozen=True)
class RunProcess:
    run_id: str
    pid: int
    since: float  # the process must have started before this (epoch seconds)

    def alive(self) -> bool:
        """Is the process still there, and the same one (not a later reuse of its pid)?"""
        try:
            started = psutil.Process(self.pid).create_time()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return False
        except psutil.AccessDenied:  # someone else's process: it exists, assume it is the one
            return True
        return started <= self.since + START_TOLERANCE_SECONDS


def run_process(instance: dg.DagsterInstance, record: dg.RunRecord) -> RunProcess | None:
    """The process executing the run, when it runs on this host; None when unknown here."""
    run = record.dagster_run
    tagged = run.tags.get(PROCESS_TAG)
    if tagged:
        host, _, pid = tagged.rpartition(":")
        if host != socket.gethostname() or not pid.isdigit():
            return None
        return RunProcess(run.run_id, int(pid), record.create_timestamp.timestamp())
    if not isinstance(instance.run_launcher, dg.DefaultRunLauncher):
        return None  # a pod or a container elsewhere: Dagster's run monitoring judges it
    for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        if entry.message.startswith(STARTED_PROCESS_MESSAGE):
            pid = entry.dagster_event.engine_event_data.metadata["pid"].value
            return RunProcess(run.run_id, int(pid), entry.timestamp)
    return None


def reap_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed every unfinished run whose process is gone, and free its pool slots.
    Returns one line per run reaped."""
    reaped = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=list(LIVE_STATUSES))):
        process = run_process(instance, record)
        if process is None or process.alive():
            continue
        run = record.dagster_run
        message = (
            f"run {run.run_id} was {run.status.value} but its process {process.pid} is gone "
            "(killed, out of memory or a reboot): marked failed, its warehouse lease freed"
        )
        instance.report_run_failed(run, message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(message)
    _free_slots_of_finished_runs(instance)
    return reaped


def _free_slots_of_finished_runs(instance: dg.DagsterInstance) -> None:
    """A run marked failed by someone else (the code server sees its worker exit) keeps
    its slots until the daemon's run monitoring frees them; a terminal user may have no
    daemon, and nobody should wait for a run that is over."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return
    holders = storage.get_concurrency_run_ids()
    if holders:
        for record in instance.get_run_records(filters=dg.RunsFilter(run_ids=list(holders), statuses=FINISHED)):
            storage.free_concurrency_slots_for_run(record.dagster_run.run_id)


def holder(instance: dg.DagsterInstance, besides: str | None = None) -> str | None:
    """Who holds the warehouse lease, in words (None: nobody but ``besides``)."""
    info = instance.event_log_storage.get_concurrency_info(POOL)
    for slot in info.claimed_slots:
        if slot.run_id == besides:
            continue
        run = instance.get_run_by_id(slot.run_id)
        if run is None:
            return f"run {slot.run_id} (no longer in this instance)"
        started = instance.get_run_record_by_id(run.run_id).create_timestamp.astimezone(dt.timezone.utc)
        return f"run {run.run_id[:8]} ({_launched_by(run)}, {run.status.value.lower()}, created {started:%Y-%m-%d %H:%M} UTC)"
    return None


def waiting_line(instance: dg.DagsterInstance, run_id: str | None) -> str | None:
    """What a run waiting for the warehouse says (None: nobody else holds it)."""
    who = holder(instance, besides=run_id)
    return f"waiting for the warehouse: {who} is writing to it" if who else None


def _launched_by(run: dg.DagsterRun) -> str:
    if "nba_backfill/command" in run.tags:
        return f"nba-backfill {run.tags['nba_backfill/command']}"
    if "dagster/backfill" in run.tags:
        return f"UI backfill {run.tags['dagster/backfill']}"
    return f"job {run.job_name}"


@contextmanager
def warehouse_lease(
    instance: dg.DagsterInstance, run_id: str, step_key: str, say: Callable[[str], None]
) -> Iterator[None]:
    """Hold the warehouse lease for the block: wait (sleeping) while a live run holds it,
    free it from a dead one, and release it however the block ends."""
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        storage.initialize_concurrency_limit_to_default(POOL)
    if not storage.supports_global_concurrency_limits or storage.get_concurrency_info(POOL).limit is None:
        yield  # an instance without pools (a test's ephemeral one): nobody to wait for
        return
    said = None
    try:
        while not storage.claim_concurrency_slot(POOL, run_id, step_key).is_claimed:
            reap_dead_runs(instance)
            line = waiting_line(instance, run_id)
            if line and line != said:
                say(line)
                said = line
            time.sleep(WAIT_SECONDS)
        yield
    finally:
        storage.free_concurrency_slot_for_step(run_id, step_key)
