"""Where a device keeps its private keys: the OS keychain, or a PIN-sealed file without one.

The sealed secrets (signing key, key-exchange key, local-store key) are stored either

* in the OS keychain through ``keyring``, together with a scrypt verifier of the PIN, so the
  PIN is an unlock gate and the keychain protects the keys; or
* where no keychain backend exists (a kiosk tablet, a headless test machine), in ``vault.bin``
  encrypted with AES-256-GCM under a key derived from the PIN with scrypt.

Either way the PIN is needed to open the app, and no private key is ever written in the clear.

The scrypt cost is a :class:`ScryptCost`, stored with what it sealed (in the file's header, in
the keychain entry) so a vault always opens with the cost it was sealed with. Its defaults are
the production cost and nothing in the product passes another; tests seal with a cheap one
through the ``cost`` argument (``Vault(home, cost)``, ``app.enroll.enroll(..., cost=...)``)
so the suite does not spend ~0.2 s and 64 MiB per enrollment. Vault files from before the cost
was stored have no header and open with the production cost, the only one there was then.
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
_AAD = b"hemicycle-vault-v1"
_MAGIC = b"HCVAULT2"
"""Starts a vault file that records its scrypt cost. A file without it starts with its random
salt, which begins with these 8 bytes once in 2^64 files: never, in practice."""
_SALT_BYTES = 16
_NONCE_BYTES = 12
_TAG_BYTES = 16
_MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
"""Refuse costs above 4x the production memory: a damaged or doctored file must not be able
to make the app allocate gigabytes or spin for minutes before it says "wrong PIN"."""
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12

Backend = Literal["keyring", "file"]


class WrongPin(Exception):
    """The PIN does not open this device's vault."""


class VaultError(Exception):
    """The vault is missing or damaged; the device must be enrolled again."""


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's work factors: N = 2**log2_n, block size r, parallelism p.

    The defaults are the production cost: ~0.2 s and 64 MiB per guess on the reference
    machine, so a stolen vault file resists PIN guessing (docs/security.md §4.8). N is kept as
    its logarithm so it is a power of two, as scrypt requires, by construction.
    """

    log2_n: int = 16
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if not (1 <= self.log2_n <= 31 and 1 <= self.r <= 255 and 1 <= self.p <= 16):
            raise ValueError(f"scrypt cost out of range: {self}")
        if 128 * self.r * self.n > _MAX_SCRYPT_MEMORY:
            raise ValueError(f"scrypt cost needs more than {_MAX_SCRYPT_MEMORY >> 20} MiB: {self}")

    @property
    def n(self) -> int:
        return 1 << self.log2_n

    def header(self) -> bytes:
        """How a vault file records this cost, after its magic."""
        return bytes((self.log2_n, self.r, self.p))


PRODUCTION_COST = ScryptCost()
"""What every vault in the product is sealed with; the one default of every ``cost``."""


class Secrets(msgspec.Struct, forbid_unknown_fields=True):
    sign_key: bytes
    kx_key: bytes
    store_key: bytes


class _KeyringEntry(msgspec.Struct):
    salt: bytes
    verifier: bytes
    secrets: Secrets
    cost: ScryptCost = PRODUCTION_COST  # absent from entries written before it was stored


def check_pin(pin: str) -> None:
    """Raise ValueError with a user-facing reason unless ``pin`` is an acceptable PIN."""
    if not pin.isdigit() or not pin.isascii():
        raise ValueError("the PIN must contain digits only")
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise ValueError(f"the PIN must have {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits")


def _derive(pin: str, salt: bytes, cost: ScryptCost) -> bytes:
    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(pin.encode())


def keyring_usable() -> bool:
    """Whether a real OS keychain backend is configured (not the 'fail' placeholder)."""
    kr = keyring.get_keyring()
    if kr.__class__.__module__.startswith("keyring.backends.fail"):
        return False
    backends = getattr(kr, "backends", None)
    return bool(backends) if backends is not None else True


@dataclass(frozen=True)
class Vault:
    """The sealed secrets of the device profile in ``home``.

    ``cost`` is what :meth:`create` seals with; :meth:`open` uses the cost stored with the
    vault, whatever this one says.
    """

    home: Path
    cost: ScryptCost = PRODUCTION_COST

    @property
    def file(self) -> Path:
        return self.home / "vault.bin"

    @property
    def account(self) -> str:
        return str(self.home.resolve())

    def create(self, pin: str, secrets: Secrets, prefer_keyring: bool = True) -> Backend:
        check_pin(pin)
        salt = os.urandom(_SALT_BYTES)
        key = _derive(pin, salt, self.cost)
        if prefer_keyring and keyring_usable():
            entry = _KeyringEntry(salt, key, secrets, self.cost)
            try:
                keyring.set_password(
                    KEYRING_SERVICE,
                    self.account,
                    base64.b64encode(msgspec.msgpack.encode(entry)).decode(),
                )
                return "keyring"
            except keyring.errors.KeyringError:
                pass  # locked or broken keychain: fall back to the sealed file
        header = _MAGIC + self.cost.header()
        nonce = os.urandom(_NONCE_BYTES)
        # The header is authenticated too: a changed cost fails like a wrong PIN.
        sealed = AESGCM(key).encrypt(nonce, msgspec.msgpack.encode(secrets), _AAD + header)
        atomic_write(self.file, header + salt + nonce + sealed)
        return "file"

    def open(self, pin: str, backend: Backend) -> Secrets:
        if backend == "keyring":
            return self._open_keyring(pin)
        try:
            blob = self.file.read_bytes()
        except FileNotFoundError:
            raise VaultError("the device's key file is missing; enroll this device again") from None
        cost, header, body = _split_header(blob)
        if len(body) < _SALT_BYTES + _NONCE_BYTES + _TAG_BYTES:
            raise VaultError("the device's key file is damaged; enroll this device again")
        salt, nonce = body[:_SALT_BYTES], body[_SALT_BYTES : _SALT_BYTES + _NONCE_BYTES]
        sealed = body[_SALT_BYTES + _NONCE_BYTES :]
        try:
            plain = AESGCM(_derive(pin, salt, cost)).decrypt(nonce, sealed, _AAD + header)
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
        try:
            entry = msgspec.msgpack.decode(base64.b64decode(stored), type=_KeyringEntry)
        except (ValueError, msgspec.DecodeError) as exc:  # bad base64, bad cost, bad entry
            raise VaultError(
                f"the device's keychain entry is damaged ({exc}); enroll again"
            ) from None
        if not hmac.compare_digest(_derive(pin, entry.salt, entry.cost), entry.verifier):
            raise WrongPin()
        return entry.secrets

    def destroy(self, backend: Backend) -> None:
        """Forget the keys (device wipe)."""
        if backend == "keyring":
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, self.account)
        self.file.unlink(missing_ok=True)


def _split_header(blob: bytes) -> tuple[ScryptCost, bytes, bytes]:
    """The cost a vault file was sealed with, its header bytes, and the rest of the file.

    A file without the header predates it and was sealed with the production cost.
    """
    if not blob.startswith(_MAGIC):
        return PRODUCTION_COST, b"", blob
    header = blob[: len(_MAGIC) + 3]
    try:
        log2_n, r, p = header[len(_MAGIC) :]
        cost = ScryptCost(log2_n, r, p)
    except ValueError:  # cut short, or a cost we refuse to run
        raise VaultError("the device's key file is damaged; enroll this device again") from None
    return cost, header, blob[len(header) :]
