"""The sealed document format: whatever serves the chunks cannot swap, reorder, drop, cut,
flip or forge them, and only the devices a key was wrapped for can open it."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pymupdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app import docformat as d
from app.keys import DeviceKeys
from tests.realdocs import real_pdf

ROOM = Ed25519PrivateKey.generate()
ROOM_PUBLIC = ROOM.public_key().public_bytes_raw()


def seal_document(
    data: bytes, key: bytes, document_id: int, version: int, key_epoch: int
) -> tuple[d.Manifest, dict[bytes, bytes]]:
    """Cut and seal ``data`` as the room does (server/publishing.py): its manifest and sealed
    chunks by address."""
    refs, sealed = d.seal_chunks(data, key)
    manifest = d.Manifest(
        document_id=document_id, version=version, key_epoch=key_epoch, length=len(data), chunks=refs
    )
    return manifest, sealed


def sealed(data: bytes, key: bytes | None = None) -> tuple[bytes, bytes, dict[bytes, bytes]]:
    key = key or d.new_key()
    manifest, chunks = seal_document(data, key, document_id=7, version=1, key_epoch=1)
    return key, d.sign_manifest(manifest, ROOM), chunks


@pytest.fixture(scope="module")
def notation() -> bytes:
    return real_pdf("notation.pdf").read_bytes()


def test_a_real_manual_round_trips(notation: bytes) -> None:
    key, signed, chunks = sealed(notation)
    manifest = d.open_manifest(signed, ROOM_PUBLIC)
    assert manifest.length == len(notation) and len(manifest.chunks) > 100
    assert max(r.size for r in manifest.chunks) <= d.CHUNK_MAX + 28
    assert d.assemble(manifest, chunks.__getitem__, key) == notation
    assert all(notation[:4096] not in c for c in chunks.values())  # no plaintext inside


def test_a_small_edit_changes_only_the_chunks_around_it(notation: bytes) -> None:
    key, _signed, chunks = sealed(notation)
    edited = notation[:10_000_000] + b"% revised\n" + notation[10_000_000:]
    manifest, _new_chunks = seal_document(edited, key, document_id=7, version=2, key_epoch=1)
    assert len(d.missing(manifest, chunks)) <= 2  # of ~420


def test_a_revision_saved_the_way_pdf_editors_do_sends_few_chunks(
    notation: bytes, tmp_path: Path
) -> None:
    """A revision as PDF editors save one: an incremental update appended to the file. Only
    the chunks at the end are new. (A file re-exported from its source is rewritten throughout:
    then nearly every chunk is new, and the whole file travels again.)"""
    path = tmp_path / "notation.pdf"  # the server side of a test: plaintext on disk is fine here
    path.write_bytes(notation)
    doc = pymupdf.open(path)
    doc[500].insert_text((72, 72), "Sửa đổi: xem trang 501", fontsize=11)
    doc.saveIncr()
    doc.close()
    revised = path.read_bytes()
    key, _signed, chunks = sealed(notation)
    manifest, _ = seal_document(revised, key, document_id=7, version=2, key_epoch=1)
    assert revised != notation
    assert len(d.missing(manifest, chunks)) <= 3  # of ~420


@pytest.mark.parametrize("attack", ["swap", "reorder", "flip", "cut", "drop", "foreign"])
def test_served_chunks_are_checked_against_the_manifest(attack: str) -> None:
    data = bytes(range(256)) * 2000  # several chunks
    key, signed, chunks = sealed(data)
    manifest = d.open_manifest(signed, ROOM_PUBLIC)
    first, second = manifest.chunks[0].address, manifest.chunks[1].address
    served = dict(chunks)
    if attack == "swap":
        served[first], served[second] = chunks[second], chunks[first]
    elif attack == "flip":
        served[first] = bytes([chunks[first][0] ^ 1]) + chunks[first][1:]
    elif attack == "cut":
        served[first] = chunks[first][:-1]
    elif attack == "drop":
        del served[first]
    elif attack == "foreign":
        _k, _s, other = sealed(data)  # the same text under another document's key
        served = other
    if attack == "reorder":  # a manifest with the order changed is no longer signed
        body = msgspec.msgpack.decode(
            msgspec.msgpack.decode(signed, type=d.SignedManifest).body, type=d.Manifest
        )
        moved = msgspec.structs.replace(body, chunks=list(reversed(body.chunks)))
        forged = msgspec.msgpack.encode(
            d.SignedManifest(msgspec.msgpack.encode(moved), b"\x00" * 64)
        )
        with pytest.raises(d.DocumentError):
            d.open_manifest(forged, ROOM_PUBLIC)
        return
    with pytest.raises((d.DocumentError, KeyError)):
        d.assemble(manifest, served.__getitem__, key)


def test_a_manifest_signed_by_another_room_is_refused() -> None:
    _key, _signed, _chunks = sealed(b"x" * 100_000)
    manifest, _ = seal_document(b"x" * 100_000, d.new_key(), 7, 1, 1)
    other_room = Ed25519PrivateKey.generate()
    with pytest.raises(d.DocumentError, match="not signed by this room"):
        d.open_manifest(d.sign_manifest(manifest, other_room), ROOM_PUBLIC)
    with pytest.raises(d.DocumentError):
        d.open_manifest(b"\x93garbage", ROOM_PUBLIC)


def test_the_wrong_key_opens_nothing() -> None:
    _key, signed, chunks = sealed(b"y" * 50_000)
    with pytest.raises(d.DocumentError, match="key"):
        d.assemble(d.open_manifest(signed, ROOM_PUBLIC), chunks.__getitem__, d.new_key())


def test_a_key_wrapped_for_several_devices_opens_for_each_and_no_other() -> None:
    key = d.new_key()
    devices = {n: DeviceKeys.generate() for n in (1, 2, 3)}
    wraps = {n: d.wrap_key(key, k.kx_public, 7, 1, n) for n, k in devices.items()}
    for n, k in devices.items():
        assert d.unwrap_key(wraps[n], k.kx, 7, 1, n) == key
    with pytest.raises(d.DocumentError):
        d.unwrap_key(wraps[1], devices[2].kx, 7, 1, 1)  # another device's private key
    with pytest.raises(d.DocumentError):
        d.unwrap_key(wraps[1], devices[1].kx, 7, 1, 2)  # moved to another device's name
    with pytest.raises(d.DocumentError):
        d.unwrap_key(wraps[1], devices[1].kx, 8, 1, 1)  # or another document
    with pytest.raises(d.DocumentError):
        d.unwrap_key(wraps[1], X25519PrivateKey.generate(), 7, 2, 1)


def test_equal_chunks_under_one_key_have_equal_addresses_and_no_other_link() -> None:
    """What docs/security.md §4.14 says equal addresses reveal: equality under one key only."""
    key = d.new_key()
    a, b = d.ChunkCipher(key), d.ChunkCipher(d.new_key())
    assert a.seal(b"same" * 5000) == a.seal(b"same" * 5000)
    assert a.seal(b"same" * 5000) != b.seal(b"same" * 5000)
    assert a.seal(b"same" * 5000) != a.seal(b"Same" * 5000)
