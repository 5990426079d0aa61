"""Cross-process event fan-out for rooms on PostgreSQL: one LISTEN connection per server process.

With PostgreSQL several room server processes can serve one room from one database. A process
that appends events calls ``pg_notify('hemicycle_events', '<last seq>')`` inside the appending
transaction (server/store.py, ``NOTIFY_CHANNEL``), so PostgreSQL delivers the notification if,
and only after, the events are committed: a rolled-back append notifies nobody. Every process
runs a :class:`PgListener` and, on each notification, reads the log past the last ``seq`` it
sent to its own clients (its own appends come back too; the ``seq`` makes them a no-op).

NOTIFY is not durable: what is sent while the listener's connection is down is lost. So after
every (re)connect the listener calls ``on_notify("")`` — "something may have been missed,
re-read the log". A database restart or a failover to the standby costs one extra read, never
a lost event.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow
from sqlalchemy.engine import URL, make_url

log = logging.getLogger("hemicycle.pgnotify")

APPLICATION_NAME = "hemicycle-listener"
"""How the listener's connection is named in ``pg_stat_activity``, for operators."""

_CONNECTION_DEFAULTS = {
    "application_name": APPLICATION_NAME,
    "connect_timeout": "10",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
}
"""Connection settings unless the URL sets them. A LISTEN connection sends nothing while it
waits, so only TCP keepalives notice a database machine that vanished (power cut, failover):
after about 25 s instead of the kernel's two hours. ``connect_timeout`` stops a reconnect to a
machine that is gone from hanging for minutes."""

Connection = psycopg.AsyncConnection[TupleRow]


def conninfo_from_url(url: str | URL) -> str:
    """The libpq conninfo for a ``postgresql+psycopg://`` SQLAlchemy URL.

    SQLAlchemy's own dialect does the translation, so the listener connects exactly where the
    room's engine does: same host(s), port, user, password, and query options such as
    ``sslmode`` or ``sslrootcert``.
    """
    u = make_url(url)
    if u.get_backend_name() != "postgresql" or u.get_driver_name() != "psycopg":
        raise ValueError(f"not a postgresql+psycopg:// URL: {u.render_as_string()}")
    _, params = u.get_dialect()().create_connect_args(u)
    return make_conninfo("", **{**_CONNECTION_DEFAULTS, **params})


class PgListener:
    """Keeps one autocommit connection LISTENing on ``channel``; calls ``on_notify(payload)``.

    ``on_notify`` runs on the event loop that called :meth:`start`, once per notification
    with its payload, and once with ``""`` after every (re)connect. It should only schedule
    work; an exception it raises is logged and the listener carries on. A lost connection is
    retried for ever with a jittered delay doubling from ``min_delay`` to ``max_delay``
    seconds (a standby being promoted is back within seconds; a longer outage is not hammered).
    """

    def __init__(
        self,
        url: str | URL,
        channel: str,
        on_notify: Callable[[str], None],
        *,
        min_delay: float = 0.5,
        max_delay: float = 10.0,
    ) -> None:
        self._conninfo = conninfo_from_url(url)
        self._channel = channel
        self._on_notify = on_notify
        self._min_delay = min_delay
        self._max_delay = max_delay
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Connect and LISTEN; returns once listening, after ``on_notify("")``.

        A database that cannot be reached now raises here (``psycopg.OperationalError``): a
        room server must not come up without its fan-out. Later losses are retried.
        """
        if self._task is not None:
            raise RuntimeError("PgListener already started")
        conn = await self._connect()
        self._task = asyncio.create_task(self._run(conn), name=f"pg-listen-{self._channel}")
        self._task.add_done_callback(_report_death)

    async def stop(self) -> None:
        """Stop listening and close the connection; returns when the task has ended."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        await asyncio.wait({task})

    async def _connect(self) -> Connection:
        conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
        try:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        except BaseException:
            await conn.close()
            raise
        log.info("listening on %s (backend pid %d)", self._channel, conn.info.backend_pid)
        self._deliver("")
        return conn

    async def _run(self, conn: Connection | None) -> None:
        failures = 0
        while True:
            if conn is None:
                try:
                    conn = await self._connect()
                    failures = 0
                except (psycopg.Error, OSError) as exc:
                    delay = self._delay(failures)
                    failures += 1
                    log.warning(
                        "cannot LISTEN on %s (%s); retry in %.1f s", self._channel, exc, delay
                    )
                    await asyncio.sleep(delay)
                    continue
            try:
                async for notify in conn.notifies():
                    self._deliver(notify.payload)
            except (psycopg.Error, OSError) as exc:
                log.warning("lost the LISTEN connection on %s: %s", self._channel, exc)
            finally:
                await conn.close()
            conn = None

    def _delay(self, failures: int) -> float:
        """Half the window fixed, half random: processes restarted together spread out."""
        window = min(self._max_delay, self._min_delay * 2.0 ** min(failures, 30))
        return window / 2 + random.uniform(0, window / 2)

    def _deliver(self, payload: str) -> None:
        try:
            self._on_notify(payload)
        except Exception:
            log.exception("on_notify(%r) failed", payload)


def _report_death(task: asyncio.Task[None]) -> None:
    """A listener that died of a bug must say so: its process would stop fanning out."""
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("the LISTEN task stopped: %r", exc, exc_info=exc)
