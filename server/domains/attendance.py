"""Attendance: who is at a meeting — checked in from their own device, or by a secretary by hand
(present, absent, excused) — and proxies: an absent delegate's vote carried by one who is there.
Who may vote, and whether a poll is quorate, follow them (server/domains/polls.py).

Attendance is public within the meeting, as a hall's attendance list is: ``attendance.changed``
carries the resulting status of the delegates it names (never a diff), to the meeting's
audience.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server.db import AttendanceRow, DelegateRow, ProxyRow
from server.dispatch import route
from server.domains import meetings
from server.errors import ServiceError
from server.policy import STAFF, Policy
from server.store import Work

#: Check-in is for a delegate's own device: the delegate it was enrolled for.
DELEGATE = Policy(roles=frozenset({"delegate"}))


def of_meeting(db: DbSession, meeting_ids: list[int]) -> list[p.Attendance]:
    if not meeting_ids:
        return []
    rows = db.scalars(
        select(AttendanceRow)
        .where(AttendanceRow.meeting_id.in_(meeting_ids))
        .order_by(AttendanceRow.meeting_id, AttendanceRow.delegate_id)
    )
    return [_wire(r) for r in rows]


def present(db: DbSession, meeting_id: int) -> set[int]:
    """The delegates present at the meeting now."""
    query = select(AttendanceRow.delegate_id).where(
        AttendanceRow.meeting_id == meeting_id, AttendanceRow.status == "present"
    )
    return set(db.scalars(query))


def _wire(row: AttendanceRow) -> p.Attendance:
    return p.Attendance(
        meeting_id=row.meeting_id,
        delegate_id=row.delegate_id,
        status=row.status,  # type: ignore[arg-type]
        manual=row.manual,
    )


def set_status(
    work: Work, meeting_id: int, delegate_ids: list[int], status: p.AttendanceStatus, manual: bool
) -> None:
    """Record the status of delegates at a meeting and announce it."""
    db = work.db
    meeting = meetings.get(db, meeting_id)
    if meeting.status == "closed":
        raise ServiceError(p.ErrorCode.CONFLICT, "this meeting is closed")
    wanted = sorted(set(delegate_ids))
    known = set(db.scalars(select(DelegateRow.id).where(DelegateRow.id.in_(wanted))))
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise ServiceError(
            p.ErrorCode.NOT_FOUND, f"no delegate with id {', '.join(map(str, unknown[:5]))}"
        )
    changed: list[AttendanceRow] = []
    for delegate_id in wanted:
        row = db.get(AttendanceRow, (meeting_id, delegate_id))
        if row is None:
            row = AttendanceRow(meeting_id=meeting_id, delegate_id=delegate_id)
            db.add(row)
        elif (row.status, row.manual) == (status, manual):
            continue
        row.status, row.manual = status, manual
        changed.append(row)
    if changed:
        db.flush()
        work.emit(
            p.AttendanceChanged(meeting_id=meeting_id, entries=[_wire(r) for r in changed]),
            meetings.audience_of(meeting),
        )


@route(p.AttendanceCheckIn, DELEGATE)
def _check_in(work: Work, req: p.AttendanceCheckIn) -> p.Ok:
    delegate_id = work.caller.delegate_id
    if delegate_id is None:
        raise ServiceError(p.ErrorCode.FORBIDDEN, "this device is not enrolled for a delegate")
    if meetings.get(work.db, req.meeting_id).status != "open":
        raise ServiceError(p.ErrorCode.CONFLICT, "check-in opens when the meeting opens")
    set_status(work, req.meeting_id, [delegate_id], "present", manual=False)
    return p.Ok(id=req.id)


@route(p.AttendanceSet, STAFF)
def _set(work: Work, req: p.AttendanceSet) -> p.Ok:
    set_status(work, req.meeting_id, req.delegate_ids, req.status, manual=True)
    return p.Ok(id=req.id)


@route(p.ProxySet, STAFF)
def _proxy(work: Work, req: p.ProxySet) -> p.Ok:
    db = work.db
    meetings.get(db, req.meeting_id)
    for delegate_id in (req.giver_id, req.holder_id):
        if delegate_id is not None and db.get(DelegateRow, delegate_id) is None:
            raise ServiceError(p.ErrorCode.NOT_FOUND, f"no delegate with id {delegate_id}")
    if req.holder_id == req.giver_id:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "a delegate cannot hold their own proxy")
    if req.holder_id is not None and db.get(ProxyRow, (req.meeting_id, req.holder_id)) is not None:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT, "that delegate gave their own proxy: they cannot hold one"
        )
    row = db.get(ProxyRow, (req.meeting_id, req.giver_id))
    if req.holder_id is None:
        if row is not None:
            db.delete(row)
    elif row is None:
        db.add(ProxyRow(meeting_id=req.meeting_id, giver_id=req.giver_id, holder_id=req.holder_id))
    else:
        row.holder_id = req.holder_id
    return p.Ok(id=req.id)
