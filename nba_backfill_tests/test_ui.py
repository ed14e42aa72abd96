"""`make ui` (``python -m nba_backfill.ui``): the webserver and the daemon come up together,
every daemon healthy, and Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from nba_backfill_tests.support.dagster_ui import REPO, DagsterUI, dagster_home, free_port, project_env


def test_make_ui_starts_webserver_and_daemon_and_ctrl_c_stops_both(tmp_path):
    port, home = free_port(), dagster_home(tmp_path)
    env = project_env(home, tmp_path / "w.duckdb")
    with open(tmp_path / "make_ui.log", "wb") as log:  # a file, not a pipe nobody drains
        launcher = subprocess.Popen(
            [sys.executable, "-m", "nba_backfill.ui", "--port", str(port)], cwd=REPO, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        ui = DagsterUI(home=home, warehouse_path=tmp_path / "w.duckdb", logs=tmp_path, port=port)  # no process of its own
        ui.wait_for_webserver(120)
        healthy = ui.wait_for_daemon(120, every_daemon=True)
        assert healthy.get("BACKFILL") and all(healthy.values()), healthy
        assert launcher.poll() is None, (tmp_path / "make_ui.log").read_text()[-2000:]
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
