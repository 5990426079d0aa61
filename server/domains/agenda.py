"""Agenda items: the tree of a meeting's items, their order, and which one is current.

Every change is announced as ``agenda.changed`` events carrying the resulting state of the items
it touched (never a diff), addressed to the meeting's audience and split so each fits a frame.
Positions among siblings stay dense (0, 1, 2…). The tree is at most ``MAX_AGENDA_DEPTH`` levels
deep, checked here for adding, moving and importing.

Which item is current follows the meeting: making an item current marks the one before it done,
except an ancestor of the new current item, which stays open while its sub-items are discussed;
ancestors the meeting has left behind are marked done with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from msgspec import UNSET
from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server import wire
from server.db import AgendaItemRow, MeetingRow
from server.dispatch import route
from server.domains import documents, meetings, room
from server.errors import ServiceError
from server.policy import STAFF
from server.store import Work


@dataclass
class Changes:
    """Items a unit of work touched, announced together at its end."""

    items: dict[int, AgendaItemRow] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)

    def touch(self, *rows: AgendaItemRow) -> None:
        for row in rows:
            self.items[row.id] = row


def announce(work: Work, meeting: MeetingRow, changes: Changes) -> None:
    """Emit the changes as ``agenda.changed`` events to the meeting's audience, in parts that
    each fit a frame (an import of hundreds of items is several events of one commit)."""
    work.db.flush()
    to = meetings.audience_of(meeting)
    items = sorted((wire.item(i) for i in changes.items.values()), key=lambda i: i.id)
    removed = sorted(changes.removed)
    for part in wire.batches(items):
        work.emit(p.AgendaChanged(meeting_id=meeting.id, items=part, removed=removed), to)
        removed = []  # a removal list is small: ids only, at most one tree's worth


def items_of(db: DbSession, meeting_ids: list[int]) -> list[p.AgendaItem]:
    if not meeting_ids:
        return []
    rows = db.scalars(
        select(AgendaItemRow)
        .where(AgendaItemRow.meeting_id.in_(meeting_ids))
        .order_by(AgendaItemRow.id)
    )
    return [wire.item(i) for i in rows]


def get(db: DbSession, item_id: int) -> AgendaItemRow:
    item = db.get(AgendaItemRow, item_id)
    if item is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no agenda item with id {item_id}")
    return item


def _siblings(db: DbSession, meeting_id: int, parent_id: int | None) -> list[AgendaItemRow]:
    q = select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting_id)
    q = q.where(
        AgendaItemRow.parent_id.is_(None)
        if parent_id is None
        else AgendaItemRow.parent_id == parent_id
    )
    return list(db.scalars(q.order_by(AgendaItemRow.position, AgendaItemRow.id)))


def _renumber(siblings: list[AgendaItemRow], changes: Changes) -> None:
    for pos, s in enumerate(siblings):
        if s.position != pos:
            s.position = pos
            changes.touch(s)


def _ancestors(db: DbSession, item: AgendaItemRow) -> list[AgendaItemRow]:
    """Parent first, up to the top level."""
    out: list[AgendaItemRow] = []
    parent_id = item.parent_id
    while parent_id is not None:
        parent = get(db, parent_id)
        out.append(parent)
        parent_id = parent.parent_id
    return out


def _height(db: DbSession, item: AgendaItemRow) -> int:
    """Levels from ``item`` down to its deepest sub-item, ``item`` included."""
    height, level = 1, [item.id]
    while True:
        kids = list(db.scalars(select(AgendaItemRow.id).where(AgendaItemRow.parent_id.in_(level))))
        if not kids:
            return height
        height, level = height + 1, kids


def _check_parent(db: DbSession, meeting_id: int, parent_id: int | None, height: int) -> None:
    """``parent_id`` may take a subtree ``height`` levels high under it."""
    if parent_id is None:
        depth = 0
    else:
        parent = get(db, parent_id)
        if parent.meeting_id != meeting_id:
            raise ServiceError(
                p.ErrorCode.INVALID_ARGUMENT, "the parent item belongs to another meeting"
            )
        depth = len(_ancestors(db, parent)) + 1
    if depth + height > p.MAX_AGENDA_DEPTH:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT,
            f"an agenda is at most {p.MAX_AGENDA_DEPTH} levels deep",
        )


def insert(work: Work, req: p.AgendaAdd, changes: Changes) -> AgendaItemRow:
    """Insert one item among its siblings (the meeting file import uses it too)."""
    db = work.db
    _check_parent(db, req.meeting_id, req.parent_id, 1)
    siblings = _siblings(db, req.meeting_id, req.parent_id)
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
    changes.touch(item)
    siblings.insert(pos, item)
    _renumber(siblings, changes)
    return item


@route(p.AgendaAdd, STAFF)
def add(work: Work, req: p.AgendaAdd) -> p.AgendaAdded:
    m = meetings.get(work.db, req.meeting_id)
    changes = Changes()
    item = insert(work, req, changes)
    announce(work, m, changes)
    return p.AgendaAdded(id=req.id, item_id=item.id)


@route(p.AgendaUpdate, STAFF)
def update(work: Work, req: p.AgendaUpdate) -> p.Ok:
    item = get(work.db, req.item_id)
    changes = Changes()
    changes.touch(item)
    for name in ("number", "title", "description", "planned_start", "planned_minutes"):
        value = getattr(req, name)
        if value is not UNSET:
            setattr(item, name, value)
    if req.status is not UNSET and req.status != item.status:
        if req.status == "current":
            _make_current(work.db, item.meeting_id, item, changes)
        else:
            item.status = req.status
    announce(work, meetings.get(work.db, item.meeting_id), changes)
    return p.Ok(id=req.id)


@route(p.AgendaRemove, STAFF)
def remove(work: Work, req: p.AgendaRemove) -> p.Ok:
    """Remove an item with everything under it, unless documents were attached to any of them:
    what was published stays on the record (move the documents to another item first)."""
    db = work.db
    item = get(db, req.item_id)
    meeting_id, parent_id = item.meeting_id, item.parent_id
    changes = Changes()
    stack = [item]
    while stack:
        node = stack.pop()
        changes.removed.append(node.id)
        stack.extend(_siblings(db, meeting_id, node.id))
    attached = documents.on_items(db, changes.removed)
    if attached:
        raise ServiceError(
            p.ErrorCode.CONFLICT,
            f"'{attached[0].title}' is attached to this item or one under it; move its "
            "documents to another item first (console: Documents, Details…; command line: "
            "hemicycle-server doc move)",
        )
    db.execute(
        delete(AgendaItemRow).where(AgendaItemRow.id.in_(changes.removed)),
        execution_options={"synchronize_session": "fetch"},
    )
    _renumber(_siblings(db, meeting_id, parent_id), changes)
    announce(work, meetings.get(db, meeting_id), changes)
    return p.Ok(id=req.id)


@route(p.AgendaMove, STAFF)
def move(work: Work, req: p.AgendaMove) -> p.Ok:
    db = work.db
    item = get(db, req.item_id)
    meeting_id = item.meeting_id
    if req.parent_id is not None:
        parent = get(db, req.parent_id)
        if parent.id == item.id or item in _ancestors(db, parent):
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "an item cannot move under itself")
    _check_parent(db, meeting_id, req.parent_id, _height(db, item))
    changes = Changes()
    changes.touch(item)
    old = [s for s in _siblings(db, meeting_id, item.parent_id) if s.id != item.id]
    _renumber(old, changes)
    new = [s for s in _siblings(db, meeting_id, req.parent_id) if s.id != item.id]
    new.insert(min(req.position, len(new)), item)
    item.parent_id = req.parent_id
    item.position = -1  # forces _renumber to record it
    _renumber(new, changes)
    announce(work, meetings.get(db, meeting_id), changes)
    return p.Ok(id=req.id)


def _make_current(
    db: DbSession, meeting_id: int, item: AgendaItemRow | None, changes: Changes
) -> None:
    """``item`` (if any) becomes current. The previous current item is done unless it is an
    ancestor of ``item``; its ancestors that are not ``item``'s ancestors are done too, and
    ``item``'s own ancestors are open (pending) while it runs."""
    keep = {a.id for a in _ancestors(db, item)} if item is not None else set()
    for prev in db.scalars(
        select(AgendaItemRow).where(
            AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.status == "current"
        )
    ):
        if item is not None and prev.id == item.id:
            continue
        prev.status = "pending" if prev.id in keep else "done"
        changes.touch(prev)
        for ancestor in _ancestors(db, prev):
            if ancestor.id not in keep and ancestor.status != "done":
                ancestor.status = "done"
                changes.touch(ancestor)
    if item is not None:
        item.status = "current"
        changes.touch(item)
        for ancestor in _ancestors(db, item):  # going back into a finished item reopens it
            if ancestor.status == "done":
                ancestor.status = "pending"
                changes.touch(ancestor)


@route(p.AgendaSetCurrent, STAFF)
def set_current(work: Work, req: p.AgendaSetCurrent) -> p.Ok:
    """Move the meeting on to an item; the meeting opens and becomes the one shown."""
    db = work.db
    meeting = meetings.get(db, req.meeting_id)
    if meeting.status == "closed":
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "the meeting is closed; reopen it first")
    item = None
    if req.item_id is not None:
        item = get(db, req.item_id)
        if item.meeting_id != req.meeting_id:
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "the item belongs to another meeting")
    changes = Changes()
    _make_current(db, req.meeting_id, item, changes)
    if meeting.status == "draft":
        meeting.status = "open"
        work.emit(p.MeetingChanged(meeting=wire.meeting(meeting)), meetings.audience_of(meeting))
    room.show_meeting(work, req.meeting_id)
    announce(work, meeting, changes)
    return p.Ok(id=req.id)
