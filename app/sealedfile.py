"""A small file sealed under the profile's store key: one msgpack value, AES-256-GCM, written
atomically, so a crash or a pulled battery leaves the previous copy, never a torn one.

The device's state copy, its ballot book, its documents' index and its annotations are each
one such file; each names its own associated data, so one cannot be passed off as another.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.fileio import atomic_write

T = TypeVar("T")

_NONCE = 12


def seal_to(path: Path, key: bytes, aad: bytes, value: object) -> None:
    nonce = os.urandom(_NONCE)
    atomic_write(path, nonce + AESGCM(key).encrypt(nonce, msgspec.msgpack.encode(value), aad))


def unseal_from(path: Path, key: bytes, aad: bytes, kind: type[T]) -> T | None:
    """The value last sealed to ``path``, or ``None`` if there is none or it cannot be read."""
    try:
        blob = path.read_bytes()
        plain = AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], aad)
        return msgspec.msgpack.decode(plain, type=kind)
    except (FileNotFoundError, InvalidTag, ValueError, msgspec.DecodeError):
        return None
