"""Annotations: each delegate's highlights, ink, notes and bookmarks, kept by the room for their
other devices, sealed with a key the room never holds.

The room stores a delegate's annotations as :class:`~app.protocol.SealedAnnotation` records —
ciphertext, with in the clear only the record's id, its meeting and its edit stamp — and
hands them to that delegate's devices and to no one else: every request here is a delegate
device's about its own delegate, so there is no request that names another delegate at all.
The last edit of a record wins, by (stamp, device): the room keeps a put only if it is newer
than what it has, and answers an older one with its own copy, so every device ends with the
same record whichever order the edits arrive in.

The key (app/annotations.py) is made by a delegate's first device, which registers only its
id (``annotations.key.held``). A later device of the same delegate gets it from one that holds
it, wrapped for its public key and a pairing code the delegate carries between the two screens
(``annotations.key.give``): the room passes the envelope on and cannot open it, nor make one
the device would take (docs/security.md §4.20).

Each change is announced to the delegate's other devices with an ``annotations.changed`` that
carries nothing but the fact; they sync. A meeting wiped without ``notes_kept`` takes its
annotations with it (:func:`wipe`).
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app import protocol as p
from server.audience import device
from server.db import AnnotationDeviceRow, AnnotationKeyRow, AnnotationRow, DeviceRow, MeetingRow
from server.dispatch import route
from server.errors import ServiceError
from server.policy import Policy
from server.store import Work

#: Bytes of sealed records one ``annotations.synced`` carries at most (base64 adds a third):
#: well inside the server's frame limit.
REPLY_BUDGET = p.MAX_SERVER_FRAME // 2


def _delegate_device(work: Work, _req: object) -> None:
    if work.caller.delegate_id is None or work.caller.device_id is None:
        raise ServiceError(p.ErrorCode.FORBIDDEN, "annotations belong to a delegate's devices")


#: A delegate's device, about its own delegate's annotations.
DELEGATES = Policy(roles=frozenset({"delegate"}), rule=_delegate_device)


def _ids(work: Work) -> tuple[int, int]:
    caller = work.caller
    assert caller.delegate_id is not None and caller.device_id is not None  # the policy's rule
    return caller.delegate_id, caller.device_id


def _other_devices(work: Work, delegate_id: int, device_id: int) -> list[DeviceRow]:
    """The delegate's other devices still enrolled."""
    query = select(DeviceRow).where(
        DeviceRow.delegate_id == delegate_id,
        DeviceRow.revoked_at.is_(None),
        DeviceRow.id != device_id,
    )
    return list(work.db.scalars(query.order_by(DeviceRow.id)))


def _tell_others(work: Work, delegate_id: int, device_id: int) -> None:
    for other in _other_devices(work, delegate_id, device_id):
        work.emit(p.AnnotationsChanged(), device(other.id))


def _wire(row: AnnotationRow) -> p.SealedAnnotation:
    return p.SealedAnnotation(
        id=row.id,
        meeting_id=row.meeting_id,
        stamp=row.stamp,
        device_id=row.device_id,
        sealed=row.sealed,
    )


class _Meetings:
    """The meetings a sync's records name, read once each."""

    def __init__(self, work: Work) -> None:
        self._work = work
        self._seen: dict[int, MeetingRow] = {}

    def kept(self, meeting_id: int) -> bool:
        """Whether the room keeps annotations of this meeting (not wiped, or wiped with
        ``notes_kept``); an unknown meeting is refused."""
        row = self._seen.get(meeting_id)
        if row is None:
            row = self._work.db.get(MeetingRow, meeting_id)
            if row is None:
                raise ServiceError(p.ErrorCode.NOT_FOUND, f"no meeting with id {meeting_id}")
            self._seen[meeting_id] = row
        return not row.wiped or row.notes_kept


@route(p.AnnotationsSync, DELEGATES)
def _sync(work: Work, req: p.AnnotationsSync) -> p.AnnotationsSynced:
    db = work.db
    delegate_id, device_id = _ids(work)
    meetings = _Meetings(work)
    top: int = (
        db.scalar(
            select(func.coalesce(func.max(AnnotationRow.cursor), 0)).where(
                AnnotationRow.delegate_id == delegate_id
            )
        )
        or 0
    )
    written: set[bytes] = set()
    stale: list[AnnotationRow] = []
    count: int | None = None
    for record in req.put:
        if record.device_id != device_id:
            raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "a device puts its own edits only")
        if not meetings.kept(record.meeting_id):
            continue  # wiped with its annotations: the device deletes its copy too
        row = db.get(AnnotationRow, (delegate_id, record.id))
        if row is None:
            if count is None:
                count = (
                    db.scalar(select(func.count()).where(AnnotationRow.delegate_id == delegate_id))
                    or 0
                )
            if count >= p.MAX_ANNOTATIONS_PER_DELEGATE:
                raise ServiceError(
                    p.ErrorCode.INVALID_ARGUMENT,
                    f"a delegate keeps at most {p.MAX_ANNOTATIONS_PER_DELEGATE} annotations",
                )
            count += 1
            row = AnnotationRow(delegate_id=delegate_id, id=record.id)
            db.add(row)
        elif (record.stamp, record.device_id) <= (row.stamp, row.device_id):
            stale.append(row)  # the room's copy is the later edit: the device takes it
            continue
        top += 1
        row.meeting_id, row.stamp, row.device_id = record.meeting_id, record.stamp, device_id
        row.sealed, row.cursor = record.sealed, top
        written.add(record.id)
    if written:
        db.flush()
        _tell_others(work, delegate_id, device_id)
    records = [_wire(row) for row in stale]
    budget = REPLY_BUDGET - sum(len(r.sealed) for r in records)
    cursor, more = req.since, False
    changed = db.scalars(
        select(AnnotationRow)
        .where(AnnotationRow.delegate_id == delegate_id, AnnotationRow.cursor > req.since)
        .order_by(AnnotationRow.cursor)
        .execution_options(yield_per=64)
    )
    for row in changed:
        if row.id not in written:
            if len(records) >= p.MAX_ANNOTATIONS_PER_SYNC or len(row.sealed) > budget:
                more = True
                break
            budget -= len(row.sealed)
            records.append(_wire(row))
        cursor = row.cursor
    return p.AnnotationsSynced(id=req.id, cursor=cursor, records=records, more=more)


def _device_row(work: Work, device_id: int) -> AnnotationDeviceRow:
    row = work.db.get(AnnotationDeviceRow, device_id)
    if row is None:
        row = AnnotationDeviceRow(device_id=device_id)
        work.db.add(row)
    return row


def _standing(work: Work) -> tuple[int, int, AnnotationKeyRow | None, bool]:
    """The caller's delegate and device, the delegate's key (if any), and whether this device
    said it holds that key."""
    delegate_id, device_id = _ids(work)
    key = work.db.get(AnnotationKeyRow, delegate_id)
    mine = work.db.get(AnnotationDeviceRow, device_id)
    held = key is not None and mine is not None and mine.held == key.key_id
    return delegate_id, device_id, key, held


@route(p.AnnotationKeyGet, DELEGATES)
def _key_get(work: Work, req: p.AnnotationKeyGet) -> p.AnnotationKeyState:
    db = work.db
    delegate_id, device_id, key, held = _standing(work)
    mine = db.get(AnnotationDeviceRow, device_id)
    if key is None:
        return p.AnnotationKeyState(id=req.id)
    envelope = None
    if mine is not None and mine.envelope is not None and not held:
        envelope = p.KeyEnvelope(device_id=device_id, envelope=mine.envelope)
    waiting: list[p.WaitingDevice] = []
    if held:
        others = _other_devices(work, delegate_id, device_id)
        states = {
            row.device_id: row
            for row in db.scalars(
                select(AnnotationDeviceRow).where(
                    AnnotationDeviceRow.device_id.in_([d.id for d in others])
                )
            )
        }
        waiting = [
            p.WaitingDevice(device_id=d.id, kx_public=d.kx_key)
            for d in others
            if d.id not in states or states[d.id].held != key.key_id
        ][:64]
    return p.AnnotationKeyState(
        id=req.id, key_id=key.key_id, held=held, envelope=envelope, waiting=waiting
    )


@route(p.AnnotationKeyHeld, DELEGATES)
def _key_held(work: Work, req: p.AnnotationKeyHeld) -> p.Ok:
    db = work.db
    delegate_id, device_id = _ids(work)
    key = db.get(AnnotationKeyRow, delegate_id)
    if key is None:
        db.add(AnnotationKeyRow(delegate_id=delegate_id, key_id=req.key_id))
    elif key.key_id != req.key_id:
        raise ServiceError(
            p.ErrorCode.CONFLICT,
            "another of this delegate's devices made their annotation key first: "
            "bring it here from that device",
        )
    row = _device_row(work, device_id)
    row.held, row.envelope = req.key_id, None
    db.flush()
    return p.Ok(id=req.id)


@route(p.AnnotationKeyGive, DELEGATES)
def _key_give(work: Work, req: p.AnnotationKeyGive) -> p.Ok:
    db = work.db
    delegate_id, device_id, key, held = _standing(work)
    if key is None or not held:
        raise ServiceError(p.ErrorCode.CONFLICT, "this device does not hold the annotation key")
    others = {d.id for d in _other_devices(work, delegate_id, device_id)}
    for given in req.envelopes:
        if given.device_id not in others:  # another delegate's devices are not theirs to name
            raise ServiceError(
                p.ErrorCode.NOT_FOUND, f"no other device of yours has the id {given.device_id}"
            )
    for given in req.envelopes:
        row = _device_row(work, given.device_id)
        if row.held != key.key_id:
            row.envelope = given.envelope
            work.emit(p.AnnotationsChanged(), device(given.device_id))
    db.flush()
    return p.Ok(id=req.id)


def wipe(work: Work, meeting_id: int) -> None:
    """A meeting wiped without ``notes_kept``: its annotations go too, on every device."""
    work.db.execute(delete(AnnotationRow).where(AnnotationRow.meeting_id == meeting_id))
