"""Database schema and engines: SQLite embedded in the data directory, or PostgreSQL by URL.

SQLite runs in WAL mode with ``synchronous=FULL``: a committed transaction survives a power cut,
which is what lets the server acknowledge a change only after commit; and with ``secure_delete``,
so a deleted row leaves no copy behind in the file. PostgreSQL is for rooms that need a standby
machine or several server processes; it is reached with the psycopg driver.
The schema itself is created and upgraded by Alembic (``server/migrations``); these models are
the ORM view of it and ``tests/server/test_migrations.py`` checks that the two agree on both
engines.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    true,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Setting(Base):
    """Room-wide key/value settings (room name, active meeting)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DelegateRow(Base):
    __tablename__ = "delegates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    delegation: Mapped[str] = mapped_column(String(200), default="")
    voting_right: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Votes this delegate carries in a weighted poll.
    weight: Mapped[int] = mapped_column(Integer, default=1)
    seat: Mapped[str] = mapped_column(String(32), default="")
    groups: Mapped[list[GroupMembership]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GroupMembership.group"
    )


class GroupMembership(Base):
    __tablename__ = "delegate_groups"
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column(String(64), primary_key=True)


class DeviceRow(Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    sign_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    kx_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    enrolled_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class EnrollmentCodeRow(Base):
    """One-time codes. Only a hash of the secret is stored: the database cannot enroll anyone."""

    __tablename__ = "enrollment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegates.id"), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    #: After this time an unused code no longer enrolls anyone (``None``: codes of 0.1).
    expires_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    used_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), nullable=True)


class MeetingRow(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    starts_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    wiped: Mapped[bool] = mapped_column(Boolean, default=False)
    offline_grace_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes_kept: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    export_allowed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    groups: Mapped[list[MeetingGroup]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="MeetingGroup.group"
    )


class MeetingGroup(Base):
    """A meeting restricted to groups is seen by their members and staff only."""

    __tablename__ = "meeting_groups"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column(String(64), primary_key=True)


class AgendaItemRow(Base):
    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    planned_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    #: The delegate given the presenter role for this item (server/domains/presenting.py).
    presenter_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegates.id", ondelete="SET NULL"), nullable=True
    )


class DocumentRow(Base):
    """A document attached to an agenda item. Its key is stored sealed with the room's storage
    key, which lives outside the database (``storage.key`` in the data directory)."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"))
    title: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="published")
    version: Mapped[int] = mapped_column(Integer, default=1)
    key_epoch: Mapped[int] = mapped_column(Integer, default=1)
    #: The current key, sealed with the storage key (server/storage_key.py).
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[float] = mapped_column(Float)
    groups: Mapped[list[DocumentGroup]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DocumentGroup.group"
    )


class DocumentGroup(Base):
    __tablename__ = "document_groups"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column(String(64), primary_key=True)


class DocumentVersionRow(Base):
    __tablename__ = "document_versions"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_epoch: Mapped[int] = mapped_column(Integer)
    manifest: Mapped[bytes] = mapped_column(LargeBinary(32))
    length: Mapped[int] = mapped_column(Integer)
    chunks: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    #: JSON list of the 1-based pages that differ from the previous version.
    changed_pages: Mapped[str] = mapped_column(Text, default="[]")
    file_name: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the file as uploaded, for the record (the stored one is cleaned of active
    #: content; its hash is in the summary).
    file_sha256: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: The checked file's description (pages, their fingerprints, outline, what cleaning
    #: removed: server/pdfcheck.py), sealed with the storage key: it says something of the
    #: content, so the database alone must not.
    summary: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[float] = mapped_column(Float)


class DocumentBlob(Base):
    """Which blobs (manifests and chunks, any version) belong to a document: a device may fetch
    a blob only through a document it may read that holds it."""

    __tablename__ = "document_blobs"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)


class DocumentWrapRow(Base):
    """A document key as wrapped for one device: kept so the same wrap is given again, and so
    the room knows which devices hold which key (a device that left the audience means the next
    version gets a new key)."""

    __tablename__ = "document_wraps"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    key_epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    given_at: Mapped[float] = mapped_column(Float)


class BlobRow(Base):
    """Content-addressed ciphertext: document chunks and signed manifests, by SHA-256."""

    __tablename__ = "blobs"
    address: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class HoldingRow(Base):
    """What a device last said it holds of a document (the secretariat's readiness board)."""

    __tablename__ = "device_holdings"
    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer)
    held: Mapped[int] = mapped_column(Integer)
    reported_at: Mapped[float] = mapped_column(Float)


class AttendanceRow(Base):
    """Who is at a meeting: present (checked in from their device, or by a secretary), absent
    (checked out), excused. No row: absent."""

    __tablename__ = "attendance"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))
    manual: Mapped[bool] = mapped_column(Boolean, default=False)


class ProxyRow(Base):
    """A delegate's vote carried by another delegate for one meeting (one holder per giver)."""

    __tablename__ = "proxies"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    giver_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True
    )
    holder_id: Mapped[int] = mapped_column(ForeignKey("delegates.id", ondelete="CASCADE"))


class PollRow(Base):
    __tablename__ = "polls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(500))
    #: The poll's rules (``PollSpec`` as JSON): fixed once it opens.
    spec: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    opened_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    closes_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    closed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: ``PollResult`` as JSON, after close.
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: ``PaperCount`` as JSON: the paper ballots a secretary entered at close, if any.
    paper: Mapped[str | None] = mapped_column(Text, nullable=True)
    ballots_hash: Mapped[bytes] = mapped_column(LargeBinary(32), default=b"")
    signature: Mapped[bytes] = mapped_column(LargeBinary(64), default=b"")
    #: False from a secret poll's close until its rows have been written again in key order
    #: (server/domains/polls.py, ``settle``); the server finishes any left so at start.
    settled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class PresentationRow(Base):
    """What a meeting's presenter shows now; no row: nothing is presented."""

    __tablename__ = "presentations"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer)
    #: The ``Region`` as JSON ([x, y, w, h]).
    region: Mapped[str] = mapped_column(Text)
    presenter_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegates.id", ondelete="SET NULL"), nullable=True
    )


class AnnotationKeyRow(Base):
    """The id of a delegate's annotation key: the key itself is only on their devices."""

    __tablename__ = "annotation_keys"
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[bytes] = mapped_column(LargeBinary(16))


class AnnotationDeviceRow(Base):
    """A delegate's device and their annotation key: whether it said it holds it, and the key
    wrapped for it by another of their devices (server/domains/annotations.py)."""

    __tablename__ = "annotation_devices"
    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    held: Mapped[bytes | None] = mapped_column(LargeBinary(16), nullable=True)
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class AnnotationRow(Base):
    """One of a delegate's annotations, sealed on their device: the room cannot read it.
    ``cursor`` orders the delegate's changes, for a device to ask for those it has not seen."""

    __tablename__ = "annotations"
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    stamp: Mapped[int] = mapped_column(BigInteger)
    device_id: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    cursor: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint("delegate_id", "cursor", name="uq_annotations_cursor"),)


class VoterRow(Base):
    """Who has voted in a poll: one row per voter and poll, so a second vote of the same voter
    is impossible in the database itself (its primary key). A named poll keeps the vote here
    with its voter; a secret one keeps nothing else here (no receipt, no time), and its votes
    apart in :class:`SecretBallotRow`. Without SQLite's rowid no row number counts arrivals; a
    closed secret poll's rows are written again in key order (server/domains/polls.py)."""

    __tablename__ = "poll_voters"
    __table_args__ = ({"sqlite_with_rowid": False},)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegates.id"), primary_key=True)
    #: Named polls only (``None`` in a secret one): the receipt, the marks as JSON, the weight,
    #: whether a secretary recorded it by hand, and the proxy holder who cast it.
    receipt: Mapped[bytes | None] = mapped_column(LargeBinary(16), nullable=True)
    marks: Mapped[str | None] = mapped_column(Text, nullable=True)
    weight: Mapped[int | None] = mapped_column(Integer, nullable=True)
    manual: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    #: Named polls: the delegate who cast it holding the voter's proxy (``None`` otherwise).
    cast_by: Mapped[int | None] = mapped_column(ForeignKey("delegates.id"), nullable=True)


class SecretBallotRow(Base):
    """What was voted in a secret poll, by receipt (random, chosen by the voter's device), with
    nothing that says by whom or when; no rowid, and written again in receipt order when the poll
    closes."""

    __tablename__ = "secret_ballots"
    __table_args__ = ({"sqlite_with_rowid": False},)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    receipt: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    marks: Mapped[str] = mapped_column(Text)
    weight: Mapped[int] = mapped_column(Integer)


class EventRow(Base):
    """The ordered, hash-chained event log: the audit record and the clients' sync source.

    ``at`` and ``actor`` are ``None`` for entries whose time and author must not be recorded
    (a secret ballot's turnout); ``audience`` says who may receive the entry (server/audience.py).
    """

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("hash"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[float | None] = mapped_column(Float, nullable=True)
    kind: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


#: Seconds a connection to PostgreSQL may take to be made, per host, unless the URL says.
CONNECT_TIMEOUT = 10


def database_url(value: str) -> URL:
    """Parse a database URL from the configuration; only SQLite and PostgreSQL are served."""
    url = make_url(value)
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        return url
    raise ValueError(f"unsupported database '{url.get_backend_name()}': use sqlite or postgresql")


def make_engine(url: str | URL) -> Engine:
    """Engine for a room database, with the durability settings of its kind."""
    parsed = database_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "postgresql":
        # As for the LISTEN connection (server/pgnotify.py): a database machine that accepts
        # the connection and never answers must not hold a connection attempt for ever, nor keep
        # a URL listing several hosts from trying the next. The URL's own value wins.
        timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT}
        return create_engine(parsed, pool_pre_ping=True, connect_args=timeout)
    engine = create_engine(parsed)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun explicitly (server/store.py)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        # A deleted row is overwritten with zeros, not left in the page's free space or on a
        # free page: the rows a closed secret poll rewrites (server/domains/polls.py) leave no
        # copy in the order they came. Debian's SQLite does this by default; not every build
        # of SQLite does.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    return engine
