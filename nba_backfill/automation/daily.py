"""The current season builds itself: the daily build sensor (issue #12).

Every few minutes the sensor looks at the game dates of the last ``CATCH_UP_DAYS`` days
(US/Eastern, up to yesterday) and requests a run of the table build (all ten tables: Phase 3,
its gates, then Phase 4 and its gates, in one run, ``assets/tables.py``) when a date is
ready: every game on it is final and Gate 0 (raw readiness) passes. So

- a date is built as soon as its raw data is ready, however late it arrives;
- never before: a date that is not ready gets no run (the skip message says why);
- once: the cursor remembers each date with its raw version, and each run has a run key;
- no-game days and the off-season do nothing on their own. A game date's run starts the
  day after the previous game date, so the no-game days before it are built with it (the
  build's lookback guard needs every earlier day of a window to have had its turn);
- a date whose raw data changed (a re-scrape: its rows per raw table changed, which the
  sensor records as an observation on the raw assets) is re-run, and so are the later
  dates whose lookback windows read it, up to the newest built date, as one range run
  (the build walks dates in order). A ready date that arrived after later dates were built
  (late raw data) is run the same way: it and the dates that read it.
- dates another run already built (a backfill) are taken as they are, not rebuilt.

Everything the sensor decides is in ``decide``, a function of the warehouse's state and the
date (tests set both); ``daily_build_sensor`` wires it to Dagster.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import dagster as dg
import pandas as pd

from nba_backfill import catalog
from nba_backfill.assets.raw import raw_rows_between
from nba_backfill.automation.deadlines import eastern_today, utc_now
from nba_backfill.checks.core import OK, SCHEDULE_DAYS_SQL, Outcome
from nba_backfill.checks.gates import RAW_READINESS
from nba_backfill.checks.registry import Evaluator
from nba_backfill.errors import UserError
from nba_backfill.seasons import Season, load_calendar

SENSOR_NAME = "daily_build_when_ready"
DAILY_TAG = "nba_backfill/daily"  # "new": a date's first build; "rerun": re-scrape or late data
CATCH_UP_DAYS = 7  # how far back a late or re-scraped date is still noticed
KEEP_DAYS = 60  # cursor memory
DAILY_BUILT_SQL = "reports/daily_built.sql"
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
DATA_VERSION_TAG = "dagster/data_version"


@dataclass(frozen=True)
class Day:
    """What the warehouse says about one in-season date."""

    day: dt.date
    games: int = 0
    final_games: int = 0
    gate0: Outcome = Outcome.NO_GAMES
    gate0_detail: str = ""
    raw_rows: Mapping[str, int] = field(default_factory=dict)  # raw table -> rows on the date
    processors_run: int = 0
    processors_built: int = 0

    @property
    def has_games(self) -> bool:
        return self.games > 0

    @property
    def ready(self) -> bool:
        return self.has_games and self.final_games == self.games and self.gate0 in OK

    @property
    def waiting_for(self) -> str:
        if self.final_games < self.games:
            return f"{self.games - self.final_games} of {self.games} games not final yet"
        return f"raw data not ready (Gate 0: {self.gate0_detail or self.gate0.value})"

    @property
    def version(self) -> str:
        """The raw data's version on the date: a digest of its rows per raw table."""
        text = ",".join(f"{t}={n}" for t, n in sorted(self.raw_rows.items()))
        return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Request:
    start: dt.date
    end: dt.date
    kind: str  # "new" / "rerun"
    dates: Mapping[dt.date, str]  # the ready game dates it builds -> raw version
    reason: str

    @property
    def run_key(self) -> str:
        versions = ",".join(f"{d}:{v}" for d, v in sorted(self.dates.items()))
        return f"{self.start}..{self.end}@{hashlib.sha1(versions.encode()).hexdigest()[:12]}"


@dataclass
class Decision:
    requests: list[Request]
    cursor: dict[str, str]  # ISO date -> raw version of every date built or taken
    observed: list[Day]  # dates whose raw version is recorded now (new or changed)
    note: str  # why nothing was requested, or what was


def lookback_reach(specs: Mapping | None = None) -> int:
    """How many days after a date a table may still read it (the longest lookback)."""
    specs = specs if specs is not None else catalog.tables()
    return max((u.lookback for s in specs.values() for u in s.upstream), default=0)


def current_window(today: dt.date, days: int = CATCH_UP_DAYS) -> tuple[Season, list[dt.date]] | None:
    """The season and its dates among the last ``days`` days before ``today``, or None in
    the off-season."""
    first, yesterday = today - dt.timedelta(days=days), today - dt.timedelta(days=1)
    for season in reversed(load_calendar().seasons):
        dates = [d for d in season.days() if first <= d <= yesterday]
        if dates:
            return season, dates
    return None


def decide(
    today: dt.date,
    season: Season,
    window: Sequence[dt.date],
    days: Mapping[dt.date, Day],
    cursor: Mapping[str, str],
    processors: int,
    reach: int,
) -> Decision:
    """Which runs to request. ``days``: every date of the season up to yesterday that has
    games or run history (window dates also carry Gate 0 and raw counts)."""
    state = dict(cursor)
    game_dates = sorted(d for d, info in days.items() if info.has_games and d < today)
    built_dates = [d for d, info in days.items() if info.processors_built > 0]
    built_dates += [dt.date.fromisoformat(k) for k in state if season.contains(dt.date.fromisoformat(k))]
    newest_built = max(built_dates, default=None)
    in_window = [d for d in game_dates if d >= window[0]]

    def range_start(day: dt.date) -> dt.date:
        earlier = [d for d in game_dates if d < day]
        return earlier[-1] + dt.timedelta(days=1) if earlier else season.opener

    new: list[dt.date] = []
    rerun: dict[dt.date, str] = {}
    observed: list[Day] = []
    waiting: list[str] = []
    for day in in_window:
        info = days[day]
        if not info.ready:
            waiting.append(f"{day}: {info.waiting_for}")
            continue
        known = state.get(day.isoformat())
        if known == info.version:
            continue
        observed.append(info)
        if known is not None:
            rerun[day] = "raw data changed (re-scrape)"
        elif info.processors_built >= processors:  # built by another run: take it as it is
            state[day.isoformat()] = info.version
        elif newest_built is not None and newest_built > day:
            rerun[day] = "raw data arrived after later dates were built"
        else:
            new.append(day)

    requests: list[Request] = []
    if rerun:
        first = min(rerun)
        reach_end = min(first + dt.timedelta(days=reach), season.last_day, today - dt.timedelta(days=1))
        end = max([first, *new, *([min(newest_built, reach_end)] if newest_built else [])])
        covered = {d: days[d].version for d in in_window if range_start(first) <= d <= end and days[d].ready}
        reason = "; ".join(f"{d}: {why}" for d, why in sorted(rerun.items()))
        requests.append(Request(range_start(first), end, "rerun", covered, f"{reason}; with the dates reading it"))
    else:
        group: list[dt.date] = []
        for day in in_window + [None]:  # a date that is not ready ends a group
            if day is not None and day in new:
                group.append(day)
                continue
            if group:
                dates = {d: days[d].version for d in group}
                requests.append(Request(range_start(group[0]), group[-1], "new", dates, "raw data ready"))
                group = []
    for request in requests:
        state.update({d.isoformat(): v for d, v in request.dates.items()})
    oldest = (today - dt.timedelta(days=KEEP_DAYS)).isoformat()
    state = {k: v for k, v in sorted(state.items()) if k >= oldest}
    if requests:
        note = "; ".join(f"{r.kind} {r.start}..{r.end}: {r.reason}" for r in requests)
    elif waiting:
        note = "waiting: " + "; ".join(waiting)
    elif in_window:
        note = f"nothing new: game dates up to {in_window[-1]} built"
    else:
        note = f"no games in {window[0]} .. {window[-1]}"
    return Decision(requests, state, observed, note)


def read_days(warehouse, season: Season, window: Sequence[dt.date], today: dt.date) -> dict[dt.date, Day]:
    """The warehouse's state for ``decide``: schedule and run history over the season so
    far, Gate 0 and raw rows over the window."""
    yesterday = today - dt.timedelta(days=1)
    schedule = warehouse.query(SCHEDULE_DAYS_SQL, {"start_date": season.opener, "end_date": yesterday})
    built = warehouse.query(DAILY_BUILT_SQL, {"start_date": season.opener, "end_date": yesterday})
    rows = raw_rows_between(warehouse, window[0], window[-1])
    gate0 = {r.day: r for r in Evaluator(warehouse).raw_report(RAW_READINESS, window[0], window[-1]).results}
    fields: dict[dt.date, dict] = {}
    for day, final, other in zip(schedule.check_date, schedule.final_games, schedule.other_games):
        fields.setdefault(pd.Timestamp(day).date(), {}).update(games=int(final) + int(other), final_games=int(final))
    for day, run, ok in zip(built.data_date, built.processors_run, built.processors_built):
        fields.setdefault(pd.Timestamp(day).date(), {}).update(processors_run=int(run), processors_built=int(ok))
    for day in window:
        result = gate0.get(day)
        extra = {"raw_rows": rows.get(day, {})}
        if result is not None:
            extra.update(gate0=result.outcome, gate0_detail=result.detail)
        fields.setdefault(day, {}).update(extra)
    return {day: Day(day, **values) for day, values in fields.items() if season.contains(day)}


def observations(day: Day) -> list[dg.AssetObservation]:
    """The raw version the sensor saw, recorded on the raw assets' partitions (the same
    data version the raw observation job records: rows on the date)."""
    return [
        dg.AssetObservation(asset_key=table, partition=day.day.isoformat(), tags={DATA_VERSION_TAG: f"{n} rows"})
        for table, n in sorted(day.raw_rows.items())
    ]


def run_request(request: Request, run_tags: Mapping[str, str]) -> dg.RunRequest:
    tags = {**run_tags, DAILY_TAG: request.kind, "nba_backfill/daily_reason": request.reason[:200]}
    if request.start == request.end:
        return dg.RunRequest(run_key=request.run_key, partition_key=request.start.isoformat(), tags=tags)
    tags.update({RANGE_START: request.start.isoformat(), RANGE_END: request.end.isoformat()})
    return dg.RunRequest(run_key=request.run_key, tags=tags)


def daily_build_sensor(
    job: dg.UnresolvedAssetJobDefinition,
    run_tags: Mapping[str, str],
    processors: int,
    clock: Callable[[], dt.datetime] = utc_now,
    minimum_interval_seconds: int = 300,
) -> dg.SensorDefinition:
    reach = lookback_reach()

    @dg.sensor(
        name=SENSOR_NAME,
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        required_resource_keys={"warehouse"},
        description=(
            "Builds the current season by itself: every 5 minutes, looks at the game dates of the "
            f"last {CATCH_UP_DAYS} days and runs the Phase 3 + Phase 4 build (gates between) for a "
            "date once all its games are final and Gate 0 (raw readiness) passes; each date once, "
            "re-run (with the later dates that read it) only when its raw data changes. No-game days "
            "and the off-season do nothing. Runs by default when the daemon runs (`make ui`); turn it "
            "off or on with the toggle on this page (Automation)."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        today = eastern_today(clock())
        found = current_window(today)
        if found is None:
            return dg.SkipReason(f"off-season: no in-season day in the {CATCH_UP_DAYS} days before {today}")
        season, window = found
        cursor = json.loads(context.cursor) if context.cursor else {}
        try:
            days = read_days(context.resources.warehouse, season, window, today)
        except UserError as error:  # a locked or missing warehouse: next tick
            return dg.SkipReason(f"warehouse not readable this tick: {error}")
        decision = decide(today, season, window, days, cursor.get("built", {}), processors, reach)
        context.log.info(decision.note)
        events = [o for day in decision.observed for o in observations(day)]
        new_cursor = json.dumps({"built": decision.cursor}, sort_keys=True)
        if not decision.requests:
            return dg.SensorResult(skip_reason=decision.note, cursor=new_cursor, asset_events=events)
        return dg.SensorResult(
            run_requests=[run_request(r, run_tags) for r in decision.requests], cursor=new_cursor, asset_events=events
        )

    return _sensor
