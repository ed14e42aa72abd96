"""The factory's guard: never build a date on top of a same-date upstream that failed a
blocking check (SPEC §6 gates).

Before an asset builds [start, end], the guard re-runs the blocking checks of its
same-date upstreams for that range (SQL over the upstream tables, so it holds whoever
built them, whichever run recorded the checks, and even if no check was ever recorded).
Dates they fail are refused: not built (their existing rows stay as they are), recorded
in run history as ``skipped`` with the reason, logged, and listed in the materialization
metadata with the command that rebuilds them once the upstream is fixed. If every date
is refused the step fails with that message.

The run tag ``nba_backfill/ignore_gates=true`` turns the guard off for one run (an
operator's deliberate override; it is logged).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

import pandas as pd

from nba_backfill.assets import run_history
from nba_backfill.checks.core import CLI, backfill_command, day_ranges
from nba_backfill.checks.registry import Evaluator
from nba_backfill.warehouse import Warehouse

if TYPE_CHECKING:
    import dagster as dg

    from nba_backfill.assets.sql_asset import SqlAssetSpec

IGNORE_TAG = "nba_backfill/ignore_gates"


@dataclass(frozen=True)
class Guard:
    asset: str
    days: tuple[dt.date, ...]
    refused: Mapping[dt.date, tuple[str, ...]] = field(default_factory=dict)
    ignored: bool = False

    @property
    def allowed(self) -> list[dt.date]:
        return [d for d in self.days if d not in self.refused]

    def ranges(self) -> list[tuple[dt.date, dt.date]]:
        """Contiguous runs of the allowed dates: each is one range build."""
        return day_ranges(self.allowed, self.days)

    def refused_ranges(self) -> list[tuple[dt.date, dt.date]]:
        return day_ranges(self.refused, self.days)

    def message(self) -> str:
        if not self.refused:
            return ""
        first = sorted(self.refused)[0]
        dates = ", ".join(a.isoformat() if a == b else f"{a}..{b}" for a, b in self.refused_ranges())
        return (
            f"{self.asset}: refused {len(self.refused)} of {len(self.days)} dates whose same-date "
            f"upstream failed a blocking check: {dates}. First: {first}: "
            f"{'; '.join(self.refused[first])}. Fix the upstream, then "
            f"`{CLI} plan --start {min(self.refused)} --end {max(self.refused)}`."
        )

    def commands(self) -> list[str]:
        return [backfill_command(a, b, [self.asset]) for a, b in self.refused_ranges()]

    def metadata(self) -> dict[str, object]:
        if not self.refused:
            return {"refused_dates": []}
        return {
            "refused_dates": [d.isoformat() for d in sorted(self.refused)],
            "refused_reasons": {d.isoformat(): list(r) for d, r in sorted(self.refused.items())},
            "rebuild_after_upstream_fix": "\n".join(self.commands()),
        }


def guard(
    spec: "SqlAssetSpec",
    warehouse: Warehouse,
    days: Sequence[dt.date],
    tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
) -> Guard:
    """Which of ``days`` the asset may build, and why the others may not."""
    if not days:
        return Guard(spec.name, ())
    if (tags or {}).get(IGNORE_TAG, "").lower() == "true":
        return Guard(spec.name, tuple(days), ignored=True)
    evaluator = Evaluator(warehouse, {spec.name: spec}, run_id=run_id)
    failures = evaluator.upstream_failures(spec.name, days[0], days[-1])
    refused = {d: tuple(failures[d]) for d in days if d in failures}
    return Guard(spec.name, tuple(days), refused)


def record_refused(
    warehouse: Warehouse,
    spec: "SqlAssetSpec",
    context: "dg.AssetExecutionContext",
    refusal: Guard,
    started_at: dt.datetime,
) -> None:
    """Run-history rows (status skipped, the reason) for the refused dates."""
    if not refusal.refused:
        return
    days = sorted(refusal.refused)
    backfill_mode = "dagster/backfill" in context.run.tags or len(refusal.days) > 1
    frame = run_history.rows(spec, context.run_id, backfill_mode, days, started_at, 0.0)
    frame["status"] = "skipped"
    frame["skip_reason"] = [_clip("upstream gate failed: " + "; ".join(refusal.refused[d])) for d in days]
    frame["records_processed"] = pd.array([0] * len(days), dtype="Int64")
    warehouse.load_dataframe(run_history.TABLE, frame)


def _clip(text: str, limit: int = 1000) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
