"""What tests do to a room directly, as the command line would: through the domain modules."""

from __future__ import annotations

from typing import Any

from app import protocol as p
from app.codes import new_secret
from server import eventlog, snapshot
from server.audience import View
from server.datadir import DataDir
from server.db import EventRow
from server.domains import agenda, devices, roster
from server.store import CLI, Store

OPERATOR = View(staff=True, groups=frozenset(), device_id=0)
DELEGATE = View(staff=False, groups=frozenset(), device_id=0)


class RoomTool:
    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, d: DataDir) -> RoomTool:
        _config, store = d.open()
        return cls(store)

    def issue_code(self, role: p.Role, number: str | None = None, days: float = 30) -> bytes:
        secret = new_secret()
        self.store.run(lambda w: devices.issue(w, role, [(number, secret)], days), CLI)
        return secret

    def snapshot(self, view: View = DELEGATE) -> tuple[int, p.RoomState]:
        with self.store.read() as db:
            return snapshot.build(db, view)

    def events_after(self, seq: int, limit: int = 1000) -> list[EventRow]:
        return self.store.events_after(seq, limit)

    def last_seq(self) -> int:
        return self.store.last_seq()

    def verify_log(self) -> tuple[int, int | None]:
        return self.store.verify_log()

    def delegates(self) -> list[p.Delegate]:
        with self.store.read() as db:
            return sorted(roster.delegates(db), key=lambda d: d.number)

    def devices(self) -> list[Any]:
        with self.store.read() as db:
            return devices.listing(db)

    def set_current(self, meeting_id: int, item_id: int | None) -> None:
        req = p.AgendaSetCurrent(id=0, meeting_id=meeting_id, item_id=item_id)
        self.store.run(lambda w: agenda.set_current(w, req), CLI)

    def head(self) -> EventRow | None:
        with self.store.read() as db:
            last = eventlog.last_seq(db)
            rows = eventlog.after(db, last - 1, 1) if last else []
        return rows[0] if rows else None
