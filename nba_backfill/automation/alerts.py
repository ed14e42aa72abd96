"""Where alerts go, and when one is due (issue #12).

- ``Notifier``: ``NBA_BACKFILL_ALERT_WEBHOOK`` set -> a Slack-compatible JSON POST
  (``{"text": ...}``, stdlib urllib, no new dependency); unset -> the log only. A webhook
  that is down is retried with backoff, then the failure is logged and the message kept
  for the next tick (the sensors' cursors hold it); nothing is ever raised into a run or
  a tick. The URL is a secret: it never appears in a log line, metadata or error.
- ``Episodes``: one alert when a problem starts, none while it lasts, one when it recovers.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Mapping

WEBHOOK_ENV = "NBA_BACKFILL_ALERT_WEBHOOK"
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0  # 1 s, then 2 s between attempts
TIMEOUT_SECONDS = 10
PENDING_LIMIT = 50  # unsent messages kept for later ticks; older ones are dropped (logged)
PREFIX = "[nba_backfill]"


class Log:
    """What a sensor's ``context.log`` offers (tests pass a list-backed one)."""

    def info(self, message: str) -> None: ...
    def warning(self, message: str) -> None: ...


def describe_error(error: BaseException) -> str:
    """A webhook error in words that cannot carry the URL (urllib's may)."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        return f"{type(reason).__name__}: {getattr(reason, 'strerror', None) or 'unreachable'}"
    return type(error).__name__


@dataclass
class Notifier:
    """Posts alerts to ``url`` (None: log only). ``sleep`` is injectable for tests."""

    url: str | None = field(default=None, repr=False)  # a secret: never in a repr or a log
    attempts: int = ATTEMPTS
    backoff_seconds: float = BACKOFF_SECONDS
    sleep: Callable[[float], None] = time.sleep

    @property
    def target(self) -> str:
        return "webhook" if self.url else "log only (NBA_BACKFILL_ALERT_WEBHOOK not set)"

    def send(self, text: str, log: Log) -> bool:
        """Post one alert; True when delivered (or logged, without a webhook)."""
        if not self.url:
            log.warning(f"alert (log only, {WEBHOOK_ENV} not set): {text}")
            return True
        if not self.url.startswith(("http://", "https://")):  # said without repeating the value
            log.warning(f"alert (log only, {WEBHOOK_ENV} is not an http(s) URL): {text}")
            return True
        body = json.dumps({"text": text}).encode()
        last = ""
        for attempt in range(1, self.attempts + 1):
            try:
                request = urllib.request.Request(
                    self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
                )
                with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                    response.read()
                log.info(f"alert posted to the webhook: {text.splitlines()[0]}")
                return True
            except Exception as error:  # any failure: log, never raise into the tick
                last = describe_error(error)
                if attempt < self.attempts:
                    self.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        log.warning(f"alert webhook failed after {self.attempts} attempts ({last}); kept for the next tick: "
                    f"{text.splitlines()[0]}")
        return False

    def flush(self, messages: list[str], log: Log) -> list[str]:
        """Send ``messages`` in order; the ones not delivered (to retry next tick). After the
        first failure the rest wait too: one down webhook costs one retry cycle per tick."""
        for i, text in enumerate(messages):
            if not self.send(text, log):
                pending = messages[i:]
                if len(pending) > PENDING_LIMIT:
                    log.warning(f"alert webhook down: dropping the {len(pending) - PENDING_LIMIT} oldest unsent alerts")
                    pending = pending[-PENDING_LIMIT:]
                return pending
        return []


def notifier_from_env(environ: Mapping[str, str]) -> Notifier:
    return Notifier(url=(environ.get(WEBHOOK_ENV) or "").strip() or None)


@dataclass
class Episodes:
    """Open problems by key (``{key: what it was when it started}``): JSON in a cursor."""

    open: dict[str, str] = field(default_factory=dict)

    def update(self, key: str, failing: bool, problem: str, recovered: str) -> str | None:
        """The alert due now, if any: ``problem`` when ``key`` starts failing, ``recovered``
        when it stops; None while nothing changes."""
        if failing and key not in self.open:
            self.open[key] = problem.splitlines()[0][:200]
            return f"{PREFIX} {problem}"
        if not failing and key in self.open:
            del self.open[key]
            return f"{PREFIX} RECOVERED: {recovered}"
        return None
