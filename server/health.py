"""``GET /health`` on the room's own port: whether the room serves, for monitoring and ``status``.

Answered by the WebSocket server before any upgrade (websockets' ``process_request``; see
:meth:`server.transport.RoomServer._admit`), so it needs no enrollment, no second port and no
second TLS setup: the same certificate, the same firewall rule. It says only what anyone on the
hall LAN may know — the room ID (which the mDNS announcement carries anyway), the version, and
counts — never a name, a device or a secret. A monitoring tool reads the HTTP status (200: the
room serves, 503: it needs attention) or the JSON; ``hemicycle-server status`` and ``doctor``
read it with :func:`fetch`, pinned to the room's certificate as devices pin it.
"""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import logging
import shutil
import ssl
import time
from typing import TYPE_CHECKING

import msgspec
from websockets.asyncio.server import ServerConnection
from websockets.http11 import Response

from app import protocol as p
from app.codes import format_room_id
from app.version import version
from server.config import Config

if TYPE_CHECKING:
    from server.transport import RoomServer

log = logging.getLogger("hemicycle.server")

HEALTH_PATH = "/health"

#: ``logs/`` at its largest: ``server.log`` and five rotated copies of 10 MB (server/logsetup.py).
LOG_SPACE = 6 * 10_000_000

#: How long the database may take to answer before /health reports it unreachable.
DATABASE_TIMEOUT = 5.0
#: One database probe serves every /health request of the next second: a monitoring tool, or a
#: flood of requests, cannot keep the room's one database thread busy.
DATABASE_PROBE_EVERY = 1.0
#: How long ``status`` and ``doctor`` wait for a running server to answer.
FETCH_TIMEOUT = 5.0
#: Far larger than any report: a server that sends more is not a room.
_MAX_BODY = 64 * 1024


class HealthReport(msgspec.Struct, kw_only=True, frozen=True):
    """The JSON of ``GET /health`` (docs/protocol.md, "Health")."""

    #: The room serves: its database answers and its disk has room for the next document.
    ok: bool
    #: The room ID as ``room-id`` prints it (SHA-256 of the certificate, with check groups).
    room_id: str
    version: str
    protocol: int
    uptime_seconds: float
    #: Authenticated control connections per role (a device holds one; downloads not counted).
    connected: dict[str, int]
    database: bool
    disk_free_bytes: int
    #: What :attr:`disk_free_bytes` must stay above for :attr:`ok` (:func:`space_needed`).
    disk_needed_bytes: int


def space_needed(config: Config, database_here: bool) -> int:
    """Free bytes the data directory's disk needs for the room to go on: the logs at their
    largest, and, when the database is in the folder, twice the largest document accepted (it
    is stored, and held in SQLite's write-ahead log until the next checkpoint)."""
    document = config.documents.max_megabytes * 2**20
    return LOG_SPACE + (2 * document if database_here else 0)


class Health:
    """Answers ``GET /health`` for one running :class:`~server.transport.RoomServer`."""

    def __init__(self, server: RoomServer) -> None:
        self.server = server
        self.started = time.monotonic()
        self._database_here = server.store.engine.url.get_backend_name() == "sqlite"
        self._probe: asyncio.Future[bool] | None = None
        self._probed_at = 0.0

    async def respond(self, conn: ServerConnection) -> Response:
        report = await self.report()
        response = conn.respond(200 if report.ok else 503, "")
        response.body = msgspec.json.encode(report) + b"\n"
        for name, value in (
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(response.body))),
            ("Cache-Control", "no-store"),
        ):
            if name in response.headers:
                del response.headers[name]
            response.headers[name] = value
        return response

    async def report(self) -> HealthReport:
        server = self.server
        database = await self._database_answers()
        free = shutil.disk_usage(server.datadir.root).free
        needed = space_needed(server.config, self._database_here)
        return HealthReport(
            ok=database and free >= needed,
            room_id=format_room_id(server.room_id),
            version=version(),
            protocol=p.PROTOCOL_VERSION,
            uptime_seconds=round(time.monotonic() - self.started, 1),
            connected={str(role): n for role, n in server.presence.message().connected.items()},
            database=database,
            disk_free_bytes=free,
            disk_needed_bytes=needed,
        )

    async def _database_answers(self) -> bool:
        now = time.monotonic()
        if self._probe is None or (
            self._probe.done() and now - self._probed_at >= DATABASE_PROBE_EVERY
        ):
            self._probed_at = now
            self._probe = asyncio.ensure_future(self._ask_database())
        return await asyncio.shield(self._probe)

    async def _ask_database(self) -> bool:
        try:
            await asyncio.wait_for(self.server.db(self.server.store.last_seq), DATABASE_TIMEOUT)
        except TimeoutError:
            log.warning("health: the database did not answer within %.0f s", DATABASE_TIMEOUT)
            return False
        except Exception as exc:
            log.warning("health: the database cannot be read: %s", exc)
            return False
        return True


# ---------------------------------------------------------------------- asking a server


class NotAnswering(Exception):
    """Nothing, or nothing that is this room, answers at the address: the message says which."""


class NotRunning(NotAnswering):
    """Nothing listens at the address: the connection was refused."""


class NoReport(NotAnswering):
    """The room answers (its certificate), but with no health report: an older server."""


def host_port(host: str, port: int) -> str:
    """``host:port`` as people and URLs write it (``[::1]:8443`` for IPv6)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def local_address(host: str) -> str:
    """Where this machine reaches a server listening on ``host`` (loopback for a wildcard)."""
    if host == "::":
        return "::1"
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def fetch(host: str, port: int, room_id: bytes, timeout: float = FETCH_TIMEOUT) -> HealthReport:
    """``GET /health`` from the room server at ``host``:``port``, pinned to ``room_id`` as devices
    pin it: the request is sent only once the certificate hashes to the room ID, so a stranger on
    the port is never mistaken for the room."""
    from app.connection import client_context  # the devices' context: TLS 1.3, trust by pin

    where = host_port(host, port)
    conn = http.client.HTTPSConnection(host, port, context=client_context(), timeout=timeout)
    try:
        try:
            conn.connect()
        except ConnectionRefusedError:
            raise NotRunning(f"nothing listens on {where}") from None
        except TimeoutError:
            raise NotAnswering(f"{where} does not answer within {timeout:.0f} s") from None
        except (ssl.SSLError, ConnectionResetError, BrokenPipeError) as exc:
            # It took the connection and then spoke no TLS, or hung up on the handshake.
            reason = exc.reason if isinstance(exc, ssl.SSLError) else exc.strerror
            raise NotAnswering(
                f"what listens on {where} is not a Hemicycle room (TLS failed: {reason})"
            ) from None
        except OSError as exc:
            raise NotAnswering(f"cannot connect to {where}: {exc.strerror or exc}") from None
        assert isinstance(conn.sock, ssl.SSLSocket)
        certificate = conn.sock.getpeercert(binary_form=True) or b""
        if hashlib.sha256(certificate).digest() != room_id:
            raise NotAnswering(
                f"another room or program answers on {where}: its certificate is not this room's"
            )
        try:
            conn.request("GET", HEALTH_PATH)
            response = conn.getresponse()
            body = response.read(_MAX_BODY)
        except TimeoutError:
            raise NotAnswering(f"{where} does not answer within {timeout:.0f} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise NotAnswering(f"{where} broke off the health request: {exc}") from None
    finally:
        conn.close()
    try:
        return msgspec.json.decode(body, type=HealthReport)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise NoReport(
            f"the room on {where} answers /health with HTTP {response.status} and no report "
            "(a server older than this command)"
        ) from None
