"""Item 7 of issue #13: what the project exposes.

1. `make ui` serves on the loopback interface only: the launcher (``python -m
   nba_backfill.ui``) is started WITHOUT --host, and every socket its processes
   (webserver, daemon, the code servers they start) listen on is read from /proc; none
   may be bound to 0.0.0.0 / :: or any other address than loopback. The Makefile passes
   --host 127.0.0.1 too.
2. Secrets in the environment never reach the record: a fake key-file path
   (GOOGLE_APPLICATION_CREDENTIALS, the file holding fake key material), a webhook URL
   (NBA_BACKFILL_ALERT_WEBHOOK) and a Postgres password (DAGSTER_PG_PASSWORD) are
   planted, then real backfills run through the CLI: one that succeeds, one whose SQL
   fails, and one on BigQuery whose credentials cannot be loaded (the error path most
   likely to quote a key path). Then everything they left is searched: every file under
   DAGSTER_HOME (run and event-log storage, compute logs if any), every event of every
   run through Dagster's API (logs, metadata, check evaluations, failures with their
   stack traces), the runs' tags and config, run history in the warehouse and the CLI's
   own output. Positive controls prove each channel is really read (the warehouse path
   that materialization metadata carries, the failing SQL's error text).
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import sqlglot
from dagster._serdes import serialize_value

from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse
from nba_backfill_tests.support.dagster_ui import DagsterUI
from nba_backfill_tests.support.dagster_ui import dagster_home as ui_dagster_home
from nba_backfill_tests.support.dagster_ui import free_port, project_env
from nba_backfill_tests.support.warehouse_faults import (
    FIRST,
    LAST,
    REPO,
    backfill_args,
    base_env,
    dagster_home,
    demo_frames,
    run_cli,
)

# -- 1. make ui listens on loopback only ------------------------------------------------------


def test_make_ui_passes_the_loopback_host():
    shown = subprocess.run(["make", "-n", "ui"], cwd=REPO, capture_output=True, text=True, timeout=60)
    (launch,) = [line for line in shown.stdout.splitlines() if "nba_backfill.ui" in line]
    assert "--host 127.0.0.1" in launch


def _session_pids(session: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


def _listening(pids: list[int]) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket in LISTEN state owned by ``pids``."""
    inodes: set[str] = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            continue
    found = set()
    for table, family in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 6)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A = LISTEN
                continue
            address_hex, port_hex = local.split(":")
            raw = bytes.fromhex(address_hex)
            # /proc prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add((str(ipaddress.ip_address(raw)), int(port_hex, 16)))
    return found


def _non_loopback_address() -> str | None:
    """An address of this host that is not loopback (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def test_the_ui_launcher_listens_on_loopback_only(tmp_path):
    port, home = free_port(), ui_dagster_home(tmp_path)
    env = project_env(home, tmp_path / "w.duckdb")
    with open(tmp_path / "make_ui.log", "wb") as log:
        launcher = subprocess.Popen(  # no --host: the launcher's own default
            [sys.executable, "-m", "nba_backfill.ui", "--port", str(port)], cwd=REPO, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        ui = DagsterUI(home=home, warehouse_path=tmp_path / "w.duckdb", logs=tmp_path, port=port)
        ui.wait_for_webserver(120)
        ui.wait_for_daemon(120)
        listening = _listening(_session_pids(launcher.pid))
        assert (("127.0.0.1", port)) in listening, listening  # the webserver, on loopback
        exposed = {(a, p) for a, p in listening if not ipaddress.ip_address(a).is_loopback}
        assert not exposed, f"listening beyond loopback: {sorted(exposed)}"
        outside = _non_loopback_address()
        if outside:  # and from this host's other address, nobody answers
            with socket.socket() as client:
                client.settimeout(3)
                assert client.connect_ex((outside, port)) != 0
    finally:
        launcher.send_signal(signal.SIGINT)
        try:
            launcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait(timeout=10)
    deadline = time.monotonic() + 30
    while _session_pids(launcher.pid) and time.monotonic() < deadline:
        time.sleep(1)


# -- 2. secrets never reach logs, metadata or errors ------------------------------------------


@pytest.fixture
def wf_planted_secrets(tmp_path) -> dict[str, str]:
    """Fake secrets of the three kinds, each carrying a unique random token."""
    token = {name: secrets.token_hex(12) for name in ("path", "key", "webhook", "password")}
    key_dir = tmp_path / f"creds-{token['path']}"
    key_dir.mkdir()
    key_file = key_dir / "service-account.json"
    key_file.write_text(json.dumps({
        "type": "service_account", "project_id": "nba-prod", "private_key_id": token["key"],
        "private_key": f"-----BEGIN PRIVATE KEY-----\nMII{token['key']}\n-----END PRIVATE KEY-----\n",
        "client_email": "backfill@nba-prod.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }))
    return {
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
        "NBA_BACKFILL_ALERT_WEBHOOK": f"https://hooks.slack.example/services/T0/B0/{token['webhook']}",
        "DAGSTER_PG_PASSWORD": f"pw-{token['password']}",
        "_tokens": ",".join(token.values()),
    }


def _all_files_text(root: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("utf-8", errors="replace") for path in sorted(root.rglob("*")) if path.is_file()
    )


def _event_log_text(home: Path) -> str:
    """Every run's record and every event, serialized as Dagster stores them."""
    parts = []
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs():
            parts.append(serialize_value(run))
            parts.extend(serialize_value(entry) for entry in instance.all_logs(run.run_id))
    return "\n".join(parts)


def test_planted_secrets_never_reach_logs_metadata_or_errors(tmp_path, wf_planted_secrets):
    planted = {k: v for k, v in wf_planted_secrets.items() if not k.startswith("_")}
    needles = [*planted.values(), *wf_planted_secrets["_tokens"].split(",")]
    path = tmp_path / "warehouse.duckdb"
    warehouse = DuckDBWarehouse(path=str(path))
    warehouse.setup()
    warehouse.load_frames(demo_frames(), ("game_date", FIRST, LAST))
    home = dagster_home(tmp_path)
    duckdb_env = base_env(home, NBA_BACKFILL_WAREHOUSE="duckdb", NBA_BACKFILL_DUCKDB_PATH=str(path), **planted)

    outputs = []
    built = run_cli(backfill_args(), duckdb_env)  # 1. a build that succeeds
    assert built.code == 0, built.stderr
    outputs.append(built)
    # 2. a build whose SQL fails at run time: a column its shot zones read is gone (the
    #    raw-readiness gate does not read it, so the build itself fails and records why)
    with warehouse.connect() as connection:
        connection.execute("ALTER TABLE nba_raw.bigdataball_play_by_play RENAME COLUMN shot_distance TO gone")
    broken = run_cli(backfill_args(), duckdb_env)
    assert broken.code != 0
    outputs.append(broken)
    # 3. a build on BigQuery whose credentials cannot be loaded
    bigquery_env = base_env(home, NBA_BACKFILL_WAREHOUSE="bigquery", NBA_BACKFILL_GCP_PROJECT="nba-prod", **planted)
    refused = run_cli(backfill_args(), bigquery_env, timeout=120)
    assert refused.code == 1 and "no usable Google credentials" in refused.stderr, refused.stderr[-2000:]
    outputs.append(refused)

    events = _event_log_text(home)
    stored = _all_files_text(home)
    history = warehouse.query_expression(
        sqlglot.parse_one("SELECT * FROM nba_reference.processor_run_history", read="bigquery")
    ).astype(str).to_csv()
    cli_output = "\n".join(o.stdout + o.stderr for o in outputs)

    # positive controls: each channel holds what it should, so a leak there would be seen
    assert str(path) in events and str(path) in stored  # materialization metadata ("warehouse")
    # the failing build's error, in the event log, run history and the CLI's summary
    assert "shot_distance" in events and "shot_distance" in history and "shot_distance" in broken.stderr
    assert "no usable Google credentials" in cli_output
    with dg.DagsterInstance.from_config(str(home)) as instance:
        statuses = [r.status for r in instance.get_runs()]
    assert dg.DagsterRunStatus.FAILURE in statuses and dg.DagsterRunStatus.SUCCESS in statuses

    for channel, text in (("event log", events), ("DAGSTER_HOME files", stored),
                          ("run history", history), ("CLI output", cli_output)):
        for needle in needles:
            assert needle not in text, f"a planted secret ({needle[:12]}...) appears in the {channel}"
