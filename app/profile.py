"""A device profile: who this device is in which room, readable without the PIN, and the
sealed keys and local store that the PIN opens."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec

from app.annotations import Notebook
from app.docstore import DocStore
from app.fileio import atomic_write
from app.keys import DeviceKeys
from app.localstore import LocalStore, Stored
from app.protocol import Delegate, Role, RoomInfo, RoomState
from app.state import RoomModel, RoomView
from app.unlockguard import PinLocked, UnlockGuard
from app.vault import MIN_PIN_LENGTH, Backend, Secrets, Vault, VaultError, WrongPin
from app.voting import BallotBook

__all__ = [
    "MIN_PIN_LENGTH",
    "Identity",
    "PinLocked",
    "Profile",
    "Unlocked",
    "VaultError",
    "WrongPin",
]


class Identity(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Non-secret facts about the enrollment, stored in ``identity.json``."""

    room_name: str
    room_id: bytes
    addresses: tuple[str, ...]
    port: int
    device_id: int
    role: Role
    delegate: Delegate | None = None
    vault: Backend = "file"
    #: The room's public key (from its pinned certificate): it signs document manifests.
    room_key: bytes = b""


class Profile:
    """A profile folder; one per device and room."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._identity: Identity | None = None

    @property
    def identity_file(self) -> Path:
        return self.home / "identity.json"

    def is_enrolled(self) -> bool:
        return self.identity is not None

    @property
    def identity(self) -> Identity | None:
        if self._identity is None:
            try:
                data = self.identity_file.read_bytes()
                self._identity = msgspec.json.decode(data, type=Identity)
            except (FileNotFoundError, msgspec.DecodeError, msgspec.ValidationError):
                return None
        return self._identity

    def save_identity(self, identity: Identity) -> None:
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(self.identity_file, msgspec.json.encode(identity))
        self._identity = identity

    def unlock(self, pin: str) -> Unlocked:
        """Open the keys with the PIN; raises WrongPin, or PinLocked after too many wrong ones."""
        identity = self.identity
        if identity is None:
            raise VaultError("this device is not enrolled")
        guard = UnlockGuard(self.home)
        guard.check()
        try:
            secrets = Vault(self.home).open(pin, identity.vault)
        except WrongPin:
            guard.failed()
            raise
        guard.succeeded()
        return Unlocked(self, identity, secrets)


@dataclass(frozen=True)
class Unlocked:
    """An open profile: identity plus the keys and the local store the PIN unsealed."""

    profile: Profile
    identity: Identity
    secrets: Secrets

    @property
    def keys(self) -> DeviceKeys:
        return DeviceKeys.from_raw(self.secrets.sign_key, self.secrets.kx_key)

    @property
    def store(self) -> LocalStore:
        return LocalStore(self.profile.home / "state.bin", self.secrets.store_key)

    def documents(self) -> DocStore:
        """The device's documents (ciphertext on disk; see app/docstore.py)."""
        return DocStore(
            self.profile.home,
            self.secrets.store_key,
            self.identity.room_key,
            self.identity.device_id,
            self.keys.kx,
        )

    def notebook(self) -> Notebook:
        """The device's annotations (app/annotations.py)."""
        return Notebook(
            self.profile.home / "annotations.bin", self.secrets.store_key, self.identity.device_id
        )

    def ballots(self) -> BallotBook:
        """The device's own record of the votes it cast (app/voting.py)."""
        return BallotBook(self.profile.home / "ballots.bin", self.secrets.store_key)

    def load_state(self) -> tuple[RoomModel, float | None]:
        """Last known state and when it was last in sync with the room (``None``: never)."""
        model, _resume, last_sync = self.load_stored()
        return model, last_sync

    def load_stored(self) -> tuple[RoomModel, tuple[int, bytes] | None, float | None]:
        """The stored state, where it resumes from (seq and tag), and when it was last synced."""
        stored = self.store.load()
        if stored is None:
            empty = RoomState(room=RoomInfo(name=self.identity.room_name))
            return RoomModel(empty), None, None
        return RoomModel(stored.state), (stored.seq, stored.tag), stored.last_sync

    def save_state(self, view: RoomView, seq: int, tag: bytes, last_sync: float | None) -> None:
        self.store.save(Stored(seq=seq, tag=tag, last_sync=last_sync, state=view.to_state()))
