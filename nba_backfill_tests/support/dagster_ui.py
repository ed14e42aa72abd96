"""The Dagster UI stack as an operator runs it, for the browser tests: a temporary
DAGSTER_HOME (a copy of deploy/local/dagster.yaml), ``dagster-webserver`` and, when asked,
``dagster-daemon run`` on free ports of 127.0.0.1, each in its own process group, their
output captured to files so a failed wait can say why; GraphQL as the UI's client sends
it; a demo warehouse with a planted gap.

Helpers only (no fixtures): ui/conftest.py holds the browser fixture.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
LOCAL_INSTANCE_CONFIG = REPO / "deploy" / "local" / "dagster.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# environment the servers and the CLI must not inherit from the developer's shell / make
_ENV_DROP = ("NBA_BACKFILL_DATASET_PREFIX", "NBA_BACKFILL_GCP_PROJECT", "DAGSTER_WEBSERVER_PORT")


class HarnessError(AssertionError):
    """A wait ran out, or a server died: the message carries the captured log tails."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path} not written)"
    return "\n".join(text.splitlines()[-lines:])


def dagster_home(root: Path) -> Path:
    """A fresh instance directory holding a copy of the local dev instance config, its
    SQLite storage created here: a webserver and a daemon started together on an empty
    home race to create the same tables ("table jobs already exists")."""
    import dagster as dg

    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(LOCAL_INSTANCE_CONFIG, home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.get_runs(limit=1)  # touches run, event-log and schedule storage
        instance.get_backfills(limit=1)
    return home


def project_env(home: Path, warehouse_path: Path) -> dict[str, str]:
    """The environment the webserver, the daemon, their runs and the CLI share."""
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    env.update(
        DAGSTER_HOME=str(home),
        NBA_BACKFILL_WAREHOUSE="duckdb",
        NBA_BACKFILL_DUCKDB_PATH=str(warehouse_path),
        PYTHONUNBUFFERED="1",
    )
    return env


# -- the warehouse -------------------------------------------------------------------------


def build_demo_warehouse(path: Path, season_labels: Sequence[str], seed: int = 7):
    """A warehouse file with the raw tables set up and the seasons' demo data written."""
    from nba_backfill.demo.write import write_demo_data
    from nba_backfill.seasons import load_calendar
    from nba_backfill.warehouse.duckdb_engine import DuckDBWarehouse

    warehouse = DuckDBWarehouse(path=str(path))
    warehouse.setup()
    calendar = load_calendar()
    write_demo_data(warehouse, [calendar.by_label(label) for label in season_labels], seed)
    return warehouse


def remove_raw_game(warehouse, day: dt.date) -> str:
    """Delete the gamebook and team box-score rows of the first game (by id) on ``day``
    with both: Gate 0 then fails that date. Returns the game id."""
    with warehouse.connect() as connection:
        games = connection.execute(
            "SELECT g.game_id FROM nba_raw.nbac_gamebook_player_stats AS g "
            "JOIN nba_raw.nbac_team_boxscore AS b USING (game_id) "
            "WHERE g.game_date = ? GROUP BY g.game_id ORDER BY g.game_id",
            [day],
        ).fetchall()
        if not games:
            raise HarnessError(f"no game with gamebook and box-score rows on {day}: pick another date")
        game_id = games[0][0]
        for table in ("nba_raw.nbac_gamebook_player_stats", "nba_raw.nbac_team_boxscore"):
            connection.execute(f"DELETE FROM {table} WHERE game_id = ?", [game_id])
    return game_id


def gate0(warehouse, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Gate 0's own SQL (sql/checks/gate0_raw_readiness.sql) over [start, end]."""
    return warehouse.query("checks/gate0_raw_readiness.sql", {"start_date": start, "end_date": end})


# -- the servers ---------------------------------------------------------------------------


@dataclass
class DagsterUI:
    """``dagster-webserver`` (and optionally ``dagster-daemon run``) over ``workspace.yaml``.

    Each process starts in a new session (its own process group, which its code server
    and run workers join), so ``stop`` ends exactly what it started."""

    home: Path
    warehouse_path: Path
    logs: Path
    daemon: bool = True
    # ``dagster-daemon`` itself; `make ui` runs nba_backfill.automation.daemon (2 s backfill tick)
    daemon_module: str = "nba_backfill.automation.daemon"  # what `make ui` runs
    port: int = 0
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return project_env(self.home, self.warehouse_path)

    def log_file(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def start(self, deadline_seconds: float = 120) -> "DagsterUI":
        self.logs.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        commands = {
            "webserver": [sys.executable, "-m", "dagster_webserver", "-w", "workspace.yaml",
                          "-h", "127.0.0.1", "-p", str(self.port)],
        }
        if self.daemon:
            commands["daemon"] = [sys.executable, "-m", self.daemon_module, "run", "-w", "workspace.yaml"]
        for name, command in commands.items():
            with open(self.log_file(name), "wb") as out:
                self.processes[name] = subprocess.Popen(
                    command, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                )
        try:
            self.wait_for_webserver(deadline_seconds)
            if self.daemon:
                self.wait_for_daemon(deadline_seconds)
        except BaseException:
            self.stop()
            raise
        return self

    def diagnostics(self, lines: int = 40) -> str:
        parts = []
        for name, process in self.processes.items():
            state = "running" if process.poll() is None else f"exited {process.returncode}"
            parts.append(f"--- {name} (pid {process.pid}, {state}), last lines of {self.log_file(name)}:\n"
                         f"{tail(self.log_file(name), lines)}")
        return "\n".join(parts)

    def _check_alive(self, waiting_for: str) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise HarnessError(f"{name} exited ({process.returncode}) while waiting for {waiting_for}\n"
                                   f"{self.diagnostics()}")

    def poll(self, ready, what: str, deadline_seconds: float, pause: float = 1.0):
        """Call ``ready`` until it returns something true (that value); the servers started
        here must stay alive meanwhile, and the wait says what it waited for if it runs out."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            found = ready()
            if found:
                return found
            self._check_alive(what)
            if time.monotonic() > deadline:
                raise HarnessError(f"no {what} within {deadline_seconds:.0f}s\n{self.diagnostics()}")
            time.sleep(pause)

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.base}/server_info", timeout=2)
            return True
        except OSError:
            return False

    def wait_for_webserver(self, deadline_seconds: float) -> None:
        self.poll(self._answers, f"answer from {self.base}/server_info", deadline_seconds, pause=0.5)
        # the code location loads after the server answers: wait until the assets are there
        self.poll(lambda: (self.graphql("query { assetNodes { id } }", check=False).get("data") or {}).get("assetNodes"),
                  "loaded code location (asset nodes)", deadline_seconds)

    DAEMONS_NEEDED = ("BACKFILL", "QUEUED_RUN_COORDINATOR")

    def daemon_statuses(self) -> dict[str, bool]:
        data = self.graphql(
            "query { instance { daemonHealth { allDaemonStatuses { daemonType required healthy } } } }"
        )
        statuses = data["data"]["instance"]["daemonHealth"]["allDaemonStatuses"]
        return {s["daemonType"]: bool(s["healthy"]) for s in statuses if s["required"]}

    def wait_for_daemon(self, deadline_seconds: float, every_daemon: bool = False) -> dict[str, bool]:
        """Until the daemons a backfill needs (``every_daemon``: all required ones) are healthy."""
        def healthy() -> dict[str, bool]:
            statuses = self.daemon_statuses()
            needed = statuses if every_daemon else self.DAEMONS_NEEDED
            return statuses if statuses and all(statuses.get(name) for name in needed) else {}

        return self.poll(healthy, "healthy dagster-daemon", deadline_seconds)

    def graphql(self, query: str, variables: Mapping[str, object] | None = None, check: bool = True) -> dict:
        """POST to /graphql as the UI's client does; with ``check``, GraphQL errors raise."""
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            f"{self.base}/graphql", data=body, headers={"Content-Type": "application/json"}, method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                data = json.loads(response.read())
        except urllib.error.HTTPError as error:
            data = {"errors": [{"message": f"HTTP {error.code}: {error.read().decode(errors='replace')[:2000]}"}]}
        except OSError as error:
            if not check:
                return {"errors": [{"message": str(error)}]}
            raise HarnessError(f"GraphQL request failed: {error}\n{self.diagnostics()}") from error
        if check and data.get("errors"):
            raise HarnessError(f"GraphQL errors: {json.dumps(data['errors'])[:3000]}")
        return data

    def launch_backfill(self, assets: Sequence[str], partition_keys: Sequence[str]) -> str:
        """The UI's "Launch backfill" for ``assets`` over ``partition_keys``: the backfill id."""
        launched = self.graphql(LAUNCH_PARTITION_BACKFILL, {"backfillParams": ui_backfill_params(assets, partition_keys)})
        result = launched["data"]["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise HarnessError(f"launchPartitionBackfill refused: {json.dumps(result)[:3000]}")
        return result["backfillId"]

    def backfill_runs(self, backfill_id: str | None = None) -> list[dict]:
        """The runs of one backfill (every run in the instance without an id)."""
        variables = {"filter": {"tags": [{"key": "dagster/backfill", "value": backfill_id}]}} if backfill_id else {}
        result = self.graphql(RUNS, variables)["data"]["runsOrError"]
        if result["__typename"] != "Runs":
            raise HarnessError(f"runsOrError: {result}")
        return result["results"]

    def wait_for_backfill(self, backfill_id: str, deadline_seconds: float, progress: Path | None = None) -> dict:
        """Poll the backfill as the UI's backfill page does until its status is terminal
        (status only, once a second: the poll must not slow the build it measures)."""
        began = time.monotonic()
        while True:
            record = self.graphql(BACKFILL_STATUS, {"backfillId": backfill_id})["data"]["partitionBackfillOrError"]
            if record["__typename"] != "PartitionBackfill":
                raise HarnessError(f"partitionBackfillOrError: {json.dumps(record)[:3000]}")
            if progress is not None:
                with open(progress, "a") as log:
                    log.write(f"{time.monotonic() - began:7.1f}s {record['status']}\n")
            if record["status"] in TERMINAL_BACKFILL_STATUSES:
                return record
            if time.monotonic() - began > deadline_seconds:
                runs = [(r["runId"][:8], r["status"]) for r in self.backfill_runs(backfill_id)]
                shown = f"progress:\n{tail(progress, 15)}\n" if progress else ""
                raise HarnessError(f"backfill {backfill_id} not finished after {deadline_seconds:.0f}s: status "
                                   f"{record['status']}, runs {runs}\n{shown}{self.diagnostics()}")
            time.sleep(1)

    def stop(self) -> None:
        """SIGTERM each process group, then SIGKILL what is left after 20 s."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)  # stragglers of the group (code servers)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # start_new_session: the group id is the process id
    except (ProcessLookupError, PermissionError):
        pass


# -- GraphQL the UI sends ------------------------------------------------------------------

# The mutation text of the UI (LAUNCH_PARTITION_BACKFILL_MUTATION in ui-core's BackfillUtils)
LAUNCH_PARTITION_BACKFILL = """
mutation LaunchPartitionBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PartitionSetNotFoundError { message }
    ... on PartitionKeysNotFoundError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { stepKey invalidOutputName }
    ... on UnauthorizedError { message }
    ... on PipelineNotFoundError { message }
    ... on RunConflict { message }
    ... on ConflictingExecutionParamsError { message }
    ... on PresetNotFoundError { message }
    ... on RunConfigValidationInvalid { pipelineName errors { message path reason } }
    ... on PythonError { message stack }
  }
}
"""

BACKFILL_STATUS = """
query BackfillStatus($backfillId: String!) {
  partitionBackfillOrError(backfillId: $backfillId) {
    __typename
    ... on PartitionBackfill {
      id status numPartitions timestamp endTimestamp
      error { message stack }
    }
    ... on PythonError { message stack }
    ... on BackfillNotFoundError { message }
  }
}
"""

RUNS = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    __typename
    ... on Runs {
      results {
        runId status startTime endTime
        tags { key value }
        assetSelection { path }
      }
    }
    ... on PythonError { message }
  }
}
"""

ASSET_CHECKS = """
query AssetChecks($assetKeys: [AssetKeyInput!]) {
  assetNodes(assetKeys: $assetKeys) {
    assetKey { path }
    assetChecksOrError { ... on AssetChecks { checks { name } } }
  }
}
"""

CHECK_EXECUTIONS = """
query CheckExecutions($assetKey: AssetKeyInput!, $checkName: String!, $limit: Int!) {
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, limit: $limit) {
    id runId status partition
    evaluation { success severity partition }
  }
}
"""

TERMINAL_BACKFILL_STATUSES = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def ui_backfill_params(assets: Sequence[str], partition_keys: Sequence[str]) -> dict:
    """``backfillParams`` exactly as LaunchAssetChoosePartitionsDialog builds them for a
    selection of assets (not a user-defined job): tags, asset keys, the chosen partition
    names, fromFailure false."""
    return {
        "tags": [],
        "assetSelection": [{"path": [name]} for name in assets],
        "partitionNames": list(partition_keys),
        "fromFailure": False,
    }


def open_page(browser, url: str, viewport: Mapping[str, int] | None = None):
    page = browser.new_page(viewport=dict(viewport or {"width": 1400, "height": 900}))
    page.goto(url, wait_until="networkidle")
    dismiss_community_dialog(page)
    return page


def dismiss_community_dialog(page, wait_ms: int = 5_000) -> None:
    """Close the first-visit community dialog. It opens about half a second after the
    page is idle, over everything (clicks elsewhere time out), so wait for it a moment."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    skip = page.get_by_role("button", name="Skip")
    try:
        skip.first.wait_for(timeout=wait_ms)
    except PlaywrightTimeout:
        return  # not shown (already seen)
    skip.first.click()
    skip.first.wait_for(state="hidden", timeout=10_000)
