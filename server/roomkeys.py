"""The room's own secrets, from its data directory: the signing key and the storage key.

The signing key is the room key of ``room-key.pem`` (the one its certificate, hence its room ID,
pins): it signs document manifests, so a device can check that what it was handed is what the
room published.

The storage key is what document keys are sealed with in the database. Every document is
stored as ciphertext under its own key (app/docformat.py); that key is kept in the database
sealed with this one, which lives only in the data directory (``storage.key``, mode
0600), never in the database. A copy of the database alone — a PostgreSQL dump, a standby, a
stolen backup of ``room.db`` — holds no readable document. Every server process of a room needs
the same file (docs/operations.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.docformat import KEY_BYTES
from app.fileio import atomic_write

STORAGE_KEY_FILE = "storage.key"
_NONCE = 12
_CONTEXT = b"hemicycle-storage-v1\x00"


class StorageKeyError(Exception):
    """The storage key is missing, malformed, or not the one the documents were sealed with."""


class StorageKey:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise StorageKeyError(f"a storage key is {KEY_BYTES} bytes")
        self._aead = AESGCM(key)

    @classmethod
    def create(cls, path: Path) -> StorageKey:
        key = os.urandom(KEY_BYTES)
        atomic_write(path, key, mode=0o600)
        return cls(key)

    @classmethod
    def load(cls, path: Path) -> StorageKey:
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            raise StorageKeyError(
                f"{path} is missing: the room's documents cannot be opened without it (copy it "
                "from the data directory that published them)"
            ) from None
        if len(key) != KEY_BYTES:
            raise StorageKeyError(f"{path} is not a storage key ({len(key)} bytes)")
        return cls(key)

    @staticmethod
    def _context(what: str, ids: tuple[int, ...]) -> bytes:
        return _CONTEXT + what.encode() + b":" + b":".join(b"%d" % i for i in ids)

    def seal(self, data: bytes, what: str, *ids: int) -> bytes:
        """``data`` sealed for the database, bound to what it is (``"key"``, ``"summary"``)
        and whose it is (document, version or epoch), so no sealed value can stand in for
        another."""
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, data, self._context(what, ids))

    def open(self, sealed: bytes, what: str, *ids: int) -> bytes:
        try:
            return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], self._context(what, ids))
        except (InvalidTag, ValueError):
            raise StorageKeyError(
                f"a document's {what} does not open with this room's storage key"
            ) from None


@dataclass(frozen=True)
class RoomKeys:
    signing: Ed25519PrivateKey
    storage: StorageKey

    @property
    def public(self) -> bytes:
        """The signing key's public half, raw (what devices check manifests with)."""
        return self.signing.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise StorageKeyError(f"{path} is not an Ed25519 room key")
    return key
