"""The device's documents: ciphertext on disk, opened in memory only.

What is on disk, in the profile's ``documents/`` folder:

* ``blobs/ab/abcd…``: signed manifests and sealed chunks, each named by its address (the
  SHA-256 of its bytes), exactly as the room serves them — nothing here is readable without a
  document key. A blob is written beside its place and renamed into it; one that does not match
  its name on reading (a torn write, a bad sector) is deleted and fetched again.
* ``index.bin``: the document keys as the room wrapped them for this device (they open only with
  its X25519 key, which is in the vault), and for each document the version last opened and the
  page last read — sealed with the store key like the local state (app/localstore.py).

The plaintext of a document exists only in memory, assembled by :meth:`DocStore.open` when the
delegate opens it, and only if the room's rules allow it now: the meeting was not wiped, and a
device that has been out of contact for longer than the meeting's offline grace period cannot
open it (its clock is injected, for tests). What the state no longer lists — withdrawn
documents, a wiped meeting's — is deleted by :meth:`DocStore.keep_only`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import msgspec
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app import docformat
from app import protocol as p
from app.docformat import DocumentError
from app.sealedfile import seal_to, unseal_from

_AAD = b"hemicycle-docindex-v1"
HOUR = 3600.0


class CannotOpen(Exception):
    """The document cannot be opened now; ``reason`` says why, for the delegate."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        #: "missing" (not all of it is here yet), "no_key", "wiped", "expired", "damaged".
        self.reason = reason


class Reading(msgspec.Struct, array_like=True):
    version: int = 0
    page: int = 0


class _Index(msgspec.Struct):
    #: document id -> (key epoch, wrapped key)
    keys: dict[int, tuple[int, bytes]] = {}
    reading: dict[int, Reading] = {}
    #: document id -> addresses of the manifests held of it (the current version's, and an
    #: older one's until the current version is complete: its chunks are what a revision
    #: shares with it)
    manifests: dict[int, list[bytes]] = {}


@dataclass(frozen=True)
class Holding:
    """How much of one version of a document is here."""

    held: int
    total: int
    version: int = 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.held >= self.total


class BlobStore:
    """Blobs on disk by address: what a device holds of documents, all of it ciphertext. Needs
    no key, so a bundle can be imported without the PIN (app/bundle.py)."""

    def __init__(self, home: Path) -> None:
        self.root = home / "documents" / "blobs"
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = threading.Lock()
        self._held: set[bytes] = set(self._scan())

    def __contains__(self, address: object) -> bool:
        return address in self._held

    def addresses(self) -> frozenset[bytes]:
        with self._lock:
            return frozenset(self._held)

    def _scan(self) -> Iterable[bytes]:
        for sub in self.root.iterdir():
            if sub.is_dir():
                for f in sub.iterdir():
                    with contextlib.suppress(ValueError):
                        if len(f.name) == 2 * p.ADDRESS_BYTES:
                            yield bytes.fromhex(f.name)

    def _path(self, address: bytes) -> Path:
        name = address.hex()
        return self.root / name[:2] / name

    def has(self, address: bytes) -> bool:
        return address in self._held

    def put(self, address: bytes, data: bytes | memoryview) -> None:
        """Keep a blob; refuses one whose bytes are not its address."""
        if docformat.address(data) != address:
            raise DocumentError("a blob does not match its address")
        path = self._path(address)
        path.parent.mkdir(exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with self._lock:
            self._held.add(address)

    def get(self, address: bytes) -> bytes | None:
        """The blob, or ``None`` if it is not here or no longer matches its address (damaged
        on disk: it is deleted, to be fetched again)."""
        try:
            data = self._path(address).read_bytes()
        except FileNotFoundError:
            with self._lock:
                self._held.discard(address)
            return None
        if docformat.address(data) != address:
            self.delete(address)
            return None
        return data

    def delete(self, address: bytes) -> None:
        with self._lock:
            self._held.discard(address)
        with contextlib.suppress(FileNotFoundError):
            self._path(address).unlink()


class DocStore:
    """One profile's documents. Thread-safe: the network thread writes blobs while the GUI
    thread opens documents."""

    def __init__(
        self,
        home: Path,
        store_key: bytes,
        room_public_key: bytes,
        device_id: int,
        kx: X25519PrivateKey,
    ) -> None:
        self.blobs = BlobStore(home)
        self._index_path = home / "documents" / "index.bin"
        self._store_key = store_key
        #: Empty until the device has met the room once with this version (older profiles).
        self.room_key = room_public_key
        self._device_id = device_id
        self._kx = kx
        self._lock = threading.Lock()
        self._index = self._load_index()
        self._manifests: dict[bytes, docformat.Manifest] = {}

    # ------------------------------------------------------------------ manifests

    def put_manifest(self, doc: p.Document, data: bytes) -> docformat.Manifest:
        """Keep the signed manifest of the document's current version, once it checks out."""
        manifest = self._check_manifest(doc, data)
        self.blobs.put(doc.manifest, data)
        with self._lock:
            held = self._index.manifests.setdefault(doc.id, [])
            if doc.manifest not in held:
                held.append(doc.manifest)
                self._save_index()
        self._manifests[doc.manifest] = manifest
        return manifest

    def _check_manifest(self, doc: p.Document, data: bytes) -> docformat.Manifest:
        manifest = docformat.open_manifest(data, self.room_key)
        if (manifest.document_id, manifest.version, manifest.key_epoch) != (
            doc.id,
            doc.version,
            doc.key_epoch,
        ) or manifest.length != doc.length:
            raise DocumentError("the manifest is not the one of this document version")
        return manifest

    def manifest(self, doc: p.Document) -> docformat.Manifest | None:
        """The checked manifest of the document's current version, if it is here."""
        cached = self._manifests.get(doc.manifest)
        if cached is not None:
            return cached
        data = self.blobs.get(doc.manifest)
        if data is None:
            return None
        try:
            manifest = self._check_manifest(doc, data)
        except DocumentError:
            self.blobs.delete(doc.manifest)
            raise
        self._manifests[doc.manifest] = manifest
        return manifest

    def _held_manifest(self, address: bytes) -> docformat.Manifest | None:
        """A manifest kept earlier (its signature checked again, nothing else)."""
        data = self.blobs.get(address)
        if data is None:
            return None
        try:
            return docformat.open_manifest(data, self.room_key)
        except DocumentError:
            self.blobs.delete(address)
            return None

    def missing(self, doc: p.Document) -> list[bytes]:
        """What is still to fetch of the document's current version, manifest first."""
        manifest = self.manifest(doc)
        if manifest is None:
            return [doc.manifest]
        return docformat.missing(manifest, self.blobs)

    def holding(self, doc: p.Document) -> Holding:
        """Distinct chunks of the current version here, of how many (0 of 0: no manifest)."""
        manifest = self.manifest(doc)
        if manifest is None:
            return Holding(0, 0, doc.version)
        wanted = {c.address for c in manifest.chunks}
        return Holding(sum(1 for a in wanted if self.blobs.has(a)), len(wanted), doc.version)

    # ------------------------------------------------------------------ keys and reading

    def _load_index(self) -> _Index:
        return unseal_from(self._index_path, self._store_key, _AAD, _Index) or _Index()

    def _save_index(self) -> None:
        seal_to(self._index_path, self._store_key, _AAD, self._index)

    def has_key(self, doc: p.Document) -> bool:
        held = self._index.keys.get(doc.id)
        return held is not None and held[0] == doc.key_epoch

    def put_keys(self, keys: Iterable[p.WrappedKey]) -> None:
        with self._lock:
            for k in keys:
                self._index.keys[k.document_id] = (k.key_epoch, k.wrapped)
            self._save_index()

    def reading(self, document_id: int) -> Reading:
        return self._index.reading.get(document_id, Reading())

    def set_reading(self, document_id: int, version: int, page: int) -> None:
        with self._lock:
            self._index.reading[document_id] = Reading(version, page)
            self._save_index()

    # ------------------------------------------------------------------ opening

    def open(
        self,
        doc: p.Document,
        meeting: p.Meeting | None,
        last_sync: float | None,
        now: Callable[[], float],
    ) -> bytes:
        """The document's plaintext, in memory; raises :class:`CannotOpen` with the reason."""
        if meeting is None or meeting.wiped or doc.status != "published":
            raise CannotOpen("wiped", "this document is no longer available")
        grace = meeting.offline_grace_hours
        if grace is not None and (last_sync is None or now() - last_sync > grace * HOUR):
            raise CannotOpen(
                "expired",
                f"this device has been away from the room for more than {grace} hours",
            )
        held = self._index.keys.get(doc.id)
        if held is None or held[0] != doc.key_epoch:
            raise CannotOpen("no_key", "this device does not have the document's key yet")
        manifest = self.manifest(doc)
        if manifest is None or docformat.missing(manifest, self.blobs):
            raise CannotOpen("missing", "the document is not completely on this device yet")
        try:
            key = docformat.unwrap_key(held[1], self._kx, doc.id, doc.key_epoch, self._device_id)
            return docformat.assemble(manifest, self._chunk, key)
        except DocumentError as exc:
            raise CannotOpen("damaged", str(exc)) from None

    def _chunk(self, address: bytes) -> bytes:
        data = self.blobs.get(address)
        if data is None:
            raise DocumentError("a chunk went missing")
        return data

    # ------------------------------------------------------------------ forgetting

    def keep_only(self, docs: Iterable[p.Document]) -> None:
        """Delete every key, reading position and blob not of these documents: withdrawn
        documents, a wiped meeting's, and older versions once the current one is complete."""
        docs = list(docs)
        keep_ids = {d.id for d in docs}
        keep: set[bytes] = set()
        with self._lock:
            listed = {i: list(a) for i, a in self._index.manifests.items()}
        kept_manifests: dict[int, list[bytes]] = {}
        for doc in docs:
            with contextlib.suppress(DocumentError):
                self.manifest(doc)
            complete = self.holding(doc).complete
            addresses = [doc.manifest] if complete else [*listed.get(doc.id, []), doc.manifest]
            kept_manifests[doc.id] = [a for a in dict.fromkeys(addresses) if self.blobs.has(a)]
            for where in addresses:
                keep.add(where)
                manifest = self._held_manifest(where) if self.blobs.has(where) else None
                if manifest is not None:
                    keep.update(c.address for c in manifest.chunks)
        with self._lock:
            index = self._index
            before = (dict(index.keys), dict(index.reading), dict(index.manifests))
            index.keys = {i: k for i, k in index.keys.items() if i in keep_ids}
            index.reading = {i: r for i, r in index.reading.items() if i in keep_ids}
            index.manifests = kept_manifests
            if before != (index.keys, index.reading, index.manifests):
                self._save_index()
            drop = self.blobs.addresses() - keep
        for address in drop:
            self.blobs.delete(address)
        self._manifests = {a: m for a, m in self._manifests.items() if a in keep}
