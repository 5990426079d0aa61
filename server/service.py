"""The room's domain operations: every state change, and the event it appends, in one transaction.

This module is the only writer of room state. The network server calls it from its database
thread; the command line calls it directly, even while a server runs on the same folder. Each
mutation writes the new state *and* its event (hash-chained to the previous one) in a single
``BEGIN IMMEDIATE`` transaction, so the log can never disagree with the tables and two writers
in two processes serialise instead of forking the chain. The running server tails the log and
broadcasts what it finds, whoever wrote it.
"""

from __future__ import annotations

import hashlib
import struct
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, cast

import msgspec
from sqlalchemy import delete, func, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from app.codes import new_secret
from server.db import (
    AgendaItemRow,
    DelegateRow,
    DeviceRow,
    EnrollmentCodeRow,
    EventRow,
    GroupMembership,
    MeetingRow,
    Setting,
)
from server.roster import RosterRow

GENESIS = b"\x00" * 32
ROLES = ("delegate", "secretary", "display", "admin")


class ServiceError(Exception):
    """A refused operation; ``code`` goes on the wire, ``message`` tells the user what to do."""

    def __init__(self, code: p.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ItemPlan(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One agenda item of a meeting file (``meeting import``), with its sub-items."""

    title: p.Title
    number: p.Label | None = None
    description: p.Text = ""
    planned_start: p.Clock | None = None
    planned_minutes: p.Minutes | None = None
    items: list[ItemPlan] = []


class MeetingPlan(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A meeting file: title, date and the agenda tree (``resources/sample/meeting.json``)."""

    title: p.Title
    starts_on: p.Date | None = None
    items: Annotated[list[ItemPlan], msgspec.Meta(max_length=2000)] = []


@dataclass(frozen=True)
class DeviceInfo:
    id: int
    role: p.Role
    sign_key: bytes
    revoked: bool
    delegate: p.Delegate | None


@dataclass(frozen=True)
class Change:
    """What a mutation produced: the id it created or touched, and the last seq it appended."""

    object_id: int | None
    seq: int


def chain_hash(prev: bytes, row: EventRow) -> bytes:
    """Hash of one log entry over its predecessor's hash and every field of the entry."""
    h = hashlib.sha256(prev)
    h.update(struct.pack(">Qd", row.seq, row.at))
    for part in (row.kind, row.audience, row.actor):
        h.update(part.encode() + b"\x00")
    h.update(row.body)
    return h.digest()


def _use_immediate_transactions(engine: Engine) -> None:
    """Take SQLite's write lock at BEGIN so concurrent writers queue instead of failing mid-way."""

    @sa_event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @sa_event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Room:
    """All reads and writes of one room database. Methods are synchronous and thread-confined."""

    def __init__(self, engine: Engine) -> None:
        _use_immediate_transactions(engine)
        self.engine = engine
        #: Log entries the latest transaction appended (read by the server right after a change).
        self.appended: list[EventRow] = []

    @contextmanager
    def _tx(self) -> Iterator[DbSession]:
        self.appended = []
        with DbSession(self.engine, expire_on_commit=False) as db, db.begin():
            yield db

    # ------------------------------------------------------------------ event log

    def _append(self, db: DbSession, body: p.EventBody, actor: str) -> EventRow:
        last = db.execute(
            select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
        )
        prev = last.first()
        seq = prev.seq + 1 if prev else 1
        row = EventRow(
            seq=seq,
            at=time.time(),
            kind=str(body.__struct_config__.tag),
            audience=p.audience_of(body),
            actor=actor,
            body=p.encode(body),
            hash=b"",
        )
        row.hash = chain_hash(prev.hash if prev else GENESIS, row)
        db.add(row)
        db.flush()
        self.appended.append(row)
        return row

    def last_seq(self) -> int:
        with self._tx() as db:
            return int(db.scalar(select(func.coalesce(func.max(EventRow.seq), 0))) or 0)

    def events_after(self, seq: int, limit: int) -> list[EventRow]:
        with self._tx() as db:
            rows = db.scalars(
                select(EventRow).where(EventRow.seq > seq).order_by(EventRow.seq).limit(limit)
            )
            return list(rows)

    def verify_log(self) -> tuple[int, int | None]:
        """Recompute the chain; returns (entries checked, first bad seq or None)."""
        prev = GENESIS
        count = 0
        expected_seq = 1
        with self._tx() as db:
            for row in db.scalars(select(EventRow).order_by(EventRow.seq)).yield_per(1000):
                intact = isinstance(row.body, bytes) and isinstance(row.hash, bytes)
                if row.seq != expected_seq or not intact or chain_hash(prev, row) != row.hash:
                    return count, expected_seq
                prev = row.hash
                count += 1
                expected_seq += 1
        return count, None

    # ------------------------------------------------------------------ room and snapshot

    def init_room(self, name: str) -> Change:
        with self._tx() as db:
            db.merge(Setting(key="room_name", value=name))
            row = self._append(db, p.RoomChanged(room=p.RoomInfo(name=name)), "cli")
            return Change(None, row.seq)

    def _room_info(self, db: DbSession) -> p.RoomInfo:
        settings = {s.key: s.value for s in db.scalars(select(Setting))}
        active = settings.get("active_meeting")
        return p.RoomInfo(
            name=settings.get("room_name", "?"),
            active_meeting_id=int(active) if active else None,
        )

    def room_name(self) -> str:
        with self._tx() as db:
            return self._room_info(db).name

    def snapshot(self) -> tuple[int, p.RoomState]:
        """The whole client-visible state and the seq it is current at, read in one transaction."""
        with self._tx() as db:
            seq = int(db.scalar(select(func.coalesce(func.max(EventRow.seq), 0))) or 0)
            meetings = [_meeting(m) for m in db.scalars(select(MeetingRow).order_by(MeetingRow.id))]
            items = [_item(i) for i in db.scalars(select(AgendaItemRow).order_by(AgendaItemRow.id))]
            return seq, p.RoomState(room=self._room_info(db), meetings=meetings, agenda=items)

    # ------------------------------------------------------------------ roster and devices

    def import_roster(self, rows: Sequence[RosterRow]) -> tuple[int, int]:
        """Insert or update delegates by number; returns (added, updated)."""
        added = updated = 0
        with self._tx() as db:
            existing = {d.number: d for d in db.scalars(select(DelegateRow))}
            for r in rows:
                d = existing.get(r.number)
                if d is None:
                    d = DelegateRow(number=r.number)
                    db.add(d)
                    added += 1
                else:
                    updated += 1
                d.full_name = r.full_name
                d.delegation = r.delegation
                d.voting_right = r.voting_right
                d.seat = r.seat
                d.groups = [GroupMembership(group=g) for g in r.groups]
            db.flush()
            total = db.scalar(select(func.count()).select_from(DelegateRow)) or 0
            self._append(db, p.RosterChanged(delegates=total), "cli")
        return added, updated

    def delegates(self) -> list[p.Delegate]:
        with self._tx() as db:
            rows = db.scalars(select(DelegateRow).order_by(DelegateRow.number))
            return [_delegate(d) for d in rows]

    def issue_code(
        self, role: p.Role, delegate_number: str | None = None, actor: str = "cli"
    ) -> bytes:
        """New one-time secret; earlier unused codes for the same holder stop working."""
        if role not in ROLES:
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, f"unknown role '{role}'")
        now = time.time()
        secret = new_secret()
        with self._tx() as db:
            delegate_id = None
            if role == "delegate":
                if delegate_number is None:
                    raise ServiceError(
                        p.ErrorCode.INVALID_ARGUMENT, "a delegate code needs a number"
                    )
                delegate_id = db.scalar(
                    select(DelegateRow.id).where(DelegateRow.number == delegate_number)
                )
                if delegate_id is None:
                    raise ServiceError(
                        p.ErrorCode.NOT_FOUND,
                        f"no delegate numbered '{delegate_number}'; import the roster first",
                    )
                db.execute(
                    update(EnrollmentCodeRow)
                    .where(
                        EnrollmentCodeRow.delegate_id == delegate_id,
                        EnrollmentCodeRow.used_at.is_(None),
                    )
                    .values(used_at=now)
                )
            db.add(
                EnrollmentCodeRow(
                    secret_hash=hashlib.sha256(secret).digest(),
                    role=role,
                    delegate_id=delegate_id,
                    created_at=now,
                )
            )
            self._append(db, p.CodeIssued(role=role, delegate_number=delegate_number), actor)
        return secret

    def enroll(
        self,
        secret: bytes,
        device_name: str,
        sign_key: bytes,
        kx_key: bytes,
        actor: str = "cli",
    ) -> DeviceInfo:
        """Consume a one-time code and register the device's public keys."""
        now = time.time()
        with self._tx() as db:
            code = db.scalar(
                select(EnrollmentCodeRow).where(
                    EnrollmentCodeRow.secret_hash == hashlib.sha256(secret).digest()
                )
            )
            if code is None or code.used_at is not None:
                raise ServiceError(
                    p.ErrorCode.INVALID_CODE,
                    "this enrollment code is unknown or was already used; ask the secretariat "
                    "for a new one",
                )
            device = DeviceRow(
                role=code.role,
                delegate_id=code.delegate_id,
                name=device_name,
                sign_key=sign_key,
                kx_key=kx_key,
                enrolled_at=now,
            )
            db.add(device)
            db.flush()
            code.used_at = now
            code.device_id = device.id
            delegate = db.get(DelegateRow, code.delegate_id) if code.delegate_id else None
            self._append(
                db,
                p.DeviceEnrolled(
                    device_id=device.id,
                    role=_role(code.role),
                    delegate_number=delegate.number if delegate else None,
                ),
                actor,
            )
            return DeviceInfo(
                device.id,
                _role(device.role),
                sign_key,
                False,
                _delegate(delegate) if delegate else None,
            )

    def device(self, device_id: int) -> DeviceInfo | None:
        with self._tx() as db:
            d = db.get(DeviceRow, device_id)
            if d is None:
                return None
            delegate = db.get(DelegateRow, d.delegate_id) if d.delegate_id else None
            return _device_info(d, delegate)

    def device_infos(self) -> list[DeviceInfo]:
        """Every device as authentication needs it, in one query (the server's warm cache)."""
        with self._tx() as db:
            rows = db.execute(
                select(DeviceRow, DelegateRow).outerjoin(
                    DelegateRow, DeviceRow.delegate_id == DelegateRow.id
                )
            )
            return [_device_info(row[0], row[1]) for row in rows]

    def devices(self) -> list[tuple[DeviceRow, str | None]]:
        """Every enrolled device with its delegate's number, for the operator's list."""
        with self._tx() as db:
            rows = db.execute(
                select(DeviceRow, DelegateRow.number)
                .outerjoin(DelegateRow, DeviceRow.delegate_id == DelegateRow.id)
                .order_by(DeviceRow.id)
            )
            return [(row[0], row[1]) for row in rows]

    def revoke_device(self, device_id: int, actor: str) -> Change:
        """The device can no longer authenticate; a running server closes its session at once."""
        with self._tx() as db:
            device = db.get(DeviceRow, device_id)
            if device is None:
                raise ServiceError(p.ErrorCode.NOT_FOUND, f"no device with id {device_id}")
            if device.revoked_at is not None:
                raise ServiceError(p.ErrorCode.CONFLICT, f"device {device_id} is already revoked")
            device.revoked_at = time.time()
            row = self._append(db, p.DeviceRevoked(device_id=device_id), actor)
            return Change(device_id, row.seq)

    # ------------------------------------------------------------------ meetings

    def create_meeting(self, title: str, starts_on: str | None, actor: str) -> Change:
        with self._tx() as db:
            m = MeetingRow(title=title, starts_on=starts_on, status="draft")
            db.add(m)
            db.flush()
            row = self._append(db, p.MeetingChanged(meeting=_meeting(m)), actor)
            return Change(m.id, row.seq)

    def update_meeting(
        self,
        meeting_id: int,
        actor: str,
        *,
        title: str | None = None,
        starts_on: str | None = None,
        status: str | None = None,
    ) -> Change:
        with self._tx() as db:
            m = self._get_meeting(db, meeting_id)
            if title is not None:
                m.title = title
            if starts_on is not None:
                m.starts_on = starts_on
            if status is not None:
                m.status = status
            row = self._append(db, p.MeetingChanged(meeting=_meeting(m)), actor)
            return Change(m.id, row.seq)

    def activate_meeting(self, meeting_id: int | None, actor: str) -> Change:
        """Choose the meeting every delegate screen shows (``None``: none)."""
        with self._tx() as db:
            if meeting_id is not None:
                self._get_meeting(db, meeting_id)
            row = self._set_active(db, meeting_id, actor)
            return Change(meeting_id, row.seq)

    def _set_active(self, db: DbSession, meeting_id: int | None, actor: str) -> EventRow:
        db.merge(Setting(key="active_meeting", value=str(meeting_id) if meeting_id else ""))
        db.flush()
        return self._append(db, p.RoomChanged(room=self._room_info(db)), actor)

    def _get_meeting(self, db: DbSession, meeting_id: int) -> MeetingRow:
        m = db.get(MeetingRow, meeting_id)
        if m is None:
            raise ServiceError(p.ErrorCode.NOT_FOUND, f"no meeting with id {meeting_id}")
        return m

    # ------------------------------------------------------------------ agenda

    def _get_item(self, db: DbSession, item_id: int) -> AgendaItemRow:
        item = db.get(AgendaItemRow, item_id)
        if item is None:
            raise ServiceError(p.ErrorCode.NOT_FOUND, f"no agenda item with id {item_id}")
        return item

    def _siblings(
        self, db: DbSession, meeting_id: int, parent_id: int | None
    ) -> list[AgendaItemRow]:
        q = select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting_id)
        q = q.where(
            AgendaItemRow.parent_id.is_(None)
            if parent_id is None
            else AgendaItemRow.parent_id == parent_id
        )
        return list(db.scalars(q.order_by(AgendaItemRow.position, AgendaItemRow.id)))

    @staticmethod
    def _renumber(siblings: list[AgendaItemRow], changed: dict[int, AgendaItemRow]) -> None:
        for pos, s in enumerate(siblings):
            if s.position != pos:
                s.position = pos
                changed[s.id] = s

    def _check_parent(self, db: DbSession, meeting_id: int, parent_id: int | None) -> None:
        if parent_id is None:
            return
        parent = self._get_item(db, parent_id)
        if parent.meeting_id != meeting_id:
            raise ServiceError(
                p.ErrorCode.INVALID_ARGUMENT, "the parent item belongs to another meeting"
            )

    def add_item(self, req: p.AgendaAdd, actor: str) -> Change:
        with self._tx() as db:
            self._get_meeting(db, req.meeting_id)
            self._check_parent(db, req.meeting_id, req.parent_id)
            changed: dict[int, AgendaItemRow] = {}
            item = self._insert_item(db, req, changed)
            row = self._emit_agenda(db, req.meeting_id, changed.values(), [], actor)
            return Change(item.id, row.seq)

    def _insert_item(
        self, db: DbSession, req: p.AgendaAdd, changed: dict[int, AgendaItemRow]
    ) -> AgendaItemRow:
        siblings = self._siblings(db, req.meeting_id, req.parent_id)
        pos = len(siblings) if req.position is None else min(req.position, len(siblings))
        item = AgendaItemRow(
            meeting_id=req.meeting_id,
            parent_id=req.parent_id,
            position=pos,
            number=req.number or "",
            title=req.title,
            description=req.description,
            planned_start=req.planned_start,
            planned_minutes=req.planned_minutes,
            status="pending",
        )
        db.add(item)
        db.flush()
        changed[item.id] = item
        siblings.insert(pos, item)
        self._renumber(siblings, changed)
        return item

    def import_meeting(self, plan: MeetingPlan, actor: str) -> tuple[Change, int]:
        """A meeting with its whole agenda, in one transaction: all of it or none of it."""
        with self._tx() as db:
            meeting = MeetingRow(title=plan.title, starts_on=plan.starts_on, status="draft")
            db.add(meeting)
            db.flush()
            self._append(db, p.MeetingChanged(meeting=_meeting(meeting)), actor)
            changed: dict[int, AgendaItemRow] = {}

            def add(items: list[ItemPlan], parent: int | None) -> None:
                for it in items:
                    req = p.AgendaAdd(
                        id=0,
                        meeting_id=meeting.id,
                        parent_id=parent,
                        number=it.number,
                        title=it.title,
                        description=it.description,
                        planned_start=it.planned_start,
                        planned_minutes=it.planned_minutes,
                    )
                    add(it.items, self._insert_item(db, req, changed).id)

            add(plan.items, None)
            row = self._emit_agenda(db, meeting.id, changed.values(), [], actor)
            return Change(meeting.id, row.seq), len(changed)

    def update_item(self, req: p.AgendaUpdate, actor: str) -> Change:
        with self._tx() as db:
            item = self._get_item(db, req.item_id)
            changed = {item.id: item}
            for field in ("number", "title", "description", "planned_start", "planned_minutes"):
                value = getattr(req, field)
                if value is not msgspec.UNSET:
                    setattr(item, field, value)
            if req.status is not msgspec.UNSET and req.status != item.status:
                if req.status == "current":
                    changed.update(self._make_current(db, item.meeting_id, item))
                else:
                    item.status = req.status
            row = self._emit_agenda(db, item.meeting_id, changed.values(), [], actor)
            return Change(item.id, row.seq)

    def remove_item(self, item_id: int, actor: str) -> Change:
        """Remove an item with everything under it."""
        with self._tx() as db:
            item = self._get_item(db, item_id)
            meeting_id, parent_id = item.meeting_id, item.parent_id
            removed: list[int] = []
            stack = [item]
            while stack:
                node = stack.pop()
                removed.append(node.id)
                stack.extend(self._siblings(db, meeting_id, node.id))
            db.execute(
                delete(AgendaItemRow).where(AgendaItemRow.id.in_(removed)),
                execution_options={"synchronize_session": "fetch"},
            )
            changed: dict[int, AgendaItemRow] = {}
            self._renumber(self._siblings(db, meeting_id, parent_id), changed)
            row = self._emit_agenda(db, meeting_id, changed.values(), removed, actor)
            return Change(item_id, row.seq)

    def move_item(self, item_id: int, parent_id: int | None, position: int, actor: str) -> Change:
        with self._tx() as db:
            item = self._get_item(db, item_id)
            meeting_id = item.meeting_id
            self._check_parent(db, meeting_id, parent_id)
            ancestor = parent_id
            while ancestor is not None:
                if ancestor == item_id:
                    raise ServiceError(
                        p.ErrorCode.INVALID_ARGUMENT, "an item cannot move under itself"
                    )
                ancestor = self._get_item(db, ancestor).parent_id
            changed = {item.id: item}
            old = [s for s in self._siblings(db, meeting_id, item.parent_id) if s.id != item_id]
            self._renumber(old, changed)
            new = [s for s in self._siblings(db, meeting_id, parent_id) if s.id != item_id]
            new.insert(min(position, len(new)), item)
            item.parent_id = parent_id
            item.position = -1  # forces _renumber to record it
            self._renumber(new, changed)
            row = self._emit_agenda(db, meeting_id, changed.values(), [], actor)
            return Change(item_id, row.seq)

    def _make_current(
        self, db: DbSession, meeting_id: int, item: AgendaItemRow | None
    ) -> dict[int, AgendaItemRow]:
        """The previous current item is marked done; ``item`` (if any) becomes current."""
        changed: dict[int, AgendaItemRow] = {}
        for prev in db.scalars(
            select(AgendaItemRow).where(
                AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.status == "current"
            )
        ):
            if item is None or prev.id != item.id:
                prev.status = "done"
                changed[prev.id] = prev
        if item is not None:
            item.status = "current"
            changed[item.id] = item
        return changed

    def set_current(self, meeting_id: int, item_id: int | None, actor: str) -> Change:
        """Move the meeting on to an item; the meeting opens and becomes the one shown."""
        with self._tx() as db:
            meeting = self._get_meeting(db, meeting_id)
            item = None
            if item_id is not None:
                item = self._get_item(db, item_id)
                if item.meeting_id != meeting_id:
                    raise ServiceError(
                        p.ErrorCode.INVALID_ARGUMENT, "the item belongs to another meeting"
                    )
            changed = self._make_current(db, meeting_id, item)
            if meeting.status == "draft":
                meeting.status = "open"
                self._append(db, p.MeetingChanged(meeting=_meeting(meeting)), actor)
            if self._room_info(db).active_meeting_id != meeting_id:
                self._set_active(db, meeting_id, actor)
            row = self._emit_agenda(db, meeting_id, changed.values(), [], actor)
            return Change(item_id, row.seq)

    def _emit_agenda(
        self,
        db: DbSession,
        meeting_id: int,
        items: Any,
        removed: list[int],
        actor: str,
    ) -> EventRow:
        db.flush()
        body = p.AgendaChanged(
            meeting_id=meeting_id,
            items=sorted((_item(i) for i in items), key=lambda i: i.id),
            removed=sorted(removed),
        )
        return self._append(db, body, actor)


# ---------------------------------------------------------------------- row -> wire


def _role(value: str) -> p.Role:
    """A role read back from the database, checked: the wire type admits only the four."""
    if value not in ROLES:
        raise ValueError(f"unknown role in database: {value}")
    return cast(p.Role, value)


def _device_info(d: DeviceRow, delegate: DelegateRow | None) -> DeviceInfo:
    return DeviceInfo(
        d.id,
        _role(d.role),
        d.sign_key,
        d.revoked_at is not None,
        _delegate(delegate) if delegate else None,
    )


def _meeting(m: MeetingRow) -> p.Meeting:
    return p.Meeting(
        id=m.id,
        title=m.title,
        starts_on=m.starts_on,
        status=m.status,  # type: ignore[arg-type]
    )


def _item(i: AgendaItemRow) -> p.AgendaItem:
    return p.AgendaItem(
        id=i.id,
        meeting_id=i.meeting_id,
        parent_id=i.parent_id,
        position=i.position,
        number=i.number,
        title=i.title,
        description=i.description,
        planned_start=i.planned_start,
        planned_minutes=i.planned_minutes,
        status=i.status,  # type: ignore[arg-type]
    )


def _delegate(d: DelegateRow) -> p.Delegate:
    return p.Delegate(number=d.number, full_name=d.full_name, delegation=d.delegation, seat=d.seat)
