"""The Dagster daemon, tuned for backfills launched in the UI: a 2-second backfill tick
instead of 30, and the off-season exclusion test remembered.

Dagster's backfill daemon looks for new and finished backfills every 30 s, a module
constant (``dagster._daemon.controller.DEFAULT_DAEMON_INTERVAL_SECONDS``) that dagster.yaml
cannot set. A backfill launched in the UI would wait up to 30 s for its run to start and up
to 30 s more to be marked done: as long as the build of a whole demo season. `make ui`
runs the daemon through this module so the UI path is as fast as the terminal; all else
is Dagster's own ``dagster-daemon`` command (`python -m nba_backfill.automation.daemon run`).
The asset daemon keeps its own interval (``auto_materialize: minimum_interval_seconds`` in
deploy/local/dagster.yaml).
"""

from __future__ import annotations

BACKFILL_TICK_SECONDS = 2


def remember_excluded_window_starts() -> None:
    """Make Dagster's ``is_window_start_excluded`` a lookup after its first answer per day.

    Each tick of a backfill, the daemon asks of every day in the range whether it is an
    off-season day (nba_backfill.partitions: one cron string per off-season month), and
    Dagster answers by building a croniter per cron string per day. Over a season's UI
    backfill that was a third of the daemon's CPU (its CPU time over one season's UI
    backfill: 18 -> 11 s, and 12 -> 8 s), CPU taken from the run on a 2-core machine. The answer
    depends only on the exclusions, the timezone and the day, so it is kept for the life
    of the process. The method is private to Dagster (checked at 1.13.27, pinned).
    """
    from dagster._core.definitions.partitions.definition.time_window import TimeWindowPartitionsDefinition

    dagsters = TimeWindowPartitionsDefinition.is_window_start_excluded
    if getattr(dagsters, "remembers", False):
        return

    answers: dict[tuple, bool] = {}  # a few thousand days at most

    def is_window_start_excluded(self, window_start) -> bool:
        if not self.exclusions:
            return False
        key = (tuple(self.exclusions), self.timezone, window_start)
        if key not in answers:
            answers[key] = dagsters(self, window_start)
        return answers[key]

    is_window_start_excluded.remembers = True
    TimeWindowPartitionsDefinition.is_window_start_excluded = is_window_start_excluded


def main() -> None:
    from dagster._daemon import controller
    from dagster._daemon.cli import main as dagster_daemon

    controller.DEFAULT_DAEMON_INTERVAL_SECONDS = BACKFILL_TICK_SECONDS  # read when the loop starts
    remember_excluded_window_starts()
    dagster_daemon()


if __name__ == "__main__":
    main()
