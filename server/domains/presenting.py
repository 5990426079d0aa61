"""Presenting: what a meeting's presenter shows — a document's page and the region of it in
view — for every delegate's reader to follow.

The secretariat presents any document of a meeting; a delegate presents the documents of an
agenda item a secretary gave them the presenter role for (``presenter.set``), and only those they
may read. Each ``present.show`` replaces the meeting's presentation and is announced as
``presentation.changed`` with the whole of it (never a diff), to the meeting's audience: a page
turned is one small event, since the followers hold the document already (pre-staged). A device
outside a restricted document's groups gets the same event, and so learns only that a document
it has no key and no title for is being presented (docs/security.md §4.16). Taking the role
back ends the presenter's presentation; withdrawing the document or closing the meeting ends it
too (server/domains/documents.py and meetings.py call :func:`stop_document` and :func:`stop`),
each with its ``presentation.changed``, so every device — those outside the document's groups
included, which never see it withdrawn — stops following.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server.db import AgendaItemRow, DelegateRow, DocumentRow, PresentationRow
from server.dispatch import route
from server.domains import agenda, documents, meetings
from server.errors import ServiceError
from server.policy import STAFF, Policy
from server.store import Work

#: Who sends ``present.show`` and ``present.stop``: the secretariat, or a delegate holding the
#: presenter role for the document's agenda item (checked in the handlers).
PRESENTERS = Policy(roles=frozenset({"delegate", *p.STAFF_ROLES}))

_region_decoder = msgspec.json.Decoder(p.Region)


def of_meetings(db: DbSession, meeting_ids: list[int]) -> list[p.Presentation]:
    if not meeting_ids:
        return []
    rows = db.execute(
        select(PresentationRow, DelegateRow)
        .outerjoin(DelegateRow, DelegateRow.id == PresentationRow.presenter_id)
        .where(PresentationRow.meeting_id.in_(meeting_ids))
        .order_by(PresentationRow.meeting_id)
    )
    return [_wire(row, by) for row, by in rows]


def _wire(row: PresentationRow, by: DelegateRow | None) -> p.Presentation:
    return p.Presentation(
        meeting_id=row.meeting_id,
        document_id=row.document_id,
        version=row.version,
        page=row.page,
        region=_region_decoder.decode(row.region),
        presenter_id=row.presenter_id,
        presenter_name=by.full_name if by is not None else "",
    )


def _announce(work: Work, meeting_id: int, row: PresentationRow | None) -> None:
    meeting = meetings.get(work.db, meeting_id)
    by = work.db.get(DelegateRow, row.presenter_id) if row and row.presenter_id else None
    body = p.PresentationChanged(
        meeting_id=meeting_id, presentation=_wire(row, by) if row is not None else None
    )
    work.emit(body, meetings.audience_of(meeting))


def _secretariat(work: Work) -> bool:
    """Staff, or the command line on the server machine (no device)."""
    return work.caller.role in p.STAFF_ROLES or work.caller.device_id is None


def _presenter(work: Work, doc: DocumentRow) -> int | None:
    """Who presents ``doc`` for this caller: ``None`` for the secretariat, else the delegate —
    refused unless they hold the presenter role for its item and may read it."""
    caller = work.caller
    if _secretariat(work):
        return None
    item = agenda.get(work.db, doc.item_id)
    if caller.delegate_id is None or item.presenter_id != caller.delegate_id:
        raise ServiceError(
            p.ErrorCode.FORBIDDEN, "only the secretariat or this item's presenter presents it"
        )
    assert caller.device_id is not None  # not the secretariat: a delegate's device
    documents.require_readable(work.db, caller.device_id, doc.id)
    return caller.delegate_id


def _check_region(region: p.Region) -> None:
    if region.x + region.w > 10_000 or region.y + region.h > 10_000:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "that region goes past the page")


@route(p.PresentShow, PRESENTERS)
def _show(work: Work, req: p.PresentShow) -> p.Ok:
    db = work.db
    doc = documents.get(db, req.document_id)
    if doc.status != "published":
        raise ServiceError(p.ErrorCode.CONFLICT, "this document is withdrawn")
    meeting = meetings.get(db, doc.meeting_id)
    if meeting.status == "closed" or meeting.wiped:
        raise ServiceError(p.ErrorCode.CONFLICT, "this meeting is closed")
    presenter = _presenter(work, doc)
    version = documents.latest(db, doc)
    if req.page > version.pages:
        raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, f"this document has {version.pages} pages")
    _check_region(req.region)
    row = db.get(PresentationRow, meeting.id)
    if row is None:
        row = PresentationRow(meeting_id=meeting.id)
        db.add(row)
    elif row.presenter_id != presenter and presenter is not None:
        # a delegate does not take the screen from the secretariat or another presenter
        raise ServiceError(p.ErrorCode.CONFLICT, "someone else is presenting")
    row.document_id, row.version, row.page = doc.id, doc.version, req.page
    row.region = p.encode(req.region).decode()
    row.presenter_id = presenter
    db.flush()
    _announce(work, meeting.id, row)
    return p.Ok(id=req.id)


@route(p.PresentStop, PRESENTERS)
def _stop(work: Work, req: p.PresentStop) -> p.Ok:
    row = work.db.get(PresentationRow, req.meeting_id)
    if row is None:
        return p.Ok(id=req.id)  # nothing presented: stopped already
    if not _secretariat(work) and row.presenter_id != work.caller.delegate_id:
        raise ServiceError(p.ErrorCode.FORBIDDEN, "only the secretariat or the presenter stops it")
    stop(work, req.meeting_id)
    return p.Ok(id=req.id)


def stop(work: Work, meeting_id: int) -> None:
    """End the meeting's presentation, if there is one, and say so."""
    row = work.db.get(PresentationRow, meeting_id)
    if row is not None:
        work.db.delete(row)
        work.db.flush()
        _announce(work, meeting_id, None)


def stop_document(work: Work, document_id: int) -> None:
    """A document withdrawn: a presentation of it ends."""
    query = select(PresentationRow.meeting_id).where(PresentationRow.document_id == document_id)
    for meeting_id in list(work.db.scalars(query)):
        stop(work, meeting_id)


@route(p.PresenterSet, STAFF)
def _presenter_set(work: Work, req: p.PresenterSet) -> p.Ok:
    db = work.db
    item: AgendaItemRow = agenda.get(db, req.item_id)
    if req.delegate_id is not None and db.get(DelegateRow, req.delegate_id) is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no delegate with id {req.delegate_id}")
    before = item.presenter_id
    if before == req.delegate_id:
        return p.Ok(id=req.id)
    item.presenter_id = req.delegate_id
    changes = agenda.Changes()
    changes.touch(item)
    agenda.announce(work, meetings.get(db, item.meeting_id), changes)
    showing = db.get(PresentationRow, item.meeting_id)
    if showing is not None and before is not None and showing.presenter_id == before:
        stop(work, item.meeting_id)  # the role taken back: their presentation ends
    return p.Ok(id=req.id)
