"""The bulk bodies of a rebuild, read and built in worker processes while the caller sends them.

`bulk_bodies` cuts the candidates into id ranges of `batch_size` and yields, in id order, one
(count, NDJSON body) pair per range. With workers, each range is read and built in a worker
process on its own database connection (SQLite and PostgreSQL alike: the workers get the
database URL, never a connection of the caller), so the documents are built on every core while
the caller's threads keep Elasticsearch busy with the bodies already made. At most
`2 × workers` ranges are being built or waiting at any time (a body of 2,000 documents is
~4 MB), so memory does not grow with the number of candidates.

With no workers, a database only this process can see (SQLite in memory, or a session bound to
one connection as in the tests) or too few candidates for more than one range, the ranges are
built here, one after the other.

Workers are started with "spawn" and import the caller's main module again: a script of its own
that calls `reindex()` needs the usual `if __name__ == "__main__":` guard (`flask` and the
benchmark have it).
"""
from __future__ import annotations

import datetime as dt
import gc
import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sqlalchemy.engine import Connection

from search.documents import documents_in_range, id_ranges, own_connection
from search.es_backend import bulk_body

#: a worker runs a full garbage collection after this many ranges (see _start_worker)
COLLECT_EVERY = 25

_worker: dict[str, Any] = {}


def _start_worker(database_url: str) -> None:
    from portal.core import db

    _worker["engine"] = db.make_engine(database_url)
    _worker["ranges"] = 0
    # Documents and their caches hold no reference cycles; the cyclic collector, walking the
    # growing caches again and again, took ~40% of a worker's time. Off, with a full collection
    # every COLLECT_EVERY ranges for whatever cycles the driver makes.
    gc.disable()


def _build(low: int, high: int, now: dt.datetime, version: int) -> tuple[int, bytes]:
    """In a worker: the (count, bulk body) of the candidates with low <= id <= high."""
    with own_connection(_worker["engine"]) as reader:
        docs = documents_in_range(reader, low, high, now)
    _worker["ranges"] += 1
    if _worker["ranges"] % COLLECT_EVERY == 0:
        gc.collect()
    return len(docs), bulk_body(docs, version)


def _visible_to_other_processes(bind: Any) -> bool:
    """False for a session bound to one connection (tests: uncommitted rows) or SQLite in memory."""
    if isinstance(bind, Connection):
        return False
    url = bind.url
    return not (url.get_backend_name() == "sqlite" and (url.database in (None, "", ":memory:")
                                                      or "mode=memory" in str(url)))


def bulk_bodies(bind: Any, *, now: dt.datetime, version: int, batch_size: int = 2000,
                workers: int = 0) -> Iterator[tuple[int, bytes]]:
    """(count, bulk body) per id range of `batch_size` candidates, in id order (see the module).

    `bind`: the session's Engine (or Connection); workers get its URL, password included, through
    the pipe that starts them (not on a command line).
    """
    with own_connection(bind) as reader:
        ranges = id_ranges(reader, batch_size)
        first = list(itertools.islice(ranges, 2))
        if workers < 1 or len(first) < 2 or not _visible_to_other_processes(bind):
            for low, high in itertools.chain(first, ranges):
                docs = documents_in_range(reader, low, high, now)
                yield len(docs), bulk_body(docs, version)
            return
        # spawn, not fork: a forked child would share the caller's pooled connections and threads
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker,
                                   initargs=(bind.url.render_as_string(hide_password=False),))
        try:
            pending: deque[Future[tuple[int, bytes]]] = deque()
            for low, high in itertools.chain(first, ranges):
                pending.append(pool.submit(_build, low, high, now, version))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
