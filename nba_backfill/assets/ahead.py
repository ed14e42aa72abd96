"""Run a generator one step ahead of its reader, in a thread of its own.

The table build is SQL (DuckDB and BigQuery release the GIL while a statement runs) and
Dagster's handling of what it yields (events serialized and stored) is Python: with the
build in its own thread, Dagster stores one table's events while the next table builds.
"""

from __future__ import annotations

import threading
from queue import SimpleQueue
from typing import Generator, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


def ahead(items: Generator[T, None, None], name: str) -> Iterator[T]:
    """``items``, in order, produced by a thread that does not wait for the reader.

    An exception raised by ``items`` is raised here. A reader that stops early (an error,
    the run interrupted) stops the producer after the item it is working on, and waits
    for it: nothing ``items`` does outlives this generator (the warehouse lease is
    released only after it)."""
    queue: SimpleQueue = SimpleQueue()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                queue.put((item, None))
                if stop.is_set():
                    break
        except BaseException as error:  # handed to the reader, whatever it is
            queue.put((_DONE, error))
            return
        finally:
            items.close()  # its own cleanup (a warehouse session) in its own thread
        queue.put((_DONE, None))

    producer = threading.Thread(target=produce, name=name, daemon=True)
    producer.start()
    try:
        while True:
            item, error = queue.get()
            if item is _DONE:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        producer.join()
