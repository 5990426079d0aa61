"""Room IDs and enrollment codes: round trips, and typos caught before any network traffic."""

from __future__ import annotations

import hashlib

import pytest

from app.codes import (
    CodeError,
    EnrollmentCode,
    b32decode,
    b32encode,
    format_room_id,
    parse_room_id,
    short_room_id,
)

ROOM = hashlib.sha256(b"certificate").digest()


def test_base32_round_trip() -> None:
    for n in range(0, 40):
        data = bytes(range(n))
        assert b32decode(b32encode(data), n) == data


def test_room_id_round_trip_and_check() -> None:
    text = format_room_id(ROOM)
    assert len(text.split("-")) == 14
    assert parse_room_id(text) == ROOM
    assert parse_room_id(text.lower().replace("-", " ")) == ROOM
    assert parse_room_id(ROOM.hex()) == ROOM
    broken = ("Z" if text[0] != "Z" else "Y") + text[1:]
    with pytest.raises(CodeError, match="mistyped"):
        parse_room_id(broken)
    assert format_room_id(ROOM).startswith(short_room_id(ROOM))


@pytest.mark.parametrize("addresses", [("192.168.1.10",), ("10.0.0.2", "fd00::1"), ()])
def test_enrollment_code_round_trip(addresses: tuple[str, ...]) -> None:
    code = EnrollmentCode(addresses, 8443, ROOM, bytes(range(10)))
    typed = EnrollmentCode.parse(code.text())
    assert typed.addresses == addresses and typed.port == 8443 and typed.secret == code.secret
    assert typed.room_pin == ROOM[:10] and typed.pins(ROOM)
    scanned = EnrollmentCode.parse(code.qr_text())
    assert scanned.room_pin == ROOM and scanned.pins(ROOM)
    assert not scanned.pins(hashlib.sha256(b"other").digest())


def test_typed_code_tolerates_case_spaces_and_lookalikes() -> None:
    code = EnrollmentCode(("192.168.1.10",), 8443, ROOM, bytes(10))
    text = code.text()
    sloppy = text.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert EnrollmentCode.parse(sloppy) == EnrollmentCode.parse(text)


def test_every_single_symbol_typo_is_caught() -> None:
    code = EnrollmentCode(("192.168.1.10",), 8443, ROOM, bytes(range(10))).text()
    caught = 0
    positions = [i for i, c in enumerate(code) if c != "-"]
    for i in positions:
        wrong = "2" if code[i] != "2" else "3"
        try:
            parsed = EnrollmentCode.parse(code[:i] + wrong + code[i + 1 :])
        except CodeError:
            caught += 1
            continue
        # the only typo that can pass is one in base32's padding bits, which changes nothing
        assert parsed == EnrollmentCode.parse(code)
    assert caught >= len(positions) - 1


@pytest.mark.parametrize("text", ["", "ABC", "!!!!!-!!!!!-!!!!!", "0" * 40])
def test_garbage_codes_say_what_is_wrong(text: str) -> None:
    with pytest.raises(CodeError):
        EnrollmentCode.parse(text)


def test_a_prefix_shorter_than_80_bits_pins_nothing() -> None:
    code = EnrollmentCode(("10.0.0.1",), 1, ROOM[:4], bytes(10))
    assert not code.pins(ROOM)
