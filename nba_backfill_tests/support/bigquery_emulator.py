"""A local BigQuery API (bqemulator 1.4.0) for tests, patched for offline use.

The emulator runs in a subprocess on a free loopback port: its DuckDB, its event loop
and its logging setup (it calls ``logging.basicConfig(force=True)``) stay out of the test
process. Four patches are applied inside that subprocess before it starts (the first
two: FACTS.md):

- the DuckDB ``spatial`` extension is not loaded: the emulator insists on downloading it
  at start, which fails offline; we never use GEOGRAPHY, so it is simply skipped.
- the upload route also accepts ``Content-Type: */*``: google-cloud-bigquery sends small
  (< 5 MiB) ``load_table_from_dataframe`` uploads as a multipart body whose media part
  says ``*/*``, which the emulator rejects (an open upstream fix).
- a statement's translation to DuckDB is remembered: the emulator parses every statement
  with sqlglot anew, a dozen times over (each rewrite parses it again), and that was ~80%
  of its time on our long statements. A build sends the same texts again and again (the
  values travel as parameters), so the same text, over the same table schemas, by the
  same caller, takes the DuckDB SQL it got before. Only successful translations are kept.
- sqlglot's BigQuery parser does not deep-copy every FROM and JOIN source to read its
  alias (``support/sqlglot_unnest.py``): the same trees, our nested statements parsed in
  half the time.

Run it by hand for local experiments (Ctrl-C stops it)::

    .venv/bin/python -m nba_backfill_tests.support.bigquery_emulator --port 9050
    NBA_BACKFILL_WAREHOUSE=bigquery NBA_BACKFILL_GCP_PROJECT=test-project \\
    NBA_BACKFILL_BIGQUERY_ENDPOINT=http://127.0.0.1:9050 nba-backfill ...
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

PROJECT = "test-project"
STARTUP_TIMEOUT_SECONDS = 60.0


class EmulatorStartError(RuntimeError):
    """The emulator could not be started; the message says why and what to do."""


def patch_for_offline_use() -> None:
    """Apply the two offline patches to the imported bqemulator (call before starting)."""
    from bqemulator.api.routes import upload
    from bqemulator.storage.engine import DuckDBEngine

    def _skip_spatial(self) -> None:  # GEOGRAPHY is unsupported from here on
        return None

    DuckDBEngine._load_spatial = _skip_spatial
    if "*/*" not in upload._PERMITTED_MEDIA_CONTENT_TYPES:
        upload._PERMITTED_MEDIA_CONTENT_TYPES = (*upload._PERMITTED_MEDIA_CONTENT_TYPES, "*/*")
    remember_translations()
    from nba_backfill_tests.support import sqlglot_unnest

    sqlglot_unnest.install()


def remember_translations() -> None:
    """``SQLTranslator.translate`` looked up by what its answer depends on: the statement,
    the schemas of the tables it reads and the caller (and the translator's rules)."""
    import json

    from bqemulator.sql.translator import SQLTranslator

    translate = SQLTranslator.translate
    if getattr(translate, "remembers", False):
        return
    translated: dict[tuple, object] = {}

    def remembered(self, bq_sql, *, schema=None, caller=None, **kwargs):
        rules = tuple(rule.name for rule in self._rules)  # every translator has the same: get_all_rules()
        key = (rules, bq_sql, json.dumps(schema, sort_keys=True, default=str), repr(caller), repr(kwargs))
        if key in translated:
            return translated[key]
        result = translate(self, bq_sql, schema=schema, caller=caller, **kwargs)
        if result.is_ok():
            translated[key] = result
        return result

    remembered.remembers = True
    SQLTranslator.translate = remembered


def serve(port: int, project: str = PROJECT, data_dir: str | None = None) -> None:
    """Run a patched emulator in this process until SIGINT/SIGTERM: in memory, or with
    ``data_dir`` in a DuckDB file there that survives a restart (the reliability tests
    stop the warehouse mid-run, then look at what it holds)."""
    patch_for_offline_use()
    from bqemulator.config import LogLevel, PersistenceMode, Settings
    from bqemulator.server import run_forever

    settings = Settings(
        rest_host="127.0.0.1",
        rest_port=port,
        grpc_host="127.0.0.1",
        grpc_port=0,
        persistence_mode=PersistenceMode.PERSISTENT if data_dir else PersistenceMode.EPHEMERAL,
        data_dir=data_dir,
        default_project_id=project,
        log_level=LogLevel.WARNING,
        query_cache_ttl_seconds=0,  # a re-run query must see the rows written since
    )
    run_forever(settings)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningEmulator:
    """A started emulator subprocess: its endpoint, its project, and how to stop it."""

    endpoint: str
    project: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop this emulator (and only it), then remove its log file."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_path.unlink(missing_ok=True)


def _ready(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/healthz", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(
    project: str = PROJECT, timeout: float = STARTUP_TIMEOUT_SECONDS, data_dir: str | Path | None = None
) -> RunningEmulator:
    """Start an emulator subprocess on a free loopback port and wait until it answers
    (its data in memory, or persisted under ``data_dir``).

    Raises ``EmulatorStartError`` (with the emulator's own last log lines) when it exits
    early or does not answer within ``timeout`` seconds.
    """
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    handle, log_name = tempfile.mkstemp(prefix="bqemulator-", suffix=".log")
    log_path = Path(log_name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BQEMU_")}
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)  # the emulator needs none
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    with os.fdopen(handle, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "nba_backfill_tests.support.bigquery_emulator",
             "--port", str(port), "--project", project,
             *(["--data-dir", str(data_dir)] if data_dir else [])],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=root,
        )
    running = RunningEmulator(endpoint, project, process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = running.log_tail()
            running.stop()
            raise EmulatorStartError(
                f"the BigQuery emulator (bqemulator) exited with code {process.returncode} "
                f"before answering on {endpoint}. Is bqemulator==1.4.0 installed with "
                f"testcontainers and duckdb==2.0.0? Its output:\n{tail}"
            )
        if _ready(endpoint):
            return running
        time.sleep(0.1)
    tail = running.log_tail()
    running.stop()
    raise EmulatorStartError(
        f"the BigQuery emulator did not answer on {endpoint} within {timeout:.0f}s. "
        f"Its output:\n{tail}"
    )


@contextmanager
def running_for_tests(**options) -> Iterator[RunningEmulator]:
    """An emulator for a test fixture: a clear test failure if it cannot start, stopped after."""
    import pytest

    try:
        running = start(**options)
    except EmulatorStartError as error:
        pytest.fail(f"BigQuery emulator tests cannot run: {error}", pytrace=False)
    try:
        yield running
    finally:
        running.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9050)
    parser.add_argument("--project", default=PROJECT)
    parser.add_argument("--data-dir", default=None, help="persist the data here (default: in memory)")
    args = parser.parse_args(argv)
    serve(args.port, args.project, args.data_dir)


if __name__ == "__main__":
    main()
