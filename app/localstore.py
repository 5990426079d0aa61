"""The device's encrypted copy of the last known room state, so the app opens offline.

Sealed with AES-256-GCM under the store key kept in the vault; rewritten atomically, so a
crash or a pulled battery leaves the previous copy, never a torn one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.fileio import atomic_write
from app.protocol import RoomState

_AAD = b"hemicycle-store-v1"


class Stored(msgspec.Struct):
    seq: int
    last_sync: float | None
    state: RoomState
    #: The tag of the entry at ``seq`` (empty in copies saved before tags existed).
    tag: bytes = b""


@dataclass(frozen=True)
class LocalStore:
    path: Path
    key: bytes

    def save(self, stored: Stored) -> None:
        nonce = os.urandom(12)
        sealed = AESGCM(self.key).encrypt(nonce, msgspec.msgpack.encode(stored), _AAD)
        atomic_write(self.path, nonce + sealed)

    def load(self) -> Stored | None:
        """The last saved state, or ``None`` if there is none or it cannot be read."""
        try:
            blob = self.path.read_bytes()
            plain = AESGCM(self.key).decrypt(blob[:12], blob[12:], _AAD)
            return msgspec.msgpack.decode(plain, type=Stored)
        except (FileNotFoundError, InvalidTag, ValueError, msgspec.DecodeError):
            return None
