"""A device's own key pairs: Ed25519 to sign its session challenge, X25519 to receive document keys.

Generated on the device at enrollment; only the public halves ever leave it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

_RAW = serialization.Encoding.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_NOENC = serialization.NoEncryption()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class DeviceKeys:
    sign: Ed25519PrivateKey
    kx: X25519PrivateKey

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, sign: bytes, kx: bytes) -> DeviceKeys:
        return cls(
            Ed25519PrivateKey.from_private_bytes(sign), X25519PrivateKey.from_private_bytes(kx)
        )

    def raw_private(self) -> tuple[bytes, bytes]:
        return (
            self.sign.private_bytes(_RAW, _RAW_PRIV, _NOENC),
            self.kx.private_bytes(_RAW, _RAW_PRIV, _NOENC),
        )

    @property
    def sign_public(self) -> bytes:
        return self.sign.public_key().public_bytes(_RAW, _RAW_PUB)

    @property
    def kx_public(self) -> bytes:
        return self.kx.public_key().public_bytes(_RAW, _RAW_PUB)
