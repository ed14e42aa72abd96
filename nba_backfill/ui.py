"""`make ui`: the Dagster webserver and daemon over the local instance and warehouse.

Like ``dagster dev``, but the daemon is ``nba_backfill.automation.daemon`` (a 2-second
backfill tick, so a backfill launched in the UI starts at once). Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def commands(workspace: Path, host: str, port: int) -> list[list[str]]:
    return [
        [sys.executable, "-m", "dagster_webserver", "-w", str(workspace), "-h", host, "-p", str(port)],
        [sys.executable, "-m", "nba_backfill.automation.daemon", "run", "-w", str(workspace)],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nba_backfill.ui", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--workspace", type=Path, default=REPO / "workspace.yaml")
    args = parser.parse_args(argv)
    processes = [subprocess.Popen(c, cwd=REPO) for c in commands(args.workspace, args.host, args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} (webserver and daemon); Ctrl-C stops both", flush=True)
    # Ctrl-C or a kill stops both; set explicitly: a shell that starts this in the background
    # makes it ignore SIGINT, and Python then raises no KeyboardInterrupt
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: sys.exit(0))
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        return next(p.returncode for p in processes if p.poll() is not None) or 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
