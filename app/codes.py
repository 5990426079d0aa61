"""Human-facing codes: the room ID and one-time enrollment codes.

Both use Crockford's base32 (no I, L, O, U; case-insensitive; I/L read as 1 and O as 0) in
dash-separated groups, ending with a two-symbol check so a mistyped code is caught before
anything is sent over the network.

An enrollment code carries everything a device needs to find and trust its room: addresses,
port, the room ID (or, in the typed form, its first 80 bits) and a one-time secret.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import struct
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(ALPHABET)}
_DECODE.update({"I": 1, "L": 1, "O": 0})

ROOM_ID_BYTES = 32
#: Room-ID prefix a typed code carries: 80 bits, beyond reach of a second-preimage search.
ROOM_PREFIX_BYTES = 10
SECRET_BYTES = 10
CODE_VERSION = 1
QR_PREFIX = "HEMICYCLE:"


class CodeError(ValueError):
    """A code that is malformed or mistyped. ``kind`` is for programs (the apps translate it),
    the message for logs; ``detail`` holds the offending symbol or version where there is one."""

    def __init__(self, kind: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.detail = detail


def b32encode(data: bytes) -> str:
    """Crockford base32, no padding."""
    bits = int.from_bytes(data, "big")
    nbits = len(data) * 8
    nchars = (nbits + 4) // 5
    bits <<= nchars * 5 - nbits
    return "".join(ALPHABET[(bits >> (5 * (nchars - 1 - i))) & 31] for i in range(nchars))


def b32decode(text: str, nbytes: int | None = None) -> bytes:
    """Inverse of :func:`b32encode`; ignores dashes and spaces, tolerant of case and I/L/O."""
    clean = "".join(text.split()).replace("-", "").upper()
    value = 0
    for ch in clean:
        if ch not in _DECODE:
            raise CodeError("bad_character", f"'{ch}' is not a valid character in a code", ch)
        value = (value << 5) | _DECODE[ch]
    total_bits = len(clean) * 5
    n = total_bits // 8 if nbytes is None else nbytes
    if n * 8 > total_bits:
        raise CodeError("too_short", "code is too short")
    value >>= total_bits - n * 8
    return value.to_bytes(n, "big")


def _check(data: bytes) -> str:
    return b32encode(hashlib.sha256(data).digest()[:2])[:2]


def _group(text: str, size: int) -> str:
    return "-".join(text[i : i + size] for i in range(0, len(text), size))


def room_id_of(cert_der: bytes) -> bytes:
    """The room ID: SHA-256 of the room's DER certificate."""
    return hashlib.sha256(cert_der).digest()


def checked_text(data: bytes) -> str:
    """``data`` for people: groups of four symbols and a two-symbol check."""
    return _group(b32encode(data), 4) + "-" + _check(data)


def parse_checked(text: str, nbytes: int) -> bytes:
    """Inverse of :func:`checked_text` for ``nbytes`` of data; raises :class:`CodeError`."""
    clean = "".join(text.split()).replace("-", "")
    symbols = (nbytes * 8 + 4) // 5
    if len(clean) != symbols + 2:
        raise CodeError("wrong_length", f"this code has {symbols} symbols and a 2-symbol check")
    data = b32decode(clean[:symbols], nbytes)
    if _check(data) != clean[symbols:].upper():
        raise CodeError("check_failed", "code check failed: a symbol is mistyped")
    return data


def format_room_id(room_id: bytes) -> str:
    """Room ID for people: 13 groups of four symbols and a two-symbol check."""
    return checked_text(room_id)


def short_room_id(room_id: bytes) -> str:
    """The first 80 bits, as shown next to a room's name (what a typed code pins to)."""
    return _group(b32encode(room_id[:ROOM_PREFIX_BYTES]), 4)


def parse_room_id(text: str) -> bytes:
    """Parse :func:`format_room_id` output or a 64-digit hex digest."""
    clean = "".join(text.split()).replace("-", "")
    if len(clean) == 64 and all(c in "0123456789abcdefABCDEF" for c in clean):
        return bytes.fromhex(clean)
    return parse_checked(clean, ROOM_ID_BYTES)


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def secret_text(secret: bytes) -> str:
    """How the secret travels inside the ``enroll`` message."""
    return b32encode(secret)


@dataclass(frozen=True)
class EnrollmentCode:
    """Where the room is, which certificate to trust, and the one-time secret."""

    addresses: tuple[str, ...]
    port: int
    room_pin: bytes  # full room ID (32 bytes) or its 10-byte prefix
    secret: bytes

    def pins(self, room_id: bytes) -> bool:
        """Whether a certificate digest matches what this code was issued for."""
        return len(self.room_pin) >= ROOM_PREFIX_BYTES and room_id.startswith(self.room_pin)

    def _payload(self, full: bool) -> bytes:
        pin = self.room_pin if full else self.room_pin[:ROOM_PREFIX_BYTES]
        flags = 1 if len(pin) == ROOM_ID_BYTES else 0
        out = bytearray(struct.pack(">BBHB", CODE_VERSION, flags, self.port, len(self.addresses)))
        for text in self.addresses:
            addr = ipaddress.ip_address(text)
            out += bytes([addr.version]) + addr.packed
        out += pin + self.secret
        return bytes(out)

    def text(self) -> str:
        """The typed form: short pin, groups of five, two-symbol check."""
        payload = self._payload(full=False)
        return _group(b32encode(payload) + _check(payload), 5)

    def qr_text(self) -> str:
        """The QR form: the full room ID, so a scanned code pins the whole certificate."""
        payload = self._payload(full=True)
        return QR_PREFIX + b32encode(payload) + _check(payload)

    @classmethod
    def parse(cls, text: str) -> EnrollmentCode:
        """Read either form; raises :class:`CodeError` saying what is wrong."""
        clean = "".join(text.split()).replace("-", "").upper()
        if clean.startswith(QR_PREFIX):
            clean = clean[len(QR_PREFIX) :]
        if len(clean) < 10:
            raise CodeError("too_short", "the code is too short")
        body, check = clean[:-2], clean[-2:]
        payload = b32decode(body)
        # base32 may carry a few padding bits; the check tells whether a byte was cut off.
        if _check(payload) != check:
            raise CodeError(
                "check_failed", "the code's check failed: a symbol is mistyped or missing"
            )
        try:
            version, flags, port, naddr = struct.unpack_from(">BBHB", payload)
        except struct.error:
            raise CodeError("too_short", "the code is too short") from None
        if version != CODE_VERSION:
            raise CodeError(
                "version", f"code version {version} is not supported by this app", str(version)
            )
        pos = 5
        addresses: list[str] = []
        for _ in range(naddr):
            if pos >= len(payload):
                raise CodeError("too_short", "the code is truncated")
            family = payload[pos]
            size = {4: 4, 6: 16}.get(family)
            if size is None:
                raise CodeError("not_a_code", "the code holds an unknown address type")
            addresses.append(str(ipaddress.ip_address(payload[pos + 1 : pos + 1 + size])))
            pos += 1 + size
        pin_len = ROOM_ID_BYTES if flags & 1 else ROOM_PREFIX_BYTES
        if len(payload) != pos + pin_len + SECRET_BYTES:
            raise CodeError("wrong_length", "the code has the wrong length")
        pin = payload[pos : pos + pin_len]
        secret = payload[pos + pin_len :]
        if port == 0:
            raise CodeError("not_a_code", "the code names no port")
        return cls(tuple(addresses), port, pin, secret)
