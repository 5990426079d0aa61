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
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.engine import URL

from server.store import NOTIFY_CHANNEL, Store

if TYPE_CHECKING:
    from server.pgnotify import PgListener

log = logging.getLogger("hemicycle.server")

SQLITE_INTERVAL = 0.1


class EventFeed(Protocol):
    async def start(self, wake: Callable[[], None]) -> None: ...

    async def stop(self) -> None: ...


class SqliteFeed:
    def __init__(self, path: str) -> None:
        self._path = path
        self._task: asyncio.Task[None] | None = None

    async def start(self, wake: Callable[[], None]) -> None:
        conn = await asyncio.to_thread(self._connect)
        self._task = asyncio.create_task(self._watch(conn, wake))

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, check_same_thread=False)
        conn.execute("PRAGMA query_only=ON")
        return conn

    async def _watch(self, conn: sqlite3.Connection, wake: Callable[[], None]) -> None:
        def version() -> int:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])

        try:
            seen = await asyncio.to_thread(version)
            while True:
                await asyncio.sleep(SQLITE_INTERVAL)
                try:
                    now = await asyncio.to_thread(version)
                except sqlite3.Error:
                    log.exception("watching the database for other writers failed")
                    continue
                if now != seen:
                    seen = now
                    wake()
        finally:
            conn.close()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


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
