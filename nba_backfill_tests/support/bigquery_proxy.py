"""An HTTP proxy in front of the BigQuery emulator that makes chosen query jobs fail the
way BigQuery fails them, for errors the emulator cannot produce.

Why a proxy: the emulator runs jobs one at a time, so two writers of one table never
collide there and BigQuery's concurrent-update refusal cannot happen (tried: six
threads MERGEing one table all succeeded). The proxy forwards every request to the
emulator unchanged, except the job insertions a test picks (``fail_next``): those get
BigQuery's answer for a job that lost a race, a DONE job whose ``errorResult`` is

    {"reason": "invalidQuery", "message": "Transaction is aborted due to concurrent
     update against table ..."}

and the job's later look-ups (jobs.get, getQueryResults) answer as BigQuery does for
that failed job (the latter with HTTP 400 and the same error). So the real client
library parses a real-shaped error and the engine's real retry code runs; only the
network edge is faked, and every other job really runs on the emulator.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONFLICT_TRANSACTION = "Transaction is aborted due to concurrent update against table {table}. Transaction ID: 6f1c-0000-2dab"
CONFLICT_DML = "Could not serialize access to table {table} due to concurrent update"


@dataclass
class Injection:
    """Fail the next ``count`` job insertions (not dry runs) whose query contains ``when``."""

    when: str
    message: str
    reason: str = "invalidQuery"
    count: int = 1


@dataclass
class BigQueryProxy:
    upstream: str
    injections: list[Injection] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)  # query text of every job insertion seen
    failed: list[str] = field(default_factory=list)  # job ids answered with an injected error
    _failed_jobs: dict[str, dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, when: str, message: str, count: int = 1, reason: str = "invalidQuery") -> None:
        with self._lock:
            self.injections.append(Injection(when, message, reason, count))

    def clear(self) -> None:
        """Stop injecting (pending injections are dropped)."""
        with self._lock:
            self.injections.clear()

    def start(self) -> "BigQueryProxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                return None

            def do_GET(self):
                proxy._handle(self, "GET")

            def do_POST(self):
                proxy._handle(self, "POST")

            def do_PUT(self):
                proxy._handle(self, "PUT")

            def do_PATCH(self):
                proxy._handle(self, "PATCH")

            def do_DELETE(self):
                proxy._handle(self, "DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- one request ----------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        path = request.path.split("?")[0]
        if method == "POST" and path.endswith("/jobs") and "/upload/" not in path:
            job = json.loads(body or b"{}")
            configuration = job.get("configuration") or {}
            query = (configuration.get("query") or {}).get("query", "")
            with self._lock:
                self.inserted.append(query)
                # dry runs are validation, not writes: a race can only fail a real job
                injection = None if configuration.get("dryRun") else next(
                    (i for i in self.injections if i.count > 0 and i.when in query), None)
                if injection:
                    injection.count -= 1
            if injection:
                return self._answer_failed_insert(request, job, injection)
        for job_id, failed in list(self._failed_jobs.items()):
            if f"/jobs/{job_id}" in path:  # jobs.get of a job we failed
                return self._send(request, 200, failed["resource"])
            if f"/queries/{job_id}" in path:  # getQueryResults of it: HTTP 400, as BigQuery
                return self._send(request, 400, failed["error"])
        self._forward(request, method, body)

    def _answer_failed_insert(self, request, job: dict, injection: Injection) -> None:
        reference = job.get("jobReference") or {}
        error = {"reason": injection.reason, "location": "q", "message": injection.message}
        resource = {
            "kind": "bigquery#job",
            "id": f"{reference.get('projectId')}:{reference.get('location', 'US')}.{reference.get('jobId')}",
            "jobReference": reference,
            "configuration": job.get("configuration") or {},
            "status": {"state": "DONE", "errorResult": error, "errors": [error]},
            "statistics": {"creationTime": "1700000000000", "startTime": "1700000000000", "endTime": "1700000000001"},
        }
        http_error = {"error": {"code": 400, "message": injection.message, "errors": [error], "status": "INVALID_ARGUMENT"}}
        with self._lock:
            self._failed_jobs[reference.get("jobId", "")] = {"resource": resource, "error": http_error}
            self.failed.append(reference.get("jobId", ""))
        self._send(request, 200, resource)

    def _forward(self, request, method: str, body: bytes) -> None:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        forwarded = urllib.request.Request(self.upstream + request.path, data=body or None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(forwarded, timeout=120) as response:
                status, payload, kind = response.status, response.read(), response.headers.get("Content-Type")
                location = response.headers.get("Location")
        except urllib.error.HTTPError as error:
            status, payload, kind, location = error.code, error.read(), error.headers.get("Content-Type"), None
        request.send_response(status)
        if kind:
            request.send_header("Content-Type", kind)
        if location:  # resumable uploads: keep the client talking to the proxy
            request.send_header("Location", location.replace(self.upstream, self.endpoint))
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    @staticmethod
    def _send(request, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=UTF-8")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
