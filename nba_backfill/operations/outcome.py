"""What one run did, read back from run history (SPEC §5.4): dates built, refused by
reason, failed, and the first problem in words. The terminal's summary and the alert
sensor's backfill summary both read it, whoever launched the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from nba_backfill import catalog
from nba_backfill.checks.core import clip
from nba_backfill.checks.refusal import reason_kind

RUN_OUTCOME_SQL = "reports/run_outcome.sql"
PROBLEM_CHARS = 400  # of the first problem, in the summary


@dataclass
class RunOutcome:
    """What one run did, from run history: dates built, refused by reason, failed."""

    run_id: str
    success: bool
    built: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)  # by reason kind
    failed: Counter = field(default_factory=Counter)  # by asset
    first_problem: str = ""

    @property
    def complete(self) -> bool:
        return self.success and not self.refused and not self.failed


def history_outcome(warehouse, run_id: str, success: bool) -> RunOutcome:
    """What run ``run_id`` did, from run history alone (also for runs this process did not
    launch: the alert sensor's backfill summary)."""
    done = RunOutcome(run_id, success)
    frame = warehouse.query(RUN_OUTCOME_SQL, {"run_id": run_id})
    for row in frame.itertuples():
        if row.status == "success":
            done.built[row.processor_name] += int(row.dates)
        elif row.status == "skipped":
            done.refused[reason_kind(row.skip_reason)] += int(row.dates)
        else:
            done.failed[row.processor_name] += int(row.dates)
    problems = frame[frame.status != "success"]
    if len(problems):
        order = {name: i for i, name in enumerate(catalog.tables())}
        first = min(problems.itertuples(), key=lambda r: (r.first_date, order.get(r.processor_name, len(order))))
        reason = first.skip_reason if first.status == "skipped" else first.errors
        # first line only: a SQL error (DuckDB's binder errors) carries the query and a caret line
        reason = (str(reason).strip().splitlines() or [""])[0]
        done.first_problem = clip(f"{first.processor_name} {pd.Timestamp(first.first_date).date()}: {reason}", PROBLEM_CHARS)
    return done
