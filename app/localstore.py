"""The device's encrypted copy of the last known room state, so the app opens offline.

Sealed with AES-256-GCM under the store key kept in the vault; rewritten atomically, so a
crash or a pulled battery leaves the previous copy, never a torn one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec

from app.protocol import RoomState
from app.sealedfile import seal_to, unseal_from

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
        seal_to(self.path, self.key, _AAD, stored)

    def load(self) -> Stored | None:
        """The last saved state, or ``None`` if there is none or it cannot be read."""
        return unseal_from(self.path, self.key, _AAD, Stored)
