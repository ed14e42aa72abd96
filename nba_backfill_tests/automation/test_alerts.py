"""Alerts: a Slack-compatible POST to a real HTTP server on loopback; once per episode and
once on recovery; a webhook that is down is retried with backoff and never raises; the URL
never reaches a log line; without the variable, the log only."""

from __future__ import annotations

import datetime as dt
import json
import socket

import dagster as dg
import pandas as pd

from nba_backfill.automation.alerts import WEBHOOK_ENV, Episodes, Notifier, notifier_from_env
from nba_backfill.automation.freshness import CHECK_NAME
from nba_backfill.automation.freshness_sensor import freshness_sensor
from nba_backfill_tests.support.automation import ALL_TABLES, ListLog, built_through, et

D = dt.date


def notifier(url, sleeps=None) -> Notifier:
    return Notifier(url=url, sleep=(sleeps.append if sleeps is not None else (lambda s: None)))


def test_a_slack_compatible_post(webhook):
    log = ListLog()
    assert notifier(webhook.url).send("[nba_backfill] hello\nsecond line", log)
    assert webhook.received == [{"text": "[nba_backfill] hello\nsecond line"}]
    assert log.lines == ["alert posted to the webhook: [nba_backfill] hello"]


def test_a_webhook_down_is_retried_with_backoff(webhook):
    webhook.down = 2  # two 500s, then up
    sleeps, log = [], ListLog()
    assert notifier(webhook.url, sleeps).send("[nba_backfill] x", log)
    assert webhook.attempts == 3 and sleeps == [1.0, 2.0] and webhook.texts() == ["[nba_backfill] x"]


def test_a_webhook_that_stays_down_is_logged_never_raised_and_retried_next_tick(webhook):
    webhook.down = 3
    sleeps, log = [], ListLog()
    send = notifier(webhook.url, sleeps)
    pending = send.flush(["[nba_backfill] first", "[nba_backfill] second"], log)
    assert pending == ["[nba_backfill] first", "[nba_backfill] second"]  # kept, in order
    assert webhook.attempts == 3 and sleeps == [1.0, 2.0]  # one retry cycle, not one per message
    assert log.lines == ["alert webhook failed after 3 attempts (HTTP 500); kept for the next tick: "
                         "[nba_backfill] first"]
    assert send.flush(pending, log) == [] and webhook.texts() == ["[nba_backfill] first", "[nba_backfill] second"]
    assert not any("secret-token" in line or "127.0.0.1" in line for line in log.lines)


def test_the_notifier_never_shows_its_url():
    assert "secret-token" not in repr(Notifier(url="https://hooks.example/secret-token"))


def test_an_unreachable_webhook_names_no_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    log = ListLog()
    assert not notifier(f"http://127.0.0.1:{port}/hooks/secret-token").send("[nba_backfill] x", log)
    assert len(log.lines) == 1 and "ConnectionRefusedError" in log.lines[0]
    assert "secret-token" not in log.lines[0] and str(port) not in log.lines[0]


def test_a_malformed_webhook_is_one_line_in_the_log_without_its_value():
    log = ListLog()
    assert Notifier(url="hooks.slack.com/secret-token").send("[nba_backfill] late", log)
    assert log.lines == [f"alert (log only, {WEBHOOK_ENV} is not an http(s) URL): [nba_backfill] late"]


def test_without_the_variable_alerts_go_to_the_log_only():
    assert notifier_from_env({}).url is None and notifier_from_env({WEBHOOK_ENV: "  "}).url is None
    assert notifier_from_env({WEBHOOK_ENV: "http://x/y"}).url == "http://x/y"
    log = ListLog()
    assert Notifier().send("[nba_backfill] late", log)
    assert log.lines == [f"alert (log only, {WEBHOOK_ENV} not set): [nba_backfill] late"]


def test_episodes_alert_once_then_once_on_recovery():
    episodes = Episodes()
    assert episodes.update("k", True, "broke", "fixed") == "[nba_backfill] broke"
    assert episodes.update("k", True, "broke again", "fixed") is None  # same episode
    assert episodes.update("other", False, "-", "fine") is None  # never broke: nothing to say
    assert episodes.update("k", False, "-", "fixed") == "[nba_backfill] RECOVERED: fixed"
    assert episodes.update("k", False, "-", "fixed") is None
    assert episodes.update("k", True, "broke", "fixed") == "[nba_backfill] broke"  # a new episode


def schedule_one_game(warehouse, day: D) -> None:
    warehouse.load_dataframe("nba_raw.nbac_schedule", pd.DataFrame({
        "game_id": [f"{day:%Y%m%d}_LAL_DEN"], "game_date": [day], "game_status": [3],
        "away_team_tricode": ["LAL"], "home_team_tricode": ["DEN"]}))


def test_freshness_sensor_records_checks_and_alerts_once_per_phase_episode(warehouse, instance, webhook):
    schedule_one_game(warehouse, D(2024, 1, 10))
    cursor = None
    log_lines: list[str] = []

    def tick(now):
        nonlocal cursor
        sensor = freshness_sensor(ALL_TABLES, notifier(webhook.url), clock=lambda: now)
        context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"warehouse": warehouse})
        data = sensor.evaluate_tick(context)
        cursor = data.cursor
        log_lines.append(data.skip_message or "")
        return data

    first = tick(et(2024, 1, 11, 9))
    evaluations = {e.asset_key.to_user_string(): e for e in first.asset_events}
    assert sorted(evaluations) == sorted(ALL_TABLES)  # every asset's check, without a run
    assert all(e.check_name == CHECK_NAME and e.passed for e in evaluations.values())
    assert webhook.texts() == []

    late3 = tick(et(2024, 1, 11, 10, 30))
    assert [e.passed for e in late3.asset_events].count(False) == 5  # the five Phase 3 tables
    assert len(webhook.texts()) == 1
    text = webhook.texts()[0]
    assert text.startswith("[nba_backfill] Phase 3 missed its deadline (10:00 US/Eastern the morning after): "
                           "2024-01-10 (0h 30m late); 5 assets not built. Fix: nba-backfill backfill "
                           "--start 2024-01-10 --end 2024-01-10 --select team_offense_game_summary,")

    tick(et(2024, 1, 11, 11, 30))  # still late, now ERROR: the same episode, no new post
    assert len(webhook.texts()) == 1
    tick(et(2024, 1, 11, 12, 30))
    assert len(webhook.texts()) == 2 and webhook.texts()[1].startswith("[nba_backfill] Phase 4 missed its deadline")

    built_through(warehouse, D(2024, 1, 10), D(2024, 1, 10))
    recovered = tick(et(2024, 1, 11, 13))
    assert all(e.passed for e in recovered.asset_events)
    assert webhook.texts()[2:] == [
        "[nba_backfill] RECOVERED: Phase 3 is on time again: every game date with final games is built or not due yet",
        "[nba_backfill] RECOVERED: Phase 4 is on time again: every game date with final games is built or not due yet",
    ]
    tick(et(2024, 1, 11, 14))
    assert len(webhook.texts()) == 4
    assert not any("secret-token" in line for line in log_lines + [json.dumps(cursor)])


def test_freshness_sensor_with_the_webhook_down_keeps_the_alert_for_the_next_tick(warehouse, instance, webhook):
    schedule_one_game(warehouse, D(2024, 1, 10))
    webhook.down = 3
    sensor = freshness_sensor(ALL_TABLES, notifier(webhook.url), clock=lambda: et(2024, 1, 11, 10, 30))
    data = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, resources={"warehouse": warehouse}))
    assert webhook.texts() == [] and len(json.loads(data.cursor)["pending"]) == 1  # the tick itself went fine
    again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=data.cursor,
                                                         resources={"warehouse": warehouse}))
    assert len(webhook.texts()) == 1 and json.loads(again.cursor)["pending"] == []


def test_the_webhook_variable_is_read_where_the_sensors_are_built(warehouse, instance, webhook):
    from nba_backfill.automation.schedules import sensors

    schedule_one_game(warehouse, D(2024, 1, 10))
    built = {s.name: s for s in sensors(ALL_TABLES, {}, {WEBHOOK_ENV: webhook.url}, clock=lambda: et(2024, 1, 11, 13))}
    built["freshness_deadlines"].evaluate_tick(dg.build_sensor_context(instance=instance, resources={"warehouse": warehouse}))
    assert [t.split(" missed")[0] for t in webhook.texts()] == ["[nba_backfill] Phase 3", "[nba_backfill] Phase 4"]
    for sensor in built.values():  # the Automation page: on by default, says what it does and how to stop it
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
        assert "turn it off or on" in sensor.description
