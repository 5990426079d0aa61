"""What tests do to a room directly, as the command line would: through the domain modules."""

from __future__ import annotations

import asyncio
from typing import Any

from app import protocol as p
from app.codes import new_secret, secret_text
from app.keys import DeviceKeys, b64
from server import dispatch, eventlog, publishing, snapshot
from server.audience import View
from server.config import DocumentsSection
from server.datadir import DataDir
from server.db import EventRow
from server.domains import agenda, devices, meetings, roster
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
            seq, _tag, state = snapshot.build(db, view)
        return seq, state

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

    def enroll_device(self, role: p.Role, number: str | None = None) -> int:
        """A device enrolled through the same handler as over the network; returns its id."""
        req, _keys = enroll_request(self.issue_code(role, number))
        return self.store.run(lambda w: devices.enroll(w, req), CLI).result.device_id

    def new_meeting(self, title: str = "Phiên thử", groups: list[str] | None = None) -> int:
        req = p.MeetingCreate(id=0, title=title, groups=groups or [])
        return self.store.run(lambda w: meetings.create(w, req), CLI).result.meeting_id

    def new_item(self, meeting_id: int, title: str = "Mục thử", parent: int | None = None) -> int:
        req = p.AgendaAdd(id=0, meeting_id=meeting_id, parent_id=parent, title=title)
        return self.store.run(lambda w: agenda.add(w, req), CLI).result.item_id

    def ask(self, request: p.ClientRequest) -> Any:
        """Any staff request, through its declared handler, as the command line's caller."""
        return dispatch.execute(self.store, dispatch.route_for(request), CLI, request).result

    def set_current(self, meeting_id: int, item_id: int | None) -> None:
        req = p.AgendaSetCurrent(id=0, meeting_id=meeting_id, item_id=item_id)
        self.store.run(lambda w: agenda.set_current(w, req), CLI)

    def publish(
        self,
        pdf: bytes,
        *,
        item_id: int | None = None,
        document_id: int | None = None,
        name: str = "Tài liệu.pdf",
        groups: tuple[str, ...] = (),
        title: str | None = None,
    ) -> p.DocumentPublished:
        """Publish a new document of ``item_id``, or a revision of ``document_id``, through
        the same path as an upload (the PDF checked in its child process, sealed, stored)."""

        upload = publishing.Upload(name, pdf, item_id, document_id, title, groups)
        limits = publishing.pdf_limits(DocumentsSection())
        outcome = asyncio.run(
            publishing.publish(
                self.store, upload, CLI, limits, db=publishing.in_thread, cpu=publishing.in_thread
            )
        )
        return outcome.result

    def head(self) -> EventRow | None:
        with self.store.read() as db:
            last = eventlog.last_seq(db)
            rows = eventlog.after(db, last - 1, 1) if last else []
        return rows[0] if rows else None


def enroll_request(secret: bytes, name: str = "Máy thử") -> tuple[p.Enroll, DeviceKeys]:
    """An ``enroll`` as a device would send it, with fresh keys."""
    keys = DeviceKeys.generate()
    return (
        p.Enroll(
            id=0,
            secret=secret_text(secret),
            device_name=name,
            sign_key=b64(keys.sign_public),
            kx_key=b64(keys.kx_public),
        ),
        keys,
    )
