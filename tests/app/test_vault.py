"""Device secrets at rest: PIN-sealed file, OS keychain, encrypted local store."""

from __future__ import annotations

import base64
import inspect
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import msgspec
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.enroll import enroll
from app.localstore import LocalStore, Stored
from app.protocol import RoomInfo, RoomState
from app.vault import (
    KEYRING_SERVICE,
    PRODUCTION_COST,
    Backend,
    ScryptCost,
    Secrets,
    Vault,
    VaultError,
    WrongPin,
    check_pin,
    keyring_usable,
)

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


def test_file_vault_opens_with_the_pin_only(tmp_path: Path, scrypt_cost: ScryptCost) -> None:
    assert not keyring_usable()  # this machine has no keychain: the file path is exercised
    vault = Vault(tmp_path, scrypt_cost)
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
    tmp_path: Path, memory_keyring: MemoryKeyring, scrypt_cost: ScryptCost
) -> None:
    vault = Vault(tmp_path, scrypt_cost)
    assert vault.create("1357", SECRETS) == "keyring"
    assert not (tmp_path / "vault.bin").exists()
    assert vault.open("1357", "keyring") == SECRETS
    with pytest.raises(WrongPin):
        vault.open("0000", "keyring")
    vault.destroy("keyring")
    with pytest.raises(VaultError):
        vault.open("1357", "keyring")


# --------------------------------------------------------------------------- scrypt cost

PRODUCTION_SCRYPT = {"n": 2**16, "r": 8, "p": 1}  # docs/security.md §4.8, written out by hand


def test_the_product_seals_with_the_production_cost(tmp_path: Path) -> None:
    assert Vault(tmp_path).cost == PRODUCTION_COST
    assert inspect.signature(enroll).parameters["cost"].default == PRODUCTION_COST
    cost = PRODUCTION_COST
    assert {"n": cost.n, "r": cost.r, "p": cost.p} == PRODUCTION_SCRYPT
    Vault(tmp_path).create("482913", SECRETS, prefer_keyring=False)
    assert (tmp_path / "vault.bin").read_bytes()[:11] == b"HCVAULT2" + bytes((16, 8, 1))


@pytest.mark.parametrize("backend", ["file", "keyring"])
def test_a_vault_opens_with_the_cost_it_was_sealed_with(
    tmp_path: Path, memory_keyring: MemoryKeyring, backend: Backend, scrypt_cost: ScryptCost
) -> None:
    assert Vault(tmp_path, scrypt_cost).create("2580", SECRETS, backend == "keyring") == backend
    # Another Vault (as Profile.unlock makes, with the default cost) reads the stored one.
    assert Vault(tmp_path).open("2580", backend) == SECRETS
    with pytest.raises(WrongPin):
        Vault(tmp_path, ScryptCost(log2_n=5)).open("2581", backend)


def _production_key(pin: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, **PRODUCTION_SCRYPT).derive(pin.encode())


def test_a_vault_file_from_before_the_stored_cost_still_opens(tmp_path: Path) -> None:
    # The earlier layout: salt, nonce, AES-GCM sealed secrets; scrypt at the production cost.
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_production_key("482913", salt)).encrypt(
        nonce, msgspec.msgpack.encode(SECRETS), b"hemicycle-vault-v1"
    )
    (tmp_path / "vault.bin").write_bytes(salt + nonce + sealed)
    assert Vault(tmp_path, ScryptCost(log2_n=4)).open("482913", "file") == SECRETS


def test_a_keyring_entry_from_before_the_stored_cost_still_opens(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    salt = os.urandom(16)
    old = {"salt": salt, "verifier": _production_key("1357", salt), "secrets": SECRETS}
    account = str(tmp_path.resolve())
    memory_keyring.set_password(
        KEYRING_SERVICE, account, base64.b64encode(msgspec.msgpack.encode(old)).decode()
    )
    assert Vault(tmp_path).open("1357", "keyring") == SECRETS


def test_a_changed_cost_in_the_file_is_refused(tmp_path: Path, scrypt_cost: ScryptCost) -> None:
    vault = Vault(tmp_path, scrypt_cost)
    vault.create("482913", SECRETS, prefer_keyring=False)
    good = (tmp_path / "vault.bin").read_bytes()
    # A cheaper or dearer cost within bounds is authenticated with the data: it fails the tag.
    (tmp_path / "vault.bin").write_bytes(good[:8] + bytes((5,)) + good[9:])
    with pytest.raises(WrongPin):
        vault.open("482913", "file")
    # Costs that would take gigabytes, and a header cut short, are refused before any work.
    for blob in (good[:8] + bytes((30,)) + good[9:], good[:10]):
        (tmp_path / "vault.bin").write_bytes(blob)
        with pytest.raises(VaultError, match="damaged"):
            vault.open("482913", "file")


def test_a_damaged_keyring_entry_says_enroll_again(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    account = str(tmp_path.resolve())
    doctored = {"salt": b"s", "verifier": b"v", "secrets": SECRETS, "cost": {"log2_n": 30}}
    for stored in ("not base64!", base64.b64encode(msgspec.msgpack.encode(doctored)).decode()):
        memory_keyring.set_password(KEYRING_SERVICE, account, stored)
        with pytest.raises(VaultError, match="damaged"):
            Vault(tmp_path).open("1357", "keyring")


@pytest.mark.parametrize(
    "factors", [{"log2_n": 0}, {"log2_n": 32}, {"r": 0}, {"r": 256}, {"p": 17}, {"log2_n": 20}]
)
def test_unreasonable_costs_are_refused(factors: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="scrypt cost"):
        ScryptCost(**factors)


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
