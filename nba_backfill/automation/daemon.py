"""The Dagster daemon, with a backfill tick of 2 seconds instead of 30.

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


def main() -> None:
    from dagster._daemon import controller
    from dagster._daemon.cli import main as dagster_daemon

    controller.DEFAULT_DAEMON_INTERVAL_SECONDS = BACKFILL_TICK_SECONDS  # read when the loop starts
    dagster_daemon()


if __name__ == "__main__":
    main()
