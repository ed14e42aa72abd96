"""``ahead``: the table build runs in a thread one step ahead of Dagster. Its items come
in order, its errors reach the reader, and a reader that stops early stops it and waits
for it (the warehouse lease outlives nothing the build does)."""

from __future__ import annotations

import threading
import time

import pytest

from nba_backfill.assets.ahead import ahead


def test_items_come_in_order_and_are_produced_by_another_thread():
    producers = []

    def items():
        for n in range(5):
            producers.append(threading.current_thread())
            yield n

    assert list(ahead(items(), name="t")) == [0, 1, 2, 3, 4]
    assert threading.current_thread() not in producers


def test_the_producer_does_not_wait_for_the_reader():
    produced = threading.Event()

    def items():
        yield "first"
        yield "second"
        produced.set()

    reader = ahead(items(), name="t")
    assert next(reader) == "first"
    assert produced.wait(timeout=5)  # the reader has not asked for "second" yet
    assert list(reader) == ["second"]


def test_an_error_in_the_producer_is_raised_to_the_reader_after_its_items():
    def items():
        yield 1
        raise ValueError("warehouse down")

    reader = ahead(items(), name="t")
    assert next(reader) == 1
    with pytest.raises(ValueError, match="warehouse down"):
        next(reader)


def test_a_reader_that_stops_early_waits_for_the_producer_and_closes_it():
    events = []

    def items():
        try:
            for n in range(1000):
                time.sleep(0.01)  # a statement running when the reader stops
                yield n
        finally:
            events.append(("closed", threading.current_thread().name))

    reader = ahead(items(), name="producer")
    next(reader)
    reader.close()  # as when the run is interrupted, or the step's code raised
    assert events == [("closed", "producer")]  # closed in its own thread, before close() returned
    assert not any(t.name == "producer" for t in threading.enumerate())
