"""Opening a connection to a room: TLS pinned to the room ID, then the version handshake.

Clients never trust a certificate authority. After the TLS handshake the client hashes the
server's certificate and compares it with the room ID it was provisioned with; on a mismatch it
closes before sending a single protocol message. The WebSocket upgrade that precedes the check
carries nothing but the path ``/ws``.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import websockets
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p

CONNECT_TIMEOUT = 8.0
CLIENT_NAME = "hemicycle/0.1"


class ConnectError(Exception):
    """No address of the room answered, or the handshake failed."""


class WrongRoom(ConnectError):
    """A server answered whose certificate is not the room's: never talk to it."""


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


def peer_room_id(ws: ClientConnection) -> bytes:
    ssl_object = ws.transport.get_extra_info("ssl_object")
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if not der:
        raise WrongRoom("the server presented no certificate")
    return hashlib.sha256(der).digest()


@dataclass
class Link:
    """An open, pinned, greeted connection."""

    ws: ClientConnection
    welcome: p.Welcome
    room_id: bytes
    address: str
    port: int


def _url(address: str, port: int) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"wss://{host}:{port}/ws"


async def open_link(
    addresses: Sequence[str],
    port: int,
    pins: Callable[[bytes], bool],
    timeout: float = CONNECT_TIMEOUT,
) -> Link:
    """Try each address in turn; return the first pinned, greeted connection."""
    errors: list[str] = []
    wrong: list[str] = []
    for address in dict.fromkeys(addresses):
        try:
            ws = await connect(
                _url(address, port),
                ssl=client_context(),
                compression=None,
                max_size=p.MAX_CONTROL_FRAME,
                open_timeout=timeout,
                ping_interval=20,
                ping_timeout=20,
                close_timeout=2,
                user_agent_header=None,
            )
        except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as exc:
            errors.append(f"{address}: {exc}")
            continue
        room_id = peer_room_id(ws)
        if not pins(room_id):
            # Another server (maybe a rogue announcement) answers here: try the others.
            await ws.close()
            wrong.append(f"{address}:{port}")
            continue
        try:
            welcome = await asyncio.wait_for(_greet(ws), timeout)
        except (websockets.ConnectionClosed, TimeoutError, p.ProtocolError) as exc:
            await ws.close()
            errors.append(f"{address}: handshake failed: {exc}")
            continue
        return Link(ws, welcome, room_id, address, port)
    if wrong:
        raise WrongRoom(f"{', '.join(wrong)} is not this room (certificate does not match)")
    raise ConnectError("; ".join(errors) or "no address to connect to")


async def _greet(ws: ClientConnection) -> p.Welcome:
    await ws.send(
        p.encode(p.Hello(protocols=list(p.SUPPORTED_VERSIONS), client=CLIENT_NAME)), text=True
    )
    reply = p.decode_server(await ws.recv())
    if isinstance(reply, p.Error):
        raise p.ProtocolError(reply.code, reply.message)
    if not isinstance(reply, p.Welcome):
        raise p.ProtocolError(
            p.ErrorCode.BAD_MESSAGE, f"expected welcome, got {p.message_type(reply)}"
        )
    return reply
