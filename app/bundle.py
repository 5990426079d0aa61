"""Document bundles: a meeting's ciphertext in one file, for USB sticks, file shares and imaging.

``hemicycle-server doc bundle`` writes one; a device imports it (the delegate app's menu, or
``hemicycle --import-bundle FILE`` when imaging tablets) and then needs only the documents'
small wrapped keys from the room. A bundle holds the signed manifests and sealed chunks exactly
as the room serves them, and no key: whoever finds the stick reads nothing. A device takes from
it only blobs that match their addresses, and trusts a manifest only once the room's signature
and the state it gets from the room agree with it (app/docstore.py), so a forged or altered
bundle can waste disk space and nothing more.

The format, all integers big-endian::

    b"HEMICYCLE-BUNDLE\\n" 0x01
    u32 header length, msgpack header (room ID, meeting, documents, blob count)
    blob count × (32-byte address, u32 length, bytes)
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import msgspec

from app import protocol as p
from app.docformat import DocumentError

MAGIC = b"HEMICYCLE-BUNDLE\n\x01"
_U32 = struct.Struct(">I")
MAX_HEADER = 16 * 1024 * 1024


class BundleError(Exception):
    """The file is not a bundle of this room, or is damaged; the message says which, in
    English, and ``reason`` for a screen that says it in the user's language:
    ``not_bundle``, ``damaged`` (incomplete, or altered), ``other_room``, ``not_enrolled``."""

    def __init__(self, message: str, reason: str = "damaged") -> None:
        super().__init__(message)
        self.reason = reason


class BundleDocument(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: int
    version: int
    title: str
    manifest: bytes


class BundleHeader(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    room_id: bytes
    meeting_id: int
    meeting_title: str
    created_at: float
    documents: list[BundleDocument]
    blobs: int


def write(out: BinaryIO, header: BundleHeader, blobs: Iterable[tuple[bytes, bytes]]) -> int:
    """Write a bundle; returns the bytes written. ``blobs`` yields exactly ``header.blobs``
    pairs of (address, blob)."""
    head = msgspec.msgpack.encode(header)
    out.write(MAGIC + _U32.pack(len(head)) + head)
    size = len(MAGIC) + _U32.size + len(head)
    count = 0
    for address, data in blobs:
        out.write(address + _U32.pack(len(data)))
        out.write(data)
        size += p.ADDRESS_BYTES + _U32.size + len(data)
        count += 1
    if count != header.blobs:
        raise BundleError(f"the bundle lists {header.blobs} blobs but {count} were written")
    return size


def _exactly(f: BinaryIO, n: int, what: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise BundleError(f"the file ends in the middle of {what}: it is incomplete")
    return data


def read_header(f: BinaryIO) -> BundleHeader:
    if f.read(len(MAGIC)) != MAGIC:
        raise BundleError("this is not a Hemicycle document bundle", "not_bundle")
    (length,) = _U32.unpack(_exactly(f, _U32.size, "the header"))
    if length > MAX_HEADER:
        raise BundleError("the bundle's header is implausibly large: the file is damaged")
    try:
        return msgspec.msgpack.decode(_exactly(f, length, "the header"), type=BundleHeader)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise BundleError("the bundle's header is damaged") from None


def blobs(f: BinaryIO, header: BundleHeader) -> Iterator[tuple[bytes, bytes]]:
    for _ in range(header.blobs):
        address = _exactly(f, p.ADDRESS_BYTES, "a blob")
        (length,) = _U32.unpack(_exactly(f, _U32.size, "a blob"))
        if length > p.MAX_BLOB_FRAME:
            raise BundleError("a blob in the bundle is implausibly large: the file is damaged")
        yield address, _exactly(f, length, "a blob")


def import_into(
    f: BinaryIO,
    room_id: bytes,
    put: Callable[[bytes, bytes], None],
    has: Callable[[bytes], bool],
) -> tuple[BundleHeader, int]:
    """Keep a bundle's blobs through ``put`` (which checks each against its address); returns
    the header and how many blobs were new. Refuses another room's bundle before reading on."""
    header = read_header(f)
    if header.room_id != room_id:
        raise BundleError("this bundle is from another room", "other_room")
    added = 0
    for address, data in blobs(f, header):
        if not has(address):
            try:
                put(address, data)
            except DocumentError:
                raise BundleError(
                    "a blob in the bundle is damaged (it does not match its address)"
                ) from None
            added += 1
    return header, added


def import_file(home: Path, path: Path) -> tuple[BundleHeader, int]:
    """Import a bundle file into the profile at ``home`` (enrolled; no PIN needed, no app
    running: for imaging), its blobs where the device keeps its documents, checked one by one.
    The running app imports through its client (``RoomClient.import_bundle``). Raises
    :class:`BundleError` (or OSError for a file that cannot be read)."""
    from app.docstore import BlobStore
    from app.profile import Profile

    identity = Profile(home).identity
    if identity is None:
        raise BundleError(
            "this device is not enrolled in a room yet: enroll it first", "not_enrolled"
        )
    blobs = BlobStore(home)
    with path.open("rb") as f:
        return import_into(f, identity.room_id, blobs.put, blobs.has)
