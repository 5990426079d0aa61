"""A delegate's annotations: the records, their sealing with the delegate's own key, the
pairing that brings that key to another of their devices, and the device's notebook.

**Records.** An :class:`Annotation` is a highlight, free-hand ink, a sticky note or a bookmark
on one page of one version of a document, with the text it was made on (a
:class:`~app.anchoring.Quote`) so it can be placed again in a revision. Geometry is in shares
of the page (0…10,000), as the presenter's region is: the same on every screen. A deletion is
a tombstone (``deleted``), so a device that was offline learns of it. Each edit carries a stamp
(milliseconds, never less than one more than the record's previous stamp: an edit made after
seeing another always wins, whatever the device clocks say) and the device that made it; the
greater (stamp, device) wins, on every device and in the room alike, and records are merged one
by one: two devices editing offline lose nothing but the earlier edit of the same record.

**Sealing.** Records travel and rest in the room as :class:`~app.protocol.SealedAnnotation`:
AES-256-GCM under the delegate's annotation key, with the record's id, meeting, stamp and
device as associated data, so the room can neither read a record nor relabel it.

**The key and pairing.** The key is 32 random bytes made by the delegate's first device; the
room knows only its id (a hash). Another device of the same delegate gets it through the room,
wrapped by a device that holds it: X25519 with the new device's registered public key, and a
pairing code (80 bits) shown on the giving device and typed on the new one, both mixed into the
wrapping key. The room can substitute neither side: without the code it cannot make an envelope
the new device accepts, and a public key of its own gets it an envelope it still cannot open
without the code (docs/security.md §4.20).

**The notebook** is the device's copy of every record, sealed under the profile's store key
(app/sealedfile.py); it works offline and says which records are still to be sent.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app import codes
from app import protocol as p
from app.anchoring import Quote
from app.sealedfile import seal_to, unseal_from

Kind = Literal["highlight", "ink", "note", "bookmark"]
KINDS: tuple[Kind, ...] = ("highlight", "ink", "note", "bookmark")

KEY_BYTES = 32
PAIRING_BYTES = 10
_NONCE = 12
_SEAL_CONTEXT = b"hemicycle-annotation-v1\x00"
_KEY_ID_CONTEXT = b"hemicycle-annotation-key-id-v1"
_WRAP_CONTEXT = b"hemicycle-annotation-key-wrap-v1\x00"
_NOTEBOOK_AAD = b"hemicycle-notebook-v1"


class AnnotationError(Exception):
    """A record, envelope or code that cannot be used. ``kind`` is for programs (the apps say
    it in the delegate's language), the message for logs."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Rect(msgspec.Struct, array_like=True, frozen=True):
    """A rectangle on the page, in shares of its width and height (0…10,000)."""

    x: int
    y: int
    w: int
    h: int


class Annotation(msgspec.Struct, kw_only=True, frozen=True):
    id: bytes
    document_id: int
    meeting_id: int
    #: The document version the geometry is for (a revision places it again).
    doc_version: int
    kind: Kind
    #: 1-based page.
    page: int
    #: Highlight: the boxes of its words; note and bookmark: one box where it sits.
    rects: list[Rect] = []
    #: Ink: strokes, each x0, y0, x1, y1, … in page shares.
    strokes: list[list[int]] = []
    #: A note: where its mark sits (x, y in page shares). Ink and notes keep the boxes of the
    #: words they were made on in ``rects``: placed again, they move as those words moved.
    point: list[int] = []
    quote: Quote | None = None
    #: A note's text, or a bookmark's name.
    text: str = ""
    color: str = "#f5c518"
    stamp: int = 0
    device_id: int = 0
    deleted: bool = False
    #: Its text was not found in ``doc_version``: listed with its quote, shown nowhere.
    orphaned: bool = False

    @property
    def order(self) -> tuple[int, int]:
        """Which of two edits of one record wins: the greater."""
        return (self.stamp, self.device_id)


def new_id() -> bytes:
    return secrets.token_bytes(16)


def next_stamp(previous: int = 0, now: Callable[[], float] = time.time) -> int:
    """An edit's stamp: the clock in milliseconds, but always after the record's last edit."""
    return max(int(now() * 1000), previous + 1)


# ---------------------------------------------------------------------- the key and sealing


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def key_id(key: bytes) -> bytes:
    """What the room keeps of the key: a hash that names it and reveals nothing of it."""
    return HKDF(hashes.SHA256(), p.ANNOTATION_KEY_ID_BYTES, salt=None, info=_KEY_ID_CONTEXT).derive(
        key
    )


def _aad(delegate_id: int, record_id: bytes, meeting_id: int, stamp: int, device_id: int) -> bytes:
    return _SEAL_CONTEXT + b"%d:%s:%d:%d:%d" % (
        delegate_id,
        record_id.hex().encode(),
        meeting_id,
        stamp,
        device_id,
    )


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Annotation)


def seal(key: bytes, delegate_id: int, note: Annotation) -> p.SealedAnnotation:
    nonce = os.urandom(_NONCE)
    aad = _aad(delegate_id, note.id, note.meeting_id, note.stamp, note.device_id)
    sealed = nonce + AESGCM(key).encrypt(nonce, _encoder.encode(note), aad)
    if len(sealed) > p.MAX_ANNOTATION_BYTES:
        raise AnnotationError("too_large", "this annotation is too large to keep")
    return p.SealedAnnotation(
        id=note.id,
        meeting_id=note.meeting_id,
        stamp=note.stamp,
        device_id=note.device_id,
        sealed=sealed,
    )


def unseal(key: bytes, delegate_id: int, record: p.SealedAnnotation) -> Annotation:
    aad = _aad(delegate_id, record.id, record.meeting_id, record.stamp, record.device_id)
    try:
        plain = AESGCM(key).decrypt(record.sealed[:_NONCE], record.sealed[_NONCE:], aad)
        note = _decoder.decode(plain)
    except (InvalidTag, msgspec.DecodeError, msgspec.ValidationError):
        raise AnnotationError("unreadable", "an annotation does not open with this key") from None
    if (note.id, note.meeting_id, note.order) != (
        record.id,
        record.meeting_id,
        (record.stamp, record.device_id),
    ):
        raise AnnotationError("unreadable", "an annotation is not what its label says")
    return note


# ---------------------------------------------------------------------- pairing


def new_pairing_secret() -> bytes:
    return secrets.token_bytes(PAIRING_BYTES)


def pairing_code(secret: bytes) -> str:
    """The code shown on the giving device: four groups of four and a two-symbol check."""
    return codes.checked_text(secret)


def parse_pairing_code(text: str) -> bytes:
    """The secret of a typed pairing code; raises :class:`~app.codes.CodeError` if mistyped."""
    return codes.parse_checked(text, PAIRING_BYTES)


def _wrap_key(shared: bytes, secret: bytes, context: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=secret, info=context).derive(shared)


def _wrap_context(delegate_id: int, device_id: int, kid: bytes) -> bytes:
    return _WRAP_CONTEXT + b"%d:%d:%s" % (delegate_id, device_id, kid.hex().encode())


def wrap_for(
    key: bytes, kx_public: bytes, secret: bytes, delegate_id: int, device_id: int
) -> bytes:
    """The key, for ``device_id`` of the same delegate: its private key and the code open it."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(kx_public))
    context = _wrap_context(delegate_id, device_id, key_id(key))
    nonce = os.urandom(_NONCE)
    public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    sealed = AESGCM(_wrap_key(shared, secret, context)).encrypt(nonce, key, context)
    return public + nonce + sealed


def unwrap(
    envelope: bytes,
    kx: X25519PrivateKey,
    secret: bytes,
    delegate_id: int,
    device_id: int,
    expected_id: bytes,
) -> bytes:
    """The key in ``envelope``; :class:`AnnotationError` if the code is not the one it was
    made with, or the key is not the delegate's."""
    if len(envelope) != p.ANNOTATION_ENVELOPE_BYTES:
        raise AnnotationError("malformed", "the key left for this device is malformed")
    context = _wrap_context(delegate_id, device_id, expected_id)
    try:
        shared = kx.exchange(X25519PublicKey.from_public_bytes(envelope[:32]))
        aead = AESGCM(_wrap_key(shared, secret, context))
        key = aead.decrypt(envelope[32 : 32 + _NONCE], envelope[32 + _NONCE :], context)
    except (InvalidTag, ValueError):
        raise AnnotationError("wrong_code", "the code does not open the key") from None
    if key_id(key) != expected_id:
        raise AnnotationError("malformed", "the key left for this device is not the delegate's")
    return key


# ---------------------------------------------------------------------- the notebook


class _Book(msgspec.Struct, kw_only=True):
    key: bytes | None = None
    #: Where the next ``annotations.sync`` starts (the room's cursor).
    cursor: int = 0
    records: dict[bytes, Annotation] = {}
    #: Records edited here and not yet accepted by the room.
    dirty: set[bytes] = set()


class Notebook:
    """The device's annotations. Thread-safe: the GUI thread edits while the network thread
    merges what the room sends; ``on_change(ids)`` is called (on the thread that changed them)
    with the ids of records that changed."""

    def __init__(self, path: Path, store_key: bytes, device_id: int) -> None:
        self.path = path
        self.device_id = device_id
        self._store_key = store_key
        self._lock = threading.Lock()
        self._book = unseal_from(path, store_key, _NOTEBOOK_AAD, _Book) or _Book()
        self.listeners: list[Callable[[set[bytes]], None]] = []

    def _save(self) -> None:
        seal_to(self.path, self._store_key, _NOTEBOOK_AAD, self._book)

    def _changed(self, ids: set[bytes]) -> None:
        if ids:
            for listener in list(self.listeners):
                listener(ids)

    # -- the key

    @property
    def key(self) -> bytes | None:
        return self._book.key

    def set_key(self, key: bytes) -> None:
        with self._lock:
            self._book.key = key
            self._save()

    # -- reading

    def get(self, record_id: bytes) -> Annotation | None:
        return self._book.records.get(record_id)

    def live(self) -> list[Annotation]:
        """Every record not deleted."""
        with self._lock:
            return [n for n in self._book.records.values() if not n.deleted]

    def of_document(self, document_id: int) -> list[Annotation]:
        return sorted(
            (n for n in self.live() if n.document_id == document_id),
            key=lambda n: (n.page, n.rects[0].y if n.rects else 0, n.stamp),
        )

    def of_meeting(self, meeting_id: int) -> list[Annotation]:
        return [n for n in self.live() if n.meeting_id == meeting_id]

    # -- editing (this device)

    def edit(self, note: Annotation) -> Annotation:
        """Keep a new or changed record made here: stamped after its previous edit."""
        with self._lock:
            before = self._book.records.get(note.id)
            stamped = msgspec.structs.replace(
                note,
                stamp=next_stamp(before.stamp if before else 0),
                device_id=self.device_id,
            )
            self._book.records[note.id] = stamped
            self._book.dirty.add(note.id)
            self._save()
        self._changed({note.id})
        return stamped

    def edit_many(self, notes: Iterable[Annotation]) -> None:
        """Several edits kept in one write (a revision's placing, a wipe's stripping)."""
        ids: set[bytes] = set()
        with self._lock:
            for note in notes:
                before = self._book.records.get(note.id)
                self._book.records[note.id] = msgspec.structs.replace(
                    note, stamp=next_stamp(before.stamp if before else 0), device_id=self.device_id
                )
                self._book.dirty.add(note.id)
                ids.add(note.id)
            if ids:
                self._save()
        self._changed(ids)

    def delete(self, record_id: bytes) -> None:
        note = self.get(record_id)
        if note is not None and not note.deleted:
            self.edit(msgspec.structs.replace(note, deleted=True, quote=None, text=""))

    # -- syncing (the network thread)

    @property
    def cursor(self) -> int:
        return self._book.cursor

    @property
    def unsent(self) -> int:
        return len(self._book.dirty)

    def mark_unsent(self) -> None:
        """Everything here is to be sent again (the delegate's key has just arrived)."""
        with self._lock:
            self._book.dirty = set(self._book.records)
            self._save()

    def outgoing(self) -> list[Annotation]:
        with self._lock:
            return [self._book.records[i] for i in self._book.dirty if i in self._book.records]

    def merge(
        self, incoming: Iterable[Annotation], sent: Iterable[Annotation], cursor: int
    ) -> None:
        """What the room answered a sync with: ``sent`` were accepted or overtaken (they are
        no longer to send, unless edited again meanwhile), ``incoming`` are kept where they are
        later edits than ours, and the next sync starts from ``cursor``."""
        ids: set[bytes] = set()
        with self._lock:
            records, dirty = self._book.records, self._book.dirty
            for note in sent:
                current = records.get(note.id)
                if current is not None and current.order == note.order:
                    dirty.discard(note.id)
            for note in incoming:
                current = records.get(note.id)
                if current is None or note.order > current.order:
                    records[note.id] = note
                    dirty.discard(note.id)
                    ids.add(note.id)
            self._book.cursor = cursor
            self._save()
        self._changed(ids)

    def wipe_meeting(self, meeting_id: int, kept: bool) -> None:
        """A meeting wiped: its records go, or — where the meeting lets delegates keep their
        notes — lose the document text they quote, and that edit is sent on."""
        with self._lock:
            mine = [n for n in self._book.records.values() if n.meeting_id == meeting_id]
            if not kept:
                for note in mine:
                    del self._book.records[note.id]
                    self._book.dirty.discard(note.id)
                if mine:
                    self._save()
        if not mine:
            return
        if kept:
            self.edit_many(
                msgspec.structs.replace(n, quote=None) for n in mine if n.quote is not None
            )
        else:
            self._changed({n.id for n in mine})
