"""Opening a connection to a room: TLS pinned to the room ID, then the version handshake.

The handshake's rules are the client session's (app/session.py); this module moves its frames.
Clients never trust a certificate authority. After the TLS handshake the client hashes the
server's certificate and compares it with the room ID it was provisioned with; on a mismatch it
closes before sending a single protocol message. The WebSocket upgrade that precedes the check
carries nothing but the path (``/ws`` for control, ``/bulk`` for documents).

A room that speaks none of the app's protocol versions says which it speaks, and which version
of Hemicycle it is, in the ``message`` of its ``unsupported_version`` error
(:func:`version_refusal`, docs/protocol.md §3). They travel in the text, not in new fields, so
that every app ever released can decode the refusal (an ``error`` with a field it does not know
would be a ``bad_message`` to it); this module writes that text for the server and reads it back
(:class:`VersionRefused`), so the two sides share one definition of it.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import websockets
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p
from app.docformat import room_public_key
from app.session import ClientSession
from app.version import version

CONNECT_TIMEOUT = 8.0
CLIENT_NAME = "hemicycle/0.1"


class ConnectError(Exception):
    """No address of the room answered, or the handshake failed."""


class WrongRoom(ConnectError):
    """A server answered whose certificate is not the room's: never talk to it."""


#: The machine-readable part of an ``unsupported_version`` message: the protocol versions the
#: room speaks, then its Hemicycle version. A room of 0.1.0 wrote "the room speaks protocol [3];
#: update the app", which reads as its versions without its Hemicycle version.
_SPOKEN = re.compile(
    r"protocol \[(?P<protocols>\d+(?:, \d+)*)\](?: \(hemicycle (?P<version>[^\s()]+)\))?"
)


def version_refusal(offered: Sequence[int]) -> str:
    """The server's ``unsupported_version`` message to a ``hello`` that ``offered`` only
    versions it does not speak: what it speaks, which Hemicycle it is, and who must update."""
    spoken = p.SUPPORTED_VERSIONS
    if max(offered) < min(spoken):
        advice = "update the app"
    elif min(offered) > max(spoken):
        advice = "this app is newer: update the room server"
    else:
        advice = "update the app or the room server"
    return f"the room speaks protocol {list(spoken)} (hemicycle {version()}); {advice}"


class VersionRefused(ConnectError):
    """The room speaks none of this app's protocol versions: the app or the room server must be
    updated. Read from the room's refusal: the versions it speaks, and its Hemicycle version
    (``None`` from a room too old to say)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        found = _SPOKEN.search(message)
        self.room_protocols: tuple[int, ...] = (
            tuple(int(v) for v in found["protocols"].split(", ")) if found else ()
        )
        self.room_version: str | None = found["version"] if found else None

    @property
    def app_too_old(self) -> bool:
        """Whether this app is the one to update (the room speaks only newer versions); a
        refusal that does not say is taken as that, the usual case."""
        return not self.room_protocols or max(p.SUPPORTED_VERSIONS) < min(self.room_protocols)


_ssl_context: ssl.SSLContext | None = None


def client_context() -> ssl.SSLContext:
    """One shared context. CA verification is off on purpose: trust comes from the pin check."""
    global _ssl_context
    if _ssl_context is None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        _ssl_context = ctx
    return _ssl_context


def peer_certificate(ws: ClientConnection) -> bytes:
    """The server's certificate, DER; its SHA-256 is the room ID it claims."""
    ssl_object = ws.transport.get_extra_info("ssl_object")
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if not der:
        raise WrongRoom("the server presented no certificate")
    return bytes(der)


@dataclass
class Link:
    """An open, pinned, greeted connection and the session that greeted it."""

    ws: ClientConnection
    session: ClientSession
    room_id: bytes
    address: str
    port: int
    #: The room's Ed25519 public key, from the pinned certificate (it signs manifests).
    room_key: bytes

    @property
    def welcome(self) -> p.Welcome:
        assert self.session.welcome is not None
        return self.session.welcome


def _url(address: str, port: int, path: str) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"wss://{host}:{port}{path}"


async def open_link(
    addresses: Sequence[str],
    port: int,
    pins: Callable[[bytes], bool],
    timeout: float = CONNECT_TIMEOUT,
    since: int | None = None,
    tag: bytes = b"",
    *,
    bulk: bool = False,
) -> Link:
    """Try each address in turn; return the first pinned, greeted connection. Its session
    resumes from ``since`` (the entry tagged ``tag``) when it authenticates. With ``bulk``, the
    connection is the bulk one (documents), whose frames may be larger."""
    errors: list[str] = []
    wrong: list[str] = []
    for address in dict.fromkeys(addresses):
        try:
            ws = await connect(
                _url(address, port, p.BULK_PATH if bulk else p.CONTROL_PATH),
                ssl=client_context(),
                compression=None,
                max_size=p.MAX_BLOB_FRAME if bulk else p.MAX_SERVER_FRAME,
                open_timeout=timeout,
                ping_interval=20,
                ping_timeout=20,
                close_timeout=2,
                user_agent_header=None,
            )
        except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as exc:
            errors.append(f"{address}: {exc}")
            continue
        certificate = peer_certificate(ws)
        room_id = hashlib.sha256(certificate).digest()
        if not pins(room_id):
            # Another server (maybe a rogue announcement) answers here: try the others.
            await ws.close()
            wrong.append(f"{address}:{port}")
            continue
        session = ClientSession(since, tag, bulk=bulk)
        try:
            await asyncio.wait_for(_greet(ws, session), timeout)
        except p.ProtocolError as exc:
            await ws.close()
            if exc.code == p.ErrorCode.UNSUPPORTED_VERSION:
                raise VersionRefused(exc.message) from None  # the room itself: no other address
            errors.append(f"{address}: handshake failed: {exc}")
            continue
        except (websockets.ConnectionClosed, TimeoutError) as exc:
            await ws.close()
            errors.append(f"{address}: handshake failed: {exc}")
            continue
        return Link(ws, session, room_id, address, port, room_public_key(certificate))
    if wrong:
        raise WrongRoom(f"{', '.join(wrong)} is not this room (certificate does not match)")
    raise ConnectError("; ".join(errors) or "no address to connect to")


async def _greet(ws: ClientConnection, session: ClientSession) -> None:
    await ws.send(session.hello(CLIENT_NAME), text=True)
    while session.welcome is None:
        session.receive(await ws.recv())
