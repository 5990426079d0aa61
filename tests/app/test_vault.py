"""Device secrets at rest: PIN-sealed file, OS keychain, encrypted local store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from app.localstore import LocalStore, Stored
from app.protocol import RoomInfo, RoomState
from app.vault import Secrets, Vault, VaultError, WrongPin, check_pin, keyring_usable

SECRETS = Secrets(sign_key=os.urandom(32), kx_key=os.urandom(32), store_key=os.urandom(32))


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend class that keeps entries in memory (no OS keychain here)."""

    @keyring.backend.properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test backend: only ever installed explicitly, never auto-selected")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    try:
        yield kr
    finally:
        keyring.set_keyring(previous)


def _no_secret_bytes_under(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (SECRETS.sign_key, SECRETS.kx_key, SECRETS.store_key):
                assert secret not in data, path


def test_file_vault_opens_with_the_pin_only(tmp_path: Path) -> None:
    assert not keyring_usable()  # this machine has no keychain: the file path is exercised
    vault = Vault(tmp_path)
    assert vault.create("482913", SECRETS) == "file"
    assert vault.open("482913", "file") == SECRETS
    with pytest.raises(WrongPin):
        vault.open("482914", "file")
    assert (tmp_path / "vault.bin").stat().st_mode & 0o777 == 0o600
    _no_secret_bytes_under(tmp_path)


def test_damaged_or_missing_vault_says_enroll_again(tmp_path: Path) -> None:
    vault = Vault(tmp_path)
    with pytest.raises(VaultError, match="enroll"):
        vault.open("1234", "file")
    (tmp_path / "vault.bin").write_bytes(b"short")
    with pytest.raises(VaultError, match="damaged"):
        vault.open("1234", "file")


def test_keyring_vault_keeps_keys_out_of_the_folder(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    vault = Vault(tmp_path)
    assert vault.create("1357", SECRETS) == "keyring"
    assert not (tmp_path / "vault.bin").exists()
    assert vault.open("1357", "keyring") == SECRETS
    with pytest.raises(WrongPin):
        vault.open("0000", "keyring")
    vault.destroy("keyring")
    with pytest.raises(VaultError):
        vault.open("1357", "keyring")


@pytest.mark.parametrize("pin", ["12a4", "123", "1234567890123", "١٢٣٤", ""])
def test_bad_pins_are_refused_with_a_reason(pin: str) -> None:
    with pytest.raises(ValueError, match="PIN"):
        check_pin(pin)


def test_local_store_is_sealed_and_survives_tampering(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "state.bin", SECRETS.store_key)
    assert store.load() is None
    stored = Stored(seq=9, last_sync=1.5, state=RoomState(room=RoomInfo(name="Đại hội bí mật")))
    store.save(stored)
    assert store.load() == stored
    assert "bí mật".encode() not in (tmp_path / "state.bin").read_bytes()
    blob = bytearray((tmp_path / "state.bin").read_bytes())
    blob[-1] ^= 1
    (tmp_path / "state.bin").write_bytes(bytes(blob))
    assert store.load() is None  # a torn or tampered store reads as "nothing", never garbage
    assert LocalStore(tmp_path / "state.bin", os.urandom(32)).load() is None
    assert not list(tmp_path.glob(".*.tmp"))
