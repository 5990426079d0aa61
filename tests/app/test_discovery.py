"""Discovery: TXT validation as pure functions, then real mDNS between processes on loopback.

Every network test binds to 127.0.0.1 only, uses a fresh random room ID (other test runs or a
real server may be announcing on loopback at the same time) and has a deadline.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import socket
import sys
import time
import unicodedata
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from zeroconf import BadTypeInNameException, ServiceInfo
from zeroconf._utils.name import service_type_name
from zeroconf.asyncio import AsyncServiceInfo

from app import discovery
from app.discovery import (
    SERVICE_TYPE,
    Advertiser,
    DiscoveryUnavailable,
    InvalidRoomRecord,
    RoomAnnouncement,
    RoomBrowser,
    RoomTxt,
    instance_name,
    interface_addresses,
    parse_txt_properties,
    txt_properties,
)
from tests.netns import child_env

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = ["127.0.0.1"]
ROOM_NAME = "Đại hội thử nghiệm"
RID = hashlib.sha256(b"room certificate").digest()
DEADLINE = 10.0


def txt(*strings: bytes) -> bytes:
    """Raw TXT rdata from its strings, so tests can build records zeroconf never would."""
    return b"".join(bytes([len(s)]) + s for s in strings)


def wire(properties: dict[str, str] | bytes) -> bytes:
    """The TXT rdata zeroconf sends for ``properties`` (a dict, or raw rdata as is)."""
    return ServiceInfo(SERVICE_TYPE, f"x.{SERVICE_TYPE}", properties=properties).text


def received(rdata: bytes) -> RoomTxt:
    """Parse TXT rdata the way the browser does: decoded by zeroconf, then checked by us."""
    info = ServiceInfo(SERVICE_TYPE, f"x.{SERVICE_TYPE}", properties=rdata)
    return parse_txt_properties(info.properties)


def good_strings() -> list[bytes]:
    """The three valid strings of a room record, to be broken one at a time."""
    return [
        "name=Phòng họp số 1".encode(),
        b"rid=" + RID.hex().encode(),
        b"pv=1",
    ]


# --------------------------------------------------------------------------------------------
# TXT records
# --------------------------------------------------------------------------------------------


def test_txt_round_trip_keeps_vietnamese_name() -> None:
    parsed = received(wire(txt_properties("Đại hội XIV", RID, 3)))
    assert parsed == RoomTxt(name="Đại hội XIV", room_id=RID, protocol=3)


def test_txt_is_exactly_the_documented_keys() -> None:
    record = wire(txt_properties("A", RID, 1))
    assert record == txt(b"name=A", b"rid=" + RID.hex().encode(), b"pv=1")


def test_txt_name_is_nfc_normalised_both_ways() -> None:
    decomposed = unicodedata.normalize("NFD", ROOM_NAME)
    assert decomposed != ROOM_NAME
    assert txt_properties(decomposed, RID, 1)["name"] == ROOM_NAME
    strings = good_strings()
    strings[0] = b"name=" + decomposed.encode()
    assert received(txt(*strings)).name == ROOM_NAME


def test_txt_long_name_is_cut_to_one_txt_string_on_a_character_boundary() -> None:
    record = wire(txt_properties("Đ" * 200, RID, 1))  # 400 bytes of UTF-8, cut to fit
    assert record[0] <= 255
    name = received(record).name
    assert set(name) == {"Đ"}
    assert len(name.encode()) <= 250


def test_zeroconf_cannot_send_a_name_longer_than_one_txt_string() -> None:
    """Guards the premise of the cut: zeroconf does not cut or split a long value itself."""
    with pytest.raises(ValueError):
        wire({"name": "Đ" * 200, "rid": RID.hex(), "pv": "1"})


def test_txt_keys_are_case_insensitive_first_wins_unknown_ignored() -> None:
    record = txt(
        b"",  # empty strings are allowed and skipped
        b"NAME=First",
        b"name=Second",
        b"Rid=" + RID.hex().upper().encode(),
        b"PV=2",
        b"future=whatever",
        b"flag",
    )
    assert received(record) == RoomTxt(name="First", room_id=RID, protocol=2)


@pytest.mark.parametrize(
    ("index", "replacement", "reason"),
    [
        (0, None, "missing"),
        (1, None, "missing"),
        (2, None, "missing"),
        (0, b"name", "missing"),  # a boolean attribute has no value
        (0, b"name=", "empty"),
        (0, b"name=   ", "empty"),
        (0, b"name=\xff\xfe", "UTF-8"),
        (0, b"name=Ph\xc3", "UTF-8"),  # truncated multi-byte sequence
        (0, b"name=bad\x00name", "control"),
        (0, b"name=a\nb", "control"),
        (0, "name=\u202eevil".encode(), "control"),
        (1, b"rid=", "hex"),
        (1, b"rid=" + RID.hex()[:-1].encode(), "hex"),
        (1, b"rid=" + RID.hex().encode() + b"0", "hex"),
        (1, b"rid=" + RID.hex()[:-1].encode() + b"g", "hex"),
        (1, b"rid=" + RID[:31].hex().encode() + b" 0", "hex"),  # fromhex would accept spaces
        (1, b"rid=\xff" + RID.hex()[1:].encode(), "hex"),
        (2, b"pv=", "pv"),
        (2, b"pv=one", "pv"),
        (2, b"pv=+1", "pv"),
        (2, b"pv=-1", "pv"),
        (2, b"pv=1.0", "pv"),
        (2, "pv=\u0661".encode(), "pv"),  # Arabic-Indic one: int() would accept it
        (2, b"pv=0", "pv"),
        (2, b"pv=99999999999999999999", "pv"),
    ],
)
def test_malformed_txt_is_rejected_with_a_reason(
    index: int, replacement: bytes | None, reason: str
) -> None:
    strings = good_strings()
    if replacement is None:
        del strings[index]
    else:
        strings[index] = replacement
    with pytest.raises(InvalidRoomRecord, match=reason):
        received(txt(*strings))


@pytest.mark.parametrize(
    "record",
    [
        b"",
        b"\x05ab",  # length byte runs past the end
        txt(*good_strings())[:-1],
        b"\x00" * 10,
    ],
)
def test_broken_txt_framing_is_rejected(record: bytes) -> None:
    # zeroconf decodes broken framing leniently; what comes out is still no room record.
    with pytest.raises(InvalidRoomRecord):
        received(record)


def test_txt_properties_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        txt_properties("A", RID[:31], 1)
    with pytest.raises(ValueError, match="positive"):
        txt_properties("A", RID, 0)
    with pytest.raises(ValueError, match="large"):
        txt_properties("A", RID, 10**6)
    with pytest.raises(ValueError, match="empty"):
        txt_properties("  ", RID, 1)


# --------------------------------------------------------------------------------------------
# Instance names
# --------------------------------------------------------------------------------------------


def test_instance_name_carries_the_room_id_prefix() -> None:
    other = hashlib.sha256(b"another certificate").digest()
    assert instance_name(ROOM_NAME, RID) == f"{ROOM_NAME} ({RID[:4].hex()})"
    assert instance_name(ROOM_NAME, RID) != instance_name(ROOM_NAME, other)


@pytest.mark.parametrize(
    "name",
    [
        "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng Cộng sản Việt Nam",
        "ệ" * 40,
        "x" * 100,
        "Phiên họp 1. Khai mạc\t\x01",
        "...",
        "",
    ],
)
def test_instance_name_is_a_valid_dns_sd_label(name: str) -> None:
    label = instance_name(name, RID)
    encoded = label.encode("utf-8")
    assert len(encoded) <= 59  # leaves room for zeroconf's "-N" rename
    assert encoded.decode("utf-8") == label
    assert "." not in label
    assert label.endswith(f"({RID[:4].hex()})")
    # zeroconf's own validation, also after a rename on conflict.
    service_type_name(f"{label}.{SERVICE_TYPE}")
    service_type_name(f"{label}-99.{SERVICE_TYPE}")


def test_truncation_never_splits_a_character() -> None:
    # 2-byte and 3-byte characters, cut at every offset.
    for prefix in range(10):
        label = instance_name("a" * prefix + "ệĐ" * 30, RID)
        body = label.removesuffix(f" ({RID[:4].hex()})")
        assert ("a" * prefix + "ệĐ" * 30).startswith(body)


def test_zeroconf_would_refuse_a_64_byte_label() -> None:
    """Guards the premise of the truncation: the limit is real."""
    with pytest.raises(BadTypeInNameException):
        service_type_name(f"{'x' * 64}.{SERVICE_TYPE}")


# --------------------------------------------------------------------------------------------
# Addresses and construction
# --------------------------------------------------------------------------------------------


def test_interface_addresses_for_specific_hosts() -> None:
    assert interface_addresses("127.0.0.1") == ["127.0.0.1"]
    assert interface_addresses("localhost") == ["127.0.0.1"]
    assert interface_addresses("10.1.2.3") == ["10.1.2.3"]
    with pytest.raises(ValueError, match="IP address"):
        interface_addresses("hall-server.example")


def test_interface_addresses_for_wildcard_lists_up_non_loopback_ipv4(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import psutil

    def addr(family: socket.AddressFamily, address: str) -> SimpleNamespace:
        return SimpleNamespace(family=family, address=address)

    addrs = {
        "lo": [addr(socket.AF_INET, "127.0.0.1"), addr(socket.AF_INET6, "::1")],
        "eth0": [addr(socket.AF_INET, "192.168.10.5"), addr(socket.AF_INET6, "fe80::1")],
        "wlan0": [addr(socket.AF_INET, "10.0.0.9")],
        "br0": [addr(socket.AF_INET, "172.16.0.1"), addr(socket.AF_INET, "172.16.0.2")],
        "down0": [addr(socket.AF_INET, "10.9.9.9")],
    }
    stats = {name: SimpleNamespace(isup=name != "down0") for name in addrs}
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: addrs)
    monkeypatch.setattr(psutil, "net_if_stats", lambda: stats)
    expected = ["10.0.0.9", "172.16.0.1", "172.16.0.2", "192.168.10.5"]
    assert interface_addresses("0.0.0.0") == expected
    assert interface_addresses("::") == expected
    assert interface_addresses("") == expected


def test_advertiser_rejects_bad_configuration_before_any_io() -> None:
    with pytest.raises(ValueError, match="no interface"):
        Advertiser(ROOM_NAME, RID, 8443, [])
    with pytest.raises(ValueError, match="interface_addresses"):
        Advertiser(ROOM_NAME, RID, 8443, ["0.0.0.0"])
    with pytest.raises(ValueError, match="out of range"):
        Advertiser(ROOM_NAME, RID, 0, LOOPBACK)
    with pytest.raises(ValueError, match="32 bytes"):
        Advertiser(ROOM_NAME, RID[:16], 8443, LOOPBACK)
    with pytest.raises(TypeError):
        Advertiser(ROOM_NAME, RID, 8443, "127.0.0.1")
    with pytest.raises(TypeError):
        RoomBrowser("127.0.0.1")


# --------------------------------------------------------------------------------------------
# Real mDNS on loopback
# --------------------------------------------------------------------------------------------


def run(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
    """Run a test coroutine with an overall deadline (no pytest-asyncio in this project)."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def eventually(predicate: Callable[[], bool], limit: float = DEADLINE) -> float:
    """Wait for ``predicate`` on the loop; return how long it took, fail after ``limit`` s."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > limit:
            raise AssertionError(f"condition not met within {limit} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


def rooms_with(browser: RoomBrowser, room_id: bytes) -> list[RoomAnnouncement]:
    """Only our rooms: other runs may announce on loopback at the same time."""
    return [r for r in browser.rooms() if r.room_id == room_id]


async def stopping(*things: Any) -> None:
    """Stop advertisers/browsers, each bounded, all attempted even if one fails."""
    results = await asyncio.gather(
        *(asyncio.wait_for(t.stop(), DEADLINE) for t in things), return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]


def test_two_processes_discover_and_say_goodbye_on_loopback(tmp_path: Path) -> None:
    room_id = secrets.token_bytes(32)
    port = 20000 + secrets.randbelow(20000)
    stderr_path = tmp_path / "advertiser.stderr"
    seen_by_early: list[list[RoomAnnouncement]] = []

    async def scenario() -> dict[str, float]:
        timings: dict[str, float] = {}
        # One browser already running when the room appears (learns from announcements) and
        # one started after (learns by querying).
        early = RoomBrowser(LOOPBACK, on_change=seen_by_early.append)
        late = RoomBrowser(LOOPBACK)
        await early.start()
        proc: asyncio.subprocess.Process | None = None
        stderr_file = stderr_path.open("wb")
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "app.discovery",
                "advertise",
                "--name",
                ROOM_NAME,
                "--room-id",
                room_id.hex(),
                "--port",
                str(port),
                "--address",
                "127.0.0.1",
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr_file,
                cwd=REPO_ROOT,
                env=child_env(),
            )
            assert proc.stdout is not None
            t0 = time.monotonic()
            ready = await asyncio.wait_for(proc.stdout.readline(), DEADLINE)
            assert b'"ready"' in ready, stderr_path.read_text()
            timings["advertiser ready"] = time.monotonic() - t0

            timings["seen by running browser"] = await eventually(
                lambda: bool(rooms_with(early, room_id))
            )
            await late.start()
            timings["seen by new browser"] = await eventually(
                lambda: bool(rooms_with(late, room_id))
            )
            for browser in (early, late):
                [room] = rooms_with(browser, room_id)
                assert room.name == ROOM_NAME
                assert room.room_id == room_id
                assert room.protocol == 1
                assert room.port == port
                assert room.addresses == ("127.0.0.1",)
                assert room.service_name == f"{ROOM_NAME} ({room_id[:4].hex()}).{SERVICE_TYPE}"

            t0 = time.monotonic()
            proc.terminate()  # the child catches SIGTERM and sends the goodbye
            await eventually(
                lambda: not rooms_with(early, room_id) and not rooms_with(late, room_id)
            )
            timings["gone after SIGTERM"] = time.monotonic() - t0
            assert await asyncio.wait_for(proc.wait(), DEADLINE) == 0, stderr_path.read_text()
        finally:
            if proc is not None and proc.returncode is None:
                proc.kill()
                await asyncio.wait_for(proc.wait(), DEADLINE)
            stderr_file.close()
            await stopping(early, late)
        return timings

    timings = run(scenario())
    print(" ".join(f"{k}={v:.2f}s" for k, v in timings.items()))
    # on_change saw the room arrive, then leave (records are hints TTL'd for 120 s, so leaving
    # within the deadline can only be the goodbye).
    ours = [[r for r in rooms if r.room_id == room_id] for rooms in seen_by_early]
    assert any(ours) and not ours[-1]


def test_malformed_announcement_is_logged_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    good_id, bad_id = secrets.token_bytes(32), secrets.token_bytes(32)
    bad_name = f"Bad room ({bad_id[:4].hex()}).{SERVICE_TYPE}"
    caplog.set_level(logging.INFO, logger="hemicycle.discovery")
    callback_calls: list[int] = []

    def flaky_callback(rooms: list[RoomAnnouncement]) -> None:
        callback_calls.append(len(rooms))
        raise RuntimeError("a buggy UI callback must not stop discovery")

    async def scenario() -> None:
        browser = RoomBrowser(LOOPBACK, on_change=flaky_callback)
        # An address this machine lacks (TEST-NET-1) is skipped, not announced as an A record.
        good = Advertiser(ROOM_NAME, good_id, 8443, ["192.0.2.1", "127.0.0.1"])
        # A hostile or broken responder: right service type, garbage TXT.
        rogue, _ = await discovery._open_zeroconf(LOOPBACK)
        bad_info = AsyncServiceInfo(
            SERVICE_TYPE,
            bad_name,
            port=9,
            properties=txt(b"name=Bad room", b"rid=" + bad_id.hex()[:10].encode(), b"pv=1"),
            server="rogue-host.local.",
            parsed_addresses=["127.0.0.1"],
        )
        try:
            await browser.start()
            _assert_multicast_restricted(browser)
            announced = await rogue.async_register_service(bad_info)
            await announced
            await good.start()
            await eventually(lambda: bool(rooms_with(browser, good_id)))
            assert rooms_with(browser, good_id)[0].addresses == ("127.0.0.1",)
            await eventually(lambda: bad_name in caplog.text)
            assert not rooms_with(browser, bad_id)
            assert all(r.service_name != bad_name for r in browser.rooms())
        finally:
            await rogue.async_close()
            await stopping(good, browser)

    run(scenario())
    assert "ignoring malformed room announcement" in caplog.text
    assert "rid must be 64 hex digits" in caplog.text
    assert callback_calls and "room list callback failed" in caplog.text
    assert "not announcing/browsing on 192.0.2.1" in caplog.text


def _assert_multicast_restricted(browser: RoomBrowser) -> None:
    """Our sockets must not take multicast from interfaces we did not choose (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    azc = browser._azc
    assert azc is not None
    for reader in azc.zeroconf.engine.readers:
        sock = reader.transport.get_extra_info("socket")
        assert sock.getsockopt(socket.IPPROTO_IP, discovery._IP_MULTICAST_ALL) == 0


def test_two_rooms_with_the_same_name_are_both_listed_sorted() -> None:
    ids = sorted((secrets.token_bytes(32) for _ in range(2)), key=lambda b: b[:4].hex())
    changes: list[list[RoomAnnouncement]] = []

    async def scenario() -> None:
        browser = RoomBrowser(LOOPBACK, on_change=changes.append)
        rooms = [Advertiser("Phòng họp 1", rid, 9000 + i, LOOPBACK) for i, rid in enumerate(ids)]
        other_id = secrets.token_bytes(32)
        other = Advertiser("an earlier room", other_id, 9100, LOOPBACK)
        try:
            await browser.start()
            await asyncio.gather(*(a.start() for a in [*rooms, other]))

            def ours() -> list[RoomAnnouncement]:
                return [r for r in browser.rooms() if r.room_id in {*ids, other_id}]

            await eventually(lambda: len(ours()) == 3)
            listed = ours()
            assert [r.name for r in listed] == ["an earlier room", "Phòng họp 1", "Phòng họp 1"]
            assert [r.room_id for r in listed[1:]] == ids
            assert len({r.service_name for r in listed}) == 3

            await rooms[0].stop()
            await eventually(lambda: len(ours()) == 2)
            assert ids[0] not in {r.room_id for r in ours()}
        finally:
            await stopping(*rooms, other, browser)

    run(scenario())
    assert changes


def test_advertiser_on_an_address_this_machine_lacks_is_unavailable() -> None:
    # 192.0.2.1 is TEST-NET-1: never configured here, so joining the group on it fails and
    # nothing is ever sent.
    async def scenario() -> None:
        advertiser = Advertiser(ROOM_NAME, RID, 8443, ["192.0.2.1"])
        with pytest.raises(DiscoveryUnavailable, match=r"none of 192\.0\.2\.1"):
            await advertiser.start()
        await advertiser.stop()  # harmless after a failed start

    run(scenario())


def test_stop_without_start_is_harmless() -> None:
    async def scenario() -> None:
        await Advertiser(ROOM_NAME, RID, 8443, LOOPBACK).stop()
        browser = RoomBrowser(LOOPBACK)
        await browser.stop()
        assert browser.rooms() == []

    run(scenario())
