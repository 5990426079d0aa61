"""Publishing a document version: check the PDF, seal it, store it, announce it — or nothing.

The steps, and where each runs (:func:`publish` takes the two runners, so the server and the
command line follow the same path):

1. **Target** (a read): the agenda item of a new document, or the document a revision
   replaces — its key, whether that key must be replaced (server/domains/documents.py,
   ``needs_new_key``), and the previous version's summary, to say which pages changed.
2. **Check and seal** (CPU, never the database thread): the PDF is checked — and cleaned of
   active content — in a confined child process (server/pdfcheck.py); the cleaned file is cut
   into chunks and sealed (app/docformat.py).
3. **Store the chunks** (database thread, a few MB per transaction): content-addressed, so
   storing one that exists already is a no-op, and a request waiting behind them waits for one
   batch, not for the whole document. Chunks stored for a publication that fails at step 4 are
   ciphertext under a key nobody holds: unreadable, and referenced by nothing.
4. **Commit** (one unit of work): the document or its new version, the signed manifest, which
   blobs belong to the document, and ``document.changed`` to its readers. It checks that the
   document did not change since step 1; if it did, nothing is stored and the upload is refused.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as DbSession

from app import docformat
from app import protocol as p
from server import pdfcheck
from server.config import DocumentsSection
from server.db import (
    BlobRow,
    DocumentBlob,
    DocumentGroup,
    DocumentRow,
    DocumentVersionRow,
)
from server.domains import agenda, documents, meetings, roster
from server.errors import ServiceError
from server.store import Caller, Outcome, Store, Work

T = TypeVar("T")
#: Runs a synchronous function on some thread and awaits its result (never on the event
#: loop's own thread: the PDF check runs an event loop of its own).
Runner = Callable[[Callable[[], T]], Awaitable[T]]


async def in_thread(fn: Callable[[], T]) -> T:
    """The runner of callers without threads of their own (the command line, tests)."""
    return await asyncio.to_thread(fn)


#: Sealed bytes stored per transaction.
BATCH_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    file_name: str
    data: bytes
    #: A new document of this item…
    item_id: int | None = None
    #: …or a revised version of this document.
    document_id: int | None = None
    title: str | None = None
    groups: tuple[str, ...] = ()

    @classmethod
    def of(cls, req: p.DocumentUpload, data: bytes) -> Upload:
        return cls(req.file_name, data, req.item_id, req.document_id, req.title, tuple(req.groups))


@dataclass(frozen=True)
class Target:
    """What step 1 found: where the version goes and under which key."""

    key: bytes
    key_epoch: int
    #: The revised document's version at step 1 (``None``: a new document).
    base_version: int | None
    previous: pdfcheck.PdfSummary | None


@dataclass(frozen=True)
class Sealed:
    upload: Upload
    target: Target
    summary: pdfcheck.PdfSummary
    changed_pages: list[int]
    chunks: list[docformat.ChunkRef]
    blobs: dict[bytes, bytes]


def pdf_limits(section: DocumentsSection) -> pdfcheck.PdfLimits:
    """What the room's configuration says a document may be."""
    return pdfcheck.PdfLimits(
        max_bytes=section.max_megabytes * 1024 * 1024, max_pages=section.max_pages
    )


def _title(upload: Upload) -> str:
    if upload.title:
        return upload.title
    stem = PurePath(upload.file_name).stem.strip() or upload.file_name
    return p.check(stem[:500], p.Title, "title")  # type: ignore[no-any-return]


def target(store: Store, upload: Upload) -> Target:
    """Step 1; refuses what cannot be published, before any work is done."""
    if (upload.item_id is None) == (upload.document_id is None):
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT, "name either the agenda item or the document to revise"
        )
    with store.read() as db:
        if upload.item_id is not None:
            item = agenda.get(db, upload.item_id)
            _check_meeting(db, item.meeting_id)
            roster.check_groups(db, upload.groups)
            return Target(docformat.new_key(), 1, None, None)
        assert upload.document_id is not None
        doc = documents.get(db, upload.document_id)
        if doc.status != "published":
            raise ServiceError(p.ErrorCode.CONFLICT, f"document {doc.id} was withdrawn")
        _check_meeting(db, doc.meeting_id)
        keys = store.keys
        if keys is None:
            raise ServiceError(p.ErrorCode.INTERNAL, "this room's keys were not loaded")
        key = keys.storage.open(doc.sealed_key, "key", doc.id, doc.key_epoch)
        version = documents.latest(db, doc)
        previous = pdfcheck.decode_summary(
            keys.storage.open(version.summary, "summary", doc.id, version.version)
        )
        if documents.needs_new_key(db, doc):
            return Target(docformat.new_key(), doc.key_epoch + 1, doc.version, previous)
        return Target(key, doc.key_epoch, doc.version, previous)


def _check_meeting(db: DbSession, meeting_id: int) -> None:
    if meetings.get(db, meeting_id).wiped:
        raise ServiceError(p.ErrorCode.CONFLICT, "that meeting was closed and wiped")


def seal(upload: Upload, found: Target, limits: pdfcheck.PdfLimits) -> Sealed:
    """Step 2: CPU only; raises :class:`~server.pdfcheck.PdfRefused`, which names the file."""
    checked = pdfcheck.check_pdf(upload.data, upload.file_name, limits)
    changed = [] if found.previous is None else pdfcheck.changed_pages(found.previous, checked)
    refs, sealed = docformat.seal_chunks(checked.data, found.key)
    return Sealed(upload, found, checked.summary(), changed, refs, sealed)


def _insert_ignoring_existing(db: DbSession, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    db.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def blob_batches(blobs: dict[bytes, bytes]) -> Iterator[list[tuple[bytes, bytes]]]:
    batch: list[tuple[bytes, bytes]] = []
    size = 0
    for where, data in blobs.items():
        batch.append((where, data))
        size += len(data)
        if size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def store_blobs(store: Store, batch: list[tuple[bytes, bytes]], caller: Caller) -> None:
    """Step 3, one batch."""

    def unit(work: Work) -> None:
        _insert_ignoring_existing(work.db, BlobRow, [{"address": a, "data": d} for a, d in batch])

    store.run(unit, caller)


def commit(store: Store, sealed: Sealed, caller: Caller) -> Outcome[p.DocumentPublished]:
    """Step 4."""
    upload, found = sealed.upload, sealed.target

    def unit(work: Work) -> p.DocumentPublished:
        work.require_active_device()
        db = work.db
        now = time.time()
        if upload.item_id is not None:
            item = agenda.get(db, upload.item_id)
            _check_meeting(db, item.meeting_id)
            doc = DocumentRow(
                meeting_id=item.meeting_id,
                item_id=item.id,
                title=_title(upload),
                status="published",
                version=1,
                key_epoch=found.key_epoch,
                sealed_key=b"",
                created_at=now,
                groups=[DocumentGroup(group=g) for g in dict.fromkeys(upload.groups)],
            )
            db.add(doc)
            db.flush()
        else:
            assert upload.document_id is not None
            doc = documents.get(db, upload.document_id)
            if doc.version != found.base_version or doc.status != "published":
                raise ServiceError(
                    p.ErrorCode.CONFLICT,
                    f"document {doc.id} changed while this version was uploaded; upload it again",
                )
            _check_meeting(db, doc.meeting_id)
            doc.version += 1
            doc.key_epoch = found.key_epoch
        storage = work.keys.storage
        doc.sealed_key = storage.seal(found.key, "key", doc.id, found.key_epoch)
        summary = sealed.summary
        manifest = docformat.Manifest(
            document_id=doc.id,
            version=doc.version,
            key_epoch=found.key_epoch,
            length=summary.size,
            chunks=sealed.chunks,
        )
        signed = docformat.sign_manifest(manifest, work.keys.signing)
        manifest_address = docformat.address(signed)
        _insert_ignoring_existing(db, BlobRow, [{"address": manifest_address, "data": signed}])
        db.execute(
            insert(DocumentVersionRow),
            [
                {
                    "document_id": doc.id,
                    "version": doc.version,
                    "key_epoch": found.key_epoch,
                    "manifest": manifest_address,
                    "length": summary.size,
                    "chunks": len({c.address for c in sealed.chunks}),
                    "pages": summary.page_count,
                    "changed_pages": json.dumps(sealed.changed_pages),
                    "file_name": upload.file_name,
                    "file_sha256": bytes.fromhex(summary.original_sha256),
                    "summary": storage.seal(
                        pdfcheck.encode_summary(summary), "summary", doc.id, doc.version
                    ),
                    "created_at": now,
                }
            ],
        )
        addresses = {manifest_address, *(c.address for c in sealed.chunks)}
        _insert_ignoring_existing(
            db, DocumentBlob, [{"document_id": doc.id, "address": a} for a in addresses]
        )
        documents.announce(work, doc)
        return p.DocumentPublished(
            id=0,
            document_id=doc.id,
            version=doc.version,
            pages=summary.page_count,
            changed_pages=sealed.changed_pages,
            removed=[p.Removed(kind=r.kind, count=r.count) for r in summary.removed],
        )

    return store.run(unit, caller)


async def publish(
    store: Store,
    upload: Upload,
    caller: Caller,
    limits: pdfcheck.PdfLimits,
    *,
    db: Runner[Any],
    cpu: Runner[Any],
) -> Outcome[p.DocumentPublished]:
    """Steps 1 to 4, each on its runner; raises ServiceError or
    :class:`~server.pdfcheck.PdfRefused` with nothing published."""
    found: Target = await cpu(lambda: target(store, upload))
    sealed: Sealed = await cpu(lambda: seal(upload, found, limits))
    for batch in blob_batches(sealed.blobs):
        await db(lambda batch=batch: store_blobs(store, batch, caller))  # type: ignore[misc]
    outcome: Outcome[p.DocumentPublished] = await db(lambda: commit(store, sealed, caller))
    return outcome
