"""Alerts on runs: daily builds that fail, gates that fail on daily builds, and one summary
per finished backfill (issue #12).

A cursor-based sensor reads the runs that finished since its last tick:

- a daily build run (tagged ``nba_backfill/daily`` by the daily build sensor) that failed
  opens the "daily build failing" episode: one alert; the next successful daily run closes
  it: one "recovered" alert. Each gate (Gate 1 / Gate 2) whose range verdict is ERROR on a
  daily run opens its own episode, closed when a later daily run passes it. (WARN verdicts,
  dates only blocked by an upstream failure, do not alert: the upstream's gate already did.)
- backfill runs never alert one by one: that is backfill mode. A finished backfill posts one
  summary: the range, the assets, asset-dates built, refused by reason, failed, and the
  command that resumes. A UI backfill (runs tagged ``dagster/backfill``) is summarized when
  Dagster marks it finished; a terminal backfill (`nba-backfill backfill`, one run tagged
  ``nba_backfill/command=backfill``) when its run finishes. Counts come from run history
  (``operations.outcome.history_outcome``, sql/reports/run_outcome.sql), else from the run's tags.
- other runs (by hand, the freshness job, the raw observation) do not alert.

On its first tick the sensor only notes where it starts: history is not replayed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import dagster as dg

# not exported at the top level in 1.13: the backfill records the UI's Backfills page reads
from dagster._core.execution.backfill import BulkActionsFilter, BulkActionStatus

from nba_backfill import catalog
from nba_backfill.assets.build_run import BUILT_TAG, FAILED_TAG, REFUSED_TAG
from nba_backfill.automation.alerts import PREFIX, Episodes, Notifier
from nba_backfill.automation.daily import DAILY_TAG, RANGE_END, RANGE_START
from nba_backfill.automation.deadlines import utc_now
from nba_backfill.checks.gates import GATE_1, GATE_2
from nba_backfill.commands import CLI, backfill_command
from nba_backfill.errors import UserError
from nba_backfill.operations.outcome import history_outcome

SENSOR_NAME = "alerts_runs_and_backfills"
UI_BACKFILL_TAG = "dagster/backfill"
COMMAND_TAG = "nba_backfill/command"
PARTITION_TAG = "dagster/partition"
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
BACKFILL_DONE = [
    BulkActionStatus.COMPLETED_SUCCESS, BulkActionStatus.COMPLETED_FAILED,
    BulkActionStatus.FAILED, BulkActionStatus.CANCELED, BulkActionStatus.COMPLETED,
]
GATES = (GATE_1, GATE_2)
OVERLAP_SECONDS = 60  # re-read runs updated this long before the cursor (clock skew); ids dedupe
REMEMBER = 500  # run and backfill ids kept in the cursor


@dataclass
class State:
    after: float  # runs updated after this (epoch seconds) are new
    episodes: Episodes = field(default_factory=Episodes)
    runs_seen: list[str] = field(default_factory=list)
    backfills_seen: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # alerts the webhook has not taken yet

    def dump(self) -> str:
        return json.dumps({
            "after": self.after, "episodes": self.episodes.open, "runs_seen": self.runs_seen[-REMEMBER:],
            "backfills_seen": self.backfills_seen[-REMEMBER:], "pending": self.pending,
        }, sort_keys=True)

    @classmethod
    def load(cls, text: str) -> "State":
        raw = json.loads(text)
        return cls(raw["after"], Episodes(dict(raw.get("episodes", {}))), list(raw.get("runs_seen", [])),
                   list(raw.get("backfills_seen", [])), list(raw.get("pending", [])))


@dataclass
class Summary:
    """A finished backfill, over one or more runs."""

    title: str
    start: str = ""
    end: str = ""
    assets: list[str] = field(default_factory=list)
    built: int = 0
    refused: Counter = field(default_factory=Counter)  # by reason
    failed: int = 0
    first_problem: str = ""
    counted_from: str = "run history"

    def text(self) -> str:
        refused = sum(self.refused.values())
        reasons = ", ".join(f"{why} {n}" for why, n in self.refused.most_common())
        lines = [
            f"{PREFIX} {self.title} finished: {self.start} .. {self.end}, {len(self.assets)} assets "
            f"({', '.join(self.assets)})",
            f"built {self.built} asset-dates; refused {refused}" + (f" ({reasons})" if reasons else "")
            + f"; failed {self.failed} (from {self.counted_from})",
        ]
        if self.first_problem:
            lines.append(f"first problem: {self.first_problem}")
        if refused or self.failed:
            lines.append(f"resume: {backfill_command(self.start, self.end, self.assets, missing_only=True)}")
        else:
            lines.append("complete: nothing to resume")
        return "\n".join(lines)


def run_range(run: dg.DagsterRun) -> tuple[str, str]:
    tags = run.tags
    if RANGE_START in tags:
        return tags[RANGE_START], tags[RANGE_END]
    return tags.get(PARTITION_TAG, ""), tags.get(PARTITION_TAG, "")


def asset_names(instance: dg.DagsterInstance, runs: Iterable[dg.DagsterRun]) -> list[str]:
    """The assets the runs build, in dependency order: the run's asset selection, else (a
    run of every asset has none) the materializations it planned."""

    names: set[str] = set()
    for run in runs:
        if run.asset_selection:
            names |= {k.to_user_string() for k in run.asset_selection}
            continue
        planned = instance.get_records_for_run(
            run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, limit=10_000
        ).records
        names |= {r.event_log_entry.dagster_event.asset_key.to_user_string() for r in planned}
    order = catalog.tables()
    return [n for n in order if n in names] + sorted(names - set(order))


def summarize(instance: dg.DagsterInstance, title: str, runs: Sequence[dg.DagsterRun], warehouse) -> Summary:
    """Built / refused by reason / failed over ``runs``, from run history when the
    warehouse answers, else from the runs' tags (counts only)."""

    ranges = [run_range(r) for r in runs if run_range(r)[0]]
    summary = Summary(title, min((a for a, _ in ranges), default=""), max((b for _, b in ranges), default=""),
                      asset_names(instance, runs))
    try:
        for run in runs:
            done = history_outcome(warehouse, run.run_id, run.status == dg.DagsterRunStatus.SUCCESS)
            summary.built += sum(done.built.values())
            summary.refused.update(done.refused)
            summary.failed += sum(done.failed.values())
            summary.first_problem = summary.first_problem or done.first_problem
    except UserError:  # warehouse locked or gone: the build's own tags still count
        summary = Summary(title, summary.start, summary.end, summary.assets, counted_from="run tags")
        for run in runs:
            summary.built += int(run.tags.get(BUILT_TAG, 0))
            summary.refused["see the run's log"] += int(run.tags.get(REFUSED_TAG, 0))
            summary.failed += int(run.tags.get(FAILED_TAG, 0))
        summary.refused = +summary.refused
    for run in runs:
        if run.status != dg.DagsterRunStatus.SUCCESS and not summary.first_problem:
            summary.first_problem = f"run {run.run_id[:8]} {run.status.value}"
    return summary


def gate_verdicts(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[bool, str]]:
    """Each gate's range verdict in the run: key -> (failing with ERROR, description)."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    verdicts: dict[str, tuple[bool, str]] = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if evaluation.check_name not in GATES or evaluation.partition is not None:
            continue  # per-date evaluations repeat the range verdict
        key = f"gate:{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        failing = not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
        verdicts[key] = (failing, evaluation.description or "")
    return verdicts


def daily_run_alerts(instance, run: dg.DagsterRun, episodes: Episodes, warehouse) -> list[str]:
    start, end = run_range(run)
    where = f"daily build run {run.run_id[:8]} ({start} .. {end})"
    alerts = []
    if run.status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.SUCCESS):
        failed = run.status == dg.DagsterRunStatus.FAILURE
        problem = ""
        if failed:

            try:
                problem = history_outcome(warehouse, run.run_id, False).first_problem
            except UserError:
                pass  # the warehouse is busy: the run's logs say it too
        alerts.append(episodes.update(
            "daily_run", failed,
            f"{where} FAILED: {problem or f'see the logs of run {run.run_id} in the Dagster UI'}. "
            f"Fix, then: {backfill_command(start, end)}",
            f"{where} succeeded; daily builds are working again",
        ))
    for key, (failing, description) in gate_verdicts(instance, run.run_id).items():
        _, asset, gate = key.split(":")
        alerts.append(episodes.update(
            key, failing, f"{asset} {gate} FAILED on {where}: {description}",
            f"{asset} {gate} passes again ({where})",
        ))
    return [a for a in alerts if a]


def epoch(moment: dt.datetime) -> float:
    """Seconds since the epoch; run storage may hand back naive UTC datetimes."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).timestamp()


def finished_runs(instance: dg.DagsterInstance, after: float) -> list[dg.RunRecord]:
    """Runs finished and updated after ``after`` (less the overlap), oldest update first."""
    since = dt.datetime.fromtimestamp(after - OVERLAP_SECONDS, dt.timezone.utc)
    return list(instance.get_run_records(
        filters=dg.RunsFilter(statuses=FINISHED, updated_after=since),
        order_by="update_timestamp", ascending=True, limit=200,
    ))


def run_alerts_sensor(
    notifier: Notifier,
    clock: Callable[[], dt.datetime] = utc_now,
    minimum_interval_seconds: int = 60,
) -> dg.SensorDefinition:
    @dg.sensor(
        name=SENSOR_NAME,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        required_resource_keys={"warehouse"},
        description=(
            "Alerts (to NBA_BACKFILL_ALERT_WEBHOOK as Slack-style JSON, else to this sensor's log): "
            "a failed daily build run, a gate failing on a daily build run (once per episode, then "
            "once on recovery), and one summary per finished backfill (range, assets, built, refused "
            "by reason, failed, the command that resumes); backfill runs never alert one by one. "
            "Runs by default with the daemon (`make ui`); turn it off or on with the toggle here."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        instance, warehouse = context.instance, context.resources.warehouse
        now = clock().timestamp()
        if not context.cursor:  # first tick: start watching from now, replay nothing
            done = instance.get_backfills(filters=BulkActionsFilter(statuses=BACKFILL_DONE), limit=REMEMBER)
            state = State(after=now, backfills_seen=[b.backfill_id for b in done])
            state.runs_seen = [r.dagster_run.run_id for r in finished_runs(instance, now)]  # the overlap
            start = dt.datetime.fromtimestamp(now, dt.timezone.utc)
            return dg.SensorResult(skip_reason=f"watching runs finished after {start:%Y-%m-%d %H:%M} UTC",
                                   cursor=state.dump())
        state = State.load(context.cursor)
        alerts: list[str] = []
        for record in finished_runs(instance, state.after):
            run = record.dagster_run
            if run.run_id in state.runs_seen:
                continue
            tags = run.tags
            if tags.get(COMMAND_TAG) == "backfill" and UI_BACKFILL_TAG not in tags:
                alerts.append(summarize(instance, f"Backfill (`{CLI} backfill`, run {run.run_id[:8]})", [run],
                                        warehouse).text())
            elif UI_BACKFILL_TAG in tags:
                pass  # backfill mode: summarized once the backfill is done (below)
            elif DAILY_TAG in tags:
                alerts += daily_run_alerts(instance, run, state.episodes, warehouse)
            state.runs_seen.append(run.run_id)
            state.after = max(state.after, epoch(record.update_timestamp))
        for backfill in reversed(instance.get_backfills(filters=BulkActionsFilter(statuses=BACKFILL_DONE), limit=50)):
            if backfill.backfill_id in state.backfills_seen:
                continue
            runs = instance.get_runs(filters=dg.RunsFilter(tags={UI_BACKFILL_TAG: backfill.backfill_id}))
            title = f"Backfill {backfill.backfill_id} (Dagster UI, {len(runs)} runs, {backfill.status.value})"
            alerts.append(summarize(instance, title, list(reversed(runs)), warehouse).text())
            state.backfills_seen.append(backfill.backfill_id)
        state.pending = notifier.flush(state.pending + alerts, context.log)
        note = f"{len(alerts)} alerts ({notifier.target})" if alerts else "nothing to report"
        if state.pending:
            note += f"; {len(state.pending)} waiting for the webhook"
        return dg.SensorResult(skip_reason=note, cursor=state.dump())

    return _sensor
