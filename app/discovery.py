"""Finding the room server on the hall LAN with mDNS / DNS-SD (``_hemicycle._tcp.local.``).

Discovery is a convenience, never a trust decision: the TXT record carries the room's name,
protocol version and room ID so a tablet can list rooms and pick the one it was enrolled in, but
the client only trusts a server whose TLS certificate hashes to the room ID it was provisioned
with.  Manual address entry must keep working when multicast is blocked, so every failure here
is reported as :class:`DiscoveryUnavailable` (an :class:`OSError`) rather than something exotic.

The room server runs an :class:`Advertiser` on the interfaces it listens on; the delegate app,
the console and the hall display run a :class:`RoomBrowser`.  Both use zeroconf's asyncio API
and must be started and stopped on the event loop that will drive them (the client's network
thread, the server's main loop).

Interface binding.  zeroconf receives multicast on one wildcard socket bound to ``*:5353``
and sends on one socket per chosen interface address (``IP_MULTICAST_IF`` set to that
address, ``IP_MULTICAST_LOOP`` on).  Two Linux details matter:

* Loopback works as-is although ``lo`` lacks the ``MULTICAST`` flag: joining 224.0.0.251
  with interface address 127.0.0.1 succeeds, and a datagram sent with ``IP_MULTICAST_IF``
  127.0.0.1 is routed out of ``lo`` and delivered to every socket that joined the group
  there.  So ``interfaces=["127.0.0.1"]`` is enough for tests and for a server bound to
  localhost; no ``ip link set lo multicast on`` is needed.
* A wildcard socket on Linux receives the group's traffic from *every* interface where
  anything on the machine joined it (``IP_MULTICAST_ALL`` defaults to 1), which would let
  a browser limited to one interface see, and an advertiser answer, queries from others.
  We switch ``IP_MULTICAST_ALL`` off on our sockets so "on these interfaces only" holds.

This module can also be run as a small diagnostic tool for IT staff and for tests that need
an advertiser in another process or network namespace::

    python -m app.discovery browse --interface 10.0.0.5 --seconds 10
    python -m app.discovery advertise --name "Đại hội" --room-id <64 hex> --port 8443 \
        --address 10.0.0.5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import logging
import re
import signal
import socket
import sys
import unicodedata
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from zeroconf import InterfaceChoice, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

__all__ = [
    "SERVICE_TYPE",
    "Advertiser",
    "DiscoveryUnavailable",
    "InvalidRoomRecord",
    "RoomAnnouncement",
    "RoomBrowser",
    "RoomTxt",
    "instance_name",
    "interface_addresses",
    "parse_txt_properties",
    "txt_properties",
]

log = logging.getLogger("hemicycle.discovery")

SERVICE_TYPE = "_hemicycle._tcp.local."

ROOM_ID_BYTES = 32
"""A room ID is the SHA-256 of the room certificate."""

_INSTANCE_MAX_BYTES = 63
"""DNS label limit (RFC 1035); zeroconf refuses longer instance names."""

_RENAME_RESERVE_BYTES = 4
"""Room left for the ``-N`` zeroconf appends when another host already holds the name."""

_TXT_STRING_MAX_BYTES = 255
"""Each TXT string carries a one-byte length prefix (RFC 6763 §6.1)."""

_MAX_PROTOCOL_DIGITS = 6
"""A protocol version is small; a longer number is garbage, not a future version."""

_RESOLVE_TIMEOUT_MS = 3000
"""How long one resolve of SRV/TXT/A may take before we give up until the next change."""

# Bytes patterns: a non-ASCII digit or hex character (which int() and fromhex() might take)
# can never match.
_HEX_64 = re.compile(rb"[0-9A-Fa-f]{64}")
_DIGITS = re.compile(rb"[0-9]+")

# Linux socket options not exported by the socket module (see <linux/in.h>, <linux/in6.h>).
_IP_MULTICAST_ALL = 49
_IPV6_MULTICAST_ALL = 29

# Characters that could make a name display as something else; a name is a hint, but the
# room list should not be an easy spoofing tool.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class DiscoveryUnavailable(OSError):
    """mDNS could not be set up on the requested interfaces.

    Callers show "enter the server address manually" instead of failing: discovery is optional.
    """


class InvalidRoomRecord(ValueError):
    """A TXT record that does not describe a room; the browser logs and skips it."""


class RoomTxt(NamedTuple):
    """The three facts a room puts in its TXT record."""

    name: str
    room_id: bytes
    protocol: int


@dataclass(frozen=True)
class RoomAnnouncement:
    """One room as seen on the network, ready for a room picker.

    ``room_id`` is only what the announcement claims; the connection must pin the TLS
    certificate to the room ID the device was enrolled with.
    """

    name: str
    room_id: bytes
    protocol: int
    addresses: tuple[str, ...]
    port: int
    service_name: str


# --------------------------------------------------------------------------------------------
# Names and TXT records (pure functions, unit tested without a network; zeroconf does the
# wire encoding and decoding of the TXT record, the checks here are ours)
# --------------------------------------------------------------------------------------------


def _truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut ``text`` to at most ``max_bytes`` of UTF-8 without splitting a character.

    Trailing combining marks are dropped too, so a cut never leaves a bare accent on the
    wrong letter (input is NFC, so this only matters for unusual text).
    """
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    cut = encoded[:max_bytes].decode("utf-8", errors="ignore")
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut


def _check_room_id(room_id: bytes) -> None:
    """Reject anything that is not a 32-byte digest early, at the caller's line."""
    if not isinstance(room_id, bytes) or len(room_id) != ROOM_ID_BYTES:
        raise ValueError(f"room_id must be {ROOM_ID_BYTES} bytes (SHA-256 of the certificate)")


def instance_name(name: str, room_id: bytes) -> str:
    """The DNS-SD instance label for a room: readable name plus the first 8 hex of its ID.

    The ID suffix keeps two rooms that share a name (two halls both called "Phòng họp 1")
    from fighting over one instance name.  The label must fit 63 bytes of UTF-8, minus a
    reserve for zeroconf's ``-2`` rename, so the readable part is cut on a character
    boundary.  Dots would split the label on the wire and control characters are illegal, so
    both become spaces.  The full name for display travels in the TXT record, not here.
    """
    _check_room_id(room_id)
    suffix = f" ({room_id[:4].hex()})"
    budget = _INSTANCE_MAX_BYTES - _RENAME_RESERVE_BYTES - len(suffix.encode("ascii"))
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        " " if ch == "." or unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS else ch
        for ch in text
    )
    text = " ".join(text.split())
    label = _truncate_utf8(text, budget).rstrip() or "Hemicycle"
    return f"{label}{suffix}"


def txt_properties(name: str, room_id: bytes, protocol: int) -> dict[str, str]:
    """The room's TXT record as properties for zeroconf: ``name``, ``rid`` (64 hex), ``pv``.

    zeroconf encodes the dict (in this order) when the service is registered; what is ours is
    the checking. A name longer than one TXT string allows (255 bytes with its key) is cut on
    a character boundary and logged, rather than refusing to announce the room at all.
    """
    _check_room_id(room_id)
    if isinstance(protocol, bool) or not isinstance(protocol, int) or protocol < 1:
        raise ValueError("protocol version must be a positive integer")
    if len(str(protocol)) > _MAX_PROTOCOL_DIGITS:
        raise ValueError("protocol version is implausibly large")
    display = unicodedata.normalize("NFC", name).strip()
    if not display:
        raise ValueError("room name must not be empty")
    max_name = _TXT_STRING_MAX_BYTES - len(b"name=")
    if len(display.encode("utf-8")) > max_name:
        display = _truncate_utf8(display, max_name)
        log.warning("room name is longer than %d bytes; announcing it shortened", max_name)
    return {"name": display, "rid": room_id.hex(), "pv": str(protocol)}


def parse_txt_properties(properties: Mapping[bytes, bytes | None]) -> RoomTxt:
    """Validate a room's TXT record, as zeroconf decoded it, into name, room ID and version.

    ``properties`` is :attr:`zeroconf.ServiceInfo.properties`: raw bytes, first occurrence of
    each key kept, ``None`` for a key without ``=``. Keys are matched case-insensitively as
    RFC 6763 §6.4 asks (zeroconf keeps them as sent), unknown keys are ignored so later
    versions can add some, and :class:`InvalidRoomRecord` says what is wrong. The name is
    decoded strictly (not with zeroconf's replacement characters) and NFC-normalised, so the
    same room always compares equal whatever keyboard typed it.
    """
    fields: dict[bytes, bytes | None] = {}
    for key, value in properties.items():
        fields.setdefault(key.lower(), value)
    raw_name, raw_rid, raw_pv = (fields.get(key) for key in (b"name", b"rid", b"pv"))
    if raw_name is None or raw_rid is None or raw_pv is None:
        missing = [k.decode() for k in (b"name", b"rid", b"pv") if fields.get(k) is None]
        raise InvalidRoomRecord(f"missing TXT key(s): {', '.join(missing)}")
    try:
        name = unicodedata.normalize("NFC", raw_name.decode("utf-8")).strip()
    except UnicodeDecodeError as exc:
        raise InvalidRoomRecord("name is not valid UTF-8") from exc
    if not name:
        raise InvalidRoomRecord("name is empty")
    if any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in name):
        raise InvalidRoomRecord("name contains control characters")
    if not _HEX_64.fullmatch(raw_rid):
        raise InvalidRoomRecord(f"rid must be {2 * ROOM_ID_BYTES} hex digits")
    if not _DIGITS.fullmatch(raw_pv) or len(raw_pv) > _MAX_PROTOCOL_DIGITS:
        raise InvalidRoomRecord("pv must be a small decimal number")
    protocol = int(raw_pv)
    if protocol < 1:
        raise InvalidRoomRecord("pv must be at least 1")
    return RoomTxt(name=name, room_id=bytes.fromhex(raw_rid.decode("ascii")), protocol=protocol)


# --------------------------------------------------------------------------------------------
# Interfaces
# --------------------------------------------------------------------------------------------


def interface_addresses(host: str) -> list[str]:
    """Turn the server's listen host into the interface addresses to announce on.

    ``0.0.0.0``, ``::`` and ``""`` mean "every interface": all IPv4 addresses of interfaces
    that are up, loopback excluded (a tablet cannot reach 127.0.0.1, and IPv4 is what hall
    LANs and zeroconf's per-interface sockets handle well; a dual-stack listener accepts it).
    ``localhost`` means 127.0.0.1.  A literal address is returned as is.  The list may be
    empty on a machine with no network; :class:`Advertiser` then refuses to start.
    """
    import psutil  # local: only the server needs it, and only at start-up

    host = host.strip()
    if host == "localhost":
        return ["127.0.0.1"]
    if host in ("", "0.0.0.0", "::"):
        stats = psutil.net_if_stats()
        found: set[str] = set()
        for ifname, addrs in psutil.net_if_addrs().items():
            if ifname in stats and not stats[ifname].isup:
                continue
            for addr in addrs:
                if addr.family != socket.AF_INET:
                    continue
                ip = str(addr.address)
                if not ipaddress.IPv4Address(ip).is_loopback:
                    found.add(ip)
        return sorted(found, key=ipaddress.IPv4Address)
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        raise ValueError(
            f"cannot announce on {host!r}: give an IP address, 0.0.0.0 or localhost"
        ) from None


def _restrict_to_joined_interfaces(zc: Zeroconf) -> None:
    """Turn off Linux's IP_MULTICAST_ALL on zeroconf's sockets.

    Without it the wildcard listen socket also gets mDNS from interfaces we did not choose
    whenever another program (avahi, a browser) joined the group there.  Best effort: other
    systems do not have the option and do not need it.
    """
    if not sys.platform.startswith("linux"):
        return
    for reader in zc.engine.readers:
        sock = reader.transport.get_extra_info("socket")
        if sock is None:
            continue
        try:
            sock.setsockopt(socket.IPPROTO_IP, _IP_MULTICAST_ALL, 0)
            if sock.family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, _IPV6_MULTICAST_ALL, 0)
        except OSError as exc:
            log.debug("could not clear multicast_all on %s: %s", sock, exc)


def _local_addresses(addresses: Sequence[str]) -> list[str]:
    """Keep the addresses this machine actually has, warning about the others.

    zeroconf raises from its constructor on an address no interface holds, leaking the socket
    it already opened; a client retrying discovery would leak one per attempt.  Binding a
    throw-away UDP socket to ``(address, 0)`` answers the question without sending anything.
    """
    usable: list[str] = []
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.bind((address, 0))
        except OSError as exc:
            log.warning("not announcing/browsing on %s: %s", address, exc.strerror or exc)
            continue
        usable.append(address)
    return usable


async def _open_zeroconf(interfaces: Sequence[str] | None) -> tuple[AsyncZeroconf, list[str]]:
    """Start zeroconf on the running loop; return it and the interface addresses in use.

    Raises :class:`DiscoveryUnavailable` when nothing usable is left: zeroconf only logs an
    address it cannot join, and discovery that silently does nothing helps nobody.
    """
    where = ", ".join(interfaces) if interfaces else "all interfaces"
    usable = [] if interfaces is None else _local_addresses(interfaces)
    if interfaces is not None and not usable:
        raise DiscoveryUnavailable(f"mDNS unavailable: this machine has none of {where}")
    try:
        azc = AsyncZeroconf(interfaces=usable if interfaces is not None else InterfaceChoice.All)
    except (OSError, RuntimeError, ValueError) as exc:
        raise DiscoveryUnavailable(f"mDNS unavailable on {where}: {exc}") from exc
    try:
        await azc.zeroconf.async_wait_for_start()
        if not azc.zeroconf.engine.senders:
            raise DiscoveryUnavailable(f"mDNS unavailable on {where}: no usable interface")
        _restrict_to_joined_interfaces(azc.zeroconf)
    except BaseException:
        await azc.async_close()
        raise
    return azc, usable


def _host_label() -> str:
    """A DNS-safe form of this machine's name, so several servers get distinct host records."""
    raw = socket.gethostname().split(".")[0].lower()
    label = re.sub(r"[^a-z0-9-]+", "-", raw).strip("-")
    return label[:30] or "host"


# --------------------------------------------------------------------------------------------
# Advertiser (room server side)
# --------------------------------------------------------------------------------------------


class Advertiser:
    """Announces one room on the given interface addresses only.

    The server passes the addresses it listens on (see :func:`interface_addresses`); they are
    both where multicast is sent and the A records clients connect to, so a room is never
    advertised on a network it does not serve.
    """

    def __init__(
        self,
        name: str,
        room_id: bytes,
        port: int,
        addresses: Sequence[str],
        protocol: int = 1,
    ) -> None:
        """Validate everything up front so a bad configuration fails before any I/O."""
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is out of range")
        if isinstance(addresses, str):
            raise TypeError("addresses must be a sequence of IP strings, not one string")
        if not addresses:
            raise ValueError("no interface address to announce on")
        parsed = [ipaddress.ip_address(a) for a in addresses]
        if any(a.is_unspecified for a in parsed):
            raise ValueError("resolve 0.0.0.0 / :: with interface_addresses() first")
        self._txt = txt_properties(name, room_id, protocol)
        self._addresses = tuple(dict.fromkeys(str(a) for a in parsed))
        self._port = port
        self._instance = instance_name(name, room_id)
        self._server = f"hemicycle-{room_id[:4].hex()}-{_host_label()}.local."
        self._azc: AsyncZeroconf | None = None
        self._info: AsyncServiceInfo | None = None

    @property
    def service_name(self) -> str:
        """The full instance name; after start() this is the name actually registered.

        zeroconf may append ``-2`` when another host already holds the name.
        """
        if self._info is not None:
            return self._info.name
        return f"{self._instance}.{SERVICE_TYPE}"

    @property
    def addresses(self) -> tuple[str, ...]:
        """The configured interface addresses; start() skips, with a warning, any not present."""
        return self._addresses

    async def start(self) -> None:
        """Register the service; returns once probing is done and announcements are sent.

        Raises :class:`DiscoveryUnavailable` if no socket could be opened on the addresses.
        """
        if self._azc is not None:
            raise RuntimeError("Advertiser already started")
        azc, usable = await _open_zeroconf(self._addresses)
        info = AsyncServiceInfo(
            SERVICE_TYPE,
            f"{self._instance}.{SERVICE_TYPE}",
            port=self._port,
            properties=self._txt,
            server=self._server,
            parsed_addresses=usable,
        )
        try:
            announced = await azc.async_register_service(info, allow_name_change=True)
            await announced
        except BaseException:
            await azc.async_close()
            raise
        self._azc, self._info = azc, info
        log.info("announcing %r on %s port %d", info.name, ", ".join(usable), self._port)

    async def stop(self) -> None:
        """Send the goodbye (TTL 0) so browsers drop the room at once, then close the sockets.

        Safe to call twice or without start().
        """
        azc, info = self._azc, self._info
        self._azc = None
        if azc is None:
            return
        try:
            if info is not None:
                goodbye: Awaitable[Any] = await azc.async_unregister_service(info)
                await goodbye
        finally:
            await azc.async_close()
        log.info("stopped announcing %r", self.service_name)


# --------------------------------------------------------------------------------------------
# RoomBrowser (client side)
# --------------------------------------------------------------------------------------------


def _room_sort_key(room: RoomAnnouncement) -> tuple[str, str]:
    """Case-insensitive by name, then a stable tie-break so the list never shuffles."""
    return (room.name.casefold(), room.service_name)


class RoomBrowser:
    """Lists rooms seen on the given interfaces; resolves each to addresses, port and TXT.

    ``on_change`` is called on the event loop with the new sorted list whenever a room
    appears, changes or leaves; the Qt side forwards it as a signal.  A record that is not a
    valid room is logged and skipped, never raised, because anyone on the LAN can send one.
    """

    def __init__(
        self,
        interfaces: Sequence[str] | None = None,
        on_change: Callable[[list[RoomAnnouncement]], None] | None = None,
    ) -> None:
        """``interfaces=None`` browses every interface (the app); tests pass one address."""
        if isinstance(interfaces, str):
            raise TypeError("interfaces must be a sequence of IP strings, not one string")
        self._interfaces = None if interfaces is None else list(interfaces)
        self._on_change = on_change
        self._azc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._rooms: dict[str, RoomAnnouncement] = {}
        self._snapshot: tuple[RoomAnnouncement, ...] = ()
        self._resolving: dict[str, asyncio.Task[None]] = {}

    async def start(self) -> None:
        """Open the sockets and start browsing; raises :class:`DiscoveryUnavailable`."""
        if self._azc is not None:
            raise RuntimeError("RoomBrowser already started")
        azc, _ = await _open_zeroconf(self._interfaces)
        self._azc = azc
        self._browser = AsyncServiceBrowser(
            azc.zeroconf, [SERVICE_TYPE], handlers=[self._on_service_state_change]
        )

    def rooms(self) -> list[RoomAnnouncement]:
        """The rooms currently seen, sorted by name (a copy: safe to read from another thread)."""
        return list(self._snapshot)

    async def stop(self) -> None:
        """Stop browsing and close the sockets; the room list is emptied without a callback."""
        azc, browser = self._azc, self._browser
        self._azc = self._browser = None
        tasks = list(self._resolving.values())
        self._resolving.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            if browser is not None:
                await browser.async_cancel()
        finally:
            if azc is not None:
                await azc.async_close()
            self._rooms.clear()
            self._snapshot = ()

    # zeroconf calls handlers with keyword arguments on the event loop.
    def _on_service_state_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        """Start (or restart) a resolve on add/update; drop the room on removal."""
        previous = self._resolving.pop(name, None)
        if previous is not None:
            previous.cancel()
        if state_change is ServiceStateChange.Removed:
            log.debug("room service %r removed", name)
            self._forget(name)
            return
        task = asyncio.get_running_loop().create_task(self._resolve(zeroconf, service_type, name))
        self._resolving[name] = task
        task.add_done_callback(lambda t: self._resolve_done(name, t))

    def _resolve_done(self, name: str, task: asyncio.Task[None]) -> None:
        """Forget the finished task and make sure no resolve error ever goes unreported."""
        if self._resolving.get(name) is task:
            del self._resolving[name]
        if not task.cancelled() and task.exception() is not None:
            log.error("resolving %r failed", name, exc_info=task.exception())

    async def _resolve(self, zc: Zeroconf, service_type: str, name: str) -> None:
        """Fetch SRV, TXT and addresses, validate the TXT and publish the room."""
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(zc, _RESOLVE_TIMEOUT_MS):
            log.info("room service %r did not answer; skipping it until it announces again", name)
            return
        try:
            txt = parse_txt_properties(info.properties)
        except InvalidRoomRecord as exc:
            log.warning("ignoring malformed room announcement %r: %s", name, exc)
            self._forget(name)
            return
        addresses = tuple(info.parsed_scoped_addresses())
        if not addresses or info.port is None:
            log.info("room service %r has no address or port yet; skipping it", name)
            return
        room = RoomAnnouncement(
            name=txt.name,
            room_id=txt.room_id,
            protocol=txt.protocol,
            addresses=addresses,
            port=info.port,
            service_name=name,
        )
        if self._rooms.get(name) == room:
            return
        self._rooms[name] = room
        log.info("room %r seen at %s port %d", room.name, ", ".join(addresses), room.port)
        self._publish()

    def _forget(self, name: str) -> None:
        """Drop a room and tell the listener, if we had it."""
        if self._rooms.pop(name, None) is not None:
            self._publish()

    def _publish(self) -> None:
        """Refresh the snapshot and call on_change; a faulty callback must not stop browsing."""
        self._snapshot = tuple(sorted(self._rooms.values(), key=_room_sort_key))
        if self._on_change is None:
            return
        try:
            self._on_change(list(self._snapshot))
        except Exception:
            log.exception("room list callback failed")


# --------------------------------------------------------------------------------------------
# Command line (diagnostics; also how tests run an advertiser in another process/namespace)
# --------------------------------------------------------------------------------------------


async def locate(
    room_id: bytes, interfaces: Sequence[str] | None = None, timeout: float = 3.0
) -> RoomAnnouncement | None:
    """Look for one room by its ID on the LAN, for a client whose stored address went stale
    (the server machine got a new DHCP lease). The answer is a hint: the caller still pins."""
    found = asyncio.Event()
    browser = RoomBrowser(
        interfaces, on_change=lambda rooms: found.set() if _match(rooms, room_id) else None
    )
    try:
        await browser.start()
    except DiscoveryUnavailable:
        return None
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(found.wait(), timeout)
        return _match(browser.rooms(), room_id)
    finally:
        await browser.stop()


def _match(rooms: Sequence[RoomAnnouncement], room_id: bytes) -> RoomAnnouncement | None:
    return next((r for r in rooms if r.room_id == room_id and r.addresses), None)


def _room_json(room: RoomAnnouncement) -> dict[str, Any]:
    """A JSON-friendly view of a room for the diagnostic output."""
    return {
        "name": room.name,
        "room_id": room.room_id.hex(),
        "protocol": room.protocol,
        "addresses": list(room.addresses),
        "port": room.port,
        "service_name": room.service_name,
    }


def _emit(obj: dict[str, Any]) -> None:
    """One JSON object per line on stdout, flushed, so a parent process can follow along."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _stop_on_signal() -> asyncio.Event:
    """An event set by SIGTERM/SIGINT, installed *before* we report ready.

    A parent that reads "ready" and at once sends SIGTERM must get the clean goodbye path, so
    the handler has to exist before the line is written, not just after.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _until(stop: asyncio.Event, seconds: float | None) -> None:
    """Wait for the stop event, or for ``seconds`` if given."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _advertise_main(args: argparse.Namespace) -> int:
    """Announce until told to stop, then send the goodbye."""
    stop = _stop_on_signal()
    room_id = bytes.fromhex(args.room_id)
    addresses = [a for host in args.address for a in interface_addresses(host)]
    advertiser = Advertiser(args.name, room_id, args.port, addresses, protocol=args.protocol)
    await advertiser.start()
    try:
        _emit({"event": "ready", "service_name": advertiser.service_name})
        await _until(stop, args.seconds)
    finally:
        await advertiser.stop()
    _emit({"event": "stopped"})
    return 0


async def _browse_main(args: argparse.Namespace) -> int:
    """Print the room list each time it changes, for a while or until signalled."""

    def changed(rooms: list[RoomAnnouncement]) -> None:
        _emit({"event": "rooms", "rooms": [_room_json(r) for r in rooms]})

    stop = _stop_on_signal()
    browser = RoomBrowser(args.interface or None, on_change=changed)
    await browser.start()
    try:
        _emit({"event": "ready"})
        await _until(stop, args.seconds)
    finally:
        await browser.stop()
    _emit({"event": "stopped"})
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app.discovery advertise|browse``: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m app.discovery", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True)
    adv = sub.add_parser("advertise", help="announce a room until SIGTERM/SIGINT")
    adv.add_argument("--name", required=True)
    adv.add_argument("--room-id", required=True, help="64 hex digits")
    adv.add_argument("--port", type=int, required=True)
    adv.add_argument("--address", action="append", required=True, help="IP, 0.0.0.0 or localhost")
    adv.add_argument("--protocol", type=int, default=1)
    adv.add_argument("--seconds", type=float, default=None, help="stop after this long")
    brw = sub.add_parser("browse", help="print the rooms seen, as JSON lines")
    brw.add_argument("--interface", action="append", help="IP to browse on (default: all)")
    brw.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if not args.verbose:
        logging.getLogger("zeroconf").setLevel(logging.WARNING)
    runner = _advertise_main if args.command == "advertise" else _browse_main
    try:
        return asyncio.run(runner(args))
    except (DiscoveryUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
