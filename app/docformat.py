"""How a document is sealed: chunks, their encryption, the signed manifest, wrapped keys.

Shared by the server (which seals what a secretary publishes) and every device (which checks and
opens it). The design, in DESIGN order:

* **Chunks.** The plaintext is cut where its content says (FastCDC, ~64 KiB on average), so an
  edit changes only the chunks around it and a revised version shares the rest.
* **Encryption.** Each chunk is sealed with AES-256-GCM under keys derived (HKDF) from the
  document's own key. The nonce is a keyed hash of the chunk (HMAC-SHA256, first 96 bits): it
  repeats only for the very same plaintext, which then gives the very same ciphertext — what lets
  a revision under the same key reuse the chunks a device already holds. A chunk is addressed by
  the SHA-256 of its ciphertext, so any cache, file share or USB stick can carry it and whoever
  serves it cannot change it unnoticed.
* **Manifest.** The ordered chunk addresses, their sizes, the plaintext length and the
  document and version are signed with the room's Ed25519 key. A device checks the signature,
  then every chunk against its address: chunks can be neither swapped, reordered, dropped,
  truncated nor forged.
* **Keys.** The document key is wrapped for each authorised device: X25519 with an ephemeral
  key, HKDF, AES-256-GCM, bound to the document, the key's epoch and the device.

What equal chunk addresses reveal is written down in docs/security.md (§4.14).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Container

import fastcdc
import msgspec
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app import protocol as p

CHUNK_MIN = 16 * 1024
CHUNK_AVG = 64 * 1024
CHUNK_MAX = 256 * 1024
KEY_BYTES = 32
ADDRESS_BYTES = p.ADDRESS_BYTES
_NONCE = 12
_TAG = 16
_CHUNK_CONTEXT = b"hemicycle-chunk-v1"
_MANIFEST_CONTEXT = b"hemicycle-manifest-v1\x00"
_WRAP_CONTEXT = b"hemicycle-wrap-v1\x00"


class DocumentError(Exception):
    """A chunk, manifest or key that does not check out: refuse the document, never show it."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def address(sealed: bytes | memoryview) -> bytes:
    return hashlib.sha256(sealed).digest()


class ChunkCipher:
    """Seals and opens the chunks of one document under one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a document key is 32 bytes")
        okm = HKDF(hashes.SHA256(), 64, salt=None, info=_CHUNK_CONTEXT).derive(key)
        self._aead = AESGCM(okm[:32])
        self._nonce_key = okm[32:]

    def seal(self, plain: bytes) -> bytes:
        nonce = hmac.new(self._nonce_key, plain, hashlib.sha256).digest()[:_NONCE]
        return nonce + self._aead.encrypt(nonce, plain, _CHUNK_CONTEXT)

    def open(self, sealed: bytes) -> bytes:
        if len(sealed) < _NONCE + _TAG:
            raise DocumentError("a chunk is truncated")
        try:
            plain = self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], _CHUNK_CONTEXT)
        except InvalidTag:
            raise DocumentError("a chunk does not open with this document's key") from None
        expected = hmac.new(self._nonce_key, plain, hashlib.sha256).digest()[:_NONCE]
        if not hmac.compare_digest(expected, sealed[:_NONCE]):
            raise DocumentError("a chunk's nonce does not match its content")
        return plain


def cut(data: bytes) -> list[bytes]:
    """The plaintext in content-defined chunks (an edit moves only the cuts around it)."""
    if not data:
        return []
    return [
        data[c.offset : c.offset + c.length]
        for c in fastcdc.fastcdc(data, min_size=CHUNK_MIN, avg_size=CHUNK_AVG, max_size=CHUNK_MAX)
    ]


class ChunkRef(msgspec.Struct, array_like=True, frozen=True, forbid_unknown_fields=True):
    address: bytes
    size: int


class Manifest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """What a version of a document is made of, in order."""

    document_id: int
    version: int
    key_epoch: int
    length: int
    chunks: list[ChunkRef]


class SignedManifest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    body: bytes
    signature: bytes


def seal_chunks(data: bytes, key: bytes) -> tuple[list[ChunkRef], dict[bytes, bytes]]:
    """Cut and seal ``data``: the chunk list in order, and the sealed chunks by address."""
    cipher = ChunkCipher(key)
    sealed: dict[bytes, bytes] = {}
    refs = []
    for plain in cut(data):
        chunk = cipher.seal(plain)
        where = address(chunk)
        sealed[where] = chunk
        refs.append(ChunkRef(where, len(chunk)))
    return refs, sealed


def sign_manifest(manifest: Manifest, room_key: Ed25519PrivateKey) -> bytes:
    """The signed manifest as stored and sent (itself addressed by its SHA-256)."""
    body = msgspec.msgpack.encode(manifest)
    signature = room_key.sign(_MANIFEST_CONTEXT + body)
    return msgspec.msgpack.encode(SignedManifest(body, signature))


def open_manifest(data: bytes, room_public_key: bytes) -> Manifest:
    """Check a signed manifest against the room's key; refuses anything else."""
    try:
        signed = msgspec.msgpack.decode(data, type=SignedManifest)
        Ed25519PublicKey.from_public_bytes(room_public_key).verify(
            signed.signature, _MANIFEST_CONTEXT + signed.body
        )
        manifest = msgspec.msgpack.decode(signed.body, type=Manifest)
    except (msgspec.DecodeError, msgspec.ValidationError, InvalidSignature, ValueError):
        raise DocumentError("the document's manifest is not signed by this room") from None
    if any(len(c.address) != ADDRESS_BYTES or c.size <= _NONCE + _TAG for c in manifest.chunks):
        raise DocumentError("the document's manifest is malformed")
    return manifest


def assemble(manifest: Manifest, chunk: Callable[[bytes], bytes], key: bytes) -> bytes:
    """The plaintext of a checked manifest, in memory: each chunk fetched by ``chunk(address)``
    must have that address and open with the key, and all of them the stated length."""
    cipher = ChunkCipher(key)
    parts = []
    for ref in manifest.chunks:
        sealed = chunk(ref.address)
        if len(sealed) != ref.size or address(sealed) != ref.address:
            raise DocumentError("a chunk is not the one the manifest names")
        parts.append(cipher.open(sealed))
    data = b"".join(parts)
    if len(data) != manifest.length:
        raise DocumentError("the document is not as long as its manifest says")
    return data


def missing(manifest: Manifest, held: Container[bytes]) -> list[bytes]:
    """The manifest's chunk addresses not in ``held``, in order, once each."""
    seen: set[bytes] = set()
    out: list[bytes] = []
    for ref in manifest.chunks:
        if ref.address not in held and ref.address not in seen:
            seen.add(ref.address)
            out.append(ref.address)
    return out


# ---------------------------------------------------------------------- keys for devices


def _wrap_context(document_id: int, key_epoch: int, device_id: int) -> bytes:
    return _WRAP_CONTEXT + b"%d:%d:%d" % (document_id, key_epoch, device_id)


def wrap_key(
    key: bytes, device_kx_public: bytes, document_id: int, key_epoch: int, device_id: int
) -> bytes:
    """The document key, readable only with the device's X25519 private key."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(device_kx_public))
    context = _wrap_context(document_id, key_epoch, device_id)
    kek = HKDF(hashes.SHA256(), 32, salt=None, info=context).derive(shared)
    nonce = os.urandom(_NONCE)
    public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return public + nonce + AESGCM(kek).encrypt(nonce, key, context)


def unwrap_key(
    wrapped: bytes, device_kx: X25519PrivateKey, document_id: int, key_epoch: int, device_id: int
) -> bytes:
    if len(wrapped) != 32 + _NONCE + KEY_BYTES + _TAG:
        raise DocumentError("a document key is malformed")
    context = _wrap_context(document_id, key_epoch, device_id)
    try:
        shared = device_kx.exchange(X25519PublicKey.from_public_bytes(wrapped[:32]))
        kek = HKDF(hashes.SHA256(), 32, salt=None, info=context).derive(shared)
        return AESGCM(kek).decrypt(wrapped[32 : 32 + _NONCE], wrapped[32 + _NONCE :], context)
    except (InvalidTag, ValueError):
        raise DocumentError("this document key is not for this device") from None


def room_public_key(cert_der: bytes) -> bytes:
    """The room's Ed25519 public key from its certificate (the one the room ID pins)."""
    from cryptography import x509

    public = x509.load_der_x509_certificate(cert_der).public_key()
    if not isinstance(public, Ed25519PublicKey):
        raise DocumentError("the room's certificate has no Ed25519 key")
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
