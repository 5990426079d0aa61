"""First contact: turn a one-time code into an enrolled device with its own keys."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Sequence
from pathlib import Path

import websockets

from app import protocol as p
from app.codes import EnrollmentCode, secret_text
from app.connection import ConnectError, Link, VersionRefused, WrongRoom, open_link
from app.keys import DeviceKeys, b64
from app.profile import Identity, Profile, Unlocked
from app.session import Answered, Refused
from app.vault import PRODUCTION_COST, Backend, ScryptCost, Secrets, Vault, check_pin


class EnrollError(Exception):
    """``code`` is a protocol error code (``unsupported_version``: ``message`` is the room's,
    which names the version it needs), or ``unreachable`` / ``wrong_room`` / ``bad_pin``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


async def enroll(
    home: Path,
    code: EnrollmentCode,
    pin: str,
    device_name: str | None = None,
    extra_addresses: Sequence[str] = (),
    extra_port: int | None = None,
    prefer_keyring: bool = True,
    cost: ScryptCost = PRODUCTION_COST,
    *,
    room_id: bytes | None = None,
) -> Unlocked:
    """Enroll this device with the room the code names; stores identity, sealed keys, state.

    ``extra_addresses`` (at ``extra_port``, else the code's port) are tried first: where the
    room was found on the LAN or typed by hand. The code's own addresses, at the code's port,
    come next, so a wrong announcement cannot hide the room the card names. ``room_id``, the
    full room ID a prepared tablet was set up for (app/deployment.py), pins the room too: a
    server whose certificate is not that room's is refused even if the code would take it.
    ``cost`` seals the keys; leave it at the production default (tests pass a cheap one).
    """
    try:
        check_pin(pin)
    except ValueError as exc:
        raise EnrollError("bad_pin", str(exc)) from None

    def pins(found: bytes) -> bool:
        return code.pins(found) and (room_id is None or found == room_id)

    attempts = [(list(extra_addresses), extra_port or code.port), (list(code.addresses), code.port)]
    link = None
    failure: ConnectError = ConnectError("no address to connect to")
    for addresses, port in attempts:
        if not addresses:
            continue
        try:
            link = await open_link(addresses, port, pins)
            break
        except VersionRefused as exc:  # the room answered: it needs another version
            raise EnrollError(p.ErrorCode.UNSUPPORTED_VERSION, exc.message) from None
        except ConnectError as exc:  # WrongRoom included; remembered in preference
            if not isinstance(failure, WrongRoom):
                failure = exc
    if link is None:
        kind = "wrong_room" if isinstance(failure, WrongRoom) else "unreachable"
        raise EnrollError(kind, str(failure))
    keys = DeviceKeys.generate()
    rid, frame = link.session.request(
        p.Enroll(
            id=0,
            secret=secret_text(code.secret),
            device_name=_device_name(device_name),
            sign_key=b64(keys.sign_public),
            kx_key=b64(keys.kx_public),
        )
    )
    try:
        await link.ws.send(frame, text=True)
        reply = await _answer(link, rid)
    except (websockets.ConnectionClosed, p.ProtocolError) as exc:
        raise EnrollError("unreachable", f"the room closed the connection: {exc}") from None
    finally:
        await link.ws.close()
    if isinstance(reply, Refused):
        raise EnrollError(reply.code, reply.message)
    if not isinstance(reply, p.Enrolled):
        raise EnrollError(p.ErrorCode.BAD_MESSAGE, f"unexpected reply {p.message_type(reply)}")
    sign, kx = keys.raw_private()
    secrets = Secrets(sign_key=sign, kx_key=kx, store_key=os.urandom(32))
    profile = Profile(home)
    # scrypt and the keychain take a noticeable moment: keep them off the network loop
    backend = await asyncio.to_thread(_seal, home, pin, secrets, prefer_keyring, cost)
    identity = Identity(
        room_name=link.welcome.room_name,
        room_id=link.room_id,
        addresses=tuple(dict.fromkeys([link.address, *extra_addresses, *code.addresses])),
        port=link.port,
        device_id=reply.device_id,
        role=reply.role,
        delegate=reply.delegate,
        vault=backend,
        room_key=link.room_key,
    )
    await asyncio.to_thread(profile.save_identity, identity)
    return Unlocked(profile, identity, secrets)


async def _answer(link: Link, rid: int) -> p.ServerMessage | Refused:
    """Frames until the answer to request ``rid``."""
    while True:
        for happening in link.session.receive(await link.ws.recv()):
            if isinstance(happening, Answered) and happening.request_id == rid:
                return happening.reply
            if isinstance(happening, Refused) and happening.request_id == rid:
                return happening


def _device_name(given: str | None) -> str:
    """The name the room lists this device under: printable, one line, at most 200 characters."""
    raw = given or socket.gethostname() or "device"
    clean = "".join(ch if ch.isprintable() else " " for ch in raw).strip()
    return clean[:200] or "device"


def _seal(
    home: Path, pin: str, secrets: Secrets, prefer_keyring: bool, cost: ScryptCost
) -> Backend:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return Vault(home, cost).create(pin, secrets, prefer_keyring)
