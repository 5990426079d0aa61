"""Attendance: who is at a meeting — checked in from their own device, or by a secretary by hand
(present, absent, excused) — and proxies: an absent delegate's vote carried by one who is there.
Who may vote, and whether a poll is quorate, follow them (server/domains/polls.py).

Attendance is public within the meeting, as a hall's attendance list is: ``attendance.changed``
carries the resulting status of the delegates it names (never a diff), to the meeting's
audience. So are proxies, as a credentials committee's list is: ``proxy.changed`` tells the
meeting who carries a giver's vote now, with the giver's name and number, which the holder's
ballot shows (a delegate's device has no roster).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server.db import AttendanceRow, DelegateRow, DeviceRow, ProxyRow
from server.dispatch import declare, route
from server.domains import meetings
from server.errors import ServiceError
from server.groupcommit import Commit, GroupCommit
from server.policy import STAFF, Policy
from server.store import Caller, Work

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


def proxies_of(db: DbSession, meeting_ids: list[int]) -> list[p.Proxy]:
    if not meeting_ids:
        return []
    rows = db.execute(
        select(ProxyRow, DelegateRow)
        .join(DelegateRow, DelegateRow.id == ProxyRow.giver_id)
        .where(ProxyRow.meeting_id.in_(meeting_ids))
        .order_by(ProxyRow.meeting_id, ProxyRow.giver_id)
    )
    return [_proxy_wire(proxy, giver) for proxy, giver in rows]


def _proxy_wire(row: ProxyRow, giver: DelegateRow) -> p.Proxy:
    return p.Proxy(
        meeting_id=row.meeting_id,
        giver_id=row.giver_id,
        holder_id=row.holder_id,
        giver_number=giver.number,
        giver_name=giver.full_name,
    )


def present(db: DbSession, meeting_id: int) -> set[int]:
    """The delegates present at the meeting now."""
    query = select(AttendanceRow.delegate_id).where(
        AttendanceRow.meeting_id == meeting_id, AttendanceRow.status == "present"
    )
    return {d for (d,) in db.connection().execute(query)}


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
    held = {
        r.delegate_id: r
        for r in db.scalars(
            select(AttendanceRow).where(
                AttendanceRow.meeting_id == meeting_id, AttendanceRow.delegate_id.in_(wanted)
            )
        )
    }
    for delegate_id in wanted:
        row = held.get(delegate_id)
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


#: Check-ins committed together at most: a hall checking in at the start of a session is a
#: few batches, each one commit and one ``attendance.changed`` to the meeting, not one each.
CHECK_INS_AT_ONCE = 1000
#: The author of a batch of check-ins in the log; whose they are is in the entries (each
#: delegate's own, ``manual`` false).
CHECK_IN = Caller("check-in")

declare(p.AttendanceCheckIn, DELEGATE)


def check_ins(commit: Commit) -> GroupCommit[p.AttendanceCheckIn]:
    """The server's check-ins, committed in batches through ``commit``."""
    return GroupCommit(commit, _check_in_batch, CHECK_IN, CHECK_INS_AT_ONCE)


def _check_in_batch(
    work: Work, items: Sequence[tuple[Caller, p.AttendanceCheckIn]]
) -> list[ServiceError | None]:
    """The delegates of the devices that sent ``attendance.check_in`` are present, each at the
    meeting it named: checked together, recorded in one ``attendance.changed`` per meeting."""
    db = work.db
    devices = sorted({c.device_id for c, _req in items if c.device_id is not None})
    active = set(
        db.scalars(
            select(DeviceRow.id).where(DeviceRow.id.in_(devices), DeviceRow.revoked_at.is_(None))
        )
    )
    status: dict[int, str] = {}
    arriving: dict[int, set[int]] = {}
    refusals: list[ServiceError | None] = []
    for caller, req in items:
        try:
            if caller.device_id not in active:
                raise ServiceError(p.ErrorCode.DEVICE_REVOKED, "this device was revoked")
            if caller.delegate_id is None:
                raise ServiceError(
                    p.ErrorCode.FORBIDDEN, "this device is not enrolled for a delegate"
                )
            if req.meeting_id not in status:
                status[req.meeting_id] = meetings.get(db, req.meeting_id).status
            if status[req.meeting_id] != "open":
                raise ServiceError(p.ErrorCode.CONFLICT, "check-in opens when the meeting opens")
        except ServiceError as exc:
            refusals.append(exc)
            continue
        arriving.setdefault(req.meeting_id, set()).add(caller.delegate_id)
        refusals.append(None)
    for meeting_id, delegate_ids in sorted(arriving.items()):
        set_status(work, meeting_id, sorted(delegate_ids), "present", manual=False)
    return refusals


@route(p.AttendanceSet, STAFF)
def _set(work: Work, req: p.AttendanceSet) -> p.Ok:
    set_status(work, req.meeting_id, req.delegate_ids, req.status, manual=True)
    return p.Ok(id=req.id)


@route(p.ProxySet, STAFF)
def _proxy(work: Work, req: p.ProxySet) -> p.Ok:
    db = work.db
    meeting = meetings.get(db, req.meeting_id)
    if meeting.status == "closed":
        raise ServiceError(p.ErrorCode.CONFLICT, "this meeting is closed")
    for delegate_id in (req.giver_id, req.holder_id):
        if delegate_id is not None and db.get(DelegateRow, delegate_id) is None:
            raise ServiceError(p.ErrorCode.NOT_FOUND, f"no delegate with id {delegate_id}")
    if req.holder_id == req.giver_id:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "a delegate cannot hold their own proxy")
    if req.holder_id is not None and db.get(ProxyRow, (req.meeting_id, req.holder_id)) is not None:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT, "that delegate gave their own proxy: they cannot hold one"
        )
    if req.holder_id is not None and db.scalar(
        select(ProxyRow.giver_id).where(
            ProxyRow.meeting_id == req.meeting_id, ProxyRow.holder_id == req.giver_id
        )
    ):
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT, "that delegate holds a proxy: they cannot give theirs"
        )
    row = db.get(ProxyRow, (req.meeting_id, req.giver_id))
    if (row.holder_id if row is not None else None) == req.holder_id:
        return p.Ok(id=req.id)
    proxy: p.Proxy | None = None
    if req.holder_id is None:
        assert row is not None
        db.delete(row)
    else:
        if row is None:
            row = ProxyRow(meeting_id=req.meeting_id, giver_id=req.giver_id)
            db.add(row)
        row.holder_id = req.holder_id
        giver = db.get(DelegateRow, req.giver_id)
        assert giver is not None
        proxy = _proxy_wire(row, giver)
    db.flush()
    work.emit(
        p.ProxyChanged(meeting_id=req.meeting_id, giver_id=req.giver_id, proxy=proxy),
        meetings.audience_of(meeting),
    )
    return p.Ok(id=req.id)
