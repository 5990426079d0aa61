"""The room's event log: append, hash chain, verify, read back.

The log is the audit record and what clients sync from. Each entry is appended in the same
transaction as the state change it describes (server/store.py), so log and tables never
disagree, and writers are serialised (SQLite's write lock, PostgreSQL's advisory lock), so
``seq`` is gap-free and the chain cannot fork however many processes write.

Each entry's hash covers its predecessor's hash and every field of the entry::

    SHA-256( previous hash ‖ seq ‖ at ‖ kind \\0 ‖ audience \\0 ‖ actor \\0 ‖ body )

An entry may leave ``at`` and ``actor`` unrecorded (``None``), as a secret ballot's turnout must:
``at`` then hashes as eight 0xFF bytes (a NaN no clock returns) and ``actor`` as the byte 0xFF
(never valid UTF-8), so no recorded value hashes like an unrecorded one.
"""

from __future__ import annotations

import hashlib
import struct

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from server.audience import Audience
from server.db import EventRow
from server.errors import ServiceError

GENESIS = b"\x00" * 32
_NO_TIME = b"\xff" * 8
_NO_ACTOR = b"\xff"


def chain_hash(prev: bytes, row: EventRow) -> bytes:
    """Hash of one log entry over its predecessor's hash and every field of the entry."""
    h = hashlib.sha256(prev)
    h.update(struct.pack(">Q", row.seq))
    h.update(_NO_TIME if row.at is None else struct.pack(">d", row.at))
    h.update(row.kind.encode() + b"\x00")
    h.update(row.audience.encode() + b"\x00")
    h.update((_NO_ACTOR if row.actor is None else row.actor.encode()) + b"\x00")
    h.update(row.body)
    return h.digest()


def append(
    db: DbSession, body: p.EventBody, audience: Audience, actor: str | None, at: float | None
) -> EventRow:
    """Append one entry after the last; the caller's transaction holds the write lock.

    The entry is refused before it is committed if its frame would exceed what clients accept,
    so no change can produce an event that locks tablets out.
    """
    prev = db.execute(
        select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
    ).first()
    seq = prev.seq + 1 if prev else 1
    frame = p.encode(p.Event(seq=seq, at=at, tag=b"\x00" * p.TAG_BYTES, body=body))
    if len(frame) > p.MAX_SERVER_FRAME:
        raise ServiceError(
            p.ErrorCode.INVALID_ARGUMENT,
            f"this change is too large to send to devices ({len(frame)} bytes); make it smaller",
        )
    row = EventRow(
        seq=seq,
        at=at,
        kind=p.kind_of(body),
        audience=audience.encode(),
        actor=actor,
        body=p.encode(body),
        hash=b"",
    )
    row.hash = chain_hash(prev.hash if prev else GENESIS, row)
    db.add(row)
    db.flush()
    return row


def tag(row_hash: bytes) -> bytes:
    """The tag devices keep of an entry: the start of its chain hash (app/protocol.py, Tag)."""
    return row_hash[: p.TAG_BYTES]


def head(db: DbSession) -> tuple[int, bytes]:
    """The last entry's seq and tag (0 and empty for an empty log)."""
    last = db.execute(
        select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
    ).first()
    return (last.seq, tag(last.hash)) if last else (0, b"")


def last_seq(db: DbSession) -> int:
    return int(db.scalar(select(func.coalesce(func.max(EventRow.seq), 0))) or 0)


def after(db: DbSession, seq: int, limit: int) -> list[EventRow]:
    """Entries after ``seq``, oldest first, at most ``limit`` of them."""
    rows = db.scalars(
        select(EventRow).where(EventRow.seq > seq).order_by(EventRow.seq).limit(limit)
    )
    return list(rows)


def verify(db: DbSession) -> tuple[int, int | None]:
    """Recompute the chain; returns (entries checked, first bad seq or None)."""
    prev = GENESIS
    count = 0
    expected_seq = 1
    for row in db.scalars(select(EventRow).order_by(EventRow.seq)).yield_per(1000):
        intact = isinstance(row.body, bytes) and isinstance(row.hash, bytes)
        if row.seq != expected_seq or not intact or chain_hash(prev, row) != row.hash:
            return count, expected_seq
        prev = row.hash
        count += 1
        expected_seq += 1
    return count, None
