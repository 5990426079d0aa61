"""Meetings: create, change, show on every screen, import from a file; who may see each one.

A meeting is for everyone, or for the members of some groups of the roster (a committee's
session). Its events, and its agenda's, are addressed to that audience (server/audience.py),
so a delegate outside the groups never receives the meeting, live, on replay or in a snapshot.
Changing a meeting's groups is followed by ``access.changed``, on which the server sends every
affected device a fresh snapshot.
"""

from __future__ import annotations

import datetime

from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server import audience, wire
from server.audience import Audience, View
from server.db import MeetingGroup, MeetingRow
from server.dispatch import route
from server.domains import room
from server.errors import ServiceError
from server.policy import STAFF
from server.store import Work


def audience_of(m: MeetingRow) -> Audience:
    return audience.members_of([g.group for g in m.groups])


def get(db: DbSession, meeting_id: int) -> MeetingRow:
    m = db.get(MeetingRow, meeting_id)
    if m is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no meeting with id {meeting_id}")
    return m


def visible(db: DbSession, view: View) -> list[MeetingRow]:
    """The meetings a device with ``view`` may see, by id."""
    rows = db.scalars(select(MeetingRow).order_by(MeetingRow.id))
    return [m for m in rows if audience_of(m).admits(view)]


def _announce(work: Work, m: MeetingRow) -> None:
    work.db.flush()
    work.db.refresh(m, ["groups"])
    work.emit(p.MeetingChanged(meeting=wire.meeting(m)), audience_of(m))


def new(work: Work, title: str, starts_on: datetime.date | None, groups: list[str]) -> MeetingRow:
    m = MeetingRow(
        title=title,
        starts_on=wire.date_text(starts_on),
        status="draft",
        groups=[MeetingGroup(group=g) for g in dict.fromkeys(groups)],
    )
    work.db.add(m)
    work.db.flush()
    _announce(work, m)
    return m


@route(p.MeetingCreate, STAFF)
def create(work: Work, req: p.MeetingCreate) -> p.MeetingCreated:
    m = new(work, req.title, req.starts_on, req.groups)
    return p.MeetingCreated(id=req.id, meeting_id=m.id)


@route(p.MeetingUpdate, STAFF)
def update(work: Work, req: p.MeetingUpdate) -> p.Ok:
    """Change a meeting. Closing it with ``wipe`` is final: devices delete its keys and
    documents on contact, and the room serves them to no one again."""
    m = get(work.db, req.meeting_id)
    if m.wiped and (req.status is not UNSET or req.wipe):
        raise ServiceError(p.ErrorCode.CONFLICT, "this meeting was closed and wiped; it stays so")
    if req.wipe:
        if req.status != "closed":
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "a meeting is wiped as it closes")
        m.wiped = True
    if req.offline_grace_hours is not UNSET:
        m.offline_grace_hours = req.offline_grace_hours
    if req.notes_kept is not UNSET:
        m.notes_kept = req.notes_kept
    if req.export_allowed is not UNSET:
        m.export_allowed = req.export_allowed
    if req.title is not UNSET:
        m.title = req.title
    if req.starts_on is not UNSET:
        m.starts_on = wire.date_text(req.starts_on)
    if req.status is not UNSET:
        m.status = req.status
    access = req.groups is not UNSET and sorted(set(req.groups)) != [g.group for g in m.groups]
    if access and req.groups is not UNSET:
        m.groups = [MeetingGroup(group=g) for g in dict.fromkeys(req.groups)]
    _announce(work, m)
    if m.status == "closed":
        from server.domains import presenting  # it reads meetings: imported where it is needed

        presenting.stop(work, m.id)  # presenting ends with the meeting
    if req.wipe and not m.notes_kept:
        from server.domains import annotations  # it reads meetings: imported where needed

        annotations.wipe(work, m.id)
    if access:
        # Members of the new groups need the meeting's agenda, those of the old ones must lose
        # both: every device concerned gets a fresh snapshot after this entry.
        work.emit(p.AccessChanged())
    return p.Ok(id=req.id)


@route(p.MeetingActivate, STAFF)
def activate(work: Work, req: p.MeetingActivate) -> p.Ok:
    if req.meeting_id is not None:
        get(work.db, req.meeting_id)
    room.show_meeting(work, req.meeting_id)
    return p.Ok(id=req.id)
