"""`make ui` (``python -m nba_backfill.ui``): the webserver and the daemon come up together,
every daemon healthy, and Ctrl-C stops both."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from nba_backfill_tests.ui.harness import REPO, dagster_home, free_port, project_env


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_make_ui_starts_webserver_and_daemon_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = project_env(dagster_home(tmp_path), tmp_path / "w.duckdb")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "nba_backfill.ui", "--port", str(port)], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        healthy: dict[str, bool] = {}
        while time.monotonic() < deadline:
            try:
                statuses = graphql(port, "query { instance { daemonHealth { allDaemonStatuses "
                                         "{ daemonType healthy required } } } }")
                healthy = {s["daemonType"]: s["healthy"] for s in
                           statuses["data"]["instance"]["daemonHealth"]["allDaemonStatuses"] if s["required"]}
                if healthy and all(healthy.values()):
                    break
            except OSError:
                pass
            assert launcher.poll() is None, launcher.stdout.read().decode()[-2000:]
            time.sleep(1)
        assert healthy.get("BACKFILL") and all(healthy.values()), healthy
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
        code = launcher.wait(timeout=60)
    assert code == 0
    # the code servers the webserver and daemon started follow them within seconds
    deadline = time.monotonic() + 30
    while group_alive(launcher.pid) and time.monotonic() < deadline:
        time.sleep(1)
    assert not group_alive(launcher.pid), "processes of `make ui` left running after Ctrl-C"


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)  # signal 0: is anyone in the group left?
    except ProcessLookupError:
        return False
    return True
