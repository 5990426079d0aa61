"""Documents: who may read each one, its versions, the keys devices are given, what they hold.

A document belongs to an agenda item. Its readers are the meeting's audience, narrowed to some
roster groups if the document names any (server/audience.py, ``members_within``); its events,
its place in snapshots, its key and its blobs reach those readers only. The content is never in
an event: ``document.changed`` names the signed manifest, which devices fetch, with the chunks it
lists, over the bulk connection (server/bulk.py). Publishing a version — checking the PDF,
sealing it, storing it — is server/publishing.py; this module is what happens around it.

Keys. A device asks for the keys of the documents it may read (``document.keys``) and gets each
one wrapped for its own X25519 key; the wrap is kept (``document_wraps``), so the room knows who
holds which key. A new version gets a new key (its ``key_epoch`` goes up) when a device that was
given the current one may no longer read the document — revoked, or out of its audience: what
it already holds it keeps, but nothing newer opens with that key.

A meeting closed with "wipe" is never served again: no keys, no blobs, no documents in the
state; devices delete what they hold of it on contact.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import cast

from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from app import docformat
from app import protocol as p
from server import audience
from server.audience import Audience, View
from server.db import (
    BlobRow,
    DeviceRow,
    DocumentBlob,
    DocumentGroup,
    DocumentRow,
    DocumentVersionRow,
    DocumentWrapRow,
    HoldingRow,
    MeetingRow,
)
from server.dispatch import declare, route
from server.domains import agenda, devices, meetings, roster
from server.errors import ServiceError
from server.policy import ANY_DEVICE, STAFF
from server.store import Work


def audience_of(doc: DocumentRow, meeting: MeetingRow) -> Audience:
    return audience.members_within([g.group for g in doc.groups], [g.group for g in meeting.groups])


def get(db: DbSession, document_id: int) -> DocumentRow:
    doc = db.get(DocumentRow, document_id)
    if doc is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no document with id {document_id}")
    return doc


def latest(db: DbSession, doc: DocumentRow) -> DocumentVersionRow:
    version = db.get(DocumentVersionRow, (doc.id, doc.version))
    assert version is not None, "a document always has its current version"
    return version


def wire(doc: DocumentRow, version: DocumentVersionRow) -> p.Document:
    return p.Document(
        id=doc.id,
        meeting_id=doc.meeting_id,
        item_id=doc.item_id,
        title=doc.title,
        version=doc.version,
        key_epoch=version.key_epoch,
        manifest=version.manifest,
        length=version.length,
        pages=version.pages,
        changed_pages=json.loads(version.changed_pages),
        status=cast(p.DocumentStatus, doc.status),
        groups=[g.group for g in doc.groups],
    )


def announce(work: Work, doc: DocumentRow) -> None:
    work.db.flush()
    work.db.refresh(doc, ["groups"])
    meeting = meetings.get(work.db, doc.meeting_id)
    body = p.DocumentChanged(document=wire(doc, latest(work.db, doc)))
    work.emit(body, audience_of(doc, meeting))


def _readable(db: DbSession, doc: DocumentRow, view: View) -> bool:
    """``view`` may have the document's key and content now."""
    meeting = meetings.get(db, doc.meeting_id)
    return (
        doc.status == "published" and not meeting.wiped and audience_of(doc, meeting).admits(view)
    )


def current_versions(
    db: DbSession, meeting_ids: Sequence[int], *, published_only: bool = False
) -> list[tuple[DocumentRow, DocumentVersionRow]]:
    """The documents of these meetings with their current versions, by id."""
    query = (
        select(DocumentRow, DocumentVersionRow)
        .join(
            DocumentVersionRow,
            (DocumentVersionRow.document_id == DocumentRow.id)
            & (DocumentVersionRow.version == DocumentRow.version),
        )
        .where(DocumentRow.meeting_id.in_(meeting_ids))
        .order_by(DocumentRow.id)
    )
    if published_only:
        query = query.where(DocumentRow.status == "published")
    return [(doc, version) for doc, version in db.execute(query)]


def visible(db: DbSession, view: View, shown: Sequence[MeetingRow]) -> list[p.Document]:
    """The documents of the meetings ``shown`` to ``view`` that it may see (the snapshot's)."""
    by_id = {m.id: m for m in shown if not m.wiped}
    if not by_id:
        return []
    rows = current_versions(db, list(by_id))
    return [
        wire(doc, version)
        for doc, version in rows
        if audience_of(doc, by_id[doc.meeting_id]).admits(view)
    ]


def on_items(db: DbSession, item_ids: Sequence[int]) -> list[DocumentRow]:
    """The documents attached to any of these items, published or withdrawn."""
    if not item_ids:
        return []
    query = select(DocumentRow).where(DocumentRow.item_id.in_(item_ids)).order_by(DocumentRow.id)
    return list(db.scalars(query))


# ---------------------------------------------------------------------- changing documents


@route(p.DocumentUpdate, STAFF)
def update(work: Work, req: p.DocumentUpdate) -> p.Ok:
    doc = get(work.db, req.document_id)
    if req.title is not UNSET:
        doc.title = req.title
    if req.item_id is not UNSET and req.item_id != doc.item_id:
        item = agenda.get(work.db, req.item_id)
        if item.meeting_id != doc.meeting_id:
            raise ServiceError(
                p.ErrorCode.INVALID_ARGUMENT, "a document moves only within its meeting"
            )
        doc.item_id = item.id
    access = req.groups is not UNSET and sorted(set(req.groups)) != [g.group for g in doc.groups]
    if access and req.groups is not UNSET:
        roster.check_groups(work.db, req.groups)
        doc.groups = [DocumentGroup(group=g) for g in dict.fromkeys(req.groups)]
    announce(work, doc)
    if access:
        # Readers outside the new groups must lose it, new ones gain it: fresh snapshots.
        work.emit(p.AccessChanged())
    return p.Ok(id=req.id)


@route(p.DocumentWithdraw, STAFF)
def withdraw(work: Work, req: p.DocumentWithdraw) -> p.Ok:
    doc = get(work.db, req.document_id)
    if doc.status == "withdrawn":
        raise ServiceError(p.ErrorCode.CONFLICT, f"document {doc.id} is already withdrawn")
    doc.status = "withdrawn"
    announce(work, doc)
    from server.domains import presenting  # it reads documents: imported where it is needed

    presenting.stop_document(work, doc.id)
    return p.Ok(id=req.id)


# ---------------------------------------------------------------------- keys


def needs_new_key(db: DbSession, doc: DocumentRow) -> bool:
    """Some device given the current key may no longer read the document (revoked, or out of
    its audience): its next version must not open with that key."""
    meeting = meetings.get(db, doc.meeting_id)
    readers = audience_of(doc, meeting)
    holders = db.scalars(
        select(DocumentWrapRow.device_id).where(
            DocumentWrapRow.document_id == doc.id, DocumentWrapRow.key_epoch == doc.key_epoch
        )
    )
    for device_id in holders:
        info = devices.info(db, device_id)
        if info is None or info.revoked or not readers.admits(info.view):
            return True
    return False


def _caller_view(work: Work) -> tuple[int, View]:
    device_id = work.caller.device_id
    if device_id is None or work.caller.role is None:
        raise ServiceError(p.ErrorCode.FORBIDDEN, "only a device has document keys")
    return device_id, View.of(work.caller.role, work.caller.groups, device_id)


@route(p.DocumentKeys, ANY_DEVICE)
def keys(work: Work, req: p.DocumentKeys) -> p.KeysGiven:
    """The calling device's wrapped keys of the documents asked for that it may read now."""
    db = work.db
    device_id, view = _caller_view(work)
    device = db.get(DeviceRow, device_id)
    assert device is not None  # the device is active: checked before the handler runs
    out: list[p.WrappedKey] = []
    for document_id in dict.fromkeys(req.document_ids):
        doc = db.get(DocumentRow, document_id)
        if doc is None or not _readable(db, doc, view):
            continue
        given = db.get(DocumentWrapRow, (doc.id, doc.key_epoch, device_id))
        if given is None:
            key = work.keys.storage.open(doc.sealed_key, "key", doc.id, doc.key_epoch)
            wrapped = docformat.wrap_key(key, device.kx_key, doc.id, doc.key_epoch, device_id)
            given = DocumentWrapRow(
                document_id=doc.id,
                key_epoch=doc.key_epoch,
                device_id=device_id,
                wrapped=wrapped,
                given_at=time.time(),
            )
            db.add(given)
        out.append(p.WrappedKey(document_id=doc.id, key_epoch=doc.key_epoch, wrapped=given.wrapped))
    return p.KeysGiven(id=req.id, keys=out)


# ---------------------------------------------------------------------- what devices hold


@route(p.DeviceHolds, ANY_DEVICE)
def holds(work: Work, req: p.DeviceHolds) -> p.Ok:
    """Record what the calling device holds (documents it may not read are ignored)."""
    db = work.db
    device_id, view = _caller_view(work)
    now = time.time()
    for h in req.holdings:
        doc = db.get(DocumentRow, h.document_id)
        if doc is None or not _readable(db, doc, view):
            continue
        db.merge(
            HoldingRow(
                device_id=device_id,
                document_id=doc.id,
                version=h.version,
                held=h.held,
                reported_at=now,
            )
        )
    return p.Ok(id=req.id)


@route(p.ReadinessGet, STAFF)
def readiness(work: Work, req: p.ReadinessGet) -> p.Readiness:
    """For every active device: the chunks of the meeting's current versions it may read, and
    how many of them it said it holds."""
    db = work.db
    meeting = meetings.get(db, req.meeting_id)
    docs = current_versions(db, [meeting.id], published_only=True)
    held: dict[tuple[int, int], tuple[int, int, float]] = {
        (h.device_id, h.document_id): (h.version, h.held, h.reported_at)
        for h in db.scalars(
            select(HoldingRow).where(HoldingRow.document_id.in_([d.id for d, _ in docs]))
        )
    }
    readers = [(doc, version, audience_of(doc, meeting)) for doc, version in docs]
    out: list[p.DeviceReadiness] = []
    for info in devices.all_infos(db):
        if info.revoked or not meetings.audience_of(meeting).admits(info.view):
            continue
        total = has = 0
        reported: float | None = None
        for doc, version, who in readers:
            if meeting.wiped or not who.admits(info.view):
                continue
            total += version.chunks
            v, n, at = held.get((info.id, doc.id), (0, 0, 0.0))
            if v == doc.version:
                has += min(n, version.chunks)
            if at:
                reported = max(reported or 0.0, at)
        out.append(
            p.DeviceReadiness(
                device_id=info.id,
                delegate_id=info.delegate.id if info.delegate else None,
                role=info.role,
                held=has,
                total=total,
                reported_at=reported,
            )
        )
    return p.Readiness(id=req.id, meeting_id=meeting.id, devices=out[: p.MAX_READINESS_DEVICES])


# ---------------------------------------------------------------------- the bulk connection

# Both are answered by the bulk connection itself (server/bulk.py): the content is not a unit
# of work on the writer, and an upload is several frames.
declare(p.BlobsGet, ANY_DEVICE)
declare(p.DocumentUpload, STAFF)


def require_readable(db: DbSession, device_id: int, document_id: int) -> None:
    """Refuse unless the device may read the document now, as the database says at this
    moment."""
    info = devices.info(db, device_id)
    if info is None or info.revoked:
        raise ServiceError(p.ErrorCode.DEVICE_REVOKED, "this device was revoked")
    doc = db.get(DocumentRow, document_id)
    if doc is None or not _readable(db, doc, info.view):
        raise ServiceError(p.ErrorCode.FORBIDDEN, "this device may not read that document")


def blob_addresses(db: DbSession, document_id: int) -> frozenset[bytes]:
    """The blobs (manifests and chunks of every version) of a document."""
    query = select(DocumentBlob.address).where(DocumentBlob.document_id == document_id)
    return frozenset(db.scalars(query))


def read_blobs(db: DbSession, addresses: Sequence[bytes]) -> dict[bytes, bytes]:
    rows = db.execute(select(BlobRow.address, BlobRow.data).where(BlobRow.address.in_(addresses)))
    return {a: d for a, d in rows}
