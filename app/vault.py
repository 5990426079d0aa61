"""Where a device keeps its private keys: the OS keychain, or a PIN-sealed file without one.

The sealed secrets (signing key, key-exchange key, local-store key) are stored either

* in the OS keychain through ``keyring``, together with a scrypt verifier of the PIN, so the
  PIN is an unlock gate and the keychain protects the keys; or
* where no keychain backend exists (a kiosk tablet, a headless test machine), in ``vault.bin``
  encrypted with AES-256-GCM under a key derived from the PIN with scrypt.

Either way the PIN is needed to open the app, and no private key is ever written in the clear.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import keyring
import keyring.backend
import keyring.errors
import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.fileio import atomic_write

KEYRING_SERVICE = "hemicycle"
SCRYPT_N = 2**16  # ~0.1 s and 64 MiB per guess: a stolen file resists PIN guessing
SCRYPT_R = 8
SCRYPT_P = 1
_AAD = b"hemicycle-vault-v1"
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12

Backend = Literal["keyring", "file"]


class WrongPin(Exception):
    """The PIN does not open this device's vault."""


class VaultError(Exception):
    """The vault is missing or damaged; the device must be enrolled again."""


class Secrets(msgspec.Struct, forbid_unknown_fields=True):
    sign_key: bytes
    kx_key: bytes
    store_key: bytes


class _KeyringEntry(msgspec.Struct):
    salt: bytes
    verifier: bytes
    secrets: Secrets


def check_pin(pin: str) -> None:
    """Raise ValueError with a user-facing reason unless ``pin`` is an acceptable PIN."""
    if not pin.isdigit() or not pin.isascii():
        raise ValueError("the PIN must contain digits only")
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise ValueError(f"the PIN must have {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits")


def _derive(pin: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(pin.encode())


def keyring_usable() -> bool:
    """Whether a real OS keychain backend is configured (not the 'fail' placeholder)."""
    kr = keyring.get_keyring()
    if kr.__class__.__module__.startswith("keyring.backends.fail"):
        return False
    backends = getattr(kr, "backends", None)
    return bool(backends) if backends is not None else True


@dataclass(frozen=True)
class Vault:
    """The sealed secrets of the device profile in ``home``."""

    home: Path

    @property
    def file(self) -> Path:
        return self.home / "vault.bin"

    @property
    def account(self) -> str:
        return str(self.home.resolve())

    def create(self, pin: str, secrets: Secrets, prefer_keyring: bool = True) -> Backend:
        check_pin(pin)
        salt = os.urandom(16)
        key = _derive(pin, salt)
        if prefer_keyring and keyring_usable():
            entry = _KeyringEntry(salt, key, secrets)
            try:
                keyring.set_password(
                    KEYRING_SERVICE,
                    self.account,
                    base64.b64encode(msgspec.msgpack.encode(entry)).decode(),
                )
                return "keyring"
            except keyring.errors.KeyringError:
                pass  # locked or broken keychain: fall back to the sealed file
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, msgspec.msgpack.encode(secrets), _AAD)
        atomic_write(self.file, salt + nonce + sealed)
        return "file"

    def open(self, pin: str, backend: Backend) -> Secrets:
        if backend == "keyring":
            return self._open_keyring(pin)
        try:
            blob = self.file.read_bytes()
        except FileNotFoundError:
            raise VaultError("the device's key file is missing; enroll this device again") from None
        if len(blob) < 16 + 12 + 16:
            raise VaultError("the device's key file is damaged; enroll this device again")
        salt, nonce, sealed = blob[:16], blob[16:28], blob[28:]
        try:
            plain = AESGCM(_derive(pin, salt)).decrypt(nonce, sealed, _AAD)
        except InvalidTag:
            raise WrongPin() from None
        return msgspec.msgpack.decode(plain, type=Secrets)

    def _open_keyring(self, pin: str) -> Secrets:
        try:
            stored = keyring.get_password(KEYRING_SERVICE, self.account)
        except keyring.errors.KeyringError as exc:
            raise VaultError(f"the system keychain is not available: {exc}") from None
        if stored is None:
            raise VaultError("the device's keys are gone from the keychain; enroll again")
        entry = msgspec.msgpack.decode(base64.b64decode(stored), type=_KeyringEntry)
        if not hmac.compare_digest(_derive(pin, entry.salt), entry.verifier):
            raise WrongPin()
        return entry.secrets

    def destroy(self, backend: Backend) -> None:
        """Forget the keys (device wipe)."""
        if backend == "keyring":
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, self.account)
        self.file.unlink(missing_ok=True)
