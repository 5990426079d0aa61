"""How a server process learns that someone else wrote to the room's log.

The command line, and on PostgreSQL other server processes, write to the same database. Each
engine has its cheapest way to notice: SQLite bumps ``PRAGMA data_version`` for every commit by
another connection, read every 100 ms on a connection of the feed's own (no table is read until
something changed); PostgreSQL delivers the ``NOTIFY`` each writing transaction sends, at
commit. Either way the feed only says "look": the server then reads the log after the last seq
it sent, so a missed or doubled wake-up costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy.engine import URL

from server.store import NOTIFY_CHANNEL, Store

if TYPE_CHECKING:
    from server.pgnotify import PgListener

log = logging.getLogger("hemicycle.server")

SQLITE_INTERVAL = 0.1

T = TypeVar("T")


class EventFeed(Protocol):
    async def start(self, wake: Callable[[], None]) -> None: ...

    async def stop(self) -> None: ...


class SqliteFeed:
    """Reads ``PRAGMA data_version`` on a connection of its own, on a thread of its own: the
    connection is only ever touched by that one thread, so stopping can never close it under a
    read still in flight."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="hemicycle-feed")
        self._conn: sqlite3.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def _call(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn)

    async def start(self, wake: Callable[[], None]) -> None:
        await self._call(self._connect)
        self._task = asyncio.create_task(self._watch(wake))

    def _connect(self) -> None:
        self._conn = sqlite3.connect(self._path, check_same_thread=False)
        self._conn.execute("PRAGMA query_only=ON")

    def _version(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def _watch(self, wake: Callable[[], None]) -> None:
        seen = await self._call(self._version)
        while True:
            await asyncio.sleep(SQLITE_INTERVAL)
            try:
                now = await self._call(self._version)
            except sqlite3.Error:
                log.exception("watching the database for other writers failed")
                continue
            if now != seen:
                seen = now
                wake()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._call(self._close)  # queued behind any read still running
        self._thread.shutdown(wait=True)


class PostgresFeed:
    def __init__(self, url: URL) -> None:
        self._url = url
        self._listener: PgListener | None = None

    async def start(self, wake: Callable[[], None]) -> None:
        # The PostgreSQL driver loads only for rooms on PostgreSQL: an SQLite room's server
        # stays ~7 MB lighter.
        from server.pgnotify import PgListener

        self._listener = PgListener(self._url, NOTIFY_CHANNEL, lambda _payload: wake())
        await self._listener.start()

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()


def feed_for(store: Store) -> EventFeed:
    url = store.engine.url
    if store.postgres:
        return PostgresFeed(url)
    return SqliteFeed(str(url.database))
