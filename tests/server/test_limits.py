"""Limits per source address: guessing codes or signatures from one host, across connections,
is braked; one host cannot take every connection slot; unused codes expire."""

from __future__ import annotations

import asyncio
import base64
import ssl
import time
from pathlib import Path

import msgspec
import pytest
import websockets
from sqlalchemy import update
from websockets.asyncio.client import ClientConnection, connect

from app import protocol as p
from app.connection import open_link
from app.enroll import EnrollError, enroll
from server import config as cfg
from server.datadir import DataDir
from server.db import EnrollmentCodeRow
from server.throttle import FailureThrottle
from tests.conftest import TEST_SCRYPT_COST, ServerThread
from tests.roomtool import enroll_request
from tests.server.test_server import Recorder, raw_session


def set_limits(d: DataDir, **limits: object) -> None:
    """Write ``[limits]`` values into the room's configuration, as IT staff would."""
    config = cfg.load(d.config)
    cfg.write(
        d.config,
        msgspec.structs.replace(config, limits=msgspec.structs.replace(config.limits, **limits)),
    )


def limited(d: DataDir, **limits: object) -> ServerThread:
    set_limits(d, **limits)
    st = ServerThread(d)
    st.start()
    return st


async def refused_auth(st: ServerThread) -> p.ErrorCode:
    link = await open_link(["127.0.0.1"], st.port, lambda rid: True)
    bogus = p.Auth(id=1, device_id=123_456, signature=base64.b64encode(b"\x00" * 64).decode())
    await link.ws.send(p.encode(bogus), text=True)
    reply = p.decode_server(await asyncio.wait_for(link.ws.recv(), 5))
    await link.ws.close()
    assert isinstance(reply, p.Error)
    return reply.code


def test_failed_authentications_from_one_address_are_braked(
    roster_room: DataDir, tmp_path: Path
) -> None:
    st = limited(roster_room, failed_attempts=5, failed_attempt_seconds=0.5)
    try:

        async def scenario() -> None:
            unlocked = await enroll(
                tmp_path / "d", st.code("delegate", "0001"), "2468", cost=TEST_SCRYPT_COST
            )
            codes = [await refused_auth(st) for _ in range(7)]
            assert codes[:5] == [p.ErrorCode.UNKNOWN_DEVICE] * 5
            assert codes[5:] == [p.ErrorCode.RATE_LIMITED] * 2
            # even the real device is held back for a moment from this address …
            link = await open_link(["127.0.0.1"], st.port, lambda rid: True)
            ident = unlocked.identity
            await link.ws.send(
                link.session.auth(ident.device_id, unlocked.keys.sign.sign, ident.room_id),
                text=True,
            )
            with pytest.raises(p.ProtocolError) as err:
                link.session.receive(await link.ws.recv())
            assert err.value.code == p.ErrorCode.RATE_LIMITED
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await link.ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4029
            # … and gets in once the bucket refills; successes cost nothing
            await asyncio.sleep(0.6)
            for _ in range(12):
                d = await Recorder(unlocked).start()
                await d.stop()

        asyncio.run(scenario())
    finally:
        st.close()


def test_guessing_codes_across_connections_is_braked(roster_room: DataDir) -> None:
    st = limited(roster_room, failed_attempts=8, failed_attempt_seconds=60)
    try:

        async def guesses(n: int) -> list[p.ErrorCode]:
            link = await open_link(["127.0.0.1"], st.port, lambda rid: True)
            out = []
            for k in range(n):  # under the five per connection that close it
                req = p.Enroll(
                    id=0,
                    secret=f"{k:016d}",
                    device_name="x",
                    sign_key="A" * 43 + "=",
                    kx_key="A" * 43 + "=",
                )
                rid, frame = link.session.request(req)
                await link.ws.send(frame, text=True)
                reply = p.decode_server(await asyncio.wait_for(link.ws.recv(), 5))
                assert isinstance(reply, p.Error) and reply.id == rid
                out.append(reply.code)
                if reply.code == p.ErrorCode.RATE_LIMITED:
                    break
            await link.ws.close()
            return out

        async def scenario() -> list[p.ErrorCode]:
            return [c for _ in range(3) for c in await guesses(4)]

        codes = asyncio.run(scenario())
        assert codes[:8] == [p.ErrorCode.INVALID_CODE] * 8
        assert codes[8] == p.ErrorCode.RATE_LIMITED
        # a real code from another address still works: the brake is per source
        req, _keys = enroll_request(st.room.issue_code("delegate", "0001"))

        async def from_elsewhere() -> p.ServerMessage:
            ws = await from_address("127.0.0.2", st.port)
            await ws.send(p.encode(p.Hello(protocols=[p.PROTOCOL_VERSION])), text=True)
            await ws.recv()
            await ws.send(p.encode(req), text=True)
            reply = p.decode_server(await ws.recv())
            await ws.close()
            return reply

        assert isinstance(asyncio.run(from_elsewhere()), p.Enrolled)
    finally:
        st.close()


def test_one_address_cannot_take_every_slot(roster_room: DataDir) -> None:
    st = limited(roster_room, connections_per_address=3)
    try:

        async def scenario() -> None:
            held = [await raw_session(st.port) for _ in range(3)]
            with pytest.raises(websockets.InvalidStatus) as err:
                await raw_session(st.port)
            assert err.value.response.status_code == 503
            other = await from_address("127.0.0.3", st.port)  # another address still gets in
            await other.close()
            await held.pop().close()
            await asyncio.sleep(0.1)
            again = await raw_session(st.port)  # a freed slot is free again
            for ws in [*held, again]:
                await ws.close()

        asyncio.run(scenario())
    finally:
        st.close()


async def from_address(source: str, port: int) -> ClientConnection:
    """A connection to the room on 127.0.0.1 that comes from another loopback address."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return await connect(
        f"wss://127.0.0.1:{port}/ws", ssl=ctx, compression=None, local_addr=(source, 0)
    )


def test_unused_codes_expire(server: ServerThread, tmp_path: Path) -> None:
    code = server.code("delegate", "0001")
    with server.room.store.engine.begin() as conn:
        conn.execute(update(EnrollmentCodeRow).values(expires_at=time.time() - 1))
    with pytest.raises(EnrollError) as err:
        asyncio.run(enroll(tmp_path / "late", code, "2468", cost=TEST_SCRYPT_COST))
    assert err.value.code == p.ErrorCode.INVALID_CODE and "expired" in err.value.message


def test_the_throttle_refills_and_forgets() -> None:
    now = [0.0]
    t = FailureThrottle(burst=2, every=10.0, clock=lambda: now[0])
    assert t.allowed("a")
    t.failed("a")
    t.failed("a")
    assert not t.allowed("a") and t.allowed("b")
    now[0] = 10.0
    assert t.allowed("a")
    t.failed("a")
    assert not t.allowed("a")
