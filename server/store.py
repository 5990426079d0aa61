"""Units of work on the room database: one transaction, its log entries, who asked for it.

Every change to the room — from a device, the command line, another server process — runs as a
function ``fn(work) -> result`` inside :meth:`Store.run`: one write transaction that takes the
room's write lock at its start (SQLite ``BEGIN IMMEDIATE``; PostgreSQL an advisory transaction
lock), so writers serialise exactly as on SQLite and the log's ``seq`` and hash chain stay
correct with concurrent writers. What the transaction appended comes back in the
:class:`Outcome` with the function's result, so the server can send it without reading it back.
On PostgreSQL the transaction also notifies ``hemicycle_events``, which wakes every other
server process serving the room (server/feed.py).

A unit of work may ask for SQLite's write-ahead log to be emptied once it has committed
(:meth:`Work.empty_log_after_commit`): the WAL keeps each commit's pages in the order they were
written, which for a secret poll is the order its votes came in (docs/security.md §4.15).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server import eventlog
from server.audience import ALL, Audience
from server.db import DeviceRow, EventRow
from server.errors import ServiceError
from server.roomkeys import RoomKeys

T = TypeVar("T")

log = logging.getLogger(__name__)

#: PostgreSQL channel that every room server process listens on.
NOTIFY_CHANNEL = "hemicycle_events"
#: Advisory lock key shared by every writer of a room database ("hemicycle" in ASCII, folded).
_PG_WRITE_LOCK = 0x48454D49


@dataclass(frozen=True)
class Caller:
    """Who a unit of work runs for: a device (with its role and groups), the command line on
    the server machine, or a connection that has not authenticated (enrollment)."""

    actor: str
    role: p.Role | None = None
    device_id: int | None = None
    groups: frozenset[str] = frozenset()
    delegate_id: int | None = None

    @classmethod
    def device(
        cls,
        device_id: int,
        role: p.Role,
        groups: frozenset[str] = frozenset(),
        delegate_id: int | None = None,
    ) -> Caller:
        return cls(f"device:{device_id}", role, device_id, groups, delegate_id)


CLI = Caller("cli")
NETWORK = Caller("network")


class Work:
    """One open write transaction: the session, who it is for, and what it appended."""

    def __init__(self, db: DbSession, caller: Caller, keys: RoomKeys | None = None) -> None:
        self.db = db
        self.caller = caller
        self.appended: list[EventRow] = []
        self._keys = keys
        #: Empty SQLite's write-ahead log once this unit of work has committed.
        self.empty_log = False
        #: Units of work of their own, run once this one has committed and its events are sent.
        self.follow_ups: list[Callable[[Work], None]] = []

    @property
    def keys(self) -> RoomKeys:
        """The room's signing and storage keys, for work on documents."""
        if self._keys is None:
            raise ServiceError(p.ErrorCode.INTERNAL, "this room's keys were not loaded")
        return self._keys

    def emit(self, body: p.EventBody, to: Audience = ALL, *, anonymous: bool = False) -> EventRow:
        """Append an event for ``to``. ``anonymous`` records neither its time nor its author:
        for entries whose time or author could link a voter to a secret ballot."""
        actor = None if anonymous else self.caller.actor
        at = None if anonymous else time.time()
        row = eventlog.append(self.db, body, to, actor, at)
        self.appended.append(row)
        return row

    def empty_log_after_commit(self) -> None:
        """Once this unit of work has committed, copy SQLite's write-ahead log into the database
        and truncate it to nothing (``PRAGMA wal_checkpoint(TRUNCATE)``), so the pages of the
        commits before it are no longer kept in the order they were written. For a change after
        which that order must not survive: a secret poll closed or cancelled. PostgreSQL: nothing
        is done; its WAL is the database server's to keep and archive (docs/security.md §4.15).
        """
        self.empty_log = True

    def after_commit(self, fn: Callable[[Work], None]) -> None:
        """Run ``fn`` as a unit of work of its own once this one has committed and its events
        have been sent: work that must follow a change but need not delay it for the devices
        (a closed secret poll's rows written again, server/domains/polls.py). A server stopped
        in between never runs it, so what ``fn`` does must be findable from the database and
        done again at start."""
        self.follow_ups.append(fn)

    def require_active_device(self) -> None:
        """Refuse a device revoked since its session opened, inside the transaction: a revoked
        session gets nothing more applied, whatever the state of the server's caches."""
        device_id = self.caller.device_id
        if device_id is None:
            return
        revoked = self.db.execute(
            select(DeviceRow.revoked_at).where(DeviceRow.id == device_id)
        ).first()
        if revoked is None or revoked.revoked_at is not None:
            raise ServiceError(p.ErrorCode.DEVICE_REVOKED, "this device was revoked")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A committed unit of work: its result and the log entries it appended, in order."""

    result: T
    rows: list[EventRow] = field(default_factory=list)
    #: SQLite's write-ahead log is to be emptied now, by whoever sent ``rows``
    #: (:attr:`Store.checkpoint_later`).
    empty_log: bool = False
    #: Units of work to run next, each with the caller it runs for, by whoever sent ``rows``
    #: (:meth:`Work.after_commit`).
    follow_ups: tuple[tuple[Callable[[Work], None], Caller], ...] = ()

    @property
    def seq(self) -> int | None:
        return self.rows[-1].seq if self.rows else None


class Store:
    """The room database, and the room's keys for the units of work that need them (documents).
    Methods are synchronous; the server calls them from its threads."""

    def __init__(self, engine: Engine, keys: RoomKeys | None = None) -> None:
        self.engine = engine
        self.keys = keys
        self.postgres = engine.dialect.name == "postgresql"
        #: Set by the server: it empties the log and runs the follow-up units itself once a
        #: unit's events are sent (:meth:`empty_wal`, :meth:`Work.after_commit`), so a closed
        #: poll's result waits behind neither. The command line leaves it unset, and both are
        #: done before ``run`` returns.
        self.checkpoint_later = False
        if not self.postgres:
            _begin_sqlite_explicitly(engine)

    def run(self, fn: Callable[[Work], T], caller: Caller) -> Outcome[T]:
        """Run ``fn`` in one write transaction; all of it is committed, or none of it."""
        with DbSession(self.engine, expire_on_commit=False) as db, db.begin():
            db.connection(execution_options={"hemicycle_write": True})
            if self.postgres:
                db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            work = Work(db, caller, self.keys)
            result = fn(work)
            if self.postgres and work.appended:
                db.execute(
                    text("SELECT pg_notify(:c, :s)"),
                    {"c": NOTIFY_CHANNEL, "s": str(work.appended[-1].seq)},
                )
        empty = work.empty_log and not self.postgres
        follow_ups = tuple((then, caller) for then in work.follow_ups)
        if not self.checkpoint_later:
            for then, by in follow_ups:
                self.run(then, by)
            if empty:
                self.empty_wal()
            return Outcome(result, work.appended)
        return Outcome(result, work.appended, empty_log=empty, follow_ups=follow_ups)

    def empty_wal(self) -> bool:
        """Checkpoint SQLite's write-ahead log into the database file and truncate it, outside
        any transaction; True once it is empty. A reader that holds an old snapshot for longer
        than the busy timeout keeps it from emptying: that is logged, the pages stay in the log
        until SQLite next reuses it, and the change already committed stands."""
        try:
            raw = self.engine.raw_connection()
            try:
                sqlite = raw.driver_connection
                assert sqlite is not None
                # in autocommit mode (server/db.py): the pragma runs outside any transaction
                busy, _frames, _copied = sqlite.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)"
                ).fetchone()
            finally:
                raw.close()
        except (DBAPIError, OSError, sqlite3.Error):
            log.exception("the write-ahead log could not be emptied")
            return False
        if busy:
            log.warning("the write-ahead log could not be emptied: a reader was still using it")
        return not busy

    @contextmanager
    def read(self) -> Iterator[DbSession]:
        """A read-only transaction that sees one consistent state of the room."""
        options: dict[str, Any] = {"isolation_level": "REPEATABLE READ"} if self.postgres else {}
        with DbSession(self.engine, expire_on_commit=False) as db, db.begin():
            db.connection(execution_options=options)
            yield db

    def last_seq(self) -> int:
        with self.read() as db:
            return eventlog.last_seq(db)

    def events_after(self, seq: int, limit: int) -> list[EventRow]:
        with self.read() as db:
            return eventlog.after(db, seq, limit)

    def verify_log(self) -> tuple[int, int | None]:
        with self.read() as db:
            return eventlog.verify(db)

    def dispose(self) -> None:
        self.engine.dispose()


def _begin_sqlite_explicitly(engine: Engine) -> None:
    """Writers take SQLite's write lock at BEGIN (``IMMEDIATE``) so concurrent writers queue
    instead of failing mid-way; readers begin deferred and never block a writer (WAL)."""

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("hemicycle_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
